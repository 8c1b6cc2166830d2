"""Every programme-log edit of the rundown as an undoable command on the window's stack.

Approving, canceling, swapping and marking as aired write through
`scheduling.log_status`, `scheduling.log_swap` and `scheduling.play_recording` in one
transaction each; the command keeps what changed (statuses,
or the swapped rows as they were) so that undo puts back exactly that, and redo does
exactly it again. If the log
moved on underneath (a rebuild replaced the rows), the undo or redo is refused with a
sentence and dropped from the stack. A refusal of the first step writes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject, Signal
from sqlalchemy.orm import Session

from retrovue_desktop.scheduling import log_status, log_swap, play_recording
from retrovue_desktop.scheduling.errors import ScheduleError
from retrovue_desktop.scheduling.play_recording import AiredReport
from retrovue_desktop.words import count

from .edits import CatalogEdits, Edit


def day_words(day: date) -> str:
    """'Mon 23 Nov 2026': how sentences and undo texts name a date."""
    return f"{day:%a} {day.day} {day:%b %Y}"


def range_words(first_day: date, days: int) -> str:
    if days == 1:
        return day_words(first_day)
    return f"{day_words(first_day)} \N{EN DASH} {day_words(first_day + timedelta(days=days - 1))}"


class _LogEdit(Edit):
    SUBJECT = "the programme log"

    def __init__(self, log: LogEdits, channel_id: int, text: str) -> None:
        super().__init__(log.catalog, text)
        self.log = log
        self.channel_id = channel_id

    def announce(self) -> None:
        self.log.log_changed.emit(self.channel_id)

    def announce_failure(self) -> None:
        self.log.log_changed.emit(self.channel_id)


class ApproveDays(_LogEdit):
    """planned → approved over a range of days; undo makes exactly those planned again."""

    def __init__(
        self, log: LogEdits, channel_id: int, first_day: date, days: int, tz: ZoneInfo
    ) -> None:
        super().__init__(log, channel_id, f"Approve {range_words(first_day, days)}")
        self.first_day, self.days, self.tz = first_day, days, tz
        self.changes: list[log_status.StatusChange] | None = None

    def forward(self, session: Session) -> None:
        if self.changes is not None:
            log_status.reapply(session, self.changes)
            return
        changes = log_status.approve(session, self.channel_id, self.first_day, self.days, self.tz)
        if not changes:
            raise ScheduleError(
                f"Nothing planned to approve on {range_words(self.first_day, self.days)}:"
                " build those days first, or they are approved already.",
                detail="no planned rows in the range",
            )
        self.changes = changes

    def backward(self, session: Session) -> None:
        assert self.changes is not None
        log_status.revert(session, self.changes)


class MarkAired(_LogEdit):
    """approved → played over a range of days, each row a play-log row as planned; undo
    deletes exactly those play rows and makes the rows approved again, redo writes them
    again for the same rows."""

    def __init__(
        self, log: LogEdits, channel_id: int, first_day: date, days: int, tz: ZoneInfo
    ) -> None:
        super().__init__(log, channel_id, f"Mark {range_words(first_day, days)} as aired")
        self.first_day, self.days, self.tz = first_day, days, tz
        self.report: AiredReport | None = None
        self.pairs: list[tuple[int, int]] = []

    def forward(self, session: Session) -> None:
        if self.report is not None:
            self.pairs = play_recording.mark_instances_aired(session, [i for i, _ in self.pairs])
            return
        report = play_recording.mark_aired(
            session, self.channel_id, self.first_day, self.days, self.tz
        )
        if not report.pairs:
            where = range_words(self.first_day, self.days)
            if report.planned_left:
                rows = count(report.planned_left, "row is", "rows are")
                why = f"{rows} still planned: approve first."
            else:
                why = "build and approve those days first, or they are marked already."
            raise ScheduleError(
                f"Nothing approved to mark as aired on {where}: {why}",
                detail="no approved rows without a play row in the range",
            )
        self.report, self.pairs = report, list(report.pairs)

    def backward(self, session: Session) -> None:
        play_recording.unmark_aired(session, self.pairs)

    def announce(self) -> None:
        super().announce()
        self.log.plays_changed.emit(self.channel_id)

    def announce_failure(self) -> None:
        super().announce_failure()
        self.log.plays_changed.emit(self.channel_id)


class CancelItems(_LogEdit):
    """Cancel rows (whole programmes); undo gives each row back its status."""

    def __init__(self, log: LogEdits, channel_id: int, ids: Sequence[int], text: str) -> None:
        super().__init__(log, channel_id, text)
        self.ids = list(ids)
        self.changes: list[log_status.StatusChange] | None = None

    def forward(self, session: Session) -> None:
        if self.changes is not None:
            log_status.reapply(session, self.changes)
            return
        changes = log_status.cancel(session, self.ids)
        if not changes:
            raise ScheduleError(
                "That is canceled already; nothing was changed.", detail="nothing to cancel"
            )
        self.changes = changes

    def backward(self, session: Session) -> None:
        assert self.changes is not None
        log_status.revert(session, self.changes)


class SwapItem(_LogEdit):
    """Another item in a programme's (or fill item's) place; undo restores the rows."""

    def __init__(
        self,
        log: LogEdits,
        channel_id: int,
        instance_id: int,
        item_id: int,
        tz: ZoneInfo,
        text: str,
    ) -> None:
        super().__init__(log, channel_id, text)
        self.instance_id, self.item_id, self.tz = instance_id, item_id, tz
        self.before: list[log_swap.RowSnapshot] = []

    def forward(self, session: Session) -> None:
        self.before = log_swap.swap(session, self.instance_id, self.item_id, self.tz)

    def backward(self, session: Session) -> None:
        log_swap.restore_rows(session, self.before)


class LogEdits(QObject):
    """The rundown's writer; its commands share the window's undo stack."""

    log_changed = Signal(int)  # channel id
    plays_changed = Signal(int)  # channel id: its play log gained or lost rows

    def __init__(self, catalog: CatalogEdits, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.catalog = catalog

    def approve(self, channel_id: int, first_day: date, days: int, tz: ZoneInfo) -> str | None:
        """Approve the range; None when done, else the sentence why not."""
        return self.catalog.perform(ApproveDays(self, channel_id, first_day, days, tz))

    def mark_aired(
        self, channel_id: int, first_day: date, days: int, tz: ZoneInfo
    ) -> tuple[str | None, AiredReport | None]:
        """Mark the range's approved rows as aired: (None, what was done) when done,
        else (the sentence why not, None)."""
        command = MarkAired(self, channel_id, first_day, days, tz)
        problem = self.catalog.perform(command)
        return problem, None if problem is not None else command.report

    def cancel(self, channel_id: int, ids: Sequence[int], title: str) -> str | None:
        if not ids:
            return None
        return self.catalog.perform(CancelItems(self, channel_id, ids, f"Cancel “{title}”"))

    def swap(
        self,
        channel_id: int,
        instance_id: int,
        item_id: int,
        tz: ZoneInfo,
        old_title: str,
        new_title: str,
    ) -> str | None:
        text = f"Swap “{old_title}” for “{new_title}”"
        return self.catalog.perform(SwapItem(self, channel_id, instance_id, item_id, tz, text))
