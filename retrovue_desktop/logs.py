"""Logging set-up shared by the window and the command line.

Progress and results belong to the command line's own output; the log carries detail
for diagnosis and goes to stderr, quiet unless asked. The window also keeps a rotating
log file in the user's log folder (Help → Open log folder).
"""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path

import platformdirs

from retrovue_desktop.store.engine import APP_NAME


def configure_logging(verbose: bool = False) -> None:
    level = logging.INFO if verbose else logging.WARNING
    logging.basicConfig(
        level=level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    logging.getLogger("retrovue_desktop").setLevel(logging.DEBUG if verbose else logging.INFO)


LOG_FILE = "retrovue.log"
LOG_BYTES = 1_000_000
LOG_BACKUPS = 5


def log_dir() -> Path:
    """Where the window's log files go: the platform's user log folder for the app."""
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def add_log_file(directory: Path | None = None) -> Path:
    """Also log to a rotating file (1 MB, five old files kept) so that a report can be
    sent after the fact; returns its path. Secrets are masked there as everywhere
    (call `secrets.install_log_redaction` afterwards). Adding it twice adds it once."""
    folder = directory or log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOG_FILE
    root = logging.getLogger()
    for handler in root.handlers:
        if isinstance(handler, RotatingFileHandler) and Path(handler.baseFilename) == path:
            return path
    handler = RotatingFileHandler(
        path, maxBytes=LOG_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8"
    )
    handler.setLevel(logging.INFO)
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s")
    )
    root.addHandler(handler)
    if root.level > logging.INFO or root.level == logging.NOTSET:
        root.setLevel(logging.INFO)
    return path
