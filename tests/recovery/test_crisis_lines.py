"""The programme's crisis lines: kept in the database, set by coordinators, 988 to
start; read through the shared cache so a page costs no query once they are
cached and never shows lines that changed; shown from the defaults in settings
when neither the database nor the cache answers."""

import re
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection, connections
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertRedirects

from recovery import crisis
from recovery.models import CrisisLine, CrisisLineKind
from tests.helpers import page_text, signed_in

LIST = reverse("crisis-lines")


def line(name="Samaritans (UK)", contact="116 123", kind="call", hours="any time"):
    return CrisisLine(name=name, contact=contact, kind=kind, hours=hours)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what waits for the commit (the cached copy's new version) at once."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


# --- The lines, and where they show ---------------------------------------------


@pytest.mark.django_db
def test_a_new_programme_starts_with_the_988_line():
    (only,) = CrisisLine.objects.all()

    assert (only.name, only.contact, only.kind) == (
        "988 Suicide & Crisis Lifeline (US)",
        "988",
        CrisisLineKind.BOTH,
    )
    assert only.is_default
    assert crisis.programme_lines().configured is False


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "tel", "sms"),
    [("call", True, False), ("text", False, True), ("both", True, True)],
)
def test_a_line_links_to_a_call_a_text_or_both(client, coordinator, kind, tel, sms):
    crisis.crisis_line_save(line=line(contact="+44 116-123", kind=kind), by=coordinator)

    text = page_text(client.get(reverse("crisis")))

    assert (
        '<a class="button" href="tel:+44116123">Call +44 116-123</a>' in text
    ) is tel
    assert ('href="sms:+44116123">Text +44 116-123</a>' in text) is sms
    how = {"call": "Call", "text": "Text", "both": "Call or text"}[kind]
    assert f"{how} +44 116-123, any time." in text


@pytest.mark.django_db
def test_every_page_that_shows_lines_shows_them_in_the_programmes_order(
    coordinator, member, committed
):
    with committed():
        crisis.crisis_line_save(line=line(), by=coordinator)
        first = crisis.crisis_line_save(
            line=line("Local line", "555 0100"), by=coordinator
        )
        crisis.crisis_line_move(line=first, up=True)
        crisis.crisis_line_move(line=first, up=True)

    names = [shown.name for shown in crisis.programme_lines().lines]
    page = page_text(Client().get(reverse("crisis")))

    assert names == [
        "Local line",
        "988 Suicide & Crisis Lifeline (US)",
        "Samaritans (UK)",
    ]
    assert (
        page.index("Local line") < page.index("988 Suicide") < page.index("Samaritans")
    )


@pytest.mark.django_db
def test_once_cached_the_lines_cost_no_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        crisis.programme_lines()
    with django_assert_num_queries(0):
        crisis.programme_lines()
        crisis.lines_without_database()


@pytest.mark.django_db
def test_the_crisis_page_costs_one_query_then_none(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        client.get(reverse("crisis"))
    with django_assert_num_queries(0):
        assert "988" in page_text(client.get(reverse("crisis")))


@pytest.mark.django_db
def test_a_saved_line_shows_at_once_never_the_cached_copy(coordinator, committed):
    client = signed_in(coordinator)
    assert "Samaritans" not in page_text(client.get(reverse("crisis")))  # cached

    with committed():
        client.post(
            LIST, {"name": "Samaritans (UK)", "contact": "116 123", "kind": "call"}
        )
    assert "Samaritans (UK)" in page_text(client.get(reverse("crisis")))

    samaritans = CrisisLine.objects.get(name="Samaritans (UK)")
    with committed():
        client.post(
            reverse("crisis-line-edit", args=[samaritans.pk]),
            {"name": "Samaritans", "contact": "116 123", "kind": "both", "hours": ""},
        )
    text = page_text(client.get(reverse("crisis")))
    assert "Samaritans (UK)" not in text and "Call or text 116 123." in text

    with committed():
        client.post(reverse("crisis-line-remove", args=[samaritans.pk]))
    text = page_text(client.get(reverse("crisis")))
    assert "“Samaritans” is off the list." in text  # the message, once
    assert "<strong>Samaritans</strong>" not in text


@pytest.mark.django_db
def test_the_default_note_goes_once_a_coordinator_saves_the_programmes_own(
    coordinator, member, committed
):
    def told(person) -> bool:
        return "these are the default lines" in page_text(
            signed_in(person).get(reverse("crisis"))
        )

    assert told(coordinator) and not told(member)
    with committed():
        crisis.crisis_line_save(line=line(), by=coordinator)

    assert not told(coordinator) and not told(member)
    assert crisis.programme_lines().configured is True


# --- Without the database --------------------------------------------------------


def _unreachable(*args, **kwargs):
    raise OperationalError("connection refused")


@pytest.mark.django_db
def test_without_the_database_the_defaults_from_settings_show(client):
    with mock.patch.object(connections["default"], "cursor", _unreachable):
        lines = crisis.programme_lines()
        response = client.get(reverse("crisis"))

    assert [shown.contact for shown in lines.lines] == ["988"]
    assert response.status_code == 200
    assert 'href="tel:988"' in page_text(response)


@pytest.mark.django_db
def test_the_503_page_shows_the_programmes_own_lines_cached_before_the_outage(
    member, coordinator, committed
):
    with committed():
        crisis.crisis_line_save(line=line(), by=coordinator)
    crisis.programme_lines()  # a page read them while the database answered
    signed_in_member = Client(raise_request_exception=False)
    signed_in_member.force_login(member)

    with mock.patch.object(connections["default"], "cursor", _unreachable):
        page = signed_in_member.get(reverse("goals:home"))

    assert page.status_code == 503
    assert "Samaritans (UK)" in page_text(page)
    assert 'href="tel:116123"' in page_text(page)


def test_with_nothing_cached_the_503_page_has_the_default_lines(settings):
    from recovery.security import database_unavailable_response

    page = page_text(database_unavailable_response())

    assert "988 Suicide & Crisis Lifeline (US)" in page
    assert 'href="sms:988"' in page


# --- The coordinator's page ------------------------------------------------------


@pytest.mark.django_db
class TestCoordinatorsPage:
    def test_anonymous_is_sent_to_sign_in(self, client):
        one = CrisisLine.objects.get()
        for url in (LIST, reverse("crisis-line-edit", args=[one.pk])):
            assertRedirects(
                client.get(url),
                f"{reverse('login')}?next={url}",
                fetch_redirect_response=False,
            )

    @pytest.mark.parametrize("who", ["member", "supporter"])
    def test_members_and_supporters_are_refused_and_change_nothing(self, request, who):
        person = signed_in(request.getfixturevalue(who))
        one = CrisisLine.objects.get()

        assert person.get(LIST).status_code == 403
        assert person.post(LIST, {"name": "X", "contact": "1"}).status_code == 403
        for name in ("crisis-line-edit", "crisis-line-remove", "crisis-line-move"):
            url = reverse(name, args=[one.pk])
            assert person.post(url, {"name": "X", "contact": "1"}).status_code == 403
        assert list(CrisisLine.objects.values_list("name", flat=True)) == [one.name]

    def test_a_line_no_one_has_is_not_found(self, coordinator):
        client = signed_in(coordinator)
        assert client.get(reverse("crisis-line-edit", args=[999999])).status_code == 404
        assert (
            client.post(reverse("crisis-line-remove", args=[999999])).status_code == 404
        )

    def test_a_coordinator_adds_a_line_and_sees_who_saved_it(self, coordinator):
        client = signed_in(coordinator)

        response = client.post(
            LIST,
            {
                "name": "  Local   line ",
                "contact": " 555 0100 ",
                "kind": "text",
                "hours": "weekdays 9am to 5pm",
            },
            follow=True,
        )

        text = page_text(response)
        assert "“Local line” is on the programme's crisis lines." in text
        added = CrisisLine.objects.get(name="Local line")
        assert (added.contact, added.kind, added.position) == ("555 0100", "text", 1)
        assert added.updated_by == coordinator and not added.is_default
        assert "Saved by Cora" in text

    @pytest.mark.parametrize(
        ("fields", "words"),
        [
            ({"name": "", "contact": "988"}, "This field is required."),
            ({"name": "Line", "contact": "call us"}, "Write the number with digits"),
            (
                {"name": "Line", "contact": "988", "kind": "fax"},
                "Select a valid choice.",
            ),
            (
                {"name": "988 suicide & crisis lifeline (us)", "contact": "988"},
                "A line with this name is already listed.",
            ),
        ],
    )
    def test_a_line_that_cannot_be_is_refused_in_words(
        self, coordinator, fields, words
    ):
        response = signed_in(coordinator).post(LIST, {"kind": "both", **fields})

        assert response.status_code == 200
        assert words in page_text(response)
        assert CrisisLine.objects.count() == 1

    def test_the_last_line_stays_and_the_page_says_why(self, coordinator):
        only = CrisisLine.objects.get()

        response = signed_in(coordinator).post(
            reverse("crisis-line-remove", args=[only.pk]), follow=True
        )

        assert "is the only crisis line, so it stays" in page_text(response)
        assert CrisisLine.objects.count() == 1

    def test_lines_move_up_and_down(self, coordinator):
        client = signed_in(coordinator)
        samaritans = crisis.crisis_line_save(line=line(), by=coordinator)

        client.post(
            reverse("crisis-line-move", args=[samaritans.pk]), {"direction": "up"}
        )
        first = list(CrisisLine.objects.values_list("name", flat=True))
        client.post(
            reverse("crisis-line-move", args=[samaritans.pk]), {"direction": "down"}
        )
        client.post(
            reverse("crisis-line-move", args=[samaritans.pk]), {"direction": "down"}
        )
        second = list(CrisisLine.objects.values_list("name", flat=True))

        assert first[0] == "Samaritans (UK)"
        assert second[-1] == "Samaritans (UK)"

    def test_the_page_lists_the_lines_with_their_buttons(self, coordinator):
        crisis.crisis_line_save(line=line(), by=coordinator)

        text = page_text(signed_in(coordinator).get(LIST))

        assert "The programme's crisis lines" in text
        assert text.index("988 Suicide") < text.index("Samaritans (UK)")
        assert 'Move down<span class="visually-hidden"> 988 Suicide' in text
        assert 'Move up<span class="visually-hidden"> Samaritans (UK)' in text
        assert re.search(r'name="once" value="[0-9a-f-]{36}"', text)

    def test_the_crisis_page_leads_coordinators_to_it(self, coordinator, member):
        assert f'href="{LIST}"' in page_text(
            signed_in(coordinator).get(reverse("crisis"))
        )
        assert f'href="{LIST}"' not in page_text(
            signed_in(member).get(reverse("crisis"))
        )


# --- The balancer's page, and the migration ----------------------------------------


@pytest.mark.django_db
def test_the_balancers_page_carries_the_programmes_lines(tmp_path: Path, coordinator):
    crisis.crisis_line_save(
        line=line("<b>Night</b> line", "555 0100", "both"), by=coordinator
    )
    page = tmp_path / "unavailable.http"

    call_command("unavailable_page", str(page), verbosity=0)

    raw = page.read_bytes().decode()
    head, body = raw.split("\r\n\r\n", 1)
    assert head.startswith("HTTP/1.0 503 Service Unavailable\r\n")
    assert "Cache-Control: no-store" in head
    assert "The planner is taking a short break" in body
    assert 'href="tel:988"' in body
    assert "&lt;b&gt;Night&lt;/b&gt; line" in body and "<b>Night" not in body
    assert 'href="tel:5550100">Call 555 0100</a>' in body
    assert 'href="sms:5550100">Text 555 0100</a>' in body
    assert "<script" not in body and "style=" not in body


@pytest.mark.django_db(transaction=True)
def test_the_migration_goes_back_and_forth():
    executor = MigrationExecutor(connection)
    executor.migrate([("recovery", "0008_email_dropped")])
    tables = connection.introspection.table_names()
    assert "recovery_crisisline" not in tables

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    (only,) = CrisisLine.objects.all()
    assert only.contact == "988" and only.is_default
