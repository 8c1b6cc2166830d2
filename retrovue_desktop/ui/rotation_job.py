"""The play log's weekly rotation as a Job: where the archives live, and the start-up
run that happens at most once a day.

The last run's time (UTC seconds) is kept in QSettings under KEY_LAST_ROTATION. A run
that succeeded or failed counts as the day's run (a failing folder reports once a day,
not at every start); a run cancelled because the window closed does not.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QObject

from retrovue_desktop.scheduling.play_archive import RotationReport, due, rotate
from retrovue_desktop.store.engine import data_dir

from . import settings as app_settings
from .context import AppContext
from .jobs import CancelFn, Job, ProgressFn

KEY_LAST_ROTATION = "playlog/lastRotation"  # UTC seconds of the last rotation run
ARCHIVE_FOLDER = "play-log-archive"


def archive_dir() -> Path:
    """The archives' folder in the user data directory (next to the default database)."""
    return data_dir() / ARCHIVE_FOLDER


def last_rotation() -> int | None:
    value = app_settings.int_setting(KEY_LAST_ROTATION, 0)
    return value if value > 0 else None


def rotation_job(
    context: AppContext,
    weeks_kept: int,
    directory: Path,
    now: int,
    parent: QObject | None = None,
) -> Job:
    """A Job (not started) that rotates in its own session and commits; it succeeds
    with the RotationReport. Cancelled, it commits the weeks already archived (each one
    complete and verified) and reports `canceled`."""
    sessions = context.sessions

    def work(progress: ProgressFn, cancelled: CancelFn) -> RotationReport:
        with sessions() as session, session.begin():
            return rotate(session, directory, weeks_kept, now, progress, cancelled)

    job = Job("Rotating the play log", work, parent)

    def remember(_result: object = None) -> None:
        app_settings.put(KEY_LAST_ROTATION, now)

    job.succeeded.connect(remember)
    job.failed.connect(remember)
    return job


def rotate_if_due(
    context: AppContext,
    parent: QObject | None = None,
    *,
    weeks_kept: int | None = None,
    directory: Path | None = None,
    now: int | None = None,
) -> Job | None:
    """Start the rotation when the last run is a day old or more; the started Job (its
    `succeeded` carries the RotationReport), or None when it was not due."""
    moment = int(time.time()) if now is None else now
    if not due(last_rotation(), moment):
        return None
    kept = app_settings.playlog_weeks_kept() if weeks_kept is None else weeks_kept
    job = rotation_job(context, kept, directory or archive_dir(), moment, parent)
    job.start()
    return job
