"""Every grid edit as an undoable command on the window's one undo stack.

The grid and the block editor never write blocks themselves: they ask ScheduleEdits,
which writes in one transaction through `scheduling.blocks` (so nothing overlapping is
ever saved), pushes a command that undoes it exactly, and says which channel changed.
Added and deleted blocks come back under the ids they had, so later commands on the
stack still find them. A refusal writes nothing and comes back as a sentence.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QObject, Signal
from sqlalchemy.orm import Session

from retrovue_desktop.scheduling import blocks
from retrovue_desktop.scheduling.blocks import BlockRow, BlockValues

from .edits import CatalogEdits, Edit


def _plural(count: int, one: str) -> str:
    return f"{count} {one}" if count == 1 else f"{count} {one}s"


def _named(rows: Sequence[BlockValues]) -> str:
    return f"“{rows[0].name}”" if len(rows) == 1 else _plural(len(rows), "block")


class _BlockEdit(Edit):
    SUBJECT = "the schedule"

    def __init__(self, schedule: ScheduleEdits, channel_id: int, text: str) -> None:
        super().__init__(schedule.catalog, text)
        self.schedule = schedule
        self.channel_id = channel_id

    def announce(self) -> None:
        self.schedule.blocks_changed.emit(self.channel_id)

    def announce_failure(self) -> None:
        self.schedule.blocks_changed.emit(self.channel_id)


class AddBlocks(_BlockEdit):
    """New blocks (drawn, pasted, duplicated); undo removes them, redo restores them
    under the same ids."""

    def __init__(
        self, schedule: ScheduleEdits, channel_id: int, values: Sequence[BlockValues], text: str
    ) -> None:
        super().__init__(schedule, channel_id, text)
        self.values = list(values)
        self.ids: list[int] | None = None

    def forward(self, session: Session) -> None:
        self.ids = blocks.create_blocks(
            session, self.channel_id, self.values, self.ids, self.schedule.default_ceiling
        )

    def backward(self, session: Session) -> None:
        assert self.ids is not None
        blocks.delete_blocks(session, self.ids)


class ChangeBlocks(_BlockEdit):
    """Moved, resized or edited blocks; undo puts back the values they had."""

    def __init__(
        self,
        schedule: ScheduleEdits,
        channel_id: int,
        changes: Mapping[int, BlockValues],
        text: str,
    ) -> None:
        super().__init__(schedule, channel_id, text)
        self.after = dict(changes)
        self.before: dict[int, BlockValues] = {}

    def forward(self, session: Session) -> None:
        self.before = blocks.update_blocks(session, self.after, self.schedule.default_ceiling)

    def backward(self, session: Session) -> None:
        blocks.update_blocks(session, self.before, self.schedule.default_ceiling)


class DeleteBlocks(_BlockEdit):
    """Removed blocks; undo restores them, their ids and their programme log links."""

    def __init__(
        self, schedule: ScheduleEdits, channel_id: int, block_ids: Sequence[int], text: str
    ) -> None:
        super().__init__(schedule, channel_id, text)
        self.block_ids = list(block_ids)
        self.rows: list[BlockRow] = []
        self.links: dict[int, list[int]] = {}

    def forward(self, session: Session) -> None:
        self.links = blocks.instance_links(session, self.block_ids)
        self.rows = blocks.delete_blocks(session, self.block_ids)

    def backward(self, session: Session) -> None:
        blocks.create_blocks(
            session,
            self.channel_id,
            [r.values for r in self.rows],
            [r.id for r in self.rows],
            self.schedule.default_ceiling,
        )
        blocks.relink_instances(session, self.links)


class ScheduleEdits(QObject):
    """The window's one writer of schedule blocks; its commands share the catalogue's
    undo stack so Ctrl+Z undoes the last edit wherever it was made."""

    blocks_changed = Signal(int)  # channel id

    def __init__(self, catalog: CatalogEdits, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.catalog = catalog
        # The station's rating ceiling for channels that leave theirs empty (settings).
        self.default_ceiling: str | None = None

    def add_blocks(
        self, channel_id: int, values: Sequence[BlockValues], text: str | None = None
    ) -> str | None:
        if not values:
            return None
        words = text or f"Add {_named(values)}"
        return self.catalog.perform(AddBlocks(self, channel_id, values, words))

    def change_blocks(
        self, channel_id: int, changes: Mapping[int, BlockValues], text: str | None = None
    ) -> str | None:
        if not changes:
            return None
        words = text or f"Change {_named(list(changes.values()))}"
        return self.catalog.perform(ChangeBlocks(self, channel_id, changes, words))

    def delete_blocks(
        self, channel_id: int, block_ids: Sequence[int], names: Sequence[str] = ()
    ) -> str | None:
        if not block_ids:
            return None
        what = f"“{names[0]}”" if len(names) == 1 else _plural(len(block_ids), "block")
        return self.catalog.perform(DeleteBlocks(self, channel_id, block_ids, f"Delete {what}"))
