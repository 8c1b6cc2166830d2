"""Errors of the scheduling layer: a sentence for the operator, the detail for the log."""

from __future__ import annotations

from typing import TYPE_CHECKING

from retrovue_desktop.errors import OperatorError

if TYPE_CHECKING:
    from .week import WeekBlock


class ScheduleError(OperatorError):
    """A block placement, constraint or ad rule the scheduling layer refused."""


class BlockConflict(ScheduleError):
    """A block would overlap others of its channel; `conflicts` holds those blocks."""

    def __init__(
        self, message: str, detail: str = "", conflicts: tuple[WeekBlock, ...] = ()
    ) -> None:
        super().__init__(message, detail)
        self.conflicts = conflicts


class ConstraintsError(ScheduleError):
    """A `schedule_blocks.constraints_json` that does not follow the schema."""


class AdRulesError(ScheduleError):
    """An `ad_policies.rules_json` that does not follow the schema."""


class BuildCancelled(ScheduleError):
    """The operator cancelled a programme-log build; nothing of it was written."""
