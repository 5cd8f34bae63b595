"""The programme report for coordinators: its figures, counted and cached
(queries.py, and the questionnaires' in measures.py), its charts (charts.py) and its
CSV (csv.py). The views and the tests import from here."""

from peers.report.charts import FRAME, Charts, bar_chart, label_width, load_chart
from peers.report.csv import CSV_HEADER, csv_rows
from peers.report.measures import (
    MIN_CONTRIBUTORS,
    QUARTERS,
    completed_quarters,
    measure_figures,
)
from peers.report.queries import (
    SupporterLoad,
    figures_cache_key,
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
