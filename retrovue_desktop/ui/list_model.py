"""A read-only table over a Python list that is replaced whole (a day's rundown, a
day's reconciliation, a file's markers): the Qt plumbing those models share.

A subclass names its `columns` and writes `data`; `_replace` swaps the list in one
model reset, `_items` and `_item_at` read it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

T = TypeVar("T")
Index = QModelIndex | QPersistentModelIndex


class ListTableModel(QAbstractTableModel, Generic[T]):
    """Rows from a list, a header from `columns`, every cell selectable."""

    columns: tuple[str, ...] = ()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._items: list[T] = []

    def _replace(self, items: Sequence[T]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self.endResetModel()

    def _item_at(self, row: int) -> T | None:
        return self._items[row] if 0 <= row < len(self._items) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.columns)
        ):
            return self.columns[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
