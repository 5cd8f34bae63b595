"""Messages about match changes, sent as background tasks after the change commits.

They name no goals, notes or numbers: only that something changed and where to look.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.utils.translation import gettext as _

from peers.models import Match


@task
def notify_match_change(*, match_id: int) -> int:
    """Tell the member and the supporter that a match started or ended. Returns the
    number of messages sent (people without an email address are skipped)."""
    match = (
        Match.objects.select_related("member", "supporter").filter(pk=match_id).first()
    )
    if match is None:
        # Ended because the member deleted their account: nobody left to tell.
        return 0
    if match.is_active:
        subject = _("You have a new peer support match")
        body = _("Sign in to the recovery planner to see who you are matched with.")
    else:
        subject = _("A peer support match has ended")
        body = _("Sign in to the recovery planner to see what happens next.")
    sent = 0
    for person in (match.member, match.supporter):
        if person.email:
            sent += send_mail(
                subject, body, settings.DEFAULT_FROM_EMAIL, [person.email]
            )
    return sent
