"""Logging set-up shared by the window and the command line.

Progress and results belong to the command line's own output; the log carries detail
for diagnosis and goes to stderr, quiet unless asked.
"""

from __future__ import annotations

import logging


def configure_logging(verbose: bool = False) -> None:
    level = logging.INFO if verbose else logging.WARNING
    logging.basicConfig(
        level=level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    logging.getLogger("retrovue_desktop").setLevel(logging.DEBUG if verbose else logging.INFO)
