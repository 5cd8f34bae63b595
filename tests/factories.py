"""Factories for every model, so tests build exactly the people and data they need."""

import datetime

import factory
from django.utils import timezone

from goals.models import (
    CheckIn,
    EventKind,
    Goal,
    JourneyEvent,
    LifeDomain,
    Step,
    Strength,
    StrengthCategory,
    WellnessTool,
)
from recovery.models import Role, User

PASSWORD = "a-long-test-password"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    first_name = factory.Faker("first_name")
    role = Role.MEMBER
    time_zone = "UTC"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save(update_fields=["password"])


class MemberFactory(UserFactory):
    role = Role.MEMBER


class SupporterFactory(UserFactory):
    role = Role.SUPPORTER
    username = factory.Sequence(lambda n: f"supporter{n}")


class CoordinatorFactory(UserFactory):
    role = Role.COORDINATOR
    username = factory.Sequence(lambda n: f"coordinator{n}")


class StrengthFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Strength

    member = factory.SubFactory(MemberFactory)
    category = StrengthCategory.PERSONAL
    text = factory.Sequence(lambda n: f"Strength {n}")


class WellnessToolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WellnessTool

    member = factory.SubFactory(MemberFactory)
    name = factory.Sequence(lambda n: f"Helpful thing {n}")


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    member = factory.SubFactory(MemberFactory)
    title = factory.Sequence(lambda n: f"Goal {n}")
    why = "It matters to me."
    domain = LifeDomain.HEALTH
    shared = True


class StepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Step

    goal = factory.SubFactory(GoalFactory)
    title = factory.Sequence(lambda n: f"Step {n}")


class CheckInFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CheckIn

    member = factory.SubFactory(MemberFactory)
    day = factory.LazyFunction(lambda: timezone.localdate())
    wellbeing = 6
    hope = 7


class JourneyEventFactory(factory.django.DjangoModelFactory):
    """A timeline moment; defaults to "set a goal" for a new goal."""

    class Meta:
        model = JourneyEvent

    goal = factory.SubFactory(GoalFactory)
    member = factory.LazyAttribute(lambda e: e.goal.member)
    kind = EventKind.GOAL_SET
    occurred_at = factory.LazyFunction(timezone.now)


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)
