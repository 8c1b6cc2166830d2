"""The Editorial tab of the detail pane: the source's title and synopsis beside the
operator's overrides, in a module of its own so the pane only assembles its tabs."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Slot
from PySide6.QtGui import QFontDatabase, QResizeEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from retrovue_desktop.store.editorial import SOURCE_NAMES as EDITORIAL_SOURCES
from retrovue_desktop.store.editorial import EditorialView
from retrovue_desktop.store.item_detail import payload_text

from .edits import CatalogEdits
from .style import ERROR, local_time_text, muted, plain_label, set_tone

# Where the source text came from, as the editor labels it.
SOURCE_WORDS = {"plex": "Plex", "file": "the file", "manual": "you"}


class ShortText(QScrollArea):
    """Read-only wrapped text as tall as it needs up to `lines`, scrolling beyond: a
    long synopsis from Plex does not push the editor off the pane."""

    def __init__(self, lines: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setWidget(self.label)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self._most = self.fontMetrics().lineSpacing() * lines + 4
        self._width = -1

    def text(self) -> str:
        return self.label.text()

    def setText(self, text: str) -> None:
        self.label.setText(text)
        self.updateGeometry()

    def sizeHint(self) -> QSize:
        width = max(self.viewport().width(), 100)
        return QSize(super().sizeHint().width(), min(self.label.heightForWidth(width), self._most))

    def minimumSizeHint(self) -> QSize:
        return QSize(40, self.sizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != self._width:  # rewrapped: maybe another height
            self._width = event.size().width()
            self.updateGeometry()


class PayloadDialog(QDialog):
    """The source payload, read-only, pretty-printed when it is JSON."""

    def __init__(self, title: str, payload_json: str | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"Source payload — {title}")
        text, problem = payload_text(payload_json)
        self.note = plain_label(problem or "")
        self.note.setWordWrap(True)
        self.note.setVisible(problem is not None)
        self.text = QPlainTextEdit(text)
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.text.setVisible(bool(text))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
        if text:
            self.resize(640, 560)
        else:
            self.resize(520, 120)


def _section(text: str) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


class EditorialEditor(QWidget):
    """The source's title and synopsis (read-only) above the operator's overrides.

    An empty override field means "use the source". Save writes both overrides (and
    the time) in one undoable edit; Revert to source clears both.
    """

    def __init__(self, edits: CatalogEdits, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edits = edits
        self.view: EditorialView | None = None
        self.payload_dialog: PayloadDialog | None = None
        self._title = ""

        self.source_title = plain_label()
        self.source_title.setWordWrap(True)
        self.source_title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.title_edit = QLineEdit()
        self.title_edit.setClearButtonEnabled(True)
        self.source_synopsis = ShortText(lines=6)
        self.synopsis_edit = QPlainTextEdit()
        self.synopsis_edit.setTabChangesFocus(True)
        self.synopsis_edit.setMinimumHeight(self.fontMetrics().lineSpacing() * 4 + 10)
        self.synopsis_edit.setMaximumHeight(self.fontMetrics().lineSpacing() * 10 + 10)
        for editor in (self.title_edit, self.synopsis_edit, self.synopsis_edit.viewport()):
            editor.setAcceptDrops(False)  # a dropped tag tags the item instead (the pane)
        self.source_title_caption = QLabel()
        self.source_synopsis_caption = QLabel()
        for caption in (self.source_title_caption, self.source_synopsis_caption):
            muted(caption)

        self.save_button = QPushButton("Save")
        self.save_button.setToolTip("Save your title and synopsis (Ctrl+S)")
        self.revert_button = QPushButton("Revert to source")
        self.revert_button.setToolTip("Drop your title and synopsis and use the source's again")
        self.status = QLabel()
        muted(self.status)
        self.error = plain_label()
        self.error.setWordWrap(True)
        set_tone(self.error, ERROR)
        self.error.hide()
        self.payload_button = QPushButton("Show source payload…")
        self.payload_button.setToolTip("What the source sent for this item, as it was stored")

        layout = QVBoxLayout(self)
        layout.addWidget(_section("Title"))
        title_form = QFormLayout()
        title_form.addRow(self.source_title_caption, self.source_title)
        title_form.addRow("Yours:", self.title_edit)
        layout.addLayout(title_form)
        layout.addSpacing(6)
        layout.addWidget(_section("Synopsis"))
        layout.addWidget(self.source_synopsis_caption)
        layout.addWidget(self.source_synopsis)
        layout.addSpacing(4)
        layout.addWidget(QLabel("Yours:"))
        layout.addWidget(self.synopsis_edit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.revert_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addWidget(self.error)
        layout.addWidget(self.status)
        layout.addSpacing(6)
        payload = QHBoxLayout()
        payload.addWidget(self.payload_button)
        payload.addStretch(1)
        layout.addLayout(payload)
        layout.addStretch(1)

        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.revert)
        self.payload_button.clicked.connect(self.show_payload)
        self.title_edit.textChanged.connect(lambda _t: self._update_buttons())
        self.title_edit.returnPressed.connect(self.save)
        self.synopsis_edit.textChanged.connect(self._update_buttons)

    @property
    def dirty(self) -> bool:
        """The fields differ from the overrides saved."""
        if self.view is None:
            return False
        return self.title_edit.text().strip() != (
            self.view.override_title or ""
        ) or self.synopsis_edit.toPlainText().strip() != (self.view.override_synopsis or "")

    def show_view(
        self, view: EditorialView, keep_typing: bool = False, library_source: str | None = None
    ) -> None:
        """Show `view`; with `keep_typing`, unsaved text in the fields stays. An item
        never edited has no editorial row: `library_source` says where it came from."""
        keep = keep_typing and self.dirty and self.view is not None
        self.view = view
        name = view.source_name or EDITORIAL_SOURCES.get(library_source or "", "")
        source = SOURCE_WORDS.get(name, "the source")
        self.source_title_caption.setText(f"From {source}:")
        self.source_synopsis_caption.setText(f"From {source}:")
        self.source_title.setText(view.source_title or "(no title)")
        self.source_synopsis.setText(view.source_synopsis or "(no synopsis)")
        self.title_edit.setPlaceholderText(
            "Type to replace the source's title" if view.source_title else "Type a title"
        )
        self.synopsis_edit.setPlaceholderText("Type to replace the source's synopsis")
        if not keep:
            self.title_edit.setText(view.override_title or "")
            self.title_edit.setCursorPosition(0)
            self.synopsis_edit.setPlainText(view.override_synopsis or "")
            self.error.hide()
        self._title = view.title or ""
        if view.override_updated_at is None:
            self.status.setText("Never edited here.")
        else:
            self.status.setText(f"Last edited {local_time_text(view.override_updated_at)}")
        self._update_buttons()

    @Slot()
    def save(self) -> str | None:
        """Save the fields as the overrides; None when saved (or nothing to save)."""
        if self.view is None or not self.dirty:
            return None
        return self._report(
            self.edits.set_override(
                self.view.item_id, self.title_edit.text(), self.synopsis_edit.toPlainText()
            )
        )

    @Slot()
    def revert(self) -> str | None:
        if self.view is None or not self.view.overridden:
            return None
        return self._report(self.edits.revert_to_source(self.view.item_id))

    @Slot()
    def show_payload(self) -> PayloadDialog | None:
        if self.view is None:
            return None
        if self.payload_dialog is not None:
            self.payload_dialog.close()
        dialog = PayloadDialog(self._title or "untitled", self.view.payload_json, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _r: setattr(self, "payload_dialog", None))
        self.payload_dialog = dialog
        dialog.open()
        return dialog

    def _report(self, refusal: str | None) -> str | None:
        self.error.setText(refusal or "")
        self.error.setVisible(refusal is not None)
        return refusal

    def _update_buttons(self) -> None:
        dirty = self.dirty
        self.save_button.setEnabled(dirty)
        self.save_button.setText("Save" if not dirty else "Save changes")
        self.revert_button.setEnabled(self.view is not None and self.view.overridden)
