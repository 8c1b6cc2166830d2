"""A combo box to choose a block's ad policy, or none."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QComboBox, QStyle, QWidget
from sqlalchemy.orm import Session, sessionmaker

from retrovue_desktop.scheduling.ad_policies import PolicyRow, describe, list_policies

NO_POLICY_TEXT = "No ad breaks"
_NO_POLICY_TIP = "Blocks with no policy get no ad breaks."


class AdPolicyPicker(QComboBox):
    """First "No ad breaks", then every policy by name with its rules as tooltip. A policy whose
    stored rules do not parse carries a warning icon and the problem as tooltip.

    `policy_changed(id or None)` is emitted when the choice changes from the popup or
    setCurrentIndex, never by `reload` or `set_policy_id`, so a form that loads a block
    into the picker is not marked as edited."""

    policy_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._quiet = False
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.setMinimumContentsLength(16)
        self._add_none()
        self.currentIndexChanged.connect(self._changed)

    def _add_none(self) -> None:
        self.addItem(NO_POLICY_TEXT, None)
        self.setItemData(0, _NO_POLICY_TIP, Qt.ItemDataRole.ToolTipRole)

    def _changed(self, _index: int) -> None:
        if not self._quiet:
            self.policy_changed.emit(self.policy_id())

    def _warning_icon(self) -> QIcon:
        return self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)

    def _add_row(self, row: PolicyRow) -> None:
        if row.rules is None:
            self.addItem(self._warning_icon(), row.name, row.id)
            tip = f"This policy's rules cannot be read: {row.problem}"
        else:
            self.addItem(row.name, row.id)
            tip = describe(row.rules)
        self.setItemData(self.count() - 1, tip, Qt.ItemDataRole.ToolTipRole)

    def reload(self, sessions: sessionmaker[Session]) -> None:
        """Read the policies again (one small query), keeping the current choice."""
        with sessions() as session:
            rows = list_policies(session)
        current = self.policy_id()
        self._quiet = True
        try:
            self.clear()
            self._add_none()
            for row in rows:
                self._add_row(row)
            self._select(current)
        finally:
            self._quiet = False

    def policy_id(self) -> int | None:
        """The chosen policy's id, None for "No ad breaks"."""
        data = self.currentData()
        return data if isinstance(data, int) else None

    def set_policy_id(self, policy_id: int | None) -> None:
        """Show `policy_id`; an id missing from the list gets its own "Missing policy"
        entry so that saving the form does not silently change the block."""
        self._quiet = True
        try:
            self._select(policy_id)
        finally:
            self._quiet = False

    def _select(self, policy_id: int | None) -> None:
        index = self.findData(policy_id) if policy_id is not None else 0
        if index < 0:
            self.addItem(self._warning_icon(), f"Missing policy #{policy_id}", policy_id)
            index = self.count() - 1
            self.setItemData(
                index,
                f"Ad policy #{policy_id} no longer exists; choose another policy"
                f" or “{NO_POLICY_TEXT}”.",
                Qt.ItemDataRole.ToolTipRole,
            )
        self.setCurrentIndex(index)
