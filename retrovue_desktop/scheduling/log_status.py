"""Approving and canceling programme log rows, and the undo and redo of each; no Qt.

Canceling any part of a programme cancels all its parts (`programme_rows`): the operator
acts on the programme. Every function works in the caller's session and never commits,
so each operator action is one transaction; refusals are ScheduleError sentences raised
before anything is written. Each write returns its StatusChange list, so that `revert`
and `reapply` put it back exactly, or refuse when the log has moved on underneath.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, select, update
from sqlalchemy.orm import Session

from retrovue_desktop.store.tables import INSTANCES as INST

from . import clock
from .errors import ScheduleError
from .programme_log import LIVE, RundownRow, missing_rows, programme_rows

MAX_APPROVE_DAYS = 366


@dataclass(frozen=True)
class StatusChange:
    """One row's status before and after an approve or cancel (undo and redo)."""

    id: int
    before: str
    after: str


def approve(
    session: Session, channel_id: int, first_day: date, days: int, tz: ZoneInfo
) -> list[StatusChange]:
    """`planned` → `approved` for the rows starting on the `days` local dates from
    `first_day`; returns the rows changed (how many: its length)."""
    if not 1 <= days <= MAX_APPROVE_DAYS:
        raise ScheduleError(
            f"Approve 1 to {MAX_APPROVE_DAYS} days at a time.", detail=f"days={days}"
        )
    lo = clock.day_bounds(first_day, tz)[0]
    hi = clock.day_bounds(first_day + timedelta(days=days - 1), tz)[1]
    where = and_(
        INST.c.channel_id == channel_id,
        INST.c.starts_at >= lo,
        INST.c.starts_at < hi,
        INST.c.status == "planned",
    )
    ids = list(session.execute(select(INST.c.id).where(where).order_by(INST.c.id)).scalars())
    if ids:
        session.execute(update(INST).where(INST.c.id.in_(ids)).values(status="approved"))
    return [StatusChange(i, "planned", "approved") for i in ids]


def _moved_on() -> ScheduleError:
    return ScheduleError(
        "The programme log changed since; the rundown will show it as it is now.",
        detail="status or rows differ from the recorded change",
    )


def _set_statuses(session: Session, pairs: Sequence[tuple[int, str, str]]) -> None:
    """Move each row from its expected status to the new one, all or none."""
    if not pairs:
        return
    ids = [i for i, _, _ in pairs]
    now = dict(session.execute(select(INST.c.id, INST.c.status).where(INST.c.id.in_(ids))).all())
    if len(now) != len(set(ids)):
        raise missing_rows(set(ids) - set(now))
    if any(now[i] != expected for i, expected, _ in pairs):
        raise _moved_on()
    by_status: dict[str, list[int]] = {}
    for i, _, wanted in pairs:
        by_status.setdefault(wanted, []).append(i)
    for wanted, chosen in by_status.items():
        session.execute(update(INST).where(INST.c.id.in_(chosen)).values(status=wanted))


def revert(session: Session, changes: Sequence[StatusChange]) -> None:
    """Undo an approve or cancel: each row back from `after` to `before`."""
    _set_statuses(session, [(c.id, c.after, c.before) for c in changes])


def reapply(session: Session, changes: Sequence[StatusChange]) -> None:
    """Redo an approve or cancel exactly as it was done."""
    _set_statuses(session, [(c.id, c.before, c.after) for c in changes])


def cancel(session: Session, instance_ids: Iterable[int]) -> list[StatusChange]:
    """Cancel the rows and every other part of their programmes; rows already canceled
    are passed over, a played one refuses the whole cancel. Returns what changed."""
    wanted: dict[int, RundownRow] = {}
    for instance_id in dict.fromkeys(instance_ids):
        if instance_id in wanted:
            continue
        for row in programme_rows(session, instance_id):
            wanted[row.id] = row
    played = [r for r in wanted.values() if r.status == "played"]
    if played:
        first = min(played, key=lambda r: r.starts_at)
        raise ScheduleError(
            f"“{first.title}” at {first.local_start[:5]} has already aired, so it cannot be"
            " canceled.",
            detail=f"schedule instance {first.id} is played",
        )
    changes = [
        StatusChange(r.id, r.status, "canceled")
        for r in sorted(wanted.values(), key=lambda r: (r.starts_at, r.id))
        if r.status in LIVE
    ]
    _set_statuses(session, [(c.id, c.before, c.after) for c in changes])
    return changes
