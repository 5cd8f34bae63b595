"""The programme report for coordinators: its figures (queries), its charts and its
CSV. The views and the tests import from here."""

from peers.report.queries import (
    CSV_HEADER,
    FRAME,
    MIN_CONTRIBUTORS,
    QUARTERS,
    Charts,
    SupporterLoad,
    bar_chart,
    completed_quarters,
    csv_rows,
    figures_cache_key,
    label_width,
    load_chart,
    measure_figures,
    programme_figures,
    programme_figures_cached,
)

__all__ = [
    "CSV_HEADER",
    "FRAME",
    "MIN_CONTRIBUTORS",
    "QUARTERS",
    "Charts",
    "SupporterLoad",
    "bar_chart",
    "completed_quarters",
    "csv_rows",
    "figures_cache_key",
    "label_width",
    "load_chart",
    "measure_figures",
    "programme_figures",
    "programme_figures_cached",
]
