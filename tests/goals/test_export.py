"""Download my data: everything the member owns, nothing of anyone else, streamed.

Which models must be in the download is not listed by hand: it is derived from the
model graph (`member_graph.linked_models`), so a new model linked to a member fails
here until it is exported or excused below with the reason.
"""

import csv
import datetime
import hashlib
import html
import io
import json
import zipfile

import pytest
from django.http import StreamingHttpResponse
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertRedirects

from goals import export, measure_services, plans, services
from goals.export import all_exports, columns
from goals.measures import BARC_10
from goals.models import CheckIn, ConsentTo, PlanKind, PlanSection, Step
from peers.models import (
    CrisisFollowUp,
    DigestSetting,
    SupporterProfile,
)
from peers.services import match_end
from recovery import audit
from recovery.models import (
    AuditEvent,
    CrisisLine,
    FormSubmission,
    Invitation,
    PasswordLink,
)
from tests.factories import (
    ChangeRequestFactory,
    CheckInFactory,
    ContactNoteFactory,
    EncouragementFactory,
    ExperienceAreaFactory,
    GoalFactory,
    MatchFactory,
    MatchPreferencesFactory,
    StepFactory,
    StrengthFactory,
    SuggestionFactory,
    SupporterFactory,
    WellnessToolFactory,
    days_ago,
)
from tests.goals.member_graph import linked_models

pytestmark = pytest.mark.django_db

DOWNLOAD = "goals:data-download"

# Linked to a person in the model graph, but not a member's data to take. (The
# audit log is not reached at all: it keeps pseudonyms, not keys. Nor is
# ExperienceArea, a shared list that points at nobody; a member's choices from it
# are in "match_preferences".)
NOT_MEMBER_DATA = {
    SupporterProfile: "a peer supporter's own profile; a member has none",
    DigestSetting: "a supporter's or coordinator's digest; a member has none",
    CrisisFollowUp: "the supporters' record of following up a crisis flag, as "
    "their private contact notes are",
    Invitation: "the coordinator's record of inviting someone: the name and email in "
    "it are in 'account', and it is deleted with the account",
    FormSubmission: "a form's random one-time key and what it made, kept a day; "
    "what it made is in the download",
    PasswordLink: "the coordinator's record of a one-time link to set a password: "
    "a hash and its dates, deleted with the account",
    CrisisLine: "the programme's crisis lines; a coordinator saves them, a member "
    "never does",
}

# Words planted in Maya's data: all must be in her download, none in anyone else's.
MAYA_MARKERS = [
    "ZZ-STRENGTH",
    "ZZ-TOOL",
    "ZZ-GOAL",
    "ZZ-PRIVATE-GOAL",
    "ZZ-STEP",
    "ZZ-NOTE",
    "ZZ-PRIVATE-NOTE",
    "ZZ-FEELING",
    "ZZ-PREFERRED-REGION",
    "ZZ-CHANGE-REASON",
    "ZZ-ENCOURAGEMENT",
    "ZZ-SUGGESTION",
    "ZZ-SHARED-CONTACT-NOTE",
    "ZZ-LIVED-EXPERIENCE",
    "ZZ-SAFETY-PLAN-ITEM",
    "ZZ-WELLNESS-PLAN-ITEM",
]
# What people around Maya keep for themselves: never in her download.
NOT_MAYAS = [
    "ZZ-SUPPORTERS-PRIVATE-NOTE",
    "ZZ-FORMER-SUPPORTERS-PRIVATE-NOTE",
    "ZZ-NOORS-GOAL",
    "ZZ-NOORS-NOTE",
    "ZZ-NOORS-PLAN",
    "Corazon",  # the coordinator who made and ended matches
    "ZZ-SUPPORTER-CONTACT",
]


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def download(client) -> dict[str, str]:
    """The files of a download, by name."""
    response = client.get(reverse(DOWNLOAD))
    assert response.status_code == 200
    raw = b"".join(response.streaming_content)
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        assert archive.testzip() is None
        return {
            name: archive.read(name).decode("utf-8-sig") for name in archive.namelist()
        }


def csv_rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def mayas_world(member, supporter, other_member, coordinator):
    """Maya's plan and the people around her, each with words of their own."""
    coordinator.first_name = "Corazon"
    coordinator.save()
    former = SupporterFactory(first_name="Fern")
    old = MatchFactory(member=member, supporter=former, started_by=coordinator)
    ContactNoteFactory(match=old, note="ZZ-FORMER-SUPPORTERS-PRIVATE-NOTE")
    match_end(match=old, by=coordinator, reason="moved away")
    match = MatchFactory(member=member, supporter=supporter, started_by=coordinator)
    supporter.supporter_profile.contact = "ZZ-SUPPORTER-CONTACT"
    supporter.supporter_profile.save()

    strength = StrengthFactory(member=member, text="ZZ-STRENGTH")
    tool = WellnessToolFactory(member=member, name="ZZ-TOOL")
    goal = GoalFactory(member=member, title="ZZ-GOAL")
    goal.strengths.add(strength)
    GoalFactory(member=member, title="ZZ-PRIVATE-GOAL", shared=False)
    StepFactory(goal=goal, title="ZZ-STEP")
    checkin, _ = services.checkin_record(
        member=member,
        wellbeing=7,
        hope=8,
        feelings="ZZ-FEELING",
        tools=[tool],
        note="ZZ-NOTE",
        note_shared=True,
    )
    services.checkin_record(
        member=member, wellbeing=4, hope=5, note="ZZ-PRIVATE-NOTE", day=days_ago(1)
    )
    services.consent_give(member=member, what=ConsentTo.NUMBERS_TO_SUPPORTER)
    prefs = MatchPreferencesFactory(member=member, region="ZZ-PREFERRED-REGION")
    prefs.experience_areas.add(ExperienceAreaFactory(name="ZZ-LIVED-EXPERIENCE"))
    ChangeRequestFactory(member=member, reason="ZZ-CHANGE-REASON")
    EncouragementFactory(
        member=member, supporter=supporter, checkin=checkin, text="ZZ-ENCOURAGEMENT"
    )
    SuggestionFactory(member=member, supporter=supporter, title="ZZ-SUGGESTION")
    shared_note = ContactNoteFactory(
        match=match, note="ZZ-SHARED-CONTACT-NOTE", shared_with_member=True
    )
    shared_note.goals_discussed.add(goal)
    ContactNoteFactory(match=match, note="ZZ-SUPPORTERS-PRIVATE-NOTE")

    plans.plan_item_add(
        member=member,
        kind=PlanKind.SAFETY,
        section=PlanSection.HELPERS,
        text="ZZ-SAFETY-PLAN-ITEM",
        phone="555 123 4567",
    )
    plans.plan_set_shared(member=member, kind=PlanKind.SAFETY, shared=True)
    plans.plan_item_add(
        member=member,
        kind=PlanKind.WELLNESS,
        section=PlanSection.DAILY,
        text="ZZ-WELLNESS-PLAN-ITEM",
    )

    GoalFactory(member=other_member, title="ZZ-NOORS-GOAL")
    CheckInFactory(member=other_member, note="ZZ-NOORS-NOTE")
    plans.plan_item_add(
        member=other_member,
        kind=PlanKind.SAFETY,
        section=PlanSection.REASONS,
        text="ZZ-NOORS-PLAN",
    )
    return {"goal": goal, "checkin": checkin, "tool": tool}


# --- Every model linked to a member is in the download --------------------------


def test_every_model_linked_to_a_member_is_exported_or_excused():
    exported = {e.model for e in all_exports()}
    missing = sorted(
        model.__name__
        for model in linked_models()
        if model not in exported and model not in NOT_MEMBER_DATA
    )
    assert missing == [], "export these (goals.extensions.exports) or excuse them"


def test_the_excuses_are_still_needed():
    exported = {e.model for e in all_exports()}
    stale = [m.__name__ for m in NOT_MEMBER_DATA if m not in linked_models()]
    both = [m.__name__ for m in NOT_MEMBER_DATA if m in exported]
    assert stale == [] and both == []


def test_the_walk_finds_models_reached_only_through_another():
    """Steps point at a goal, not at a person: the walk still reaches them."""
    assert linked_models()[Step] == ["goal__member", "goal__strengths__member"]


@pytest.mark.parametrize("item", all_exports(), ids=lambda e: e.key)
def test_every_field_is_written_or_left_out_with_a_reason(item):
    meta = item.model._meta
    every = {f.name for f in [*meta.concrete_fields, *meta.many_to_many]}
    written = {f.name for f in columns(item)}
    assert written | set(item.left_out) == every
    assert not written & set(item.left_out)
    assert all(str(why) for why in item.left_out.values())


def test_each_kind_has_its_own_name():
    keys = [e.key for e in all_exports()]
    assert len(keys) == len(set(keys))


# --- What the download holds ----------------------------------------------------


def test_the_download_is_a_zip_of_json_csv_and_a_readme(member_client, mayas_world):
    response = member_client.get(reverse(DOWNLOAD))

    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="my-recovery-planner-data-'
    )
    assert "no-store" in response["Cache-Control"]
    files = download(member_client)
    assert sorted(files) == [
        "README.txt",
        "checkins.csv",
        "data.json",
        "goals.csv",
        "questionnaire_answers.csv",
        "steps.csv",
    ]


def test_data_json_holds_everything_of_mine(member, member_client, mayas_world):
    data = json.loads(download(member_client)["data.json"])

    assert list(data) == ["about"] + [e.key for e in all_exports()]
    assert data["account"]["username"] == "maya-test"
    assert "password" not in data["account"]
    assert data["sharing"]["numbers_shared"] is True
    assert [c["what"] for c in data["consents"]] == ["numbers_to_supporter"]
    assert {g["title"] for g in data["goals"]} == {"ZZ-GOAL", "ZZ-PRIVATE-GOAL"}
    goal = next(g for g in data["goals"] if g["title"] == "ZZ-GOAL")
    assert goal["strengths"] == ["ZZ-STRENGTH"]
    assert data["steps"][0]["goal"] == goal["id"]
    assert [c["note"] for c in data["checkins"]] == ["ZZ-PRIVATE-NOTE", "ZZ-NOTE"]
    assert data["checkins"][1]["tools_used"] == ["ZZ-TOOL"]
    assert [e["kind"] for e in data["journey"]] == ["checkin", "checkin"]
    assert data["match_preferences"]["experience_areas"] == ["ZZ-LIVED-EXPERIENCE"]
    assert [m["supporter"] for m in data["matches"]] == ["Fern", "Sam"]
    assert data["matches"][0]["end_reason"] == "moved away"
    assert data["encouragements"][0]["checkin"] == mayas_world["checkin"].pk
    assert data["suggestions"][0]["title"] == "ZZ-SUGGESTION"
    assert [n["note"] for n in data["contact_notes"]] == ["ZZ-SHARED-CONTACT-NOTE"]
    assert data["contact_notes"][0]["goals_discussed"] == ["ZZ-GOAL"]
    assert data["contact_notes"][0]["author"] == "Sam"


def test_data_json_holds_both_plans_their_items_and_versions(
    member, member_client, mayas_world
):
    data = json.loads(download(member_client)["data.json"])

    by_kind = {plan["kind"]: plan for plan in data["plans"]}
    assert by_kind["safety"]["shared"] is True
    assert by_kind["wellness"]["shared"] is False
    assert by_kind["safety"]["edited_at"]
    helper = next(i for i in data["plan_items"] if i["section"] == "helpers")
    assert helper["text"] == "ZZ-SAFETY-PLAN-ITEM"
    assert helper["phone"] == "555 123 4567"
    assert helper["plan"] == by_kind["safety"]["id"]
    versions = {v["plan"]: v for v in data["plan_versions"]}
    kept = versions[by_kind["safety"]["id"]]["content"]["sections"]["helpers"]
    assert kept == [{"text": "ZZ-SAFETY-PLAN-ITEM", "phone": "555 123 4567"}]
    assert versions[by_kind["wellness"]["id"]]["content"]["toolbox"] == [
        {"text": "ZZ-TOOL", "note": mayas_world["tool"].description}
    ]


def test_every_marker_of_mine_is_in_it_and_nothing_of_anyone_else(
    member_client, mayas_world
):
    everything = "\n".join(download(member_client).values())
    for marker in MAYA_MARKERS:
        assert marker in everything, marker
    for marker in NOT_MAYAS:
        assert marker not in everything, marker


def test_the_questionnaires_and_every_answer_are_in_it(
    member, other_member, member_client
):
    measure_services.measure_choices_save(member=member, chosen={BARC_10.key: 2})
    for who, answers in (
        (member, [1, 2, 3, 4, 5, 6, 5, 4, None, 2]),
        (other_member, [6] * 10),
    ):
        draft = measure_services.measure_draft(member=who, questionnaire=BARC_10)
        measure_services.measure_answer_all(draft=draft, answers=answers)
        measure_services.measure_finish(member=who, questionnaire=BARC_10)
    measure_services.measure_draft(member=member, questionnaire=BARC_10)

    files = download(member_client)
    data = json.loads(files["data.json"])
    chosen = data["questionnaires_chosen"]
    assert [(c["measure"], c["every_months"]) for c in chosen] == [("barc-10", 2)]
    finished, in_progress = data["questionnaire_answers"]
    assert [finished[f"item_{n}"] for n in range(1, 11)] == [
        1,
        2,
        3,
        4,
        5,
        6,
        5,
        4,
        None,
        2,
    ]
    assert (
        finished["total"] is None and finished["day"] == member.local_date().isoformat()
    )
    assert in_progress["completed_at"] is None
    rows = csv_rows(files["questionnaire_answers.csv"])
    # The second row: begun again the same day, it starts from that day's answers.
    assert [row["item_6"] for row in rows] == ["6", "6"]
    assert "answer to statement 9" in files["README.txt"]


def test_times_are_in_the_members_own_zone(member, member_client, mayas_world):
    member.time_zone = "Pacific/Auckland"
    member.save()
    data = json.loads(download(member_client)["data.json"])
    moment = datetime.datetime.fromisoformat(data["goals"][0]["created_at"])
    assert moment.utcoffset() in {
        datetime.timedelta(hours=12),
        datetime.timedelta(hours=13),
    }


def test_the_csv_files_hold_the_same_rows(member_client, mayas_world):
    files = download(member_client)

    checkins = csv_rows(files["checkins.csv"])
    goals = csv_rows(files["goals.csv"])
    steps = csv_rows(files["steps.csv"])

    assert [row["note"] for row in checkins] == ["ZZ-PRIVATE-NOTE", "ZZ-NOTE"]
    assert checkins[1]["tools_used"] == "ZZ-TOOL"
    assert checkins[1]["note_shared"] == "yes"
    assert sorted(row["title"] for row in goals) == ["ZZ-GOAL", "ZZ-PRIVATE-GOAL"]
    assert steps[0]["title"] == "ZZ-STEP"
    assert steps[0]["goal"] == str(mayas_world["goal"].pk)


def test_a_csv_cell_never_runs_as_a_formula(member, member_client):
    GoalFactory(member=member, title="=HYPERLINK(1)", why="-2 is fine")
    goals = csv_rows(download(member_client)["goals.csv"])
    assert goals[0]["title"] == "'=HYPERLINK(1)"
    assert goals[0]["why"] == "'-2 is fine"


def test_the_readme_describes_every_field(member_client, mayas_world):
    readme = download(member_client)["README.txt"]

    for item in all_exports():
        assert f"\n{item.key} (" in readme
        for field in columns(item):
            assert f"  - {field.name}: " in readme, (item.key, field.name)
        for name in item.left_out:
            assert f"  - {name}: left out: " in readme, (item.key, name)
    assert "wellbeing: overall wellbeing" in readme
    assert "status: status. One of: active = Active;" in readme
    assert "Notes your peer supporter keeps for supporters' records" in readme


def test_an_empty_history_still_downloads(member_client):
    data = json.loads(download(member_client)["data.json"])
    assert data["goals"] == [] and data["sharing"] is None
    assert data["match_preferences"] is None


# --- Long histories: streamed, a piece at a time --------------------------------


def test_three_thousand_check_ins_are_streamed_in_small_pieces(
    member, member_client, monkeypatch
):
    tool = WellnessToolFactory(member=member)
    today = datetime.date(2026, 6, 17)
    CheckIn.objects.bulk_create(
        CheckIn(
            member=member,
            day=today - datetime.timedelta(days=n),
            wellbeing=n % 11,
            hope=(n + 5) % 11,
            # Words that do not compress away, so the archive is a real size.
            note=f"day {n}: {hashlib.sha256(str(n).encode()).hexdigest()}",
        )
        for n in range(3000)
    )
    through = CheckIn.tools_used.through
    through.objects.bulk_create(
        through(checkin_id=pk, wellnesstool_id=tool.pk)
        for pk in CheckIn.objects.filter(member=member).values_list("pk", flat=True)
    )
    monkeypatch.setattr(export, "CHUNK_BYTES", 2 * 1024)

    response = member_client.get(reverse(DOWNLOAD))

    assert isinstance(response, StreamingHttpResponse)
    pieces = list(response.streaming_content)
    # Many pieces, none much bigger than the buffer: the archive was never whole
    # in memory.
    assert len(pieces) > 10
    assert max(len(piece) for piece in pieces) < 32 * 1024
    with zipfile.ZipFile(io.BytesIO(b"".join(pieces))) as archive:
        rows = csv_rows(archive.read("checkins.csv").decode("utf-8-sig"))
        data = json.loads(archive.read("data.json"))
    assert len(rows) == 3000 and len(data["checkins"]) == 3000
    assert rows[0]["note"].startswith("day 2999: ")
    assert {row["tools_used"] for row in rows} == {tool.name}


def test_rows_are_read_in_chunks(member, monkeypatch):
    """Each kind is read with .iterator(chunk_size=...), never loaded whole."""
    seen = []
    real_iterator = type(CheckIn.objects.all()).iterator

    def spy(queryset, chunk_size=None):
        seen.append((queryset.model, chunk_size))
        return real_iterator(queryset, chunk_size=chunk_size)

    monkeypatch.setattr(type(CheckIn.objects.all()), "iterator", spy)
    CheckInFactory(member=member)
    b"".join(export.archive_chunks(member))
    assert (CheckIn, export.ROWS_PER_QUERY) in seen


# --- From the other side --------------------------------------------------------


def test_anonymous_is_sent_to_sign_in(client):
    url = reverse(DOWNLOAD)
    assertRedirects(client.get(url), f"{reverse('login')}?next={url}")


@pytest.mark.parametrize("role", ["supporter", "coordinator"])
def test_supporters_and_coordinators_are_refused(request, role, mayas_world):
    response = signed_in(request.getfixturevalue(role)).get(reverse(DOWNLOAD))
    assert response.status_code == 403
    text = html.unescape(response.content.decode())
    assert not any(marker in text for marker in MAYA_MARKERS)


def test_another_members_download_has_nothing_of_mine(other_member, mayas_world):
    files = download(signed_in(other_member))
    everything = "\n".join(files.values())
    assert "ZZ-NOORS-GOAL" in everything and "ZZ-NOORS-NOTE" in everything
    for marker in MAYA_MARKERS:
        assert marker not in everything, marker
    assert json.loads(files["data.json"])["account"]["username"] == "noor-test"


def test_a_download_only_answers_get(member_client):
    assert member_client.post(reverse(DOWNLOAD)).status_code == 405


def test_a_download_is_in_the_audit_log(member, member_client):
    download(member_client)
    event = AuditEvent.objects.get(kind=audit.AuditKind.EXPORTED)
    assert event.subject_key == audit.pseudonym(member)
