from django.http import HttpRequest

from recovery.models import User


class AuthedRequest(HttpRequest):
    """A request that passed sign-in: `user` is one of our people, never anonymous."""

    user: User  # type: ignore[assignment]
