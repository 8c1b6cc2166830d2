"""The tag palette as a tree: namespaces, then their tags with how many items carry each.

The palette is small (tens to a few hundred tags), so it is read whole, but `reload`
applies only the difference as row insertions, removals and data changes: after every
drop or undo the tree keeps its expansion, selection and scroll position. Namespace rows
carry no pointer: a tag row's internal id names its namespace by a number handed out
once per namespace, so persistent indexes survive namespaces coming and going.

Drag and drop (ui/mime.py): selected tags drag out as TAGS_MIME; content rows
(CONTENT_MIME) dropped onto a tag are tagged with it through CatalogEdits, so the drop
is one undoable step. Only copies: nothing ever leaves the palette by a drag.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication
from sqlalchemy.orm import Session, sessionmaker

from retrovue_desktop.store.tags import DEFAULT_NAMESPACES, TagInfo, palette, tag_text

from .edits import CatalogEdits
from .mime import CONTENT_MIME, decode_content, tags_mime

COLUMNS = ("Tag", "Items")
# (namespace, key) of a tag row, None on a namespace row.
TAG_ROLE = Qt.ItemDataRole.UserRole + 1
# The namespace of either kind of row.
NAMESPACE_ROLE = Qt.ItemDataRole.UserRole + 2

Index = QModelIndex | QPersistentModelIndex
Tag = tuple[str, str]


def tag_caption(info: TagInfo) -> str:
    """What a tag row shows: its key, or its label with the key beside it."""
    return f"{info.label}  ({info.key})" if info.label else info.key


def namespace_order(namespaces: Sequence[str]) -> list[str]:
    """The six default namespaces in their fixed order, then custom ones A to Z."""
    custom = sorted(set(namespaces) - set(DEFAULT_NAMESPACES))
    return [*DEFAULT_NAMESPACES, *custom]


@dataclass
class _Namespace:
    name: str
    uid: int  # a tag row's internal id; never reused while the model lives
    tags: list[TagInfo] = field(default_factory=list)


class PaletteModel(QAbstractItemModel):
    """Namespaces → tags, two columns (tag, items); drags tags out, takes content drops."""

    # A drop was refused by CatalogEdits (its sentence), for the tab's message line.
    drop_refused = Signal(str)

    def __init__(
        self,
        sessions: sessionmaker[Session],
        parent: QObject | None = None,
        edits: CatalogEdits | None = None,
    ) -> None:
        super().__init__(parent)
        self._sessions = sessions
        # Content drops go through the undo stack; without one the model takes no drops.
        self.edits = edits
        self.last_drop_error: str | None = None
        self._all: list[TagInfo] = []
        self._filter = ""
        self._rows: list[_Namespace] = []
        self._uids: dict[str, int] = {}
        if edits is not None:
            # Every palette edit, its undo and redo included, shows here.
            edits.palette_changed.connect(self.reload)

    # -- what the tab drives -------------------------------------------------------------

    def reload(self) -> None:
        """Re-read the palette and apply what changed row by row."""
        with self._sessions() as session:
            self._all = palette(session)
        self._apply(self._visible())

    def set_filter(self, text: str) -> None:
        """Show only tags whose name or label contains `text` (and namespaces whose name
        does); the whole tree is rebuilt."""
        text = text.strip().lower()
        if text == self._filter:
            return
        self._filter = text
        self.beginResetModel()
        self._rows = self._visible()
        self.endResetModel()

    @property
    def filter_text(self) -> str:
        return self._filter

    def all_tags(self) -> list[TagInfo]:
        """Every palette tag, whatever the filter shows."""
        return list(self._all)

    def info(self, pair: Tag) -> TagInfo | None:
        return next((t for t in self._all if (t.namespace, t.key) == pair), None)

    def namespaces(self) -> list[str]:
        """Every namespace: the defaults, then custom ones in use (for the pickers)."""
        return namespace_order([t.namespace for t in self._all])

    def tag_at(self, index: Index) -> Tag | None:
        info = self.info_at(index)
        return (info.namespace, info.key) if info is not None else None

    def info_at(self, index: Index) -> TagInfo | None:
        if not index.isValid() or index.model() is not self:
            return None
        uid = index.internalId()
        if uid == 0:
            return None
        namespace = self._by_uid(uid)
        if namespace is None or not 0 <= index.row() < len(namespace.tags):
            return None
        return namespace.tags[index.row()]

    def namespace_at(self, index: Index) -> str | None:
        if not index.isValid():
            return None
        uid = index.internalId()
        if uid == 0:
            row = index.row()
            return self._rows[row].name if 0 <= row < len(self._rows) else None
        namespace = self._by_uid(uid)
        return namespace.name if namespace is not None else None

    def index_of_tag(self, pair: Tag, column: int = 0) -> QModelIndex:
        """The row of a tag, or an invalid index if it is not shown."""
        for ns_row, namespace in enumerate(self._rows):
            if namespace.name != pair[0]:
                continue
            for row, info in enumerate(namespace.tags):
                if info.key == pair[1]:
                    return self.index(row, column, self.index(ns_row, 0))
        return QModelIndex()

    def first_tag_index(self) -> QModelIndex:
        """The first tag shown, or an invalid index if none is."""
        for ns_row, namespace in enumerate(self._rows):
            if namespace.tags:
                return self.index(0, 0, self.index(ns_row, 0))
        return QModelIndex()

    def index_of_namespace(self, name: str) -> QModelIndex:
        for row, namespace in enumerate(self._rows):
            if namespace.name == name:
                return self.index(row, 0)
        return QModelIndex()

    # -- Qt model interface --------------------------------------------------------------

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not 0 <= column < len(COLUMNS) or row < 0:
            return QModelIndex()
        if not parent.isValid():
            if row >= len(self._rows):
                return QModelIndex()
            return self.createIndex(row, column, 0)
        if parent.internalId() != 0 or parent.column() != 0:
            return QModelIndex()  # tags have no children; only column 0 has children
        if not 0 <= parent.row() < len(self._rows):
            return QModelIndex()
        namespace = self._rows[parent.row()]
        if row >= len(namespace.tags):
            return QModelIndex()
        return self.createIndex(row, column, namespace.uid)

    def parent(self, child: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not child.isValid() or child.internalId() == 0:
            return QModelIndex()
        for row, namespace in enumerate(self._rows):
            if namespace.uid == child.internalId():
                return self.createIndex(row, 0, 0)
        return QModelIndex()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self._rows)
        if parent.internalId() != 0 or parent.column() != 0:
            return 0
        row = parent.row()
        return len(self._rows[row].tags) if 0 <= row < len(self._rows) else 0

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return len(COLUMNS)

    def hasChildren(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return self.rowCount(parent) > 0

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        if role == Qt.ItemDataRole.TextAlignmentRole and section == 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.internalId() != 0:
            flags |= Qt.ItemFlag.ItemIsDragEnabled | Qt.ItemFlag.ItemNeverHasChildren
            if self.edits is not None:
                flags |= Qt.ItemFlag.ItemIsDropEnabled
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        column = index.column()
        info = self.info_at(index)
        if info is None:  # a namespace row
            name = self.namespace_at(index)
            if name is None:
                return None
            return self._namespace_data(name, column, role)
        if role == Qt.ItemDataRole.DisplayRole:
            return tag_caption(info) if column == 0 else f"{info.items:,}"
        if role == TAG_ROLE:
            return (info.namespace, info.key)
        if role == NAMESPACE_ROLE:
            return info.namespace
        if role == Qt.ItemDataRole.ToolTipRole:
            carried = (
                "no items"
                if info.items == 0
                else f"{info.items:,} item" + ("s" if info.items != 1 else "")
            )
            label = f" ({info.label})" if info.label else ""
            return f"{info.text}{label}: {carried}. Drag it onto items to tag them."
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and info.items == 0:
            return QColor(
                QApplication.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
            )
        return None

    def _namespace_data(self, name: str, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 1:
                return None
            return name
        if role == NAMESPACE_ROLE:
            return name
        if role == Qt.ItemDataRole.FontRole and column == 0:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            count = len(self._tags_of(name))
            kind = "default namespace" if name in DEFAULT_NAMESPACES else "custom namespace"
            tags = "no tags yet" if count == 0 else f"{count} tag{'s' if count != 1 else ''}"
            return f"{name}: {kind}, {tags}"
        return None

    # -- drag and drop -------------------------------------------------------------------

    def mimeTypes(self) -> list[str]:
        return [CONTENT_MIME] if self.edits is not None else []

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        """The tags of the dragged rows (namespace rows are not dragged), ids only."""
        pairs: list[Tag] = []
        for index in sorted(
            (i for i in indexes if i.isValid()), key=lambda i: (i.internalId(), i.row())
        ):
            pair = self.tag_at(index)
            if pair is not None and pair not in pairs:
                pairs.append(pair)
        return tags_mime(pairs)

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction

    def supportedDropActions(self) -> Qt.DropAction:
        # Copy only: content dropped here is tagged, never moved or taken from its list.
        return Qt.DropAction.CopyAction

    def canDropMimeData(
        self, data: QMimeData | None, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        return (
            self.edits is not None
            and action == Qt.DropAction.CopyAction
            and row == -1  # onto a row, not between rows
            and self.tag_at(parent) is not None
            and bool(decode_content(data))
        )

    def dropMimeData(
        self, data: QMimeData | None, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        """Content rows dropped on a tag get that tag (one undoable step)."""
        self.last_drop_error = None
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        pair = self.tag_at(parent)
        assert pair is not None and self.edits is not None
        error = self.edits.apply_tags(decode_content(data), [pair])
        self.last_drop_error = error
        if error is not None:
            self.drop_refused.emit(error)
        return error is None

    # -- internals -----------------------------------------------------------------------

    def _by_uid(self, uid: int) -> _Namespace | None:
        return next((n for n in self._rows if n.uid == uid), None)

    def _tags_of(self, name: str) -> list[TagInfo]:
        return [t for t in self._all if t.namespace == name]

    def _uid(self, name: str) -> int:
        if name not in self._uids:
            self._uids[name] = len(self._uids) + 1
        return self._uids[name]

    def _visible(self) -> list[_Namespace]:
        """What the tree shows for the current palette and filter, in display order."""
        text = self._filter
        grouped: dict[str, list[TagInfo]] = {}
        for info in self._all:
            grouped.setdefault(info.namespace, []).append(info)
        shown: list[_Namespace] = []
        for name in namespace_order(list(grouped)):
            tags = sorted(grouped.get(name, []), key=lambda t: t.key)
            if text and text not in name:
                tags = [
                    t
                    for t in tags
                    if text in tag_text(t.namespace, t.key) or text in (t.label or "").lower()
                ]
                if not tags:
                    continue
            shown.append(_Namespace(name, self._uid(name), tags))
        return shown

    def _apply(self, new: list[_Namespace]) -> None:
        """Turn the shown tree into `new` with removals, insertions and data changes."""
        wanted = {n.name for n in new}
        for row in reversed(range(len(self._rows))):
            if self._rows[row].name not in wanted:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._rows[row]
                self.endRemoveRows()
        kept = [n.name for n in self._rows]
        if kept != [n.name for n in new if n.name in set(kept)]:
            self.beginResetModel()  # an order we did not make; never expected
            self._rows = new
            self.endResetModel()
            return
        for row, namespace in enumerate(new):
            if row < len(self._rows) and self._rows[row].name == namespace.name:
                self._update_tags(row, namespace.tags)
                continue
            self.beginInsertRows(QModelIndex(), row, row)
            self._rows.insert(row, namespace)
            self.endInsertRows()

    def _update_tags(self, ns_row: int, new: list[TagInfo]) -> None:
        namespace = self._rows[ns_row]
        parent = self.index(ns_row, 0)
        count_before = len(namespace.tags)
        wanted = {t.key for t in new}
        for row in reversed(range(len(namespace.tags))):
            if namespace.tags[row].key not in wanted:
                self.beginRemoveRows(parent, row, row)
                del namespace.tags[row]
                self.endRemoveRows()
        for row, info in enumerate(new):
            current = namespace.tags[row] if row < len(namespace.tags) else None
            if current is not None and current.key == info.key:
                if current != info:
                    namespace.tags[row] = info
                    self.dataChanged.emit(
                        self.index(row, 0, parent), self.index(row, len(COLUMNS) - 1, parent)
                    )
                continue
            self.beginInsertRows(parent, row, row)
            namespace.tags.insert(row, info)
            self.endInsertRows()
        if len(namespace.tags) != count_before:  # the namespace's tooltip counts its tags
            self.dataChanged.emit(parent, parent, [Qt.ItemDataRole.ToolTipRole])
