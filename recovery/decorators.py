from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from recovery.models import Role


def role_required(*roles: Role | str) -> Callable:
    """Let only people with one of `roles` call the view; anyone else gets 403.

    Sign-in itself is already required for every view by LoginRequiredMiddleware.
    """
    allowed = {str(role) for role in roles}

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if getattr(request.user, "role", None) not in allowed:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def two_factor_exempt(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Let a signed-in person who still owes a two-step code reach this view: the
    pages that ask for the code or set it up, and sign-out.

    Views open without sign-in (`@login_not_required`) are exempt already.
    """
    view.two_factor_exempt = True  # type: ignore[attr-defined]
    return view
