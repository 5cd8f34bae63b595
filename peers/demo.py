"""Demo peer support: supporter profiles, members' wishes, matches (some ended, one
re-match), a few members waiting, a change request, encouragement and contact notes.

Called by `seed_demo` after the members' plans are saved. Named demo people get a
hand-written situation so each role lands on a living page (`maya` is on `sam`'s
caseload, `noor` with another supporter); everyone else is drawn from a seeded
random generator, so the same seed builds the same programme at any size.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from goals.models import CheckIn
from peers.models import (
    Availability,
    ChangeRequest,
    ContactMode,
    ContactNote,
    Encouragement,
    ExperienceArea,
    Gender,
    LifeStage,
    Match,
    MatchPreferences,
    MeetingMode,
    Message,
    Pathway,
    SupporterProfile,
)
from recovery.models import User

BATCH_SIZE = 5000
LANGUAGES = ["English", "Spanish", "Arabic", "Vietnamese", "Polish", "Somali"]
REGIONS = ["North", "South", "East", "West", "Central"]

# Who is matched with whom among the named demo people: member -> supporter.
NAMED_MATCHES = {
    "maya": "sam",
    "noor": "jordan",
    "jamal": "riley",  # after an ended match with alex: the re-match
    "rosa": "alex",  # and she has asked for a change
    "eli": "sam",
    "priya": "jordan",
    "tomas": "alex",
    "grace": "riley",
}
NAMED_WAITING = ["dev", "amara", "luis", "hana"]
NAMED_CAPACITY = {"sam": 6, "jordan": 6, "alex": 4, "riley": 5}

ENCOURAGEMENTS = [
    "You showed up today, and that counts.",
    "Thank you for sharing how it's going.",
    "That walk sounds like it helped. Proud of you.",
    "Hard days pass. I'm here if you want to talk.",
    "Small steps add up. Look how far you've come.",
    "I noticed you kept going after a rough patch. That takes strength.",
]
CONTACT_NOTES = [
    ("We talked about the week ahead and what might get in the way.", False),
    ("Went over the steps for the budget goal. Next: open the bank letters.", True),
    ("Checked in after a hard weekend; made a plan for evenings.", False),
    ("Celebrated a finished step. Agreed to try the Tuesday group.", True),
    ("Left a voicemail; will try again on Thursday.", False),
    ("Talked through what helps on bad days. Added two tools.", True),
]
NEXT_STEPS = [
    "Try the Tuesday group",
    "Call the housing office",
    "Walk twice this week",
    "Write down three good things each evening",
    "",
]


@dataclass
class Built:
    profiles: list[SupporterProfile]
    matches: list[Match]


def _subset(rng: random.Random, values: list, low: int, high: int) -> list:
    """Between low and high of `values` (fewer if there are fewer: a database
    flushed by a test has no experience areas)."""
    most = min(high, len(values))
    return rng.sample(values, rng.randint(min(low, most), most))


def _profile(rng: random.Random, user: User) -> SupporterProfile:
    languages = ["English"] + _subset(rng, LANGUAGES[1:], 0, 1)
    return SupporterProfile(
        user=user,
        intro=(
            f"I'm {user.first_name}. I know from my own recovery that the small "
            "steps matter most. Happy to walk alongside you."
        ),
        contact=f"{user.email} or the programme line, weekdays 9-5",
        languages=languages,
        pathways=_subset(rng, Pathway.values, 1, 2),
        life_stage=rng.choice(LifeStage.values),
        gender=rng.choice([Gender.WOMAN, Gender.MAN, Gender.NON_BINARY]),
        availability=_subset(rng, Availability.values, 1, 3),
        meeting_modes=_subset(rng, MeetingMode.values, 1, 3),
        region=rng.choice(REGIONS),
        capacity=NAMED_CAPACITY.get(user.username, rng.randint(8, 14)),
        accepting=rng.random() > 0.1 or user.username in NAMED_CAPACITY,
    )


def _preferences(rng: random.Random, member: User) -> MatchPreferences:
    languages = ["English"] if rng.random() < 0.8 else [rng.choice(LANGUAGES[1:])]
    return MatchPreferences(
        member=member,
        languages=languages,
        language_must=languages != ["English"] and rng.random() < 0.5,
        supporter_gender=rng.choice(["", "", Gender.WOMAN, Gender.MAN]),
        gender_must=rng.random() < 0.15,
        pathways=_subset(rng, Pathway.values, 0, 2),
        life_stage=rng.choice(["", *LifeStage.values]),
        availability=_subset(rng, Availability.values, 1, 2),
        meeting_modes=_subset(rng, MeetingMode.values, 1, 2),
        region=rng.choice(["", *REGIONS]),
    )


def programme_build(
    *,
    members: list[User],
    supporters: list[User],
    coordinator: User,
    seed: int,
    now: datetime,
) -> Counter[str]:
    """Save the peer-support side of the demo programme and return row counts.

    `members` and `supporters` are saved users in a fixed order; members' plans
    (check-ins included) are already saved.
    """
    rng = random.Random(f"{seed}:peers")
    counts: Counter[str] = Counter()
    areas = list(ExperienceArea.objects.all())
    by_name = {u.username: u for u in [*members, *supporters]}

    profiles = [
        _profile(random.Random(f"{seed}:{u.username}:profile"), u) for u in supporters
    ]
    prefs = [
        _preferences(random.Random(f"{seed}:{m.username}:prefs"), m)
        for m in members
        if m.username in ("maya", "noor") or rng.random() < 0.7
    ]

    # Who is matched with whom: the named cast as written, everyone else filling the
    # supporters' free places in turn, with one in ten still waiting.
    free = {p.user_id: p.capacity for p in profiles if p.accepting}
    for p in profiles:
        free.setdefault(p.user_id, 0)
    matches: list[Match] = []
    ended: list[Match] = []
    for member in members:
        if member.username in NAMED_WAITING:
            continue
        supporter = by_name.get(NAMED_MATCHES.get(member.username, ""))
        if supporter is None:
            if rng.random() < 0.1:
                continue
            open_places = [s for s in supporters if free[s.pk] > 0]
            if not open_places:
                continue
            supporter = rng.choice(open_places[:20])
        free[supporter.pk] -= 1
        started = member.date_joined + timedelta(days=rng.randint(2, 10))
        if member.username == "jamal" or (
            member.username not in NAMED_MATCHES and rng.random() < 0.05
        ):
            # An earlier match that ended, so the history has a re-match in it.
            earlier = (
                by_name.get("alex")
                if member.username == "jamal"
                else rng.choice(supporters)
            )
            end = started + timedelta(days=rng.randint(20, 40))
            ended.append(
                Match(
                    member=member,
                    supporter=earlier,
                    started_at=started,
                    started_by=coordinator,
                    ended_at=end,
                    ended_by=coordinator,
                    end_reason="Asked for a supporter free in the evenings",
                )
            )
            started = end + timedelta(days=rng.randint(1, 5))
        matches.append(
            Match(
                member=member,
                supporter=supporter,
                started_at=min(started, now),
                started_by=coordinator,
            )
        )

    load = Counter(m.supporter_id for m in matches)
    for profile in profiles:
        profile.active_matches = load[profile.user_id]
        profile.capacity = max(profile.capacity, profile.active_matches)
    SupporterProfile.objects.bulk_create(profiles, batch_size=BATCH_SIZE)
    through = SupporterProfile.experience_areas.through
    through.objects.bulk_create(
        [
            through(supporterprofile_id=p.pk, experiencearea_id=a.pk)
            for p in profiles
            for a in _subset(random.Random(f"{seed}:{p.user_id}:areas"), areas, 1, 4)
        ],
        batch_size=BATCH_SIZE,
    )
    MatchPreferences.objects.bulk_create(prefs, batch_size=BATCH_SIZE)
    through = MatchPreferences.experience_areas.through
    through.objects.bulk_create(
        [
            through(matchpreferences_id=p.pk, experiencearea_id=a.pk)
            for p in prefs
            for a in _subset(random.Random(f"{seed}:{p.member_id}:areas"), areas, 0, 2)
        ],
        batch_size=BATCH_SIZE,
    )
    Match.objects.bulk_create(ended + matches, batch_size=BATCH_SIZE)
    counts.update(
        profiles=len(profiles),
        preferences=len(prefs),
        matches=len(ended) + len(matches),
    )

    if "rosa" in by_name:
        ChangeRequest.objects.create(
            member=by_name["rosa"],
            reason="I'd like a supporter who speaks Spanish, if there is one.",
        )
        counts["change_requests"] += 1

    counts.update(_contacts_and_encouragement(matches, seed=seed, now=now))
    return counts


def _contacts_and_encouragement(
    matches: list[Match], *, seed: int, now: datetime
) -> Counter[str]:
    """Contact notes every week or two of each active match, and encouragement on
    some of the member's check-ins (always on Maya's latest)."""
    counts: Counter[str] = Counter()
    notes: list[ContactNote] = []
    for match in matches:
        rng = random.Random(f"{seed}:{match.member.username}:contacts")
        # Noor's supporter has not been in touch for a while: her row asks for it.
        last = now - timedelta(
            days=16 if match.member.username == "noor" else rng.randint(1, 9)
        )
        day = last
        while day > match.started_at:
            text, shared = rng.choice(CONTACT_NOTES)
            notes.append(
                ContactNote(
                    member=match.member,
                    author=match.supporter,
                    match=match,
                    contact_date=day.date(),
                    mode=rng.choice(ContactMode.values),
                    reached=not text.startswith("Left a voicemail"),
                    minutes=rng.choice([10, 15, 20, 30, 45]),
                    next_step=rng.choice(NEXT_STEPS),
                    note=text,
                    shared_with_member=shared,
                )
            )
            day -= timedelta(days=rng.randint(7, 16))
    ContactNote.objects.bulk_create(notes, batch_size=BATCH_SIZE)
    counts["contact_notes"] = len(notes)

    words: list[Encouragement] = []
    by_member = {m.member_id: m for m in matches}
    member_ids = list(by_member)
    for first in range(0, len(member_ids), 500):
        chunk = member_ids[first : first + 500]
        recent: dict[int, list[CheckIn]] = defaultdict(list)
        for checkin in CheckIn.objects.filter(
            member_id__in=chunk,
            skipped=False,
            day__gte=(now - timedelta(days=60)).date(),
        ).order_by("-day"):
            recent[checkin.member_id].append(checkin)
        for member_id, checkins in recent.items():
            match = by_member[member_id]
            rng = random.Random(f"{seed}:{match.member.username}:encouragement")
            chosen = [c for c in checkins[1:] if rng.random() < 0.15]
            if match.member.username == "maya" or rng.random() < 0.3:
                chosen.insert(0, checkins[0])
            words += [
                Encouragement(
                    supporter=match.supporter,
                    member=match.member,
                    checkin=checkin,
                    text=rng.choice(ENCOURAGEMENTS),
                )
                # Oldest first, so the newest word is also the latest written.
                for checkin in reversed(chosen)
            ]
    Encouragement.objects.bulk_create(words, batch_size=BATCH_SIZE)
    counts["encouragements"] = len(words)
    counts["messages"] = _maya_and_sam_talk(matches, now)
    return counts


# Maya and Sam's conversation: a few messages each way, the last of each unread by
# the other (Sam's answer waits for Maya, and her latest for him).
CONVERSATION = [
    ("member", 50, "Hi Sam, thanks for the call yesterday. It helped, truly."),
    ("supporter", 47, "I'm glad. How did the walk to the park go?"),
    ("member", 30, "I made it halfway. Then it rained, so I went home."),
    ("supporter", 26, "Halfway is a real step. Want to try the same time on Thursday?"),
    ("member", 5, "Thursday works. Could we talk about the job centre too?"),
    ("supporter", 2, "Yes, let's. I'll bring the list of open mornings."),
]


def _maya_and_sam_talk(matches: list[Match], now: datetime) -> int:
    match = next((m for m in matches if m.member.username == "maya"), None)
    if match is None:
        return 0
    authors = {"member": match.member, "supporter": match.supporter}
    messages = []
    for n, (who, hours_ago, words) in enumerate(CONVERSATION):
        at = now - timedelta(hours=hours_ago)
        # Each seen by the other, but for the latest from each.
        unread = n >= len(CONVERSATION) - 2
        messages.append(
            Message(
                match=match,
                author=authors[who],
                text=words,
                created_at=at,
                seen_at=None if unread else at + timedelta(hours=1),
            )
        )
    Message.objects.bulk_create(messages)
    return len(messages)
