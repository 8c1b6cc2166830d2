"""The ad policies editor: the station's named policies on the left, one policy's rules
on the right. Each save or delete is its own short transaction; a refused input leaves a
sentence in the dialog and writes nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, QTime, Signal
from PySide6.QtGui import QColor, QFont, QKeySequence, QPainter, QPalette, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session, sessionmaker

from retrovue_desktop.errors import OperatorError
from retrovue_desktop.scheduling import ad_policies, ad_rules
from retrovue_desktop.scheduling.ad_policies import PolicyRow, describe
from retrovue_desktop.scheduling.ad_rules import MAX_BREAK_SECONDS, MAX_BREAKS, AdRules

from .style import ERROR, muted, plain_label, set_banner, set_tone

Unsaved = Literal["save", "discard", "cancel"]
SUBTITLE_ROLE = Qt.ItemDataRole.UserRole + 1
USES_ROLE = Qt.ItemDataRole.UserRole + 2
MAX_REPEAT_MINUTES = 7 * 24 * 60


def blocks_words(count: int) -> str:
    """How many blocks, in words: no blocks, 1 block, 3 blocks."""
    if count == 0:
        return "no blocks"
    return f"{count} block{'' if count == 1 else 's'}"


def delete_question(row: PolicyRow) -> str:
    """What Delete asks: how many blocks lose their ad breaks."""
    if row.blocks_using == 0:
        return f"Delete “{row.name}”? No block uses it."
    verb, they = ("uses", "it") if row.blocks_using == 1 else ("use", "they")
    return (
        f"{blocks_words(row.blocks_using).capitalize()} {verb} “{row.name}”; {they} will"
        " have no ad breaks. Delete it?"
    )


class _PolicyDelegate(QStyledItemDelegate):
    """Two lines per policy: the name in bold and how many blocks use it, then its rules."""

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        size = super().sizeHint(option, index)
        line = option.fontMetrics.lineSpacing()
        return QSize(size.width(), 2 * line + 12)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        name, opt.text = opt.text, ""
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        rect: QRect = opt.rect.adjusted(8, 6, -8, -6)
        icon = opt.icon
        if not icon.isNull():
            side = opt.fontMetrics.height()
            icon.paint(painter, QRect(rect.left(), rect.top(), side, side))
            rect.setLeft(rect.left() + side + 6)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        palette: QPalette = opt.palette
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        colour = QColor(palette.color(role))
        faint = QColor(colour)
        faint.setAlphaF(0.7)
        line = opt.fontMetrics.lineSpacing()
        left = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        painter.save()
        painter.setFont(opt.font)
        painter.setPen(faint)
        uses = str(index.data(USES_ROLE) or "")
        uses_width = painter.fontMetrics().horizontalAdvance(uses) + 8 if uses else 0
        top = QRect(rect.left(), rect.top(), rect.width(), line)
        painter.drawText(top, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, uses)
        bottom = QRect(rect.left(), rect.top() + line, rect.width(), line)
        subtitle = str(index.data(SUBTITLE_ROLE) or "")
        elide = Qt.TextElideMode.ElideRight
        painter.drawText(
            bottom, left, painter.fontMetrics().elidedText(subtitle, elide, bottom.width())
        )
        bold = QFont(opt.font)
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(colour)
        name_rect = top.adjusted(0, 0, -uses_width, 0)
        painter.drawText(
            name_rect, left, painter.fontMetrics().elidedText(name, elide, name_rect.width())
        )
        painter.restore()


class AdPoliciesDialog(QDialog):
    """Create, edit and delete ad policies. `policies_changed` follows every write so
    pickers can reload. `confirm(question)` and `ask_unsaved(question)` are seams the
    tests replace to answer without a modal box."""

    policies_changed = Signal()

    def __init__(
        self,
        sessions: sessionmaker[Session],
        parent: QWidget | None = None,
        select_id: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.sessions = sessions
        self.setWindowTitle("Ad policies")
        self.confirm: Callable[[str], bool] = self._ask_yes_no
        self.ask_unsaved: Callable[[str], Unsaved] = self._ask_unsaved
        self._rows: dict[int, PolicyRow] = {}
        self._current: int | None = None  # None: a new, unsaved policy
        self._clean: tuple[str, AdRules] = ("", AdRules())
        self._loading = False

        self.list = QListWidget()
        self.list.setItemDelegate(_PolicyDelegate(self.list))
        self.list.setMinimumWidth(390)
        self.list.setUniformItemSizes(True)
        self.list.currentItemChanged.connect(self._item_changed)

        self.heading = plain_label()
        heading_font = self.heading.font()
        heading_font.setBold(True)
        heading_font.setPointSizeF(heading_font.pointSizeF() * 1.15)
        self.heading.setFont(heading_font)
        self.usage = plain_label()
        muted(self.usage)
        self.warning = plain_label()
        self.warning.setWordWrap(True)
        set_banner(self.warning)
        self.warning.hide()

        self.name_edit = QLineEdit()
        self.name_edit.setMaxLength(ad_policies.NAME_MAX)
        self.name_edit.setPlaceholderText("such as “Prime time”")
        self.per_combo = QComboBox()
        self.per_combo.addItem("half hour", "half_hour")
        self.per_combo.addItem("programme", "programme")
        self.breaks_spin = QSpinBox()
        self.breaks_spin.setRange(0, MAX_BREAKS)
        self.length_edit = QTimeEdit()
        self.length_edit.setDisplayFormat("mm:ss")
        self.length_edit.setTimeRange(QTime(0, 0, 0), _time_of(MAX_BREAK_SECONDS))
        self.length_edit.setToolTip("Target length of one break, minutes:seconds (up to 30:00).")
        self.ad_check = QCheckBox("Ads")
        self.promo_check = QCheckBox("Promos")
        self.bumper_check = QCheckBox("Bumpers")
        self.before_check = QCheckBox("Bumper before each break")
        self.after_check = QCheckBox("Bumper after each break")
        self.repeat_spin = QSpinBox()
        self.repeat_spin.setRange(0, MAX_REPEAT_MINUTES)
        self.repeat_spin.setPrefix("at least ")
        self.repeat_spin.setSuffix(" minutes")
        self.repeat_spin.setToolTip("0 lets the same ad air in back-to-back breaks.")
        self.bumper_check.toggled.connect(self._bumpers_toggled)

        fills = QHBoxLayout()
        fills.setSpacing(16)
        for box in (self.ad_check, self.promo_check, self.bumper_check):
            fills.addWidget(box)
        fills.addStretch(1)
        bumpers = QVBoxLayout()
        bumpers.setSpacing(4)
        bumpers.addWidget(self.before_check)
        bumpers.addWidget(self.after_check)
        count = QHBoxLayout()
        count.setSpacing(8)
        count.addWidget(self.breaks_spin)
        count.addWidget(plain_label("breaks per"))
        count.addWidget(self.per_combo)
        count.addStretch(1)
        length = QHBoxLayout()
        length.setSpacing(8)
        length.addWidget(self.length_edit)
        length.addWidget(plain_label("each"))
        length.addStretch(1)
        repeat = QHBoxLayout()
        repeat.addWidget(self.repeat_spin)
        repeat.addStretch(1)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setVerticalSpacing(10)
        form.addRow("Name:", self.name_edit)
        form.addRow("Breaks:", count)
        form.addRow("Break length:", length)
        form.addRow("Fill with:", fills)
        form.addRow("", bumpers)
        form.addRow("Same ad again after:", repeat)

        self.error = plain_label()
        set_tone(self.error, ERROR)
        self.error.setWordWrap(True)
        self.error.hide()
        self.status = plain_label()
        muted(self.status)

        self.new_button = QPushButton("New")
        self.save_button = QPushButton("Save")
        self.delete_button = QPushButton("Delete…")
        self.close_button = QPushButton("Close")
        self.save_button.setDefault(True)
        self.new_button.setToolTip("New policy (Ctrl+N)")
        self.save_button.setToolTip("Save this policy (Ctrl+S)")
        self.delete_button.setToolTip("Delete this policy (Del in the list)")
        self.new_button.clicked.connect(self.new_policy)
        self.save_button.clicked.connect(self.save)
        self.delete_button.clicked.connect(self.delete)
        self.close_button.clicked.connect(self.reject)
        _shortcut(QKeySequence.StandardKey.New, self, self.new_policy)
        _shortcut(QKeySequence.StandardKey.Save, self, self.save)
        # Del only in the list: in the name field it must keep deleting characters.
        _shortcut(QKeySequence.StandardKey.Delete, self.list, self.delete).setContext(
            Qt.ShortcutContext.WidgetShortcut
        )

        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)

        right = QVBoxLayout()
        right.setSpacing(8)
        right.addWidget(self.heading)
        right.addWidget(self.usage)
        right.addWidget(self.warning)
        right.addSpacing(4)
        right.addLayout(form)
        right.addWidget(self.error)
        right.addStretch(1)
        right.addWidget(self.status)
        top = QHBoxLayout()
        top.setSpacing(16)
        top.addWidget(self.list, 2)
        top.addLayout(right, 3)
        layout = QVBoxLayout(self)
        layout.addLayout(top, 1)
        layout.addLayout(buttons)
        self.resize(930, 460)

        self._reload()
        if select_id in self._rows:
            self._show(select_id)
        elif self._rows:
            self._show(self._first_id())
        else:
            self._show(None)

    # -- seams' defaults ------------------------------------------------------------------

    def _ask_yes_no(self, question: str) -> bool:
        answer = QMessageBox.question(
            self,
            "Ad policies",
            question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _ask_unsaved(self, question: str) -> Unsaved:
        answer = QMessageBox.question(
            self,
            "Ad policies",
            question,
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            return "save"
        if answer == QMessageBox.StandardButton.Discard:
            return "discard"
        return "cancel"

    # -- the list -------------------------------------------------------------------------

    def _first_id(self) -> int | None:
        item = self.list.item(0)
        return None if item is None else int(item.data(Qt.ItemDataRole.UserRole))

    def _reload(self) -> None:
        """Read every policy again (a handful of rows) and rebuild the list."""
        with self.sessions() as session:
            rows = ad_policies.list_policies(session)
        self._rows = {row.id: row for row in rows}
        warning = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        self._loading = True
        try:
            self.list.clear()
            for row in rows:
                item = QListWidgetItem(row.name)
                item.setData(Qt.ItemDataRole.UserRole, row.id)
                if row.rules is None:
                    item.setIcon(warning)
                    summary = "Rules cannot be read"
                    item.setToolTip(row.problem or "")
                else:
                    summary = describe(row.rules)
                    item.setToolTip(summary)
                item.setData(SUBTITLE_ROLE, summary)
                item.setData(USES_ROLE, blocks_words(row.blocks_using))
                self.list.addItem(item)
        finally:
            self._loading = False

    def _select_in_list(self, policy_id: int | None) -> None:
        self._loading = True
        try:
            self.list.setCurrentRow(-1)
            for row in range(self.list.count()):
                item = self.list.item(row)
                if item.data(Qt.ItemDataRole.UserRole) == policy_id:
                    self.list.setCurrentItem(item)
                    break
        finally:
            self._loading = False

    def _item_changed(self, current: QListWidgetItem | None, _previous: object) -> None:
        if self._loading or current is None:
            return
        wanted = int(current.data(Qt.ItemDataRole.UserRole))
        if wanted == self._current:
            return
        if not self._may_leave():
            self._select_in_list(self._current)
            return
        self._show(wanted)

    # -- the form -------------------------------------------------------------------------

    def _bumpers_toggled(self, on: bool) -> None:
        for box in (self.before_check, self.after_check):
            box.setEnabled(on)
            if not on:
                box.setChecked(False)

    def _fill_form(self, name: str, rules: AdRules) -> None:
        self.name_edit.setText(name)
        self.per_combo.setCurrentIndex(max(self.per_combo.findData(rules.breaks_per), 0))
        self.breaks_spin.setValue(rules.breaks)
        self.length_edit.setTime(_time_of(rules.break_seconds))
        self.ad_check.setChecked("ad" in rules.fill_kinds)
        self.promo_check.setChecked("promo" in rules.fill_kinds)
        self.bumper_check.setChecked("bumper" in rules.fill_kinds)
        self._bumpers_toggled(self.bumper_check.isChecked())
        self.before_check.setChecked(rules.bumper_before)
        self.after_check.setChecked(rules.bumper_after)
        self.repeat_spin.setValue(rules.min_repeat_minutes)

    def form_values(self) -> tuple[str, AdRules]:
        """The name and rules as the form shows them (not yet checked)."""
        time = self.length_edit.time()
        kinds = tuple(
            sorted(
                kind
                for kind, box in (
                    ("ad", self.ad_check),
                    ("promo", self.promo_check),
                    ("bumper", self.bumper_check),
                )
                if box.isChecked()
            )
        )
        bumpers = self.bumper_check.isChecked()
        rules = AdRules(
            breaks_per=str(self.per_combo.currentData()),
            breaks=self.breaks_spin.value(),
            break_seconds=time.minute() * 60 + time.second(),
            fill_kinds=kinds,
            bumper_before=bumpers and self.before_check.isChecked(),
            bumper_after=bumpers and self.after_check.isChecked(),
            min_repeat_minutes=self.repeat_spin.value(),
        )
        return self.name_edit.text(), rules

    def is_dirty(self) -> bool:
        """The form differs from what was loaded (or from a blank new policy)."""
        name, rules = self.form_values()
        clean_name, clean_rules = self._clean
        same_rules = ad_rules.to_dict(rules) == ad_rules.to_dict(clean_rules)
        return " ".join(name.split()) != clean_name or not same_rules

    def _show(self, policy_id: int | None) -> None:
        """Load a policy (None: a blank new one) into the form and select it."""
        row = self._rows.get(policy_id) if policy_id is not None else None
        self._current = row.id if row is not None else None
        rules = row.rules if row is not None and row.rules is not None else AdRules()
        name = row.name if row is not None else ""
        self._fill_form(name, rules)
        self._clean = (name, rules)
        self._show_error(None)
        self._select_in_list(self._current)
        if row is None:
            self.heading.setText("New ad policy")
            self.usage.setText("Not saved yet.")
            self.warning.hide()
            self.name_edit.setFocus()
        else:
            self.heading.setText(row.name)
            self.usage.setText(f"Used by {blocks_words(row.blocks_using)}.")
            if row.problem:
                self.warning.setText(
                    f"{row.problem} The form shows the default rules; Save stores them"
                    " in place of the unreadable ones."
                )
            self.warning.setVisible(row.problem is not None)
        self.delete_button.setEnabled(row is not None)

    def _show_error(self, sentence: str | None) -> None:
        self.error.setText(sentence or "")
        self.error.setVisible(sentence is not None)
        if sentence is not None:
            self.status.clear()

    def _may_leave(self) -> bool:
        """True when the form may be replaced: nothing unsaved, saved now, or discarded."""
        if not self.is_dirty():
            return True
        name = " ".join(self.name_edit.text().split()) or "the new policy"
        answer = self.ask_unsaved(f"Save your changes to “{name}”?")
        if answer == "save":
            return self.save()
        return answer == "discard"

    # -- actions --------------------------------------------------------------------------

    def new_policy(self) -> None:
        """A blank form for a new policy (after saving or dropping unsaved changes)."""
        if self._current is None and not self.is_dirty():
            self.name_edit.setFocus()
            return
        if self._may_leave():
            self._show(None)
            self.status.clear()

    def save(self) -> bool:
        """Write the form; True when saved. A refusal leaves its sentence in the dialog."""
        name, rules = self.form_values()
        try:
            with self.sessions() as session, session.begin():
                if self._current is None:
                    saved = ad_policies.create_policy(session, name, rules)
                else:
                    ad_policies.update_policy(session, self._current, name, rules)
                    saved = self._current
        except OperatorError as error:
            self._show_error(str(error))
            return False
        self._reload()
        self._show(saved)
        self.status.setText(f"Saved “{self._rows[saved].name}”.")
        self.policies_changed.emit()
        return True

    def delete(self) -> bool:
        """Delete the shown policy once the operator agrees; True when deleted."""
        if self._current is None:
            return False
        try:
            with self.sessions() as session:
                row = ad_policies.get_policy(session, self._current)
        except OperatorError as error:
            self._show_error(str(error))
            return False
        if not self.confirm(delete_question(row)):
            return False
        try:
            with self.sessions() as session, session.begin():
                cleared = ad_policies.delete_policy(session, row.id)
        except OperatorError as error:
            self._show_error(str(error))
            return False
        position = self.list.currentRow()
        self._reload()
        following = self.list.item(min(position, self.list.count() - 1))
        self._show(None if following is None else int(following.data(Qt.ItemDataRole.UserRole)))
        lost = f"; {blocks_words(cleared)} now have no ad breaks" if cleared else ""
        self.status.setText(f"Deleted “{row.name}”{lost}.")
        self.policies_changed.emit()
        return True

    def reject(self) -> None:
        """Close (also Esc and the window's close box), minding unsaved changes."""
        if self._may_leave():
            super().reject()


def _shortcut(
    key: QKeySequence.StandardKey, parent: QWidget, slot: Callable[[], object]
) -> QShortcut:
    shortcut = QShortcut(QKeySequence(key), parent)
    shortcut.activated.connect(slot)
    return shortcut


def _time_of(seconds: int) -> QTime:
    return QTime(0, 0, 0).addSecs(seconds)
