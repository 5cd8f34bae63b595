"""What every coordinator page shares: the role check, the page size, and the
member or supporter a page is about (404 for anyone else)."""

from django.shortcuts import get_object_or_404

from recovery.decorators import role_required
from recovery.models import Role, User

coordinator_only = role_required(Role.COORDINATOR)

PAGE_SIZE = 50


def get_member(pk: int, *, active_only: bool = False) -> User:
    """A member (with their preferences), or 404 for anyone else."""
    people = (
        User.objects.filter(role=Role.MEMBER)
        .select_related("match_preferences")
        .prefetch_related("match_preferences__experience_areas")
    )
    if active_only:
        people = people.filter(is_active=True)
    return get_object_or_404(people, pk=pk)


def get_supporter(pk: int) -> User:
    return get_object_or_404(User.objects.filter(role=Role.SUPPORTER), pk=pk)
