"""The cast: a member with a supporter, another member, their supporter, another
supporter and a coordinator. Matches between them arrive with the peers app; until
then the supporters are people with the supporter role."""

import pytest
from django.db import connection

from tests.factories import (
    CoordinatorFactory,
    MemberFactory,
    SupporterFactory,
)


def pytest_report_header(config):
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    return [f"database: {engine}"]


@pytest.fixture
def member(db):
    return MemberFactory(username="maya-test", first_name="Maya")


@pytest.fixture
def other_member(db):
    return MemberFactory(username="noor-test", first_name="Noor")


@pytest.fixture
def supporter(db):
    return SupporterFactory(username="sam-test", first_name="Sam")


@pytest.fixture
def other_supporter(db):
    return SupporterFactory(username="sky-test", first_name="Sky")


@pytest.fixture
def coordinator(db):
    return CoordinatorFactory(username="cora-test", first_name="Cora")


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


@pytest.fixture
def on_postgresql():
    return connection.vendor == "postgresql"
