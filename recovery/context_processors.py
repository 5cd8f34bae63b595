import functools

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def bell(request: HttpRequest) -> dict:
    """The bell's unread count, asked of the database only if a page shows it
    (one query), and only for someone signed in."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from recovery.notifications import unread_count

    return {"bell_unread": functools.cache(lambda: unread_count(user))}


def crisis(request: HttpRequest) -> dict:
    """Crisis lines for any page that needs to show them at once (read only if
    the page shows them, and then from the shared cache: recovery.crisis), the
    programme's name, and whom to ask to join it."""
    from recovery.crisis import programme_lines

    return {
        "crisis_lines": SimpleLazyObject(lambda: list(programme_lines().lines)),
        "programme_contact": settings.PROGRAMME_CONTACT,
        "programme_name": settings.PROGRAMME_NAME,
    }
