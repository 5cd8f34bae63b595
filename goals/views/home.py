"""The member's home: today's check-in prompt, active goals, next steps, and
what peers adds (goals.extensions)."""

from django.http import HttpResponse
from django.shortcuts import render

from goals.extensions import panels_for
from goals.selectors import member_home
from goals.views.common import FILLED_IN, day_from, member_only
from recovery.types import AuthedRequest


@member_only
def home(request: AuthedRequest) -> HttpResponse:
    # After a past day is filled in, the check-in sends the member here with that
    # day, so a very hard one is answered with help now (goals.services.checkin_record).
    filled_in = day_from(request.GET.get(FILLED_IN))
    context = {
        "home": member_home(request.user, filled_in=filled_in),
        "panels": panels_for(request.user),
    }
    return render(request, "goals/home.html", context)
