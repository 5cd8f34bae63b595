"""The cluster of `make cluster` (deploy/cluster.py), started once for these
tests when PostgreSQL and Redis answer; skipped with the reason otherwise, and a
failure instead with REQUIRE_REDIS=1 (CI)."""

import os

import psycopg
import pytest

from deploy import cluster as cluster_module


@pytest.fixture(scope="session")
def cluster():
    if missing := cluster_module.what_is_missing():
        if os.environ.get("REQUIRE_REDIS"):
            pytest.fail(f"REQUIRE_REDIS=1 but the cluster cannot start: {missing}")
        pytest.skip(missing)
    with cluster_module.running() as running:
        yield running


@pytest.fixture
def sql(cluster):
    """A query on the cluster's own database (not the test database)."""

    def run(query: str, *args):
        with psycopg.connect(cluster_module.DATABASE_URL) as connection:
            return connection.execute(query, args).fetchall()

    return run
