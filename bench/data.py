"""The bench database: a large programme built once with `seed_demo`, plus what the
benchmark needs on top of it (a supporter with 40 members, a member with five years
of daily check-ins). Everything is reused when it is already there.

Import only after `django.setup()`.
"""

from __future__ import annotations

import os
import random
import time
from dataclasses import dataclass, replace
from datetime import timedelta
from urllib.parse import urlsplit

import psycopg
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from bench import config
from goals.demo import (
    PlanWriter,
    goals_random,
    historical_timestamps,
    joined_at,
    plan_build,
    story_random,
)
from goals.models import CheckIn, Goal, JourneyEvent
from peers import selectors, services
from peers.models import Match, SupporterProfile
from recovery.models import Role, User

COORDINATOR = "cora"


def ensure_database(url: str = config.DATABASE_URL) -> bool:
    """Create the bench database if it is missing (or, with BENCH_REBUILD=1, drop
    and create it). Returns True when it was created."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = psycopg.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username,
        password=parts.password,
        dbname="postgres",
        autocommit=True,
    )
    with admin:
        exists = admin.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if exists and os.environ.get("BENCH_REBUILD") == "1":
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            admin.execute(f'CREATE DATABASE "{name}"')
    return not exists


@dataclass(frozen=True)
class Cast:
    """Who signs in, and whose pages the benchmark loads."""

    member: User  # member pages; also on the bench supporter's caseload
    supporter: User  # the supporter with CASELOAD members
    coordinator: User
    waiting: User  # a member on the waiting list: the suggestions page
    export_member: User  # five years of daily check-ins


def build() -> Cast:
    """Migrate, seed when empty, add the bench's own people; return the cast."""
    call_command("migrate", interactive=False, verbosity=0)
    members = User.objects.filter(role=Role.MEMBER).exclude(
        username=config.EXPORT_MEMBER
    )
    count = members.count()
    if count == 0:
        print(
            f"Building the programme: seed_demo --members {config.MEMBERS} "
            f"--days {config.DAYS} (about two minutes) ..."
        )
        call_command("seed_demo", members=config.MEMBERS, days=config.DAYS)
    elif count < config.MEMBERS:
        raise SystemExit(
            f"The bench database has {count} members, not {config.MEMBERS}: it was "
            "built differently. Run with BENCH_REBUILD=1 to build it again."
        )
    else:
        print(f"Reusing the bench database ({count:,} members).")
    supporter = _caseload_build()
    export_member = _export_member_build()
    statistics_refresh()
    member = (
        User.objects.filter(
            matches__supporter=supporter, matches__ended_at__isnull=True
        )
        .annotate(checkins_count=Count("checkins"))
        .order_by("-checkins_count", "pk")
        .first()
    )
    return Cast(
        member=member,
        supporter=supporter,
        coordinator=User.objects.get(username=COORDINATOR),
        waiting=selectors.waiting_list().exclude(username=config.EXPORT_MEMBER).first(),
        export_member=export_member,
    )


def statistics_refresh() -> None:
    """VACUUM and ANALYZE the bench database, as autovacuum would in production.

    seed_demo bulk-loads half a million rows at once, and a server with autovacuum
    off (this machine's is) never gathers statistics on them: the planner then
    guesses, and picks sequential scans and parallel plans no production database
    would. VACUUM also sets the visibility map that index-only scans need."""
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    print(
        f"VACUUM (ANALYZE) of the bench database: {time.monotonic() - started:.1f} s."
    )


def _caseload_build() -> User:
    """Raise the bench supporter's capacity to CASELOAD and match waiting members to
    them through the services (the rules and locks a coordinator's match goes
    through), until they have CASELOAD members."""
    supporter = User.objects.get(username=config.CASELOAD_SUPPORTER)
    active = Match.objects.active().filter(supporter=supporter).count()
    if active >= config.CASELOAD:
        return supporter
    coordinator = User.objects.get(username=COORDINATOR)
    SupporterProfile.objects.filter(user=supporter).update(
        capacity=config.CASELOAD, accepting=True
    )
    for member in selectors.members_without_supporter():
        if active >= config.CASELOAD:
            break
        try:
            services.match_create(member=member, supporter=supporter, by=coordinator)
        except services.MatchError:
            continue  # a "must" this supporter does not meet
        active += 1
    if active < config.CASELOAD:
        raise SystemExit(
            f"Only {active} members could be matched with {supporter.username}."
        )
    print(f"Matched {supporter.username} with {active} members.")
    return supporter


def _export_member_build() -> User:
    """A member who has checked in every day for five years."""
    existing = User.objects.filter(username=config.EXPORT_MEMBER).first()
    if existing is not None:
        return existing
    now = timezone.now()
    rng = random.Random("bench:export")  # noqa: S311 - demo data
    password = User.objects.get(username=COORDINATOR).password  # the demo password
    user = User(
        username=config.EXPORT_MEMBER,
        first_name="Robin",
        email=f"{config.EXPORT_MEMBER}@example.org",
        role=Role.MEMBER,
        time_zone="America/New_York",
        password=password,
    )
    first_day = user.local_date(now) - timedelta(days=config.EXPORT_DAYS - 1)
    user.date_joined = joined_at(rng, zone=user.zone, day=first_day, now=now)
    story = replace(
        story_random(rng, days=config.EXPORT_DAYS),
        checkin_rate=1.0,
        skip_rate=0.0,
        join_lag=0,
        quiet_days=0,
        today=True,
    )
    with transaction.atomic(), historical_timestamps():
        user.save()
        writer = PlanWriter()
        writer.add(
            plan_build(
                member=user, rng=rng, now=now, story=story, goals=goals_random(rng)
            )
        )
        writer.flush()
    print(f"Built {user.username}: {writer.counts['checkins']:,} check-ins.")
    return user


def counts() -> dict[str, int | str]:
    """What the bench database holds, for the report."""
    people = dict(
        User.objects.values("role").annotate(n=Count("pk")).values_list("role", "n")
    )
    matches = Match.objects.aggregate(
        active=Count("pk", filter=Q(ended_at__isnull=True)), all=Count("pk")
    )
    newest = CheckIn.objects.aggregate(newest=Max("day"))["newest"]
    return {
        "members": people.get(Role.MEMBER, 0),
        "supporters": people.get(Role.SUPPORTER, 0),
        "coordinators": people.get(Role.COORDINATOR, 0),
        "goals": Goal.objects.count(),
        "checkins": CheckIn.objects.count(),
        "journey_events": JourneyEvent.objects.count(),
        "active_matches": matches["active"],
        "waiting": selectors.waiting_list().count(),
        "newest_checkin": str(newest),
    }
