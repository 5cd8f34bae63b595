"""The bell's pages: the list (paged, newest first), opening one (it is read),
"mark all as read", the bell itself for htmx to refresh, and each person's
choices of what they hear about and how."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from recovery import notifications
from recovery.models import Notification
from recovery.types import AuthedRequest


def notification_list(request: AuthedRequest) -> HttpResponse:
    mine = Notification.objects.filter(recipient=request.user).select_related("actor")
    page = Paginator(mine, notifications.PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(note, notifications.sentence(note)) for note in page.object_list]
    context = {"page": page, "rows": rows}
    return render(request, "recovery/notification_list.html", context)


def notification_open(request: AuthedRequest, pk: int) -> HttpResponse:
    """Open one: it is read now, and the person goes where it points."""
    note = notifications.mark_read(request.user, pk)
    if note is None:
        raise Http404
    safe = url_has_allowed_host_and_scheme(note.url, allowed_hosts=None)
    return redirect(note.url if safe else "notifications")


@require_POST
def notification_read_all(request: AuthedRequest) -> HttpResponse:
    if notifications.mark_all_read(request.user):
        messages.success(request, _("All caught up."))
    return redirect("notifications")


def bell_detail(request: AuthedRequest) -> HttpResponse:
    """The bell alone, for htmx to refresh about once a minute (without htmx,
    the list it stands for)."""
    if not request.htmx:
        return redirect("notifications")
    return render(request, "recovery/bell.html")


def notification_settings_edit(request: AuthedRequest) -> HttpResponse:
    user = request.user
    kinds = notifications.kinds_for(user)
    if request.method == "POST":
        chosen = {
            kind.key: (
                request.POST.get(f"{kind.key}-app") == "on",
                request.POST.get(f"{kind.key}-email") == "on",
            )
            for kind in kinds
        }
        notifications.choices_save(user, chosen)
        messages.success(request, _("Your choices are saved."))
        return redirect("notification-settings")
    chosen = notifications.choices_of(user)
    rows = [(kind, *chosen[kind.key], user.role in kind.email_roles) for kind in kinds]
    return render(request, "recovery/notification_settings.html", {"rows": rows})
