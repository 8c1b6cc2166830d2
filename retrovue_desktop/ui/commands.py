"""Commands as QActions: one object per thing the operator can do, so the same command is
a button, a shortcut and a menu entry with its shortcut shown, enabled alike everywhere.

A tab's actions also sit in the menu bar, where a window-wide (WindowShortcut) one would
work on every tab: `install_tab_menus` therefore hides the actions of the tabs not shown
(a hidden action's shortcut is off), and shows them again with their tab.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractButton, QMenu, QMenuBar, QTabWidget, QWidget

Keys = str | QKeySequence | QKeySequence.StandardKey
MenuEntries = list[QAction | None]  # None: a separator


def command(
    owner: QWidget,
    text: str,
    slot: Callable[[], object],
    keys: Keys | Sequence[Keys] | None = None,
    tip: str = "",
    scope: QWidget | None = None,
    context: Qt.ShortcutContext = Qt.ShortcutContext.WidgetWithChildrenShortcut,
) -> QAction:
    """A QAction owned by `owner` whose shortcut works while the focus is in `scope`
    (default: `owner`; with WidgetShortcut, only on `scope` itself)."""
    action = QAction(text, owner)
    sequences = [QKeySequence(k) for k in _as_list(keys)]
    if sequences:
        action.setShortcuts(sequences)
        action.setShortcutContext(context)
    described = tip or text.replace("&", "").rstrip("…")
    action.setStatusTip(described)
    shown = sequences[0].toString(QKeySequence.SequenceFormat.NativeText) if sequences else ""
    action.setToolTip(f"{described} ({shown})" if shown else described)
    action.triggered.connect(lambda _checked=False: slot())
    (scope or owner).addAction(action)
    return action


def _as_list(keys: Keys | Sequence[Keys] | None) -> list[Keys]:
    if keys is None:
        return []
    if isinstance(keys, str | QKeySequence | QKeySequence.StandardKey):
        return [keys]
    return list(keys)


class _EnabledMirror(QObject):
    """Keeps an action enabled exactly while its button is."""

    def __init__(self, button: QAbstractButton, action: QAction) -> None:
        super().__init__(button)
        self._button, self._action = button, action
        action.setEnabled(button.isEnabled())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.EnabledChange:
            self._action.setEnabled(self._button.isEnabled())
        return False


def button_command(
    button: QAbstractButton,
    scope: QWidget,
    text: str,
    keys: Keys | Sequence[Keys] | None = None,
    tip: str = "",
    context: Qt.ShortcutContext = Qt.ShortcutContext.WidgetWithChildrenShortcut,
) -> QAction:
    """The menu and shortcut face of an existing button, its shortcut working while the
    focus is in `scope`: triggering it clicks the button (so whatever the button does, it
    does), and it is enabled while the button is."""
    action = command(scope, text, button.click, keys, tip or button.toolTip(), scope, context)
    button.installEventFilter(_EnabledMirror(button, action))
    return action


def install_tab_menus(
    menu_bar: QMenuBar, tabs: QTabWidget, before: QAction | None = None
) -> list[QMenu]:
    """One menu per tab that offers `menu_title` and `menu_actions()`, inserted before
    `before` (e.g. the Help menu's action; None: at the end), each enabled only while its
    tab is the current one; the other tabs' actions are hidden, so that their shortcuts
    are off (inside a tab, its own code keeps each action enabled or not)."""
    menus: list[tuple[QMenu, QWidget, list[QAction]]] = []
    for index in range(tabs.count()):
        tab = tabs.widget(index)
        entries = getattr(tab, "menu_actions", None)
        if tab is None or entries is None:
            continue
        menu = QMenu(str(getattr(tab, "menu_title", tabs.tabText(index))), menu_bar)
        actions: list[QAction] = []
        for entry in entries():
            if entry is None:
                menu.addSeparator()
            else:
                menu.addAction(entry)
                actions.append(entry)
        if before is None:
            menu_bar.addMenu(menu)
        else:
            menu_bar.insertMenu(before, menu)
        menus.append((menu, tab, actions))

    def follow(_index: int) -> None:
        current = tabs.currentWidget()
        for menu, tab, actions in menus:
            menu.setEnabled(tab is current)
            for action in actions:
                action.setVisible(tab is current)

    tabs.currentChanged.connect(follow)
    follow(tabs.currentIndex())
    return [menu for menu, _tab, _actions in menus]
