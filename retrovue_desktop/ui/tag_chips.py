"""The shown item's tags as chips that wrap like words, each with a button to take it off.

A chip takes keyboard focus (Tab, arrow keys between chips) so Delete removes the one
that has it; focus then moves to its neighbour, so a run of Deletes clears the row.
Removal goes through CatalogEdits, so Ctrl+Z gives the tag back.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence

from PySide6.QtCore import QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFocusEvent, QKeyEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLayoutItem,
    QSizePolicy,
    QToolButton,
    QWidget,
)

from retrovue_desktop.store.tags import tag_text

from .edits import CatalogEdits
from .style import ERROR, chip_palette, follow_palette, mix, muted, tone

# A soft background per namespace, so chips of one kind read as a group; custom
# namespaces get one of the same hues by a stable hash of their name.
HUES = {"audience": 200, "holiday": 0, "brand": 270, "tone": 40, "genre": 140, "season": 90}


def chip_colours(namespace: str) -> tuple[QColor, QColor, QColor]:
    """(background, border, text) of a chip of `namespace` in the current scheme: a pale
    tint with dark text on a light palette, a deep one with light text on a dark one."""
    hue = HUES.get(namespace, zlib.crc32(namespace.encode()) % 360) / 360
    return chip_palette(hue)


class FlowLayout(QLayout):
    """Children left to right, wrapping to a new line when the width runs out."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 6) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:
        return self.minimumSize()

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        margins = self.contentsMargins()
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    def _arrange(self, rect: QRect, move: bool) -> int:
        """Place (or only measure) the items in `rect`; the height they need."""
        margins = self.contentsMargins()
        area = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        x, y, line = area.x(), area.y(), 0
        for item in self._items:
            if item.isEmpty():  # a hidden widget takes no room
                continue
            hint = item.sizeHint()
            if x > area.x() and x + hint.width() > area.right() + 1:
                x, y, line = area.x(), y + line + self._spacing, 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self._spacing
            line = max(line, hint.height())
        return y + line - rect.y() + margins.bottom()


class TagChip(QFrame):
    """One tag: its name and a remove button; Delete or Backspace removes it when focused."""

    remove_requested = Signal(str, str)

    def __init__(
        self, namespace: str, key: str, value: str | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.namespace, self.key = namespace, key
        self.setObjectName("tagChip")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        text = tag_text(namespace, key)
        self.label = QLabel(text if value is None else f"{text} = {value}")
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.button = QToolButton()
        self.button.setText("\N{MULTIPLICATION SIGN}")
        self.button.setAutoRaise(True)
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.button.setToolTip(f"Take {text} off this item (Delete)")
        self.button.setAccessibleName(f"Remove {text}")
        self.button.clicked.connect(lambda: self.remove_requested.emit(namespace, key))
        self.setToolTip(f"{text}: select and press Delete to take it off this item")
        self.setAccessibleName(f"Tag {text}")
        follow_palette(self, self._restyle, "chip")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 1, 2, 1)
        layout.setSpacing(0)
        layout.addWidget(self.label)
        layout.addWidget(self.button)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    def _restyle(self) -> None:
        background, border, text = (c.name() for c in chip_colours(self.namespace))
        button = mix(QColor(text), QColor(background), 0.25).name()
        self.setStyleSheet(
            f"QFrame#tagChip {{ background: {background}; border: 1px solid {border};"
            " border-radius: 10px; }"
            " QFrame#tagChip:focus { border: 2px solid palette(highlight); }"
            f" QLabel {{ color: {text}; background: transparent; }}"
            f" QToolButton {{ color: {button}; border: none; padding: 0 2px; font-weight: bold; }}"
            f" QToolButton:hover {{ color: {tone(ERROR).name()}; }}"
        )

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.remove_requested.emit(self.namespace, self.key)
        elif key == Qt.Key.Key_Right:
            self.focusNextChild()
        elif key == Qt.Key.Key_Left:
            self.focusPreviousChild()
        else:
            super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.update()


class TagChips(QWidget):
    """The item's tags; a removal is an undoable CatalogEdits edit. A refusal comes out
    of `refused` as the operator's sentence for the owner to show."""

    refused = Signal(str)

    EMPTY_TEXT = "No tags yet: drag tags here from the Tags tab."

    def __init__(self, edits: CatalogEdits, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edits = edits
        self.item_id: int | None = None
        self._chips: list[TagChip] = []
        self._refocus: int | None = None  # chip index to focus after the next rebuild
        self.empty = QLabel(self.EMPTY_TEXT)
        muted(self.empty)
        self.flow = FlowLayout(self)
        self.flow.addWidget(self.empty)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)

    def chips(self) -> list[TagChip]:
        return list(self._chips)

    def set_tags(self, item_id: int | None, tags: Sequence[tuple[str, str, str | None]]) -> None:
        """Show `tags` (namespace, key, value) of `item_id`, replacing every chip."""
        self.item_id = item_id
        for chip in self._chips:
            self.flow.removeWidget(chip)
            chip.hide()
            chip.deleteLater()
        self._chips = []
        for namespace, key, value in tags:
            chip = TagChip(namespace, key, value, self)
            chip.remove_requested.connect(self.remove)
            self.flow.addWidget(chip)
            chip.show()
            self._chips.append(chip)
        self.empty.setVisible(not self._chips)
        if self._refocus is not None:
            if self._chips:
                self._chips[min(self._refocus, len(self._chips) - 1)].setFocus(
                    Qt.FocusReason.OtherFocusReason
                )
            self._refocus = None
        self.updateGeometry()

    def remove(self, namespace: str, key: str) -> str | None:
        """Take the tag off the item; None when done, else the refusal (also emitted)."""
        if self.item_id is None:
            return None
        focused = [i for i, c in enumerate(self._chips) if c.hasFocus()]
        self._refocus = focused[0] if focused else None
        refusal = self.edits.remove_tags([self.item_id], [(namespace, key)])
        self._refocus = None
        if refusal is not None:
            self.refused.emit(refusal)
        return refusal
