"""The project's production settings, unchanged but for STATIC_ROOT.

`recovery.settings` does not read STATIC_ROOT from the environment, and the bench
collects the hashed static files into a folder of its own that it removes after the
run, so nothing under `var/static` is touched.
"""

import os

from recovery.settings import *  # noqa: F403

STATIC_ROOT = os.environ["BENCH_STATIC_ROOT"]
