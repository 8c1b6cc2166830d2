"""Every catalogue edit the window makes, as undoable commands on one shared QUndoStack.

Tabs and panes never write tags, overrides or markers themselves: they call CatalogEdits,
which does the work in one transaction, pushes a command that can undo it exactly, and
says what changed (signals) so every view re-reads only that. A refused edit writes
nothing and comes back as the operator's sentence. Tagging many items at once runs on a
worker thread so the window never freezes; its command joins the stack when it is done.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from retrovue_desktop.errors import OperatorError
from retrovue_desktop.progress import CancelFn, ProgressFn
from retrovue_desktop.store import editorial, markers, tags
from retrovue_desktop.store.markers import MarkerView

from .jobs import Job

log = logging.getLogger(__name__)

Tag = tuple[str, str]
# Item-tag pairs above which tagging runs on a worker thread instead of the UI thread.
BACKGROUND_AT = 5_000
UNDO_LIMIT = 200


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count:,} {one if count == 1 else (many or one + 's')}"


def _tags_text(pairs: Sequence[Tag]) -> str:
    shown = ", ".join(tags.tag_text(n, k) for n, k in pairs[:3])
    return shown + (f" and {len(pairs) - 3} more" if len(pairs) > 3 else "")


class Edit(QUndoCommand):
    """One edit: `forward` does it, `backward` undoes it, each inside one transaction.

    The first forward runs before the command joins the stack (so a refusal never
    reaches it); QUndoStack's first redo() is then skipped.
    """

    def __init__(self, edits: CatalogEdits, text: str) -> None:
        super().__init__(text)
        self.edits = edits
        self._pushed = False

    def forward(self, session: Session) -> None:
        raise NotImplementedError

    def backward(self, session: Session) -> None:
        raise NotImplementedError

    # What an undo that no longer fits says has moved on underneath it.
    SUBJECT = "the catalogue"

    def announce(self) -> None:
        """Emit what changed (after forward or backward)."""

    def announce_failure(self) -> None:
        """An undo or redo failed: make every view re-read."""
        self.edits.items_changed.emit(None)

    def redo(self) -> None:
        if not self._pushed:
            self._pushed = True
            return
        self.edits.run_step(self, self.forward, "redo")

    def undo(self) -> None:
        self.edits.run_step(self, self.backward, "undo")


class ApplyTags(Edit):
    """Give items tags; undo takes each tag off only the items that did not have it."""

    def __init__(self, edits: CatalogEdits, item_ids: Sequence[int], pairs: Sequence[Tag]) -> None:
        super().__init__(
            edits,
            f"Tag {_plural(len(item_ids), 'item')} with {_tags_text(pairs)}",
        )
        self.item_ids = list(item_ids)
        self.pairs = list(pairs)
        self.added: dict[Tag, list[int]] = {}

    def forward(self, session: Session) -> None:
        self.added = {}
        for namespace, key in self.pairs:
            had = tags.carriers(session, self.item_ids, namespace, key)
            new = [i for i in self.item_ids if i not in had]
            tags.apply_tag(session, new, namespace, key)
            self.added[(namespace, key)] = new

    def backward(self, session: Session) -> None:
        for (namespace, key), ids in self.added.items():
            tags.remove_tag(session, ids, namespace, key)

    def count(self) -> int:
        return sum(len(ids) for ids in self.added.values())

    def announce(self) -> None:
        self.edits.items_changed.emit(self.item_ids)
        self.edits.palette_changed.emit()


class RemoveTags(Edit):
    """Take tags off items; undo gives them back with their values."""

    def __init__(self, edits: CatalogEdits, item_ids: Sequence[int], pairs: Sequence[Tag]) -> None:
        super().__init__(edits, f"Remove {_tags_text(pairs)} from {_plural(len(item_ids), 'item')}")
        self.item_ids = list(item_ids)
        self.pairs = list(pairs)
        self.removed: dict[Tag, dict[int, str | None]] = {}

    def forward(self, session: Session) -> None:
        self.removed = {}
        for namespace, key in self.pairs:
            self.removed[(namespace, key)] = tags.carriers(session, self.item_ids, namespace, key)
            tags.remove_tag(session, self.item_ids, namespace, key)

    def backward(self, session: Session) -> None:
        for (namespace, key), values in self.removed.items():
            tags.put_tag_values(session, namespace, key, values)

    def count(self) -> int:
        return sum(len(values) for values in self.removed.values())

    def announce(self) -> None:
        self.edits.items_changed.emit(self.item_ids)
        self.edits.palette_changed.emit()


class PaletteEdit(Edit):
    """Create, rename, merge or delete palette tags; undo restores every tag involved
    exactly as it was (items, values, palette entry and label)."""

    def __init__(
        self,
        edits: CatalogEdits,
        text: str,
        involved: Sequence[Tag],
        action: Callable[[Session], object],
    ) -> None:
        super().__init__(edits, text)
        self.involved = list(dict.fromkeys(involved))
        self.action = action
        self.before: list[tags.TagSnapshot] = []
        self.result: object = None

    def forward(self, session: Session) -> None:
        self.before = [tags.snapshot_tag(session, n, k) for n, k in self.involved]
        self.result = self.action(session)

    def backward(self, session: Session) -> None:
        for snapshot in self.before:
            tags.restore_tag(session, snapshot)

    def announce(self) -> None:
        self.edits.items_changed.emit(None)
        self.edits.palette_changed.emit()


class SetOverride(Edit):
    """Set (or, with both None, revert) an item's title and synopsis overrides."""

    def __init__(
        self,
        edits: CatalogEdits,
        text: str,
        item_id: int,
        title: str | None,
        synopsis: str | None,
    ) -> None:
        super().__init__(edits, text)
        self.item_id = item_id
        self.values = (title, synopsis)
        self.previous: tuple[str | None, str | None] = (None, None)

    def forward(self, session: Session) -> None:
        view = editorial.editorial_of(session, self.item_id)
        self.previous = (view.override_title, view.override_synopsis)
        editorial.set_override(session, self.item_id, *self.values)

    def backward(self, session: Session) -> None:
        editorial.set_override(session, self.item_id, *self.previous)

    def announce(self) -> None:
        self.edits.items_changed.emit([self.item_id])
        self.edits.editorial_changed.emit(self.item_id)


class MarkerEdit(Edit):
    """Add, change or delete one manual marker. Undo puts back the marker as it was,
    under the same id, so the commands around it on the stack still name it."""

    def __init__(
        self,
        edits: CatalogEdits,
        text: str,
        action: str,
        media_file_id: int,
        marker: MarkerView,
    ) -> None:
        super().__init__(edits, text)
        self.action = action  # "add", "update" or "delete"
        self.media_file_id = media_file_id
        self.wanted = marker  # the marker after an add or update; unused for delete
        self.before: MarkerView | None = None
        self.after: MarkerView | None = None

    def forward(self, session: Session) -> None:
        w = self.wanted
        if self.action == "add":
            if self.after is None:
                self.after = markers.add_marker(
                    session, self.media_file_id, w.kind, w.start_ms, w.end_ms, w.label
                )
            else:
                markers.restore_marker(session, self.media_file_id, self.after)
            return
        if self.before is None:
            action = "edited" if self.action == "update" else "deleted"
            self.media_file_id, self.before = markers.manual_marker(session, w.id, action)
        if self.action == "update":
            self.after = markers.update_marker(session, w.id, w.kind, w.start_ms, w.end_ms, w.label)
        else:
            markers.delete_marker(session, w.id)

    def backward(self, session: Session) -> None:
        if self.action == "add":
            assert self.after is not None
            markers.delete_marker(session, self.after.id)
            return
        before = self.before
        assert before is not None
        if self.action == "update":
            markers.update_marker(
                session, before.id, before.kind, before.start_ms, before.end_ms, before.label
            )
        else:
            markers.restore_marker(session, self.media_file_id, before)

    def announce(self) -> None:
        self.edits.markers_changed.emit(self.media_file_id)


class CatalogEdits(QObject):
    """The window's one writer of tags, overrides and markers, and its undo stack."""

    # Item ids whose rows changed, or None when too many to say (a palette rename).
    items_changed = Signal(object)
    palette_changed = Signal()
    editorial_changed = Signal(int)
    markers_changed = Signal(int)  # media file id
    # A sentence for the status bar when an edit finished, and when one failed.
    done = Signal(str)
    failed = Signal(str)
    # A background tagging job started (True) or ended (False).
    busy_changed = Signal(bool)

    def __init__(self, sessions: sessionmaker[Session], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.sessions = sessions
        self.stack = QUndoStack(self)
        self.stack.setUndoLimit(UNDO_LIMIT)
        self._job: Job | None = None

    # -- tags on items -------------------------------------------------------------------

    def apply_tags(self, item_ids: Iterable[int], pairs: Iterable[Tag]) -> str | None:
        """Tag the items; a large set is tagged on a worker thread (see `busy`)."""
        ids, wanted = list(dict.fromkeys(item_ids)), list(dict.fromkeys(pairs))
        if not ids or not wanted:
            return None
        command = ApplyTags(self, ids, wanted)
        if len(ids) * len(wanted) >= BACKGROUND_AT:
            return self._in_background(command)
        return self.perform(command)

    def remove_tags(self, item_ids: Iterable[int], pairs: Iterable[Tag]) -> str | None:
        ids, wanted = list(dict.fromkeys(item_ids)), list(dict.fromkeys(pairs))
        if not ids or not wanted:
            return None
        return self.perform(RemoveTags(self, ids, wanted))

    # -- the palette ---------------------------------------------------------------------

    def create_tag(self, namespace: str, key: str, label: str | None = None) -> str | None:
        text = f"Create tag {tags.tag_text(namespace, key)}"
        return self.perform(
            PaletteEdit(
                self, text, [(namespace, key)],
                lambda s: tags.create_tag(s, namespace, key, label),
            )
        )  # fmt: skip

    def rename_tag(self, old: Tag, new: Tag) -> str | None:
        text = f"Rename {tags.tag_text(*old)} to {tags.tag_text(*new)}"
        return self.perform(
            PaletteEdit(self, text, [old, new], lambda s: tags.rename_tag(s, *old, *new))
        )

    def merge_tags(self, sources: Sequence[Tag], target: Tag) -> str | None:
        text = f"Merge {_tags_text(sources)} into {tags.tag_text(*target)}"
        return self.perform(
            PaletteEdit(
                self, text, [*sources, target], lambda s: tags.merge_tags(s, sources, target)
            )
        )

    def delete_tag(self, namespace: str, key: str) -> str | None:
        text = f"Delete tag {tags.tag_text(namespace, key)}"
        return self.perform(
            PaletteEdit(
                self, text, [(namespace, key)], lambda s: tags.delete_tag(s, namespace, key)
            )
        )

    # -- editorial -----------------------------------------------------------------------

    def set_override(self, item_id: int, title: str | None, synopsis: str | None) -> str | None:
        return self.perform(SetOverride(self, "Edit title and synopsis", item_id, title, synopsis))

    def revert_to_source(self, item_id: int) -> str | None:
        return self.perform(SetOverride(self, "Revert to source", item_id, None, None))

    # -- markers -------------------------------------------------------------------------

    def add_marker(
        self, media_file_id: int, kind: str, start_ms: int, end_ms: int | None, label: str | None
    ) -> str | None:
        new = MarkerView(0, kind, start_ms, end_ms, label, "manual", True)
        text = f"Add {markers.KIND_NAMES.get(kind, 'marker')}"
        return self.perform(MarkerEdit(self, text, "add", media_file_id, new))

    def update_marker(
        self, marker_id: int, kind: str, start_ms: int, end_ms: int | None, label: str | None
    ) -> str | None:
        new = MarkerView(marker_id, kind, start_ms, end_ms, label, "manual", True)
        text = f"Edit {markers.KIND_NAMES.get(kind, 'marker')}"
        return self.perform(MarkerEdit(self, text, "update", 0, new))

    def delete_marker(self, marker_id: int) -> str | None:
        old = MarkerView(marker_id, "cue", 0, None, None, "manual", True)
        return self.perform(MarkerEdit(self, "Delete marker", "delete", 0, old))

    # -- running -------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        """A background tagging job is running; further edits wait for it."""
        return self._job is not None

    def wait(self, msecs: int = 60_000) -> bool:
        """Block until a background job ends (shutdown and tests)."""
        return self._job.wait(msecs) if self._job is not None else True

    def perform(self, command: Edit) -> str | None:
        """Do the command's first step now; on success it joins the stack."""
        if self._job is not None:
            return "Wait until the tagging that is running has finished."
        try:
            with self.sessions.begin() as session:
                command.forward(session)
        except OperatorError as exc:
            log.info("%s refused: %s %s", command.text(), exc, exc.detail)
            return str(exc)
        except SQLAlchemyError:
            log.exception("%s failed", command.text())
            return f"“{command.text()}” could not be saved; nothing was changed. See the log."
        self._joined(command)
        return None

    def _joined(self, command: Edit) -> None:
        self.stack.push(command)
        command.announce()
        self.done.emit(self._done_text(command))

    def _done_text(self, command: Edit) -> str:
        if isinstance(command, ApplyTags):
            items = _plural(command.count(), "item")
            return f"Tagged {items} with {_tags_text(command.pairs)}"
        if isinstance(command, RemoveTags):
            items = _plural(command.count(), "item")
            return f"Removed {_tags_text(command.pairs)} from {items}"
        return command.text()

    def _in_background(self, command: Edit) -> str | None:
        if self._job is not None:
            return "Wait until the tagging that is running has finished."

        def work(progress: ProgressFn, cancelled: CancelFn) -> None:
            progress(command.text(), 0, 0)
            with self.sessions.begin() as session:
                command.forward(session)

        job = Job(command.text(), work, self)
        job.succeeded.connect(lambda _r: self._joined(command))
        job.failed.connect(self.failed)
        job.finished.connect(self._job_ended)
        self._job = job
        self.busy_changed.emit(True)
        job.start()
        return None

    def _job_ended(self) -> None:
        job, self._job = self._job, None
        if job is not None:
            job.deleteLater()
        self.busy_changed.emit(False)

    def run_step(self, command: Edit, step: Callable[[Session], None], what: str) -> None:
        """Undo or redo one command. If the data moved on underneath (an item gone),
        the command is dropped from the stack and the operator told why."""
        try:
            with self.sessions.begin() as session:
                step(session)
        except (OperatorError, SQLAlchemyError) as exc:
            log.warning("%s of %s failed: %s", what, command.text(), exc)
            command.setObsolete(True)
            self.failed.emit(
                f"Could not {what} “{command.text()}”: {command.SUBJECT} changed since."
                " Nothing was changed."
            )
            command.announce_failure()
            return
        command.announce()
        self.done.emit(f"{what.capitalize()}: {command.text()}")
