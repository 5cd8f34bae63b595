"""`manage.py seed_demo`: the demo programme, people and months of their plans.

With no options it builds a small programme to sign in to and look around (the
members Maya and Noor, the supporter Sam, the coordinator Cora and a dozen or so
others). `--members` and `--days` build a large one with the same code, for trying
the pages against years of data. Once the demo people exist, running it again only
prints the sign-ins, so `make run` can call it every time and keep what you changed.

The peer-support side (supporter profiles, preferences, matches, encouragement and
contact notes) comes from `peers.demo`, after the members' plans are saved.
"""

from __future__ import annotations

import math
import random
import time
from dataclasses import dataclass
from datetime import time as dt_time
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from goals.demo import (
    SCRIPT_MAYA,
    SCRIPT_NOOR,
    PlanWriter,
    Script,
    goals_random,
    historical_timestamps,
    joined_at,
    plan_build,
    story_random,
)
from goals.demo.plans import demo_plans_build
from goals.models import ConsentTo
from goals.reminders import reminder_save
from goals.services import checkin_record, consent_give
from peers.demo import programme_build
from recovery.models import Role, User
from recovery.notifications import notify

# Published in the README and printed on every run: these accounts are for demos only.
PASSWORD = "recovery-demo"  # noqa: S105  # nosec B105
SIGN_INS = (
    ("maya", Role.MEMBER),
    ("noor", Role.MEMBER),
    ("sam", Role.SUPPORTER),
    ("cora", Role.COORDINATOR),
)
BATCH_SIZE = 5000


@dataclass(frozen=True)
class Person:
    username: str
    first_name: str
    role: Role
    time_zone: str
    script: Script | None = None


NAMED_MEMBERS = (
    Person("maya", "Maya", Role.MEMBER, "America/New_York", SCRIPT_MAYA),
    Person("noor", "Noor", Role.MEMBER, "America/Chicago", SCRIPT_NOOR),
    Person("jamal", "Jamal", Role.MEMBER, "America/New_York"),
    Person("rosa", "Rosa", Role.MEMBER, "America/Los_Angeles"),
    Person("eli", "Eli", Role.MEMBER, "America/Denver"),
    Person("priya", "Priya", Role.MEMBER, "America/Chicago"),
    Person("tomas", "Tomás", Role.MEMBER, "America/Los_Angeles"),
    Person("grace", "Grace", Role.MEMBER, "America/New_York"),
    Person("dev", "Dev", Role.MEMBER, "Europe/London"),
    Person("amara", "Amara", Role.MEMBER, "America/New_York"),
    Person("luis", "Luis", Role.MEMBER, "America/Phoenix"),
    Person("hana", "Hana", Role.MEMBER, "Pacific/Honolulu"),
)
NAMED_SUPPORTERS = (
    Person("sam", "Sam", Role.SUPPORTER, "America/New_York"),
    Person("jordan", "Jordan", Role.SUPPORTER, "America/Chicago"),
    Person("alex", "Alex", Role.SUPPORTER, "America/Los_Angeles"),
    Person("riley", "Riley", Role.SUPPORTER, "America/New_York"),
)
COORDINATOR = Person("cora", "Cora", Role.COORDINATOR, "America/New_York")
MEMBERS_PER_SUPPORTER = 10

# First names and time zones for the people of a large programme.
_NAMES = """
    Aisha Ben Carmen Dario Elena Farah Gabe Imani Jonah Kai Leila Marcus Nadia Omar
    Paula Quinn Ravi Sofia Theo Uma Victor Wren Yusuf Zoe Ana Bilal Chloe Diego Esi
    Finn Gita Hugo Ines Jae Kofi Lina Mateo Nia Owen Pia Rhys Sana Tariq Vera Yara
"""
FIRST_NAMES = tuple(_NAMES.split())
TIME_ZONES = {
    "America/New_York": 40,
    "America/Chicago": 25,
    "America/Denver": 8,
    "America/Los_Angeles": 20,
    "America/Phoenix": 3,
    "Pacific/Honolulu": 1,
    "Europe/London": 3,
}


def cast_build(*, members: int, seed: int) -> list[Person]:
    """Everyone in the demo programme: `members` members (the named ones first, then
    member0001...), about one supporter per ten members, and the coordinator."""
    rng = random.Random(f"{seed}:cast")
    supporters = max(len(NAMED_SUPPORTERS), math.ceil(members / MEMBERS_PER_SUPPORTER))
    people = list(NAMED_MEMBERS[:members])
    people += _numbered(rng, "member", Role.MEMBER, members - len(people))
    people += NAMED_SUPPORTERS
    people += _numbered(
        rng, "supporter", Role.SUPPORTER, supporters - len(NAMED_SUPPORTERS)
    )
    people.append(COORDINATOR)
    return people


def _numbered(rng: random.Random, prefix: str, role: Role, count: int) -> list[Person]:
    width = max(4, len(str(count)))
    zones, weights = list(TIME_ZONES), list(TIME_ZONES.values())
    return [
        Person(
            f"{prefix}{number:0{width}d}",
            rng.choice(FIRST_NAMES),
            role,
            rng.choices(zones, weights=weights)[0],
        )
        for number in range(1, count + 1)
    ]


def _existing(usernames: list[str]) -> set[str]:
    """Which of `usernames` are taken, asking in chunks that any database accepts."""
    taken: set[str] = set()
    for first in range(0, len(usernames), 500):
        chunk = usernames[first : first + 500]
        found = User.objects.filter(username__in=chunk)
        taken.update(found.values_list("username", flat=True))
    return taken


NAMED_BELLS = ["maya", "noor", "sam", "cora", "rosa", "jordan"]


def _demo_bells(named: dict[str, User]) -> list[tuple[str, str, str, str]]:
    """(who, kind, by whom, where) for each demo person's unread notification."""
    bells = []
    if {"maya", "sam"} <= set(named):
        maya = named["maya"]
        bells += [
            ("maya", "message", "sam", reverse("peers:conversation")),
            (
                "sam",
                "message",
                "maya",
                reverse("peers:member-conversation", args=[maya.pk]),
            ),
        ]
    if {"noor", "jordan"} <= set(named):
        bells.append(("noor", "encouragement", "jordan", reverse("goals:home")))
    if {"cora", "rosa"} <= set(named):
        rosa = named["rosa"]
        bells.append(
            (
                "cora",
                "change_request",
                "rosa",
                reverse("peers:member-history", args=[rosa.pk]),
            )
        )
    return bells


class Command(BaseCommand):
    help = (
        "Create the demo people (password recovery-demo) and months of their plans. "
        "Does nothing but print the sign-ins once they exist."
    )
    requires_migrations_checks = True

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--members",
            type=int,
            default=len(NAMED_MEMBERS),
            help="How many members (default %(default)s; maya and noor always).",
        )
        parser.add_argument(
            "--days",
            type=int,
            default=120,
            help="How many days of history, ending today (default %(default)s).",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=1,
            help="Random seed: the same seed builds the same data (default "
            "%(default)s).",
        )

    def handle(self, *args, members: int, days: int, seed: int, **options) -> None:
        self.verbosity = options["verbosity"]
        if members < 2:
            raise CommandError("--members must be at least 2 (maya and noor).")
        if not 1 <= days <= 3660:
            raise CommandError("--days must be between 1 and 3660.")
        present = _existing([username for username, _ in SIGN_INS])
        if present:
            # Built before: keep everything as it is, including what people changed.
            self._say("The demo people are already here; nothing was changed.")
            self._print_sign_ins(present)
            return
        people = cast_build(members=members, seed=seed)
        taken = _existing([person.username for person in people])
        if taken:
            names = ", ".join(sorted(taken)[:5])
            raise CommandError(
                f"Some demo usernames are taken already ({names}). seed_demo fills "
                "an empty database: run it on a fresh one."
            )

        started = time.monotonic()
        with transaction.atomic():
            with historical_timestamps():
                counts = self._build(people, days=days, seed=seed)
            self._today()
        seconds = time.monotonic() - started
        self._say(f"Built the demo programme in {seconds:.1f} s:")
        for (singular, plural), count in counts.items():
            self._say(f"  {count:>9,}  {singular if count == 1 else plural}")
        self._print_sign_ins({person.username for person in people})

    def _today(self) -> None:
        """What happens today, through the services, with the clocks as usual."""
        now = timezone.now()
        # Maya chose a check-in reminder, every evening at seven.
        maya = User.objects.filter(username="maya").first()
        if maya is not None:
            reminder_save(member=maya, on=True, weekdays="0123456", at=dt_time(19, 0))
        # Eli is having a very hard day and lets Sam know of such days: a crisis
        # flag on Sam's caseload, waiting for him to follow it up.
        eli = User.objects.filter(username="eli").first()
        if eli is not None:
            consent_give(member=eli, what=ConsentTo.CRISIS_FLAG_TO_SUPPORTER)
            checkin_record(member=eli, wellbeing=1, hope=3, day=eli.local_date(now))
        # Something new under every demo person's bell.
        named = {u.username: u for u in User.objects.filter(username__in=NAMED_BELLS)}
        for who, kind, actor, url in _demo_bells(named):
            notify(named[who], kind, actor=named.get(actor), url=url)

    def _build(
        self, people: list[Person], *, days: int, seed: int
    ) -> dict[tuple[str, str], int]:
        now = timezone.now()
        # Argon2 is slow on purpose; every demo person shares one hash of one password.
        password = make_password(PASSWORD)
        users, plans = [], []
        for person in people:
            rng = random.Random(f"{seed}:{person.username}")
            user = User(
                username=person.username,
                first_name=person.first_name,
                email=f"{person.username}@example.org",
                role=person.role,
                time_zone=person.time_zone,
                password=password,
            )
            today = user.local_date(now)
            if person.role == Role.MEMBER:
                script = person.script
                story = script.story if script else story_random(rng, days=days)
                goals = script.goals if script else goals_random(rng)
                first_day = today - timedelta(days=days - 1 - story.join_lag)
                plans.append((user, rng, story, goals))
            else:
                # Staff were there before the first member arrived.
                first_day = today - timedelta(days=days + rng.randint(14, 60))
            user.date_joined = joined_at(rng, zone=user.zone, day=first_day, now=now)
            users.append(user)
        User.objects.bulk_create(users, batch_size=BATCH_SIZE)

        writer = PlanWriter(batch_size=BATCH_SIZE)
        for done, (user, rng, story, goals) in enumerate(plans, start=1):
            writer.add(
                plan_build(member=user, rng=rng, now=now, story=story, goals=goals)
            )
            if done % 500 == 0:
                self._say(f"  {done:,} of {len(plans):,} members", level=2)
        writer.flush()
        peers = programme_build(
            members=[u for u in users if u.role == Role.MEMBER],
            supporters=[u for u in users if u.role == Role.SUPPORTER],
            coordinator=next(u for u in users if u.role == Role.COORDINATOR),
            seed=seed,
            now=now,
        )
        # Maya's safety plan (shared with Sam) and wellness plan, two versions each.
        maya = next((u for u in users if u.username == "maya"), None)
        plan_items = demo_plans_build(member=maya, now=now) if maya else 0

        roles = [person.role for person in people]
        return {
            ("member", "members"): roles.count(Role.MEMBER),
            ("peer supporter", "peer supporters"): roles.count(Role.SUPPORTER),
            ("coordinator", "coordinators"): roles.count(Role.COORDINATOR),
            ("strength", "strengths"): writer.counts["strengths"],
            ("wellness tool", "wellness tools"): writer.counts["tools"],
            ("goal", "goals"): writer.counts["goals"],
            ("step", "steps"): writer.counts["steps"],
            ("goal-strength link", "goal-strength links"): writer.counts[
                "goal_strengths"
            ],
            ("check-in", "check-ins"): writer.counts["checkins"],
            ("tool ticked in a check-in", "tools ticked in check-ins"): writer.counts[
                "checkin_tools"
            ],
            ("timeline event", "timeline events"): writer.counts["events"],
            ("supporter profile", "supporter profiles"): peers["profiles"],
            ("set of preferences", "sets of preferences"): peers["preferences"],
            ("match", "matches (active and ended)"): peers["matches"],
            ("change request", "change requests"): peers["change_requests"],
            ("contact note", "contact notes"): peers["contact_notes"],
            ("encouragement", "encouragements"): peers["encouragements"],
            ("message", "messages"): peers["messages"],
            ("item in Maya's plans", "items in Maya's plans"): plan_items,
        }

    def _print_sign_ins(self, present: set[str]) -> None:
        self._say(f"Demo sign-ins, password {PASSWORD}:")
        for username, role in SIGN_INS:
            missing = "" if username in present else " (no longer here)"
            self._say(f"  {role.label.lower():<16} {username}{missing}")

    def _say(self, line: str, *, level: int = 1) -> None:
        if self.verbosity >= level:
            self.stdout.write(line)
