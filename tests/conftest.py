"""The cast: a member (`member`) and their supporter (`supporter`, matched through
the `match` fixture), another member, another supporter and a coordinator."""

import os

import pytest
from django.db import connection

from tests.factories import (
    CoordinatorFactory,
    MatchFactory,
    MemberFactory,
    SupporterFactory,
    SupporterProfileFactory,
)


def pytest_report_header(config):
    return [f"database: {connection.vendor}"]


@pytest.fixture(autouse=True, scope="session")
def processes_start_as_in_production():
    """The suite runs on tests.settings; a process a test starts (a worker, a
    gunicorn of the cluster, `manage.py check --deploy`) runs on the settings a
    deployment has, unless the test says otherwise in its own environment."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "recovery.settings"


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test starts with empty caches (the report's figures, drawn page parts)."""
    from django.core.cache import caches

    for cache in caches.all(initialized_only=False):
        cache.clear()
    yield
    for cache in caches.all(initialized_only=False):
        cache.clear()


@pytest.fixture
def member(db):
    return MemberFactory(username="maya-test", first_name="Maya")


@pytest.fixture
def other_member(db):
    return MemberFactory(username="noor-test", first_name="Noor")


@pytest.fixture
def supporter(db):
    person = SupporterFactory(username="sam-test", first_name="Sam")
    SupporterProfileFactory(user=person)
    return person


@pytest.fixture
def other_supporter(db):
    person = SupporterFactory(username="sky-test", first_name="Sky")
    SupporterProfileFactory(user=person)
    return person


@pytest.fixture
def match(member, supporter):
    """The member's active match with their supporter."""
    return MatchFactory(member=member, supporter=supporter)


@pytest.fixture
def coordinator(db):
    return CoordinatorFactory(username="cora-test", first_name="Cora")


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client
