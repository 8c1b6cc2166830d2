"""Look and feel: the icons, readable colours on a light and a dark palette, no truncated
labels at 1280x800, and every command in the menus with a shortcut of its own.

The window tests open the demo station (the project's own generator) in the real main
window; screenshots of every tab in both schemes go to the folder printed (set
RETROVUE_LOOK_SHOTS to choose it)."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, QSettings, Qt
from PySide6.QtGui import (
    QAction,
    QColor,
    QImage,
    QKeySequence,
    QPainter,
    QPalette,
    QShortcut,
)
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QComboBox,
    QLabel,
    QMenu,
    QMenuBar,
    QTabBar,
    QWidget,
)
from pytestqt.qtbot import QtBot

from retrovue_desktop.demo.create import create_demo
from retrovue_desktop.demo.station import ZONE
from retrovue_desktop.plex.tokens import TokenStore
from retrovue_desktop.scheduling.clock import zone
from retrovue_desktop.store.migrations import head_revision
from retrovue_desktop.ui import icons, style
from retrovue_desktop.ui.commands import install_tab_menus
from retrovue_desktop.ui.content_tab import ContentTab
from retrovue_desktop.ui.context import AppContext
from retrovue_desktop.ui.libraries_tab import LibrariesTab
from retrovue_desktop.ui.main_window import MainWindow
from retrovue_desktop.ui.play_log_tab import PlayLogTab
from retrovue_desktop.ui.schedule_tab import ScheduleTab
from retrovue_desktop.ui.tag_chips import HUES, chip_colours
from retrovue_desktop.ui.tags_tab import TagsTab
from retrovue_desktop.ui.week_grid_items import (
    CONFLICT_LOOK,
    NEUTRAL_LOOK,
    STRATEGY_LOOKS,
    TAG_HUES,
    Look,
)

WAIT_MS = 20_000
TEXT_CONTRAST = 4.5
SIZE = (1280, 800)
SHOTS = Path(os.environ.get("RETROVUE_LOOK_SHOTS") or tempfile.gettempdir()) / "retrovue-look"


def light_palette() -> QPalette:
    style = QApplication.style()
    assert style is not None
    return style.standardPalette()


def dark_palette() -> QPalette:
    """A dark palette as a desktop's dark scheme gives one (Fusion's roles)."""
    palette = QPalette()
    roles = QPalette.ColorRole
    for role, colour in (
        (roles.Window, "#2b2b2b"),
        (roles.WindowText, "#e8e8e8"),
        (roles.Base, "#1e1e1e"),
        (roles.AlternateBase, "#262626"),
        (roles.ToolTipBase, "#3a3a3a"),
        (roles.ToolTipText, "#f0f0f0"),
        (roles.PlaceholderText, "#9a9a9a"),
        (roles.Text, "#e8e8e8"),
        (roles.Button, "#353535"),
        (roles.ButtonText, "#e8e8e8"),
        (roles.BrightText, "#ff5050"),
        (roles.Light, "#4a4a4a"),
        (roles.Midlight, "#404040"),
        (roles.Mid, "#2f2f2f"),
        (roles.Dark, "#1a1a1a"),
        (roles.Shadow, "#000000"),
        (roles.Highlight, "#3d7bd9"),
        (roles.HighlightedText, "#ffffff"),
        (roles.Link, "#8cc4ff"),
        (roles.LinkVisited, "#c8a4ff"),
    ):
        palette.setColor(role, QColor(colour))
    for role in (roles.WindowText, roles.Text, roles.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#7a7a7a"))
    return palette


SCHEMES: dict[str, Callable[[], QPalette]] = {"light": light_palette, "dark": dark_palette}


@pytest.fixture
def scheme(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    """Apply the scheme's palette to the application for the test, then put it back."""
    name = str(request.param)
    before = QApplication.palette()
    QApplication.setPalette(SCHEMES[name]())
    try:
        yield name
    finally:
        QApplication.setPalette(before)


def _contrast(text: QColor, background: QColor) -> float:
    return style.contrast(style.over(text, background), background)


# -- icons ----------------------------------------------------------------------------------


def test_every_icon_loads_and_renders_at_menu_tab_and_window_sizes(qapp: QApplication) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    sizes = (16, 24, 48)
    sheet = QImage(
        sum(s + 8 for s in sizes) * len(icons.NAMES) + 8, 2 * 64, QImage.Format.Format_ARGB32
    )
    sheet.fill(QColor("#ffffff"))
    painter = QPainter(sheet)
    painter.fillRect(0, 64, sheet.width(), 64, QColor("#202124"))
    x = 8
    for name in icons.NAMES:
        icon = icons.icon(name)
        assert not icon.isNull()
        assert icons.icon(name) is icon  # loaded once
        for size in sizes:
            image = icon.pixmap(size, size).toImage()
            assert image.width() == size
            drawn = sum(
                1
                for py in range(size)
                for px in range(size)
                if image.pixelColor(px, py).alpha() > 128
            )
            assert drawn > size  # something legible, not a blank or a speck
            painter.drawPixmap(x, 8, icon.pixmap(size, size))
            painter.drawPixmap(x, 72, icon.pixmap(size, size))
            x += size + 8
    painter.end()
    sheet.save(str(SHOTS / "icons.png"))
    print(f"icons: {SHOTS / 'icons.png'}")
    with pytest.raises(FileNotFoundError):
        icons.icon("no-such-icon")


def test_icons_are_the_package_resources_read_through_importlib() -> None:
    from retrovue_desktop.assets import resource_bytes, resource_path

    for name in icons.NAMES:
        data = resource_bytes(f"{name}.svg")
        assert data.startswith(b"<svg") and b"<title>" in data
        assert resource_path(f"{name}.svg").read_bytes() == data


# -- colours --------------------------------------------------------------------------------


@pytest.mark.parametrize("scheme", sorted(SCHEMES), indirect=True)
def test_colours_the_app_picks_read_on_either_scheme(scheme: str) -> None:
    palette = QApplication.palette()
    assert style.is_dark(palette) == (scheme == "dark")
    window = palette.color(QPalette.ColorRole.Window)
    base = palette.color(QPalette.ColorRole.Base)
    alternate = palette.color(QPalette.ColorRole.AlternateBase)
    for name in style.TONES:
        for background in (window, base, alternate):
            assert _contrast(style.tone(name), background) >= TEXT_CONTRAST, (name, background)
    assert _contrast(style.muted_colour(palette), window) >= TEXT_CONTRAST

    grid = style.grid_colours(palette)
    assert _contrast(grid.header_text, grid.background) >= TEXT_CONTRAST
    assert _contrast(grid.today_text, grid.background) >= TEXT_CONTRAST
    assert _contrast(grid.now_text, grid.now) >= TEXT_CONTRAST
    looks: list[Look] = [*STRATEGY_LOOKS.values(), NEUTRAL_LOOK, CONFLICT_LOOK]
    looks += [Look(QColor.fromHsl(h, 170, 230), QColor.fromHsl(h, 150, 105),
                   QColor.fromHsl(h, 160, 42)) for h in TAG_HUES]  # fmt: skip
    for look in looks:
        shown = look.for_scheme()
        assert _contrast(shown.text, shown.fill) >= TEXT_CONTRAST, look
        selected = style.mix(shown.fill, shown.accent, 0.22)
        assert _contrast(shown.text, selected) >= TEXT_CONTRAST, look
    first, second, _edge, band_text = style.band_colours(palette)
    assert min(_contrast(band_text, first), _contrast(band_text, second)) >= TEXT_CONTRAST
    for namespace in [*HUES, "custom-one", "custom-two"]:
        background, _border, text = chip_colours(namespace)
        assert _contrast(text, background) >= TEXT_CONTRAST, namespace
    fill, _border, text = style.banner_colours(palette)
    assert _contrast(text, fill) >= TEXT_CONTRAST


def test_toned_labels_follow_a_switch_of_palette(qtbot: QtBot, qapp: QApplication) -> None:
    before = QApplication.palette()
    label = QLabel("Could not read the file.")
    qtbot.addWidget(label)
    style.set_tone(label, style.ERROR)
    style.muted(hint := QLabel("A hint"))
    qtbot.addWidget(hint)
    try:
        QApplication.setPalette(light_palette())
        assert style.TONES[style.ERROR][0] in label.styleSheet()
        QApplication.setPalette(dark_palette())
        assert style.TONES[style.ERROR][1] in label.styleSheet()
        muted = hint.palette().color(QPalette.ColorRole.WindowText)
        assert muted.red() > 128  # light text on the dark window, not the light scheme's
    finally:
        QApplication.setPalette(before)


# -- the window -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    create_demo(f"sqlite:///{path}", today=datetime.now(zone(ZONE)).date())
    return path


@pytest.fixture
def window(qtbot: QtBot, demo_file: Path, tmp_path: Path) -> Iterator[MainWindow]:
    """The demo station in the main window at 1280x800, with the tab menus wired."""
    copy = tmp_path / "demo.db"
    shutil.copy(demo_file, copy)
    url = f"sqlite:///{copy}"
    context = AppContext.open(
        url, head_revision(), TokenStore(tmp_path / "tokens.json", use_keyring=False)
    )
    settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    widget = MainWindow(context, settings=settings)
    if not hasattr(widget, "tab_menus"):  # until main_window wires them itself
        help_menu = [a for a in widget.menuBar().actions() if a.text() == "&Help"]
        widget.tab_menus = install_tab_menus(  # type: ignore[attr-defined]
            widget.menuBar(), widget.tabs, help_menu[0] if help_menu else None
        )
    if widget.tabs.tabIcon(0).isNull():  # until main_window sets them itself
        for index, name in enumerate(icons.TAB_ICONS):
            widget.tabs.setTabIcon(index, icons.icon(name))
    qtbot.addWidget(widget)
    widget.resize(*SIZE)
    widget.show()
    qtbot.waitExposed(widget)
    _wait_for_data(qtbot, widget)
    yield widget
    widget.close()
    context.close()


def _wait_for_data(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: window.libraries_tab.model.rowCount() > 0, timeout=WAIT_MS)
    content = window.content_tab.model
    qtbot.waitUntil(lambda: content.is_complete() and content.rowCount() > 0, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window.tags_tab.palette_model.rowCount() > 0, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: len(window.schedule_tab.grid.blocks()) > 0, timeout=WAIT_MS)


@dataclass(frozen=True)
class View:
    """One state of the window to look at: a tab, and inside it a view or page."""

    name: str
    show: Callable[[QtBot, MainWindow], None]


def _tab(index: int) -> Callable[[QtBot, MainWindow], None]:
    def show(qtbot: QtBot, window: MainWindow) -> None:
        window.tabs.setCurrentIndex(index)
        if index == 1:  # a row open in the detail pane, as the operator works
            table = window.content_tab.table
            table.selectRow(0)
            window.content_tab.open_detail()
        if index == 3:
            window.schedule_tab.show_view("grid")
        if index == 4:
            window.playlog_tab.pages.setCurrentIndex(0)
            window.playlog_tab.range_box.setCurrentIndex(
                window.playlog_tab.range_box.findData("last7")
            )
            window.playlog_tab.refresh()
            qtbot.waitUntil(lambda: window.playlog_tab.model.rowCount() > 0, timeout=WAIT_MS)
        qtbot.wait(50)

    return show


def _rundown(qtbot: QtBot, window: MainWindow) -> None:
    schedule = window.schedule_tab
    window.tabs.setCurrentWidget(schedule)
    schedule.show_view("rundown")
    rundown = schedule.rundown
    rundown.set_day(rundown.day - timedelta(days=1))
    qtbot.waitUntil(lambda: rundown.model.rowCount() > 0, timeout=WAIT_MS)


def _reconciliation(qtbot: QtBot, window: MainWindow) -> None:
    window.tabs.setCurrentWidget(window.playlog_tab)
    window.playlog_tab.pages.setCurrentWidget(window.reconcile_page)
    page = window.reconcile_page
    page.day_edit.setDate(page.day_edit.date().addDays(-1))
    qtbot.wait(300)


VIEWS = (
    View("libraries", _tab(0)),
    View("content", _tab(1)),
    View("tags", _tab(2)),
    View("schedule-grid", _tab(3)),
    View("schedule-rundown", _rundown),
    View("playlog", _tab(4)),
    View("playlog-reconciliation", _reconciliation),
)


def _visible(widget: QWidget, top: QWidget) -> bool:
    return widget.isVisibleTo(top) and widget.width() > 0


def _truncated(top: QWidget) -> list[str]:
    """Visible labels, buttons, check boxes and combo boxes narrower than their text needs."""
    found = []
    kinds = (QLabel, QAbstractButton, QCheckBox, QComboBox)
    for widget in top.findChildren(QWidget):
        if not isinstance(widget, kinds) or not _visible(widget, top):
            continue
        if isinstance(widget, QLabel):
            if not widget.text() or widget.hasScaledContents() or widget.pixmap().width():
                continue
            if widget.wordWrap():
                if widget.height() < widget.heightForWidth(widget.width()):
                    found.append(f"wrapped label {widget.text()[:50]!r} is cut off at the bottom")
                continue
            need = widget.minimumSizeHint().width()
        elif isinstance(widget, QComboBox):
            need = widget.minimumSizeHint().width()
        else:
            words = widget.text().replace("&&", "\0").replace("&", "").replace("\0", "&")
            if not words:
                continue
            # The text and the style's margins, not the style's least button width.
            need = widget.fontMetrics().horizontalAdvance(words) + 8
            if not widget.icon().isNull():
                need += widget.iconSize().width() + 4
        if widget.width() < need:
            words = widget.text() if not isinstance(widget, QComboBox) else widget.currentText()
            found.append(
                f"{type(widget).__name__} {words[:50]!r}: {widget.width()} px wide, needs {need}"
            )
    return found


def _backdrop(widget: QWidget) -> QColor:
    """The colour behind a widget's text: its own window colour, or the nearest
    ancestor's where it is transparent (a label on a tag chip)."""
    current: QWidget | None = widget
    while current is not None:
        colour = current.palette().color(QPalette.ColorRole.Window)
        if colour.alpha() == 255:
            return colour
        current = current.parentWidget()
    return QApplication.palette().color(QPalette.ColorRole.Window)


@pytest.mark.parametrize("scheme", sorted(SCHEMES), indirect=True)
def test_every_tab_reads_whole_at_1280_by_800(
    qtbot: QtBot, scheme: str, window: MainWindow
) -> None:
    """Screenshots of each tab in each scheme, no truncated text, and text colours of
    labels readable on their window."""
    folder = SHOTS / scheme
    folder.mkdir(parents=True, exist_ok=True)
    print(f"screenshots: {folder}")
    problems: list[str] = []
    for view in VIEWS:
        view.show(qtbot, window)
        assert (window.width(), window.height()) == SIZE
        window.grab().save(str(folder / f"{view.name}.png"))
        problems += [f"{view.name}: {p}" for p in _truncated(window)]
        for label in window.findChildren(QLabel):
            if not _visible(label, window) or not label.text():
                continue
            if not label.isEnabled():
                continue  # disabled text is faint on purpose
            text = label.palette().color(QPalette.ColorRole.WindowText)
            background = _backdrop(label)
            if _contrast(text, background) < TEXT_CONTRAST:
                problems.append(f"{view.name}: label {label.text()[:40]!r} is faint")
    assert problems == [], "\n".join(problems)


Tab = LibrariesTab | ContentTab | TagsTab | ScheduleTab | PlayLogTab


def _tabs(window: MainWindow) -> list[Tab]:
    return [
        window.libraries_tab,
        window.content_tab,
        window.tags_tab,
        window.schedule_tab,
        window.playlog_tab,
    ]


def test_tabs_and_window_fit_the_smallest_size(window: MainWindow) -> None:
    """Every tab fits a 1280x800 window with its menu, tab and status bars."""
    chrome = window.size() - window.libraries_tab.size()
    for index, tab in enumerate(_tabs(window)):
        hint = tab.minimumSizeHint()
        assert hint.width() + chrome.width() <= SIZE[0], (index, hint)
        assert hint.height() + chrome.height() <= SIZE[1] - 200, (index, hint)
    minimum = window.minimumSize()
    assert 800 <= minimum.width() <= SIZE[0] and 560 <= minimum.height() <= SIZE[1]


def test_dialogs_open_whole(qtbot: QtBot, window: MainWindow) -> None:
    """The window's own dialogs: a sensible minimum size, and nothing cut at the size
    they open with."""
    opened = [window.open_export("xmltv"), window.open_as_run_import(), window.open_archives()]
    problems: list[str] = []
    for dialog in opened:
        qtbot.waitExposed(dialog)
        minimum = dialog.minimumSizeHint()
        assert minimum.width() <= SIZE[0] and minimum.height() <= SIZE[1]
        problems += [f"{dialog.windowTitle()}: {p}" for p in _truncated(dialog)]
        dialog.grab().save(str(SHOTS / f"dialog-{type(dialog).__name__}.png"))
        shutdown = getattr(dialog, "shutdown", None)
        if shutdown is not None:
            shutdown()
        dialog.reject()
    assert problems == [], "\n".join(problems)


# -- keyboard -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Binding:
    """A key sequence some object answers, and where the focus must be for it."""

    keys: str
    owner: str
    context: Qt.ShortcutContext
    scope: QWidget  # the widget the context is relative to
    source: int  # the action, shortcut or widget that answers (one may have many scopes)


WINDOW_WIDE = (Qt.ShortcutContext.WindowShortcut, Qt.ShortcutContext.ApplicationShortcut)


def _portable(sequence: QKeySequence) -> str:
    return sequence.toString(QKeySequence.SequenceFormat.PortableText)


def _action_scopes(action: QAction) -> list[QWidget]:
    """The widgets an action's shortcut answers through: its visible associated widgets;
    one in a menu of the menu bar counts as the menu bar's (always there: so a window-wide
    action there answers on every tab)."""
    scopes: list[QWidget] = []
    for obj in action.associatedObjects():
        if isinstance(obj, QMenu):
            outer = obj.menuAction()
            scopes += [o for o in outer.associatedObjects() if isinstance(o, QMenuBar)]
        elif isinstance(obj, QWidget) and obj.isVisible():
            scopes.append(obj)
    return scopes


def _bindings(window: QWidget) -> list[Binding]:
    """Every shortcut live in the window as it is now: actions (visible, in their
    scopes), QShortcuts of visible widgets, and the mnemonics of buttons, labels with a
    buddy, tabs and the menu bar."""
    found: list[Binding] = []
    seen: set[int] = set()
    actions: list[QAction] = []
    for obj in [window, *window.findChildren(QObject)]:
        if isinstance(obj, QWidget):
            actions += obj.actions()
        if isinstance(obj, QAction):
            actions.append(obj)
    for action in actions:
        if id(action) in seen or not action.isVisible():
            continue
        seen.add(id(action))
        context = action.shortcutContext()
        for scope in _action_scopes(action):
            if isinstance(scope, QMenuBar) and context not in WINDOW_WIDE:
                continue  # the focus is never inside the menu bar: it never answers there
            for sequence in action.shortcuts():
                found.append(
                    Binding(_portable(sequence), action.text(), context, scope, id(action))
                )
    for shortcut in window.findChildren(QShortcut):
        parent = shortcut.parent()
        if isinstance(parent, QWidget) and parent.isVisible() and shortcut.isEnabled():
            for sequence in shortcut.keys():  # noqa: SIM118 (a QShortcut's key list)
                context = shortcut.context()
                found.append(
                    Binding(_portable(sequence), "QShortcut", context, parent, id(shortcut))
                )
    window_context = Qt.ShortcutContext.WindowShortcut
    for widget in window.findChildren(QWidget):
        if not widget.isVisible():
            continue
        texts: list[str] = []
        if isinstance(widget, QAbstractButton) or (
            isinstance(widget, QLabel) and widget.buddy() is not None
        ):
            texts.append(widget.text())
        elif isinstance(widget, QTabBar):
            texts += [widget.tabText(i) for i in range(widget.count())]
        elif isinstance(widget, QMenuBar):
            texts += [a.text() for a in widget.actions() if a.isVisible()]
        for text in texts:
            mnemonic = QKeySequence.mnemonic(text)
            if not mnemonic.isEmpty():
                found.append(Binding(_portable(mnemonic), text, window_context, window, id(widget)))
    return found


def _reach(binding: Binding, window: QWidget) -> tuple[QWidget, bool]:
    """(widget, with its children) where the focus must be for the binding to answer."""
    if binding.context in WINDOW_WIDE:
        return window, True
    return binding.scope, binding.context == Qt.ShortcutContext.WidgetWithChildrenShortcut


def _overlap(a: Binding, b: Binding, window: QWidget) -> bool:
    (wa, deep_a), (wb, deep_b) = _reach(a, window), _reach(b, window)
    if wa is wb:
        return True
    return (deep_a and wa.isAncestorOf(wb)) or (deep_b and wb.isAncestorOf(wa))


def _clashes(window: QWidget) -> list[str]:
    bindings = _bindings(window)
    found = []
    for i, a in enumerate(bindings):
        for b in bindings[i + 1 :]:
            same = a.keys == b.keys and a.source != b.source
            if same and _overlap(a, b, window):
                first, second = sorted((a.owner, b.owner))
                found.append(f"{a.keys}: {first!r} and {second!r}")
    return sorted(set(found))


def test_no_two_commands_share_a_key_where_both_answer(qtbot: QtBot, window: MainWindow) -> None:
    assert window.settings_action.shortcut().toString() == "Ctrl+,"
    problems: list[str] = []
    for view in VIEWS:
        view.show(qtbot, window)
        problems += [f"{view.name}: {c}" for c in _clashes(window)]
    assert problems == [], "\n".join(problems)


def test_every_tab_offers_its_commands_for_a_menu(window: MainWindow) -> None:
    titles = []
    for tab in _tabs(window):
        titles.append(QKeySequence.mnemonic(tab.menu_title).toString())
        entries = tab.menu_actions()
        actions = [e for e in entries if e is not None]
        assert len(actions) >= 3
        assert entries[0] is not None and entries[-1] is not None
        for action in actions:
            text = action.text()
            assert "&" in text or not action.shortcut().isEmpty(), text
            assert action.statusTip(), text
    assert all(titles) and len(set(titles)) == len(titles)
    menus = window.tab_menus  # type: ignore[attr-defined]
    assert [m.title() for m in menus] == [tab.menu_title for tab in _tabs(window)]
    window.tabs.setCurrentIndex(2)
    assert [m.isEnabled() for m in menus] == [False, False, True, False, False]
    assert all(a.isVisible() for a in menus[2].actions())
    assert not any(a.isVisible() for a in menus[0].actions() if not a.isSeparator())


def test_menu_commands_do_what_their_buttons_do(qtbot: QtBot, window: MainWindow) -> None:
    schedule = window.schedule_tab
    window.tabs.setCurrentWidget(schedule)
    schedule.rundown_view_action.trigger()
    assert schedule.view() == "rundown" and schedule.rundown_view_action.isChecked()
    assert not schedule.open_block_action.isEnabled()  # the grid's, while it hides
    schedule.grid_view_action.trigger()
    assert schedule.view() == "grid"
    assert not schedule.rundown.build_action.isEnabled()  # the rundown's, while it hides
    playlog = window.playlog_tab
    window.tabs.setCurrentWidget(playlog)
    playlog.export_button.setEnabled(False)
    assert not playlog.export_action.isEnabled()
    playlog.export_button.setEnabled(True)
    assert playlog.export_action.isEnabled()


def test_tab_reaches_the_main_controls(qtbot: QtBot, window: MainWindow) -> None:
    def chain(tab: QWidget) -> list[QWidget]:
        reached: list[QWidget] = []
        widget = tab.nextInFocusChain()
        while widget is not None and widget is not tab and len(reached) < 500:
            if (
                tab.isAncestorOf(widget)
                and widget.isVisible()
                and widget.isEnabled()
                and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
            ):
                reached.append(widget)
            widget = widget.nextInFocusChain()
        return reached

    window.tabs.setCurrentIndex(0)
    assert window.libraries_tab.tree in chain(window.libraries_tab)
    window.tabs.setCurrentIndex(1)
    content = chain(window.content_tab)
    assert window.content_tab.search in content and window.content_tab.table in content
    window.tabs.setCurrentIndex(2)
    tags = chain(window.tags_tab)
    assert window.tags_tab.tree in tags and window.tags_tab.table in tags
    schedule = window.schedule_tab
    window.tabs.setCurrentWidget(schedule)
    schedule.show_view("grid")
    assert schedule.channels.list in chain(schedule) and schedule.grid in chain(schedule)
    window.tabs.setCurrentIndex(4)
    playlog = chain(window.playlog_tab)
    assert window.playlog_tab.search in playlog and window.playlog_tab.table in playlog


def test_the_shortcut_survey_finds_the_window_own(window: MainWindow) -> None:
    """The clash test's survey sees the main window's shortcuts and the mnemonics."""
    keys = {b.keys for b in _bindings(window)}
    assert {"Ctrl+Q", "Ctrl+Shift+I", "Ctrl+1", "Ctrl+5", "Ctrl+Z", "Alt+F", "Alt+L"} <= keys
    assert _clashes(window) == []
    again = QAction("Quit again", window)
    again.setShortcut(QKeySequence("Ctrl+Q"))
    window.addAction(again)
    window.tabs.currentWidget().addAction(clash := QAction("Libraries, again", window))
    clash.setShortcut(QKeySequence("Alt+L"))
    assert _clashes(window) == [
        "Alt+L: '&Libraries' and 'Libraries, again'",
        "Ctrl+Q: '&Quit' and 'Quit again'",
    ]
