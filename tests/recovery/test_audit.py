"""The audit log: pseudonyms, sign-ins and sign-outs, refusals, the member's "who
viewed my data" page, the coordinators' security page, and that nothing (not
the app, not even raw SQL on PostgreSQL) can change or remove an event."""

import html

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client, RequestFactory
from django.urls import reverse
from pytest_django.asserts import assertRedirects

from recovery import audit
from recovery.models import (
    AuditEvent,
    AuditKind,
    AuditLogIsAppendOnly,
    Seen,
    User,
    pseudonym,
)
from tests.factories import PASSWORD, MemberFactory, SupporterFactory

pytestmark = pytest.mark.django_db


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def request_by(user, path="/somewhere/", address="203.0.113.77"):
    request = RequestFactory().get(path, REMOTE_ADDR=address)
    request.user = user
    return request


def events(kind: AuditKind) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(kind=kind).order_by("pk"))


def every_text_of(event: AuditEvent) -> str:
    return " ".join(str(getattr(event, f.attname)) for f in AuditEvent._meta.fields)


# --- Pseudonyms and addresses ---------------------------------------------------


def test_a_pseudonym_is_stable_and_hides_the_id(member, other_member):
    key = pseudonym(member)

    assert key == pseudonym(member.pk) == pseudonym(User.objects.get(pk=member.pk))
    assert len(key) == 32 and int(key, 16) >= 0
    assert key != pseudonym(other_member)
    assert str(member.pk) != key


def test_a_pseudonym_depends_on_the_secret_key(member, settings):
    before = pseudonym(member)
    settings.SECRET_KEY = "another-secret-for-this-test"
    assert pseudonym(member) != before


@pytest.mark.parametrize(
    ("address", "network"),
    [
        ("203.0.113.77", "203.0.113.0/24"),
        ("2001:db8:1234:5678::1", "2001:db8:1234::/48"),
        ("::ffff:198.51.100.9", "198.51.100.0/24"),
        ("", ""),
        ("not an address", ""),
    ],
)
def test_only_the_network_of_an_address_is_kept(address, network):
    assert audit.network_of(address) == network


# --- Writing events -------------------------------------------------------------


def test_a_view_by_a_supporter_names_them_and_not_the_member(member, supporter):
    audit.viewed(request_by(supporter), member, Seen.MEMBER_PAGE)

    [event] = events(AuditKind.VIEWED)
    assert event.actor_key == pseudonym(supporter)
    assert (event.actor_name, event.actor_role) == ("Sam", "supporter")
    assert event.subject_key == pseudonym(member)
    assert event.what == "member page"
    assert event.path == "/somewhere/"
    assert event.network == "203.0.113.0/24"
    assert event.sentence == "Sam (peer supporter) opened your member page"
    assert "Maya" not in every_text_of(event)
    assert "203.0.113.77" not in every_text_of(event)


def test_the_member_looking_at_their_own_data_writes_nothing(member):
    audit.viewed(request_by(member), member, Seen.MEMBER_PAGE)
    audit.viewed_many(request_by(member), [member], Seen.CASELOAD_ROW)

    assert not AuditEvent.objects.exists()


def test_a_list_writes_one_event_per_member_in_one_query(
    supporter, member, other_member, django_assert_num_queries
):
    with django_assert_num_queries(1):
        audit.viewed_many(
            request_by(supporter), [member, other_member], Seen.CASELOAD_ROW
        )
    with django_assert_num_queries(0):
        audit.viewed_many(request_by(supporter), [], Seen.CASELOAD_ROW)

    written = events(AuditKind.VIEWED)
    assert {e.subject_key for e in written} == {
        pseudonym(member),
        pseudonym(other_member),
    }
    assert {e.actor_name for e in written} == {"Sam"}


def test_a_members_own_actions_keep_only_their_pseudonym(member):
    audit.record(request_by(member), kind=AuditKind.EXPORTED, subject=member)

    [event] = events(AuditKind.EXPORTED)
    assert event.actor_key == event.subject_key == pseudonym(member)
    assert event.actor_name == event.actor_role == ""


def test_the_query_string_is_not_kept(supporter, member):
    request = request_by(supporter, path="/supporter/members/1/?before=secret")
    audit.viewed(request, member, Seen.EARLIER_MOMENTS)

    assert events(AuditKind.VIEWED)[0].path == "/supporter/members/1/"


def test_words_not_known_in_advance_still_read_well(supporter, member):
    audit.viewed(request_by(supporter), member, "goal list")

    assert (
        events(AuditKind.VIEWED)[0].sentence
        == "Sam (peer supporter) saw your goal list"
    )


# --- Sign-in and sign-out -------------------------------------------------------


def test_a_sign_in_is_recorded(client, member):
    response = client.post(
        reverse("login"),
        {"username": member.username, "password": PASSWORD},
        REMOTE_ADDR="198.51.100.23",
    )

    assert response.status_code == 302
    [event] = events(AuditKind.SIGNED_IN)
    assert event.actor_key == pseudonym(member)
    assert event.actor_name == ""  # members are never named in the log
    assert event.network == "198.51.100.0/24"


def test_a_staff_sign_in_keeps_their_name(client, supporter):
    client.post(
        reverse("login"), {"username": supporter.username, "password": PASSWORD}
    )

    [event] = events(AuditKind.SIGNED_IN)
    assert (event.actor_name, event.actor_role) == ("Sam", "supporter")


def test_a_failed_sign_in_names_the_account_tried_never_the_password(client, member):
    client.post(
        reverse("login"), {"username": member.username, "password": "wrong-guess-1"}
    )

    [event] = events(AuditKind.SIGN_IN_FAILED)
    assert event.subject_key == pseudonym(member)
    assert event.actor_key == ""
    assert "wrong-guess-1" not in every_text_of(event)
    assert member.username not in every_text_of(event)
    assert not events(AuditKind.SIGNED_IN)


def test_a_failed_sign_in_for_nobody_keeps_no_name(client):
    client.post(
        reverse("login"), {"username": "no-such-person", "password": "whatever-1"}
    )

    [event] = events(AuditKind.SIGN_IN_FAILED)
    assert event.subject_key == event.actor_key == ""
    assert "no-such-person" not in every_text_of(event)


def test_a_sign_out_is_recorded(member):
    client = signed_in(member)

    client.post(reverse("logout"))

    [event] = events(AuditKind.SIGNED_OUT)
    assert event.actor_key == pseudonym(member)


# --- Refusals -------------------------------------------------------------------


def test_a_page_of_another_role_is_recorded_as_refused(member):
    response = signed_in(member).get("/supporter/members/999999/")

    assert response.status_code == 403  # a member may not open supporter pages
    [event] = events(AuditKind.REFUSED)
    assert event.status == 403
    assert event.path == "/supporter/members/999999/"
    assert event.actor_key == pseudonym(member)
    assert event.subject_key == ""


def test_an_unknown_address_is_recorded_with_its_404(supporter):
    response = signed_in(supporter).get("/no/such/page/")

    assert response.status_code == 404
    [event] = events(AuditKind.REFUSED)
    assert (event.status, event.actor_name) == (404, "Sam")


def test_refusals_to_someone_not_signed_in_are_not_recorded(client):
    client.get("/accounts/reset/MQ/bad-token/")
    client.get("/no/such/page/")

    assert not events(AuditKind.REFUSED)


def test_a_missing_static_file_is_not_a_refusal(member, settings):
    signed_in(member).get(settings.STATIC_URL + "no-such-file.css")

    assert not events(AuditKind.REFUSED)


# --- Append-only ----------------------------------------------------------------


def test_the_app_has_no_way_to_change_or_remove_an_event(member, supporter):
    audit.viewed(request_by(supporter), member, Seen.MEMBER_PAGE)
    event = AuditEvent.objects.get()

    event.what = "nothing"
    with pytest.raises(AuditLogIsAppendOnly):
        event.save()
    with pytest.raises(AuditLogIsAppendOnly):
        event.delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.update(what="nothing")
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get().what == "member page"


def test_the_admin_only_shows_events():
    from django.contrib import admin

    model_admin = admin.site._registry[AuditEvent]
    request = RequestFactory().get("/admin/")
    request.user = User(is_superuser=True, is_staff=True, is_active=True)

    assert model_admin.has_view_permission(request)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the append-only trigger is PostgreSQL's (CI runs this on PostgreSQL)",
)
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE recovery_auditevent SET what = 'rewritten'",
        "DELETE FROM recovery_auditevent",
    ],
)
def test_postgresql_refuses_update_and_delete_even_in_raw_sql(sql, member, supporter):
    audit.viewed(request_by(supporter), member, Seen.MEMBER_PAGE)

    with pytest.raises(DatabaseError, match="append-only"):  # noqa: SIM117
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)

    assert AuditEvent.objects.get().what == "member page"


def test_deleting_an_account_leaves_its_events_with_pseudonyms_only(client, supporter):
    member = MemberFactory(username="deleted-dana", first_name="Dana")
    key = pseudonym(member)
    client.post(reverse("login"), {"username": "deleted-dana", "password": PASSWORD})
    audit.viewed(request_by(supporter), member, Seen.MEMBER_PAGE)
    audit.record(request_by(member), kind=AuditKind.ACCOUNT_DELETED, subject=member)
    before = list(AuditEvent.objects.order_by("pk").values())

    member.delete()

    after = list(AuditEvent.objects.order_by("pk").values())
    assert after == before and len(after) == 3
    assert {e["subject_key"] for e in after if e["subject_key"]} == {key}
    for row in after:
        text = " ".join(str(value) for value in row.values())
        assert "Dana" not in text and "deleted-dana" not in text


# --- Who viewed my data ---------------------------------------------------------


def test_the_member_reads_who_viewed_their_data_in_words(member, supporter):
    audit.viewed(request_by(supporter), member, Seen.MEMBER_PAGE)
    audit.viewed(request_by(supporter), member, Seen.CONTACT_FORM)
    client = signed_in(member)

    response = client.get(reverse("data-views"))

    text = page_text(response)
    assert response.status_code == 200
    assert "Sam (peer supporter) opened your member page" in text
    assert "Sam (peer supporter) opened the form to log a contact" in text
    newest_first = text.index("log a contact") < text.index("your member page")
    assert newest_first
    assert "no-store" in response["Cache-Control"]


def test_the_member_never_sees_other_members_events(member, other_member):
    other_supporter = SupporterFactory(first_name="Rowan")
    audit.viewed(request_by(other_supporter), other_member, Seen.MEMBER_PAGE)
    audit.record(request_by(other_member), kind=AuditKind.SIGNED_IN)

    text = page_text(signed_in(member).get(reverse("data-views")))

    assert "Rowan" not in text
    assert "Nobody else has opened your data yet" in text


def test_opening_the_list_is_not_itself_a_view(member):
    signed_in(member).get(reverse("data-views"))

    assert not events(AuditKind.VIEWED)


def test_the_list_comes_in_pages(member, supporter):
    audit.viewed_many(request_by(supporter), [member] * 51, Seen.CASELOAD_ROW)
    client = signed_in(member)

    first = page_text(client.get(reverse("data-views"), {"each": "1"}))
    second = page_text(client.get(reverse("data-views"), {"each": "1", "page": 2}))

    assert first.count("saw you listed on their caseload") == 50
    assert '<a href="?each=1&page=2" rel="next">Older</a>' in first
    assert second.count("saw you listed on their caseload") == 1
    assert "Page 2 of 2" in second


@pytest.mark.parametrize("who", ["supporter", "coordinator"])
def test_only_members_have_a_who_viewed_page(request, who):
    client = signed_in(request.getfixturevalue(who))

    assert client.get(reverse("data-views")).status_code == 403


def test_who_viewed_needs_sign_in(client):
    url = reverse("data-views")

    assertRedirects(client.get(url), f"{reverse('login')}?next={url}")


# --- Security events ------------------------------------------------------------


def test_coordinators_see_sign_ins_failures_and_refusals(
    client, member, supporter, coordinator
):
    client.post(reverse("login"), {"username": member.username, "password": "nope"})
    signed_in(supporter).get("/no/such/page/")
    audit.viewed(request_by(supporter), member, Seen.MEMBER_PAGE)

    response = signed_in(coordinator).get(reverse("security-events"))

    text = page_text(response)
    assert response.status_code == 200
    assert "Sign-in failed" in text
    assert f"someone trying the account with reference {pseudonym(member)[:8]}" in text
    assert "Refused (not found)" in text and "/no/such/page/" in text
    assert "Sam (peer supporter)" in text
    assert "Signed in" in text  # the coordinator's own sign-in, by force_login
    assert "opened your member page" not in text and "member page" not in text
    assert "Maya" not in text and member.username not in text


def test_security_events_filter_by_kind(client, member, supporter, coordinator):
    client.post(reverse("login"), {"username": member.username, "password": "nope"})
    signed_in(supporter).get("/no/such/page/")
    page = signed_in(coordinator)

    refused = page_text(page.get(reverse("security-events"), {"kind": "refused"}))
    failed = page_text(page.get(reverse("security-events"), {"kind": "sign_in_failed"}))
    everything = page_text(page.get(reverse("security-events"), {"kind": "viewed"}))

    assert "/no/such/page/" in refused and "<td>Sign-in failed" not in refused
    assert "<td>Sign-in failed" in failed and "/no/such/page/" not in failed
    assert "/no/such/page/" in everything and "<td>Sign-in failed" in everything


@pytest.mark.parametrize("who", ["member", "supporter"])
def test_only_coordinators_see_security_events(request, who):
    client = signed_in(request.getfixturevalue(who))

    assert client.get(reverse("security-events")).status_code == 403


def test_security_events_need_sign_in(client):
    url = reverse("security-events")

    assertRedirects(client.get(url), f"{reverse('login')}?next={url}")


def test_no_event_keeps_a_token_from_a_link(client, coordinator, member):
    """Signing in by accepting an invitation, and a signed-in person's 404 on a
    token link, keep the link's pattern: a token in the log could still work."""
    from recovery.invitations import invitation_create

    _invitation, token = invitation_create(name="Jo", role="member", by=coordinator)
    password = "quiet-harbour-lantern-42"
    client.post(
        reverse("invitation-accept", args=[token]),
        {
            "username": "jo-river",
            "password1": password,
            "password2": password,
            "time_zone": "UTC",
        },
    )
    signed_in_member = Client()
    signed_in_member.force_login(member)
    signed_in_member.get(reverse("password-link", args=["a-guess-at-a-token"]))

    paths = list(AuditEvent.objects.values_list("kind", "path"))
    assert (AuditKind.SIGNED_IN, "/invite/<str:token>/") in paths
    assert all(token not in path and "a-guess" not in path for _kind, path in paths)
