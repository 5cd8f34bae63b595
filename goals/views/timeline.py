"""The member's journey page (the rules of the journey are goals/timeline.py)."""

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject
from django.views.decorators.vary import vary_on_headers

from goals.extensions import replies_for
from goals.timeline import (
    DEFAULT_PERIOD,
    PERIODS,
    Cursor,
    chart_geometry,
    journey_page,
    wellbeing_series,
)
from goals.views.common import member_only
from recovery.types import AuthedRequest


@member_only
@vary_on_headers("HX-Request")
def timeline_detail(request: AuthedRequest) -> HttpResponse:
    member = request.user
    before = Cursor.decode(request.GET.get("before"))
    page = journey_page(member=member, before=before, size=settings.TIMELINE_PAGE_SIZE)
    replies = replies_for(member, page.events)
    for event in page.events:
        event.replies = replies.get(event.pk, [])
    period = request.GET.get("period", DEFAULT_PERIOD)
    if period not in PERIODS:
        period = DEFAULT_PERIOD
    if request.htmx and before is not None:
        context = {"page": page, "period": period}
        return render(request, "goals/timeline.html#events", context)
    series = wellbeing_series(member=member, period=period)
    context = {
        "page": page,
        "period": period,
        "series": series,
        # Drawn only when the page's cached chart is missing (see the template).
        "chart": SimpleLazyObject(lambda: chart_geometry(series)),
        "periods": [(key, label) for key, (label, _days) in PERIODS.items()],
        "chart_cache_seconds": settings.CHART_CACHE_SECONDS,
    }
    return render(request, "goals/timeline.html", context)
