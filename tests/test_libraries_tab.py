"""The Libraries tab driven through its widgets against the loopback Plex server."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from retrovue_desktop.plex.servers import add_server
from retrovue_desktop.ui.app import settle_heap
from retrovue_desktop.ui.context import AppContext
from retrovue_desktop.ui.libraries_tab import LibrariesTab
from retrovue_desktop.ui.server_dialog import ServerDialog
from retrovue_desktop.ui.style import error_style
from tests.fakeplex import FakePlexServer, generate_library
from tests.fakeplex.fixtures import FAKE_PLEX_TOKEN
from tests.sync_helpers import snapshot

WAIT_MS = 60_000
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def tab(qtbot: QtBot, app_context: AppContext) -> Iterator[LibrariesTab]:
    widget = LibrariesTab(app_context)
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    qtbot.waitUntil(lambda: widget._loader is not None and not widget._loader.is_running())
    settle_heap()  # as the app does once its window is up
    yield widget
    widget.shutdown()


def _count(context: AppContext, sql: str) -> int:
    with context.engine.connect() as conn:
        return int(conn.execute(text(sql)).scalar_one())


def _fill_dialog_and_accept(qtbot: QtBot, url: str, token: str, on_done: list[str]) -> None:
    """Answer the modal Add-server dialog once it is open."""

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ServerDialog):
            QTimer.singleShot(20, answer)
            return
        dialog.name.setText("Den")
        dialog.url.setText(url)
        dialog.token.setText(token)
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

        def close_when_failed() -> None:
            if (
                dialog.isVisible()
                and dialog.status.text()
                and dialog._job
                and not dialog._job.is_running()
            ):
                on_done.append(dialog.status.text())
                dialog.reject()
            elif dialog.isVisible():
                QTimer.singleShot(20, close_when_failed)

        QTimer.singleShot(20, close_when_failed)

    QTimer.singleShot(0, answer)


def test_add_server_then_sync_shows_counts(
    qtbot: QtBot, tab: LibrariesTab, fake_plex: FakePlexServer, app_context: AppContext
) -> None:
    errors: list[str] = []
    _fill_dialog_and_accept(qtbot, fake_plex.url, FAKE_PLEX_TOKEN, errors)
    with qtbot.waitSignal(tab.job_finished, timeout=WAIT_MS):
        tab.add_server_action.trigger()
    assert errors == []
    qtbot.waitSignal(tab.refreshed, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1)
    movies = len(fake_plex.data.movies(1))
    assert f"Movies: {movies} added" in tab.job_bar.result.text()
    server = tab.model.item(0, 0)
    assert server.text() == "Den"
    titles = [server.child(r, 0).text() for r in range(server.rowCount())]
    assert titles == ["Movies", "Music", "TV (NAS)", "TV Shows"]
    movies_row = next(r for r in range(server.rowCount()) if server.child(r, 0).text() == "Movies")
    assert server.child(movies_row, 2).text() == f"{movies:,}"
    assert server.child(movies_row, 5).text().startswith(f"{movies} added")
    assert _count(app_context, "SELECT count(*) FROM content_items") > movies

    # Resync the selected library with one click: nothing changed, so it is skipped.
    assert tab.select_library("Movies")
    with qtbot.waitSignal(tab.job_finished, timeout=WAIT_MS):
        tab.resync_action.trigger()
    assert "Movies: unchanged since the last sync" in tab.job_bar.result.text()


def test_bad_token_shows_the_sentence_and_saves_nothing(
    qtbot: QtBot, tab: LibrariesTab, fake_plex: FakePlexServer, app_context: AppContext
) -> None:
    errors: list[str] = []
    _fill_dialog_and_accept(qtbot, fake_plex.url, "wrong-token", errors)
    tab.add_server_action.trigger()
    assert errors and "refused the token" in errors[0]
    assert _count(app_context, "SELECT count(*) FROM plex_servers") == 0
    assert tab.job is None


def test_sync_failing_with_401_changes_nothing(
    qtbot: QtBot, tab: LibrariesTab, fake_plex: FakePlexServer, app_context: AppContext
) -> None:
    server = add_server(
        app_context.sessions, "Den", fake_plex.url, FAKE_PLEX_TOKEN, app_context.tokens
    )
    with qtbot.waitSignal(tab.job_finished, timeout=WAIT_MS):
        tab.sync_servers([(server.id, None)])
    qtbot.waitUntil(lambda: bool(tab._sources) and tab.resync_all_action.isEnabled())
    fake_plex.data.change_item(fake_plex.data.movies(1)[0].rating_key, title="Changed")
    before = snapshot(app_context.engine)
    fake_plex.token = "revoked"
    with qtbot.waitSignal(tab.job_finished, timeout=WAIT_MS):
        tab.resync_all_action.trigger()
    assert "refused the token" in tab.job_bar.result.text()
    assert tab.job_bar.result.styleSheet() == error_style()
    assert snapshot(app_context.engine) == before


@pytest.fixture
def big_plex() -> Iterator[FakePlexServer]:
    data = generate_library(seed=3, movies=1000, shows=40, total_episodes=4000, windows_shows=0)
    with FakePlexServer(data, token=FAKE_PLEX_TOKEN) as server:
        server.warm()
        yield server


def test_cancel_a_running_sync(
    qtbot: QtBot, tab: LibrariesTab, big_plex: FakePlexServer, app_context: AppContext
) -> None:
    server = add_server(
        app_context.sessions, "Den", big_plex.url, FAKE_PLEX_TOKEN, app_context.tokens
    )
    tab.sync_options.write_batch = 100
    tab.sync_options.process_threshold = 10**9
    big_plex.slow(0.05, path="/library/metadata/")
    progressed: list[int] = []
    job = tab.sync_servers([(server.id, None)])
    assert job is not None
    job.progress.connect(
        lambda phase, done, total: progressed.append(done) if "writing" in phase else None
    )
    qtbot.waitUntil(lambda: len(progressed) >= 2, timeout=WAIT_MS)
    assert tab.job_bar.cancel_button.isVisible()
    with qtbot.waitSignal(tab.job_finished, timeout=WAIT_MS):
        tab.job_bar.cancel_button.click()
    assert "canceled" in tab.job_bar.result.text()
    written = _count(app_context, "SELECT count(*) FROM content_items")
    assert 0 < written < 5000
    assert not tab.job_bar.cancel_button.isVisible()
    assert _count(app_context, "SELECT count(*) FROM library_sync_locks") == 0


@pytest.fixture
def plex_process() -> Iterator[str]:
    """The loopback Plex server in a process of its own, like a real Plex server: its
    objects and CPU are not the window's."""
    server = subprocess.Popen(
        [sys.executable, "-m", "tests.fakeplex", "--movies", "1000", "--shows", "40",
         "--total-episodes", "4000", "--no-music", "--seed", "3", "--token", FAKE_PLEX_TOKEN],
        cwd=REPO, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert server.stdout is not None
        url = server.stdout.readline().strip()
        assert url.startswith("http"), "fake Plex did not start"
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_ui_thread_never_stalls_during_a_5000_item_sync(
    qtbot: QtBot, tab: LibrariesTab, plex_process: str, app_context: AppContext
) -> None:
    server = add_server(
        app_context.sessions, "Den", plex_process, FAKE_PLEX_TOKEN, app_context.tokens
    )
    gaps: list[float] = []
    last = [time.perf_counter()]

    phase = [""]
    worst, worst_phase = [0.0], [""]

    def beat() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        if now - last[0] > worst[0]:
            worst[0], worst_phase[0] = now - last[0], phase[0]
        last[0] = now

    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(beat)
    timer.start()
    with qtbot.waitSignal(tab.job_finished, timeout=120_000):
        job = tab.sync_servers([(server.id, None)])
        assert job is not None
        job.progress.connect(lambda p, d, t: phase.__setitem__(0, f"{p} {d}/{t}"))
    timer.stop()
    assert _count(app_context, "SELECT count(*) FROM content_items") == 5000
    assert len(gaps) > 20
    print(f"longest UI-thread gap during the sync: {worst[0] * 1000:.0f} ms")
    assert max(gaps) < 0.100, f"UI thread stalled {worst[0] * 1000:.0f} ms in {worst_phase[0]}"


MEDIA = REPO / "tests" / "media"


def test_add_folder_scan_and_check_files(
    qtbot: QtBot, tab: LibrariesTab, tmp_path: Path, app_context: AppContext
) -> None:
    folder = tmp_path / "bumpers"
    folder.mkdir()
    for name in ("bars_3s.mp4", "with_chapters.mkv", "clip_title.mp4"):
        shutil.copy(MEDIA / name, folder / name)
    (folder / "notes.txt").write_text("not media")
    with qtbot.waitSignal(tab.job_finished, timeout=WAIT_MS):
        tab.add_folder_library(str(folder), "bumper")
    assert "bumpers: 3 added" in tab.job_bar.result.text()
    assert "1 other files skipped" in tab.job_bar.result.text()
    qtbot.waitUntil(lambda: tab.select_library("bumpers"))
    qtbot.waitUntil(lambda: "OK: 3" in tab.files_panel.counts.text(), timeout=WAIT_MS)
    local = tab.model.item(tab.model.rowCount() - 1, 0)
    assert local.text() == "Local folders"
    assert local.child(0, 5).text().startswith("3 added")  # the scan is recorded
    assert not tab.details.isTabEnabled(1)  # no path mappings for a folder

    (folder / "bars_3s.mp4").unlink()
    with qtbot.waitSignal(tab.job_finished, timeout=WAIT_MS):
        tab.check_action.trigger()
    assert "3 checked" in tab.job_bar.result.text()
    qtbot.waitUntil(lambda: tab.files_panel.model.rowCount() == 1, timeout=WAIT_MS)
    problem = tab.files_panel.model.item(0, 0).text()
    assert problem.startswith("Missing")
    assert tab.files_panel.model.item(0, 1).text().endswith("bars_3s.mp4")

    # A rescan (Resync on a folder library) marks the removed file's item unavailable.
    with qtbot.waitSignal(tab.job_finished, timeout=WAIT_MS):
        tab.resync_action.trigger()
    assert "bumpers:" in tab.job_bar.result.text()
    assert (
        _count(
            app_context,
            "SELECT count(*) FROM content_items c JOIN content_item_files l"
            " ON l.content_item_id = c.id JOIN media_files f ON f.id = l.media_file_id"
            " WHERE f.local_file_path LIKE '%bars_3s.mp4' AND c.gone_from_source_at IS NOT NULL",
        )
        == 1
    )


def test_bad_folder_is_refused_with_a_sentence(
    qtbot: QtBot, tab: LibrariesTab, tmp_path: Path, app_context: AppContext
) -> None:
    with qtbot.waitSignal(tab.job_finished, timeout=WAIT_MS):
        tab.add_folder_library(str(tmp_path / "nowhere"), "ad")
    assert "does not exist" in tab.job_bar.result.text()
    assert _count(app_context, "SELECT count(*) FROM libraries") == 0


def test_path_mappings_panel(
    qtbot: QtBot,
    tab: LibrariesTab,
    fake_plex: FakePlexServer,
    app_context: AppContext,
    tmp_path: Path,
) -> None:
    server = add_server(
        app_context.sessions, "Den", fake_plex.url, FAKE_PLEX_TOKEN, app_context.tokens
    )
    with qtbot.waitSignal(tab.job_finished, timeout=WAIT_MS):
        tab.sync_servers([(server.id, ["Movies"])])
    qtbot.waitUntil(lambda: tab.select_library("Movies"))
    panel = tab.mappings_panel
    assert tab.details.isTabEnabled(1)
    locations = [panel.plex_prefix.itemText(i) for i in range(panel.plex_prefix.count())]
    assert locations == ["/data/media/Movies", "/mnt/nas/Movies"]

    panel.plex_prefix.setCurrentText("/data/media/Movies")
    panel.local_prefix.setText("relative/path")
    job = panel.add()
    assert job is not None
    qtbot.waitUntil(lambda: not job.is_running())
    qtbot.waitUntil(
        lambda: "absolute" in panel.message.text() or "full path" in panel.message.text()
    )
    assert panel.table.rowCount() == 0

    local = tmp_path / "movies"
    local.mkdir()
    panel.local_prefix.setText(str(local))
    job = panel.add()
    assert job is not None
    qtbot.waitUntil(lambda: panel.table.rowCount() == 1, timeout=WAIT_MS)
    assert panel.table.item(0, 1).text() == str(local)

    movie = fake_plex.data.movies(1)[0]
    plex_file = movie.media[0].parts[0].file
    relative = plex_file[len("/data/media/Movies/") :]
    target = local / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(b"x")
    panel.test_input.setText(plex_file)
    job = panel.test()
    assert job is not None
    qtbot.waitUntil(lambda: "found" in panel.test_result.text(), timeout=WAIT_MS)
    assert str(target) in panel.test_result.text()
    panel.test_input.setText("/elsewhere/film.mkv")
    panel.test()
    qtbot.waitUntil(lambda: "No mapping" in panel.test_result.text(), timeout=WAIT_MS)


def test_ui_thread_never_stalls_during_a_5000_file_validation(
    qtbot: QtBot, tab: LibrariesTab, app_context: AppContext, tmp_path: Path
) -> None:
    from benchmarks.validation import make_database, make_tree

    tree = tmp_path / "tree"
    tree.mkdir()
    relative = make_tree(tree, 5000)
    app_context.engine.dispose()
    make_database(app_context.database_url, tree, relative)
    tab.refresh()
    qtbot.waitUntil(lambda: tab.select_library("TV Shows"), timeout=WAIT_MS)
    gaps: list[float] = []
    last = [time.perf_counter()]

    def beat() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(beat)
    timer.start()
    last[0] = time.perf_counter()
    with qtbot.waitSignal(tab.job_finished, timeout=120_000):
        tab.check_action.trigger()
    timer.stop()
    assert "5000 checked" in tab.job_bar.result.text()
    print(f"longest UI-thread gap during the check: {max(gaps) * 1000:.0f} ms")
    assert len(gaps) > 10
    assert max(gaps) < 0.100, f"UI thread stalled {max(gaps) * 1000:.0f} ms"


def _answer_next_message_box(button: str) -> list[str]:
    """Click `button` (e.g. "Yes") on the next modal message box; the returned list gets
    the box's text."""
    from PySide6.QtWidgets import QMessageBox

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, answer)
            return
        texts.append(box.text())
        for candidate in box.buttons():
            if candidate.text().replace("&", "") == button:
                candidate.click()
                return

    texts: list[str] = []
    QTimer.singleShot(0, answer)
    return texts


def test_remove_server_says_what_goes_and_asks(
    qtbot: QtBot, tab: LibrariesTab, fake_plex: FakePlexServer, app_context: AppContext
) -> None:
    server = add_server(
        app_context.sessions, "Den", fake_plex.url, FAKE_PLEX_TOKEN, app_context.tokens
    )
    with qtbot.waitSignal(tab.job_finished, timeout=WAIT_MS):
        tab.sync_servers([(server.id, None)])
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1)
    tab.tree.setCurrentIndex(tab.model.index(0, 0))
    items = _count(app_context, "SELECT count(*) FROM content_items")

    asked = _answer_next_message_box("Cancel")
    tab.remove_action.trigger()
    assert _count(app_context, "SELECT count(*) FROM plex_servers") == 1
    question = asked[0]
    assert "'Den'" in question and f"{items:,} content items" in question
    assert "4 libraries" in question

    _answer_next_message_box("Yes")
    with qtbot.waitSignal(tab.job_finished, timeout=WAIT_MS):
        tab.remove_action.trigger()
    assert _count(app_context, "SELECT count(*) FROM plex_servers") == 0
    assert _count(app_context, "SELECT count(*) FROM content_items") == 0
    assert app_context.tokens.get(server.machine_identifier or "") is None
    qtbot.waitUntil(lambda: tab.model.rowCount() == 0)
    assert tab.empty_hint.isVisible()


def test_rename_a_folder_library(
    qtbot: QtBot, tab: LibrariesTab, tmp_path: Path, app_context: AppContext
) -> None:
    for name in ("ads", "promos"):
        (tmp_path / name).mkdir()
        with qtbot.waitSignal(tab.job_finished, timeout=WAIT_MS):
            tab.add_folder_library(str(tmp_path / name), "ad")
    ads = _count(app_context, "SELECT id FROM libraries WHERE title = 'ads'")
    with qtbot.waitSignal(tab.job_finished, timeout=WAIT_MS):
        tab.rename_library(ads, "promos")
    assert "already called 'promos'" in tab.job_bar.result.text()
    with qtbot.waitSignal(tab.job_finished, timeout=WAIT_MS):
        tab.rename_library(ads, "Station ads")
    assert _count(app_context, "SELECT count(*) FROM libraries WHERE title = 'Station ads'") == 1
