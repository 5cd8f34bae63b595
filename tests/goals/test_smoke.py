import pytest
from django.urls import reverse

from tests.factories import GoalFactory, StepFactory


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    [
        "goals:home",
        "goals:list",
        "goals:create",
        "goals:strengths",
        "goals:tools",
        "goals:checkin",
        "goals:timeline",
    ],
)
def test_member_pages_render(member_client, name):
    response = member_client.get(reverse(name))
    assert response.status_code == 200


@pytest.mark.django_db
def test_goal_detail_renders(member_client, member):
    goal = GoalFactory(member=member)
    StepFactory(goal=goal)
    assert member_client.get(goal.get_absolute_url()).status_code == 200
