"""The programme report: figures and charts, and the same figures as CSV."""

import csv

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from peers import report
from peers.views.coordinator.lookup import coordinator_only
from recovery.types import AuthedRequest


@coordinator_only
def report_detail(request: AuthedRequest) -> HttpResponse:
    figures = report.programme_figures_cached()
    context = {
        "figures": figures,
        "charts": report.Charts(figures),
        "busy_percent": round(settings.BUSY_LOAD * 100),
        "min_contributors": report.MIN_CONTRIBUTORS,
        # The figures' part of the page is cached as long as the figures are.
        "cache_seconds": settings.REPORT_CACHE_SECONDS,
    }
    return render(request, "peers/coordinator/report.html", context)


@coordinator_only
def report_download(request: AuthedRequest) -> HttpResponse:
    figures = report.programme_figures_cached()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"programme-report-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(report.CSV_HEADER)
    writer.writerows(report.csv_rows(figures))
    return response
