"""The programme report's figures as the rows of its CSV download."""

from __future__ import annotations

from peers.report.measures import MIN_CONTRIBUTORS
from peers.report.queries import Figures

CSV_HEADER = ["figure", "period_or_supporter", "value", "capacity"]


def csv_rows(figures: Figures) -> list[list[object]]:
    """The figures as CSV rows: counts and medians only, the questionnaires' as
    the page shows them (measure_figures). No notes, and no names except each
    supporter's own load row."""
    rows: list[list[object]] = [
        ["members_with_supporter", "", figures.members_matched, ""],
        ["members_waiting", "", figures.members_waiting, ""],
        ["members_asked_for_change", "", figures.change_requests, ""],
        ["median_days_waiting_now", "", _blank(figures.median_wait_days), ""],
        ["matches_started_last_90_days", "", figures.recent_matches, ""],
        [
            "median_days_to_match_last_90_days",
            "",
            _blank(figures.median_days_to_match),
            "",
        ],
    ]
    rows += [
        ["checkins_per_week", p.start.isoformat(), p.value, ""]
        for p in figures.checkins_per_week
    ]
    rows += [
        ["goals_achieved_per_month", p.start.strftime("%Y-%m"), p.value, ""]
        for p in figures.goals_achieved_per_month
    ]
    for month in figures.contacts_per_month:
        key = month.start.strftime("%Y-%m")
        rows.append(["contacts_made_per_month", key, month.made, ""])
        rows.append(["contacts_attempted_per_month", key, month.attempted, ""])
    rows += [
        ["supporter_load", _cell(load.name), load.load, load.capacity]
        for load in figures.supporter_loads
    ]
    for measure in figures.measures:
        rows.append(
            [
                "questionnaire_members_choosing",
                measure.key,
                _fewer(measure.members_choosing),
                "",
            ]
        )
        for quarter in measure.quarters:
            cell = f"{measure.key} {quarter.key}"
            rows.append(
                ["questionnaire_contributors", cell, _fewer(quarter.contributors), ""]
            )
            rows.append(
                [
                    "questionnaire_median_change_first_to_latest",
                    cell,
                    _blank(quarter.median_change),
                    "",
                ]
            )
    return rows


def _fewer(count: int | None) -> object:
    return f"fewer than {MIN_CONTRIBUTORS}" if count is None else count


def _cell(text: str) -> str:
    """A name as a CSV cell a spreadsheet will not run as a formula."""
    return "'" + text if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text


def _blank(value: float | None) -> object:
    return "" if value is None else value
