"""The words of the demo plans, in members' own voices: goal ideas with their steps
and ladders, strengths, wellness tools, feelings, notes, setbacks and reasons for a
skipped day. Hopeful, person-first and non-clinical."""

from __future__ import annotations

from dataclasses import dataclass

from goals.models import Chime, LifeDomain, StrengthCategory


@dataclass(frozen=True)
class GoalIdea:
    """A goal as a member might write it, with the small steps they might take."""

    domain: LifeDomain
    title: str
    why: str
    chime: tuple[Chime, ...]
    steps: tuple[str, ...]
    # Goal-attainment ladder from -2 to +2, for goals that can be counted.
    ladder: tuple[str, str, str, str, str] | None = None


C = Chime
GOAL_IDEAS: dict[str, GoalIdea] = {
    "cook": GoalIdea(
        LifeDomain.DAILY_LIVING,
        "Cook a proper dinner twice a week",
        "Eating well makes my evenings calmer, and I like looking after myself.",
        (C.IDENTITY, C.EMPOWERMENT),
        (
            "Write a short list of meals I can make",
            "Do one food shop with a list",
            "Cook pasta with vegetables on Tuesday",
            "Cook twice in one week",
            "Try one new recipe",
        ),
        (
            "No home-cooked dinners",
            "One dinner most weeks",
            "Two dinners a week",
            "Three dinners a week",
            "Cooking most nights and sharing a meal with someone",
        ),
    ),
    "sleep": GoalIdea(
        LifeDomain.DAILY_LIVING,
        "Get to bed by eleven on weeknights",
        "When I sleep, everything else feels more possible.",
        (C.EMPOWERMENT,),
        (
            "Charge my phone in the kitchen from ten",
            "Make a wind-down routine I like",
            "Bed by eleven three nights in a row",
            "Keep it up for two weeks",
        ),
        (
            "Bed after one most nights",
            "Bed by midnight some nights",
            "Bed by eleven on most weeknights",
            "Bed by eleven every weeknight",
            "Waking up rested most mornings",
        ),
    ),
    "home": GoalIdea(
        LifeDomain.DAILY_LIVING,
        "Make my flat a place I'm glad to come back to",
        "My space shows how I feel inside, and I want it to feel like mine.",
        (C.IDENTITY, C.HOPE),
        (
            "Clear the table so I can eat at it",
            "Sort one box of papers",
            "Put up the photo of my grandmother",
            "Wash and hang the curtains",
            "Invite someone over for tea",
        ),
    ),
    "savings": GoalIdea(
        LifeDomain.MONEY,
        "Put a little aside every payday",
        "A small cushion means one surprise bill doesn't knock everything over.",
        (C.EMPOWERMENT, C.HOPE),
        (
            "Open a savings account",
            "Set up an automatic transfer on payday",
            "Write down what I spend for one week",
            "Find one bill I can lower",
            "Reach my first hundred saved",
        ),
        (
            "Nothing put aside",
            "Saved once or twice",
            "Saving something every payday",
            "Saving every payday without dipping in",
            "A month's rent put aside",
        ),
    ),
    "bill": GoalIdea(
        LifeDomain.MONEY,
        "Sort out the phone bill I've been avoiding",
        "Opening the letters is scary, but not knowing is worse.",
        (C.EMPOWERMENT,),
        (
            "Open the letters with someone beside me",
            "Call the company and ask about a payment plan",
            "Make the first payment",
            "Keep to the plan for three months",
        ),
    ),
    "budget": GoalIdea(
        LifeDomain.MONEY,
        "Make a simple budget I can stick to",
        "I want to stop running out of money before the end of the month.",
        (C.EMPOWERMENT, C.IDENTITY),
        (
            "List my income and fixed bills",
            "Track my spending for two weeks",
            "Pick one thing to cut back on",
            "Check the budget every Sunday",
        ),
    ),
    "course": GoalIdea(
        LifeDomain.WORK_LEARNING,
        "Finish the food hygiene course so I can apply at the café",
        "I loved working in kitchens. I want that part of me back.",
        (C.IDENTITY, C.MEANING, C.HOPE),
        (
            "Sign up for the online course",
            "Do the first two modules",
            "Finish the remaining modules",
            "Take the test",
            "Update my CV",
            "Drop my CV at the café",
        ),
    ),
    "volunteer": GoalIdea(
        LifeDomain.WORK_LEARNING,
        "Volunteer one morning a week at the food bank",
        "Helping others reminds me I have something to give.",
        (C.MEANING, C.CONNECTEDNESS),
        (
            "Call the food bank and ask how to start",
            "Go to the welcome session",
            "Do my first shift",
            "Do four shifts in a month",
        ),
        (
            "Not gone yet",
            "Went once",
            "One morning a week",
            "One morning a week and helping plan the rota",
            "Two mornings a week and training new volunteers",
        ),
    ),
    "class": GoalIdea(
        LifeDomain.WORK_LEARNING,
        "Take an evening class in something I enjoy",
        "I stopped learning when things got hard. I'm curious again.",
        (C.IDENTITY, C.HOPE),
        (
            "Look through the community college list",
            "Pick a class and enrol",
            "Go to the first class",
            "Go to every class this term",
        ),
    ),
    "job": GoalIdea(
        LifeDomain.WORK_LEARNING,
        "Find part-time work that fits my life now",
        "I want routine, my own money and a reason to get up.",
        (C.MEANING, C.EMPOWERMENT),
        (
            "Write down what I'm good at",
            "Talk to the employment advisor",
            "Apply for three jobs",
            "Practise interview questions with my supporter",
            "Go to an interview",
        ),
    ),
    "sister": GoalIdea(
        LifeDomain.FAMILY,
        "Get back in touch with my sister",
        "We were close once. I miss her laugh.",
        (C.CONNECTEDNESS, C.HOPE),
        (
            "Write down what I'd like to say",
            "Send her a short message",
            "Have a phone call",
            "Meet for coffee",
        ),
    ),
    "kids": GoalIdea(
        LifeDomain.FAMILY,
        "Be there for my kids every Saturday",
        "I want them to know they can count on me.",
        (C.CONNECTEDNESS, C.MEANING, C.IDENTITY),
        (
            "Plan one free thing to do together",
            "Be on time for pick-up",
            "Cook lunch together",
            "Take them to the park with a football",
        ),
        (
            "Missing most Saturdays",
            "Some Saturdays",
            "Every Saturday",
            "Every Saturday and a call midweek",
            "Every Saturday and helping with homework midweek",
        ),
    ),
    "dad": GoalIdea(
        LifeDomain.FAMILY,
        "Call my dad every Sunday",
        "He's getting older and I want to make the most of the time we have.",
        (C.CONNECTEDNESS,),
        (
            "Save his new number",
            "Make a first call, even a short one",
            "Call three Sundays in a row",
            "Visit him",
        ),
    ),
    "walk": GoalIdea(
        LifeDomain.HEALTH,
        "Walk to the park and back three mornings a week",
        "Moving helps my mood, and the park is where I feel calm.",
        (C.HOPE, C.EMPOWERMENT),
        (
            "Put my trainers by the door the night before",
            "Walk to the corner and back",
            "Walk as far as the park gate",
            "Walk three times in one week",
            "Walk with a friend once",
        ),
        (
            "No walks",
            "One walk a week",
            "Three walks a week",
            "Four or five walks a week",
            "Walking most days and enjoying it",
        ),
    ),
    "checkup": GoalIdea(
        LifeDomain.HEALTH,
        "Book the check-up I've been putting off",
        "Looking after my body is part of looking after me.",
        (C.EMPOWERMENT,),
        (
            "Find my doctor's number",
            "Write down what I want to ask",
            "Book the appointment",
            "Go to the appointment",
        ),
    ),
    "swim": GoalIdea(
        LifeDomain.HEALTH,
        "Swim at the community pool once a week",
        "In the water my head goes quiet.",
        (C.HOPE, C.IDENTITY),
        (
            "Find the pool's opening times",
            "Buy a swimsuit I feel good in",
            "Go for a first swim",
            "Swim four weeks in a row",
        ),
    ),
    "choir": GoalIdea(
        LifeDomain.SOCIAL,
        "Join the community choir",
        "Singing with other people is the happiest I remember being.",
        (C.CONNECTEDNESS, C.IDENTITY),
        (
            "Find out when the choir meets",
            "Go and listen once",
            "Sing at my first rehearsal",
            "Go to rehearsals for a month",
        ),
    ),
    "friend": GoalIdea(
        LifeDomain.SOCIAL,
        "See a friend once a week",
        "I've kept to myself for a long time, and I'm ready to let people in.",
        (C.CONNECTEDNESS,),
        (
            "Make a list of people I'd like to see",
            "Text an old friend about coffee",
            "Meet someone for coffee",
            "Keep a weekly plan with someone for a month",
        ),
        (
            "Seeing nobody",
            "Seeing someone now and then",
            "Seeing a friend once a week",
            "Seeing friends twice a week",
            "Planning things with friends without thinking twice",
        ),
    ),
    "guitar": GoalIdea(
        LifeDomain.SOCIAL,
        "Pick up the guitar again",
        "Music was mine before everything else. I want it back.",
        (C.IDENTITY, C.HOPE),
        (
            "Get the guitar restrung",
            "Play for ten minutes three times a week",
            "Learn one whole song",
            "Play at the open mic night",
        ),
        (
            "Guitar still in the cupboard",
            "Playing now and then",
            "Playing three times a week",
            "Playing most days",
            "Played a song for other people",
        ),
    ),
    "meeting": GoalIdea(
        LifeDomain.RECOVERY,
        "Go to a peer support meeting every week",
        "Being with people who get it keeps me going.",
        (C.CONNECTEDNESS, C.HOPE),
        (
            "Find two meetings near me",
            "Go to one and just listen",
            "Say something at a meeting",
            "Go four weeks in a row",
        ),
        (
            "No meetings",
            "A meeting now and then",
            "One meeting a week",
            "Two meetings a week",
            "Helping to welcome newcomers",
        ),
    ),
    "hard_days": GoalIdea(
        LifeDomain.RECOVERY,
        "Write my own plan for hard days",
        "When things get hard I forget what helps. I want it written down, in my "
        "own words.",
        (C.EMPOWERMENT, C.HOPE),
        (
            "List the signs that a hard day is coming",
            "Write what helps me on those days",
            "Add the people I can call",
            "Share the plan with my supporter",
            "Keep a copy in my wallet",
        ),
    ),
    "fridays": GoalIdea(
        LifeDomain.RECOVERY,
        "Find Friday nights out that don't revolve around drinking",
        "Fridays used to be the hardest night. I want something to look forward to.",
        (C.CONNECTEDNESS, C.IDENTITY),
        (
            "List things I used to enjoy",
            "Try the board game night at the library",
            "Plan three Friday nights ahead",
            "Invite someone along",
        ),
    ),
    "faith": GoalIdea(
        LifeDomain.SPIRITUALITY,
        "Go back to my place of worship",
        "My faith was a comfort, and I miss that community.",
        (C.MEANING, C.CONNECTEDNESS),
        (
            "Look up the times of services",
            "Go once and sit at the back",
            "Talk to someone afterwards",
            "Go twice a month",
        ),
    ),
    "nature": GoalIdea(
        LifeDomain.SPIRITUALITY,
        "Spend time in nature every weekend",
        "Outside I feel part of something bigger than my worries.",
        (C.MEANING, C.HOPE),
        (
            "Find a trail I can reach by bus",
            "Go for a first walk there",
            "Take photos of what I see",
            "Go every weekend for a month",
        ),
    ),
    "recipes": GoalIdea(
        LifeDomain.SPIRITUALITY,
        "Learn to cook my grandmother's recipes",
        "It connects me to where I come from.",
        (C.IDENTITY, C.MEANING, C.CONNECTEDNESS),
        (
            "Ask my aunt for the recipes",
            "Make her bread",
            "Cook one dish for the family gathering",
        ),
    ),
}
IDEAS_BY_DOMAIN: dict[str, list[str]] = {
    domain: [key for key, idea in GOAL_IDEAS.items() if idea.domain == domain]
    for domain in LifeDomain.values
}

STRENGTH_IDEAS: dict[str, tuple[str, ...]] = {
    StrengthCategory.PERSONAL: (
        "I keep going when things are hard",
        "I'm kind to people who are struggling",
        "I have a good sense of humour",
        "I'm honest, even when it's difficult",
        "I'm curious and like to learn",
        "I stick with people",
    ),
    StrengthCategory.SKILLS: (
        "I'm a good cook",
        "I can fix bikes",
        "I'm good with numbers",
        "I can draw",
        "I really listen to people",
        "I'm organised when I make lists",
    ),
    StrengthCategory.INTERESTS: (
        "Music",
        "Gardening",
        "Football",
        "Cooking for others",
        "Mystery novels",
        "Photography",
    ),
    StrengthCategory.PEOPLE_PLACES: (
        "My sister",
        "My dog",
        "The library",
        "My neighbour downstairs",
        "The park by the river",
        "My friends from the meeting",
    ),
    StrengthCategory.WORKED_BEFORE: (
        "Writing things down",
        "Getting outside first thing",
        "Talking to someone before it builds up",
        "Keeping a simple routine",
        "Saying no to plans that drain me",
    ),
}

TOOL_IDEAS: tuple[tuple[str, str], ...] = (
    ("Morning walk", "Twenty minutes outside before the day starts"),
    ("Journaling", "A page about how I feel, no rules"),
    ("Calling a friend", "Even five minutes helps"),
    ("Peer support meeting", "Listening counts, I don't have to speak"),
    ("Breathing exercise", "Four counts in, six counts out"),
    ("Music", "My calm playlist on headphones"),
    ("A hot shower", "Resets a bad afternoon"),
    ("Cooking something simple", "Keeps my hands busy"),
    ("Stretching", "Ten minutes on the floor before bed"),
    ("Texting my supporter", ""),
    ("Time with my dog", "A walk round the block together"),
    ("Reading", "A chapter instead of scrolling"),
    ("Prayer", ""),
    ("Mindfulness practice", "A guided ten minutes"),
    ("Drawing", "Doodling, nothing fancy"),
)

FEELINGS = {
    "low": ("tired", "heavy", "anxious", "low", "restless", "lonely", "flat"),
    "mid": ("okay", "steady", "a bit tired", "calm", "mixed", "quiet", "hopeful"),
    "high": ("hopeful", "proud", "calm", "grateful", "energised", "connected"),
}
NOTES = {
    "low": (
        "Heavy day. I stayed in, but I checked in and that counts.",
        "Felt low most of the day. Tomorrow is a new one.",
        "Hard to get going. I did one small thing and that counts.",
        "Lonely evening. Writing it down helps a bit.",
    ),
    "mid": (
        "An ordinary day, and ordinary is fine.",
        "A bit tired, but I got through my list.",
        "Quiet day at home. Did one small thing for my goal.",
        "Mixed day: the morning was hard, the afternoon better.",
        "Kept things simple today.",
    ),
    "high": (
        "Good day. Walked further than last week.",
        "Had coffee with an old friend and it felt easy.",
        "Proud of myself for sticking with it.",
        "Slept well for once, and it shows.",
        "Laughed properly today.",
        "Got a lot done and still had energy in the evening.",
    ),
}
SETBACKS = (
    "Cravings were strong after work.",
    "An argument at home and I wanted to shut everyone out.",
    "Old thoughts came back loud this afternoon.",
    "Didn't sleep, and everything felt like too much.",
    "Some news about my housing and I spiralled for a while.",
    "I went quiet on everyone today.",
)
SKIP_REASONS = (
    "Busy day with family",
    "Travelling",
    "Working a long shift",
    "Taking a day off from tracking",
    "Phone needed charging",
    "Resting today",
    "",
)
