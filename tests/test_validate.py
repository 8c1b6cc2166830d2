"""Validation against real files in a temporary folder, on SQLite and PostgreSQL.

"Unreadable" must be real for root too (the suite runs as root in CI, where permission
bits do not stop a read): a symlink that points at itself (the kernel refuses to follow
it: ELOOP), a folder where a file should be, and a named pipe all make a file that exists
but cannot be played. The chmod 000 case runs only where permission bits apply: an
ordinary user, or root without CAP_DAC_OVERRIDE (e.g. under `setpriv
--inh-caps=-dac_override,-dac_read_search --bounding-set=-dac_override,-dac_read_search`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, insert, text
from sqlalchemy.orm import Session, sessionmaker

from retrovue_desktop.media.errors import MediaCancelled, MediaError
from retrovue_desktop.media.pathmap import add_mapping, canonical_uri
from retrovue_desktop.media.validate import (
    DeadlinePool,
    TimedOut,
    availability_counts,
    extend_deadline,
    problem_files,
    validate_library,
)
from retrovue_desktop.store import models as m
from retrovue_desktop.store.engine import make_session_factory
from tests.builders import migrated_engine

MEDIA = Path(__file__).parent / "media"
PLEX = "/data/tv"


def _plex_library(session: Session, local_root: Path, key: str = "1") -> int:
    server_id = session.execute(
        insert(m.PlexServer)
        .values(name=f"Den {key}", platform="Linux", machine_identifier=f"machine-{key}")
        .returning(m.PlexServer.id)
    ).scalar_one()
    library_id = int(
        session.execute(
            insert(m.Library)
            .values(server_id=server_id, plex_library_key=key, title="TV", library_type="show")
            .returning(m.Library.id)
        ).scalar_one()
    )
    add_mapping(session, library_id, PLEX, str(local_root))
    return library_id


def _file(session: Session, library_id: int, **values: Any) -> int:
    return int(
        session.execute(
            insert(m.MediaFile).values(library_id=library_id, **values).returning(m.MediaFile.id)
        ).scalar_one()
    )


def _rows(engine: Engine) -> dict[str, Any]:
    """Every file row by its Plex (or local) path."""
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT id, plex_file_path, local_file_path, availability, availability_reason,"
                " canonical_uri, last_verified_at, updated_at FROM media_files"
            )
        )
        return {row.plex_file_path or row.local_file_path: row for row in rows}


@pytest.fixture
def station(db_url: str) -> tuple[Engine, sessionmaker[Session]]:
    engine = migrated_engine(db_url)
    yield engine, make_session_factory(engine)
    engine.dispose()


def test_one_file_of_each_availability(
    station: tuple[Engine, sessionmaker[Session]], tmp_path: Path
) -> None:
    engine, sessions = station
    nas = tmp_path / "nas"
    show = nas / "Show"
    show.mkdir(parents=True)
    ok = show / "Épisode 1.mp4"
    shutil.copy(MEDIA / "bars_3s.mp4", ok)
    (show / "loop.mkv").symlink_to("loop.mkv")  # ELOOP, for root too
    (show / "folder.mkv").mkdir()
    os.mkfifo(show / "pipe.mkv")
    full = (MEDIA / "bars_3s.mp4").read_bytes()
    (show / "cut.mp4").write_bytes(full[:1000])
    shutil.copy(MEDIA / "tone_2s.mkv", show / "long.mkv")
    shutil.copy(MEDIA / "clip_title.mp4", show / "codec.mp4")
    shutil.copy(MEDIA / "bars_3s.mp4", show / "gone.mp4")
    size = {p.name: p.stat().st_size for p in show.iterdir() if p.is_file()}

    with sessions() as session, session.begin():
        library_id = _plex_library(session, nas)
        plain = {"duration_ms": 3000, "video_codec": "h264", "audio_codec": "aac"}
        _file(session, library_id, plex_file_path=f"{PLEX}/Show/Épisode 1.mp4",
              file_size_bytes=size["Épisode 1.mp4"], **plain)  # fmt: skip
        _file(session, library_id, plex_file_path="/elsewhere/x.mkv")
        _file(session, library_id, plex_file_path=f"{PLEX}/Show/missing.mkv", file_size_bytes=9)
        _file(session, library_id, plex_file_path=f"{PLEX}/NoSuchShow/x.mkv")
        _file(session, library_id, plex_file_path=f"{PLEX}/Show/loop.mkv")
        _file(session, library_id, plex_file_path=f"{PLEX}/Show/folder.mkv")
        _file(session, library_id, plex_file_path=f"{PLEX}/Show/pipe.mkv")
        _file(session, library_id, plex_file_path=f"{PLEX}/Show/cut.mp4",
              file_size_bytes=len(full), **plain)  # fmt: skip
        _file(session, library_id, plex_file_path=f"{PLEX}/Show/long.mkv",
              file_size_bytes=size["long.mkv"], duration_ms=60_000, video_codec="mpeg2video",
              audio_codec="ac3")  # fmt: skip
        _file(session, library_id, plex_file_path=f"{PLEX}/Show/codec.mp4",
              file_size_bytes=size["codec.mp4"], duration_ms=2000, video_codec="hevc",
              audio_codec="aac")  # fmt: skip
        _file(session, library_id, plex_file_path=f"{PLEX}/Show/gone.mp4", availability="gone",
              file_size_bytes=size["gone.mp4"])  # fmt: skip
    with engine.begin() as conn:
        conn.execute(text("UPDATE media_files SET updated_at = '2000-01-01 00:00:00'"))
    gone_before = _rows(engine)[f"{PLEX}/Show/gone.mp4"]

    seen: list[tuple[str, int, int]] = []
    result = validate_library(
        sessions, library_id, progress=lambda *a: seen.append(a), batch_size=4
    )
    assert result.checked == 10 and result.skipped_gone == 1
    assert seen[0] == ("TV: checking files", 0, 10) and seen[-1] == ("TV: checking files", 10, 10)
    rows = _rows(engine)

    def state(name: str) -> tuple[str, str | None]:
        row = rows[name if name.startswith("/") else f"{PLEX}/Show/{name}"]
        return row.availability, row.availability_reason

    assert state("Épisode 1.mp4") == ("ok", None)
    good = rows[f"{PLEX}/Show/Épisode 1.mp4"]
    assert good.local_file_path == str(ok)
    assert good.canonical_uri == canonical_uri(str(ok)) == ok.as_uri()
    assert good.canonical_uri.endswith("/Show/%C3%89pisode%201.mp4")
    assert good.last_verified_at >= int(time.time()) - 60
    assert state("/elsewhere/x.mkv") == (
        "unmapped", "No path mapping covers its Plex folder: add one for this library."
    )  # fmt: skip
    assert rows["/elsewhere/x.mkv"].local_file_path is None
    assert state("missing.mkv") == ("missing", "Not found.")
    assert rows[f"{PLEX}/Show/missing.mkv"].local_file_path == str(show / "missing.mkv")
    assert state(f"{PLEX}/NoSuchShow/x.mkv")[1] == (
        "Not found, nor its folder: is the drive or share connected?"
    )
    assert state("loop.mkv") == (
        "unreadable", "Cannot be looked at: Too many levels of symbolic links."
    )  # fmt: skip
    assert state("folder.mkv") == ("unreadable", "It is a folder, not a file.")
    assert state("pipe.mkv") == (
        "unreadable", "It is not a regular file (a pipe, socket or device)."
    )  # fmt: skip
    assert state("cut.mp4") == (
        "size_mismatch",
        f"Size differs: 1,000 bytes here, {len(full):,} in the catalogue.",
    )
    # Without probe, duration and codecs are not looked at.
    assert state("long.mkv") == ("ok", None) and state("codec.mp4") == ("ok", None)
    for name, row in rows.items():
        if row.availability != "ok":
            assert row.canonical_uri is None, name
    assert rows[f"{PLEX}/Show/gone.mp4"] == gone_before  # untouched, updated_at included
    assert result.counts == {
        "unknown": 0, "ok": 3, "unmapped": 1, "missing": 2, "unreadable": 3,
        "size_mismatch": 1, "probe_mismatch": 0, "gone": 0,
    }  # fmt: skip

    probed = validate_library(sessions, library_id, probe=True)
    rows = _rows(engine)
    assert state("long.mkv") == (
        "probe_mismatch", "Duration 0:00:02 here, 0:01:00 in the catalogue."
    )  # fmt: skip
    assert state("codec.mp4") == (
        "probe_mismatch", "Video h264 here, hevc in the catalogue."
    )  # fmt: skip
    assert rows[f"{PLEX}/Show/long.mkv"].canonical_uri is None
    assert state("Épisode 1.mp4") == ("ok", None)
    assert probed.counts["probe_mismatch"] == 2 and probed.counts["ok"] == 1

    # A quick validation reads again what only a probe can see (and so keeps those two);
    # nothing changed, so no row gets a new updated_at, but every checked row was
    # verified again.
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE media_files SET updated_at = '2000-01-01 00:00:00', last_verified_at = 1"
                 " WHERE availability != 'gone'")
        )  # fmt: skip
    before = _rows(engine)
    again = validate_library(sessions, library_id)
    assert again.changed == 0 and again.counts["probe_mismatch"] == 2
    after = _rows(engine)
    for name, row in after.items():
        assert row.updated_at == before[name].updated_at, name
        if row.availability != "gone":
            assert row.last_verified_at > 1, name
    assert after[f"{PLEX}/Show/gone.mp4"].last_verified_at is None

    # Fixing a file, or the catalogue (a resync), is noticed by a quick validation, and
    # only those rows change.
    shutil.copy(MEDIA / "bars_3s.mp4", show / "cut.mp4")
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE media_files SET duration_ms = 2000 WHERE plex_file_path = :p"),
            {"p": f"{PLEX}/Show/long.mkv"},
        )
    fixed = validate_library(sessions, library_id)
    assert fixed.changed == 2
    assert _rows(engine)[f"{PLEX}/Show/cut.mp4"].availability == "ok"
    assert state("long.mkv") != ("ok", None)  # `rows` is the old snapshot
    assert _rows(engine)[f"{PLEX}/Show/long.mkv"].availability == "ok"


def _permission_bits_apply() -> bool:
    """False for root with its usual capabilities (it reads a mode-000 file anyway)."""
    folder = Path(tempfile.mkdtemp())
    probe = folder / "locked"
    probe.write_text("x")
    probe.chmod(0)
    try:
        probe.read_text()
    except PermissionError:
        return True
    finally:
        shutil.rmtree(folder)
    return False


@pytest.mark.skipif(
    not _permission_bits_apply(), reason="this user reads files whatever their mode"
)
def test_permission_denied_for_an_ordinary_user(tmp_path: Path) -> None:
    engine = migrated_engine(f"sqlite:///{tmp_path / 'perm.db'}")
    sessions = make_session_factory(engine)
    locked = tmp_path / "nas" / "locked.mkv"
    locked.parent.mkdir()
    locked.write_bytes(b"x")
    locked.chmod(0)
    with sessions() as session, session.begin():
        library_id = _plex_library(session, tmp_path / "nas")
        _file(session, library_id, plex_file_path=f"{PLEX}/locked.mkv")
    validate_library(sessions, library_id)
    row = _rows(engine)[f"{PLEX}/locked.mkv"]
    assert (row.availability, row.availability_reason) == (
        "unreadable", "Permission denied: this user cannot read it."
    )  # fmt: skip
    engine.dispose()


def _local_library(session: Session, root: Path, files: int) -> int:
    library_id = int(
        session.execute(
            insert(m.Library)
            .values(source="local", root_path=str(root), title="Ads", library_type="ad")
            .returning(m.Library.id)
        ).scalar_one()
    )
    for index in range(files):
        path = root / f"ad{index:03d}.mp4"
        path.write_bytes(b"x")
        _file(session, library_id, local_file_path=str(path), file_size_bytes=1)
    return library_id


def test_cancel_between_batches_leaves_consistent_rows(
    station: tuple[Engine, sessionmaker[Session]], tmp_path: Path
) -> None:
    engine, sessions = station
    with sessions() as session, session.begin():
        library_id = _local_library(session, tmp_path, 30)
    calls = 0

    def cancelled() -> bool:
        nonlocal calls
        calls += 1
        return True

    with pytest.raises(MediaCancelled) as caught:
        validate_library(sessions, library_id, cancelled=cancelled, batch_size=10)
    assert calls == 1
    partial = caught.value.result
    assert partial is not None and getattr(partial, "checked", None) == 10
    rows = sorted(_rows(engine).values(), key=lambda r: r.id)
    for row in rows[:10]:
        assert row.availability == "ok" and row.last_verified_at is not None
        assert row.canonical_uri == canonical_uri(row.local_file_path)
    for row in rows[10:]:
        assert row.availability == "unknown"
        assert row.last_verified_at is None and row.canonical_uri is None
    done = validate_library(sessions, library_id, batch_size=10)
    assert done.counts["ok"] == 30


def test_a_share_that_does_not_answer_times_out_per_file(tmp_path: Path) -> None:
    """`stat_fn` stands for a dead network mount: a stat under slow/ blocks until the test
    ends. The job must finish anyway: three files time out, the rest under the same
    mapping are not even tried, and a file under another mapping is checked as usual."""
    engine = migrated_engine(f"sqlite:///{tmp_path / 'slow.db'}")
    sessions = make_session_factory(engine)
    slow, fast = tmp_path / "slow", tmp_path / "fast"
    for folder in (slow, fast, tmp_path / "unused"):
        folder.mkdir()
    (fast / "x.mkv").write_bytes(b"x")
    with sessions() as session, session.begin():
        library_id = _plex_library(session, tmp_path / "unused")
        add_mapping(session, library_id, "/data/slow", str(slow))
        add_mapping(session, library_id, "/data/fast", str(fast))
        for name in "abcdef":
            _file(session, library_id, plex_file_path=f"/data/slow/{name}.mkv")
        _file(session, library_id, plex_file_path="/data/fast/x.mkv")
    release = threading.Event()

    def stat_fn(path: str) -> os.stat_result:
        if path.startswith(str(slow)):
            release.wait()
        return os.stat(path)

    started = time.monotonic()
    try:
        result = validate_library(
            sessions, library_id, stat_fn=stat_fn, stat_timeout_s=0.2, workers=2
        )
    finally:
        release.set()
    elapsed = time.monotonic() - started
    assert elapsed < 5
    rows = _rows(engine)
    reasons = [rows[f"/data/slow/{n}.mkv"].availability_reason for n in "abcdef"]
    assert all(rows[f"/data/slow/{n}.mkv"].availability == "unreadable" for n in "abcdef")
    assert reasons[:3] == ["Did not answer within 0.2 s (is the share down?)."] * 3
    assert (
        reasons[3:]
        == [f"Not tried: 3 other files under {slow} did not answer (is the share down?)."] * 3
    )
    assert rows["/data/fast/x.mkv"].availability == "ok"
    assert result.counts["unreadable"] == 6 and result.counts["ok"] == 1
    engine.dispose()


def test_a_hung_thread_does_not_hold_up_the_process_exit() -> None:
    """concurrent.futures joins its threads at exit; a stat stuck forever would hang the
    app on quit. The pool's threads are daemons and are never waited on."""
    script = (
        "import threading\n"
        "from retrovue_desktop.media.validate import DeadlinePool\n"
        "never = threading.Event()\n"
        "pool = DeadlinePool(lambda item: never.wait(), workers=2, timeout_s=0.1)\n"
        "print(pool.results(pool.submit([1, 2, 3])))\n"
        "pool.close()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=30
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("TimedOut(skipped=False, after_s=0.1)") == 3


def test_pool_keeps_order_and_reraises_bugs() -> None:
    with DeadlinePool(lambda n: n * n, workers=3, timeout_s=5, chunk_size=2) as pool:
        batches = [pool.submit(list(range(start, start + 7))) for start in (0, 7)]
        assert pool.results(batches[0]) == [n * n for n in range(7)]
        assert pool.results(batches[1]) == [n * n for n in range(7, 14)]
        assert pool.results(pool.submit([])) == []

    def broken(n: int) -> int:
        raise ValueError(f"bug {n}")

    with (
        DeadlinePool(broken, workers=1, timeout_s=5) as pool,
        pytest.raises(ValueError, match="bug 1"),
    ):
        pool.results(pool.submit([1]))
    assert TimedOut() != TimedOut(skipped=True)


def test_a_slow_step_can_ask_for_more_time() -> None:
    """A file whose stat answered may take longer while MediaInfo reads it."""

    def slow(extend: bool) -> str:
        if extend:
            extend_deadline(5.0)
        time.sleep(0.4)
        return "read"

    with DeadlinePool(slow, workers=2, timeout_s=0.1) as pool:
        assert pool.results(pool.submit([True, False])) == ["read", TimedOut(after_s=0.1)]
    extend_deadline(1.0)  # outside a pool: nothing to extend


def test_problem_files_and_counts(
    station: tuple[Engine, sessionmaker[Session]], tmp_path: Path
) -> None:
    _engine, sessions = station
    (tmp_path / "Show").mkdir()
    (tmp_path / "Show" / "here.mkv").write_bytes(b"x")
    with sessions() as session, session.begin():
        library_id = _plex_library(session, tmp_path)
        missing = _file(session, library_id, plex_file_path=f"{PLEX}/Show/b-missing.mkv")
        _file(session, library_id, plex_file_path=f"{PLEX}/Show/a-missing.mkv")
        _file(session, library_id, plex_file_path=f"{PLEX}/Show/here.mkv")
        _file(session, library_id, plex_file_path="/other/c.mkv")
        _file(session, library_id, plex_file_path=f"{PLEX}/Show/old.mkv", availability="gone")
        pilot = session.execute(
            insert(m.ContentItem).values(kind="episode", title="Pilot").returning(m.ContentItem.id)
        ).scalar_one()
        extra = session.execute(
            insert(m.ContentItem).values(kind="clip", title="Making of").returning(m.ContentItem.id)
        ).scalar_one()
        session.execute(
            insert(m.ContentItemFile),
            [
                {"content_item_id": extra, "media_file_id": missing, "role": "extra"},
                {"content_item_id": pilot, "media_file_id": missing, "role": "primary"},
            ],
        )
        session.execute(
            insert(m.ContentEditorial).values(
                content_item_id=pilot, original_title="Pilot", override_title="Pilot (uncut)"
            )
        )
    validate_library(sessions, library_id)
    with sessions() as session:
        problems = problem_files(session, library_id)
        assert [(p.path, p.availability, p.title) for p in problems] == [
            ("/other/c.mkv", "unmapped", None),
            (str(tmp_path / "Show" / "a-missing.mkv"), "missing", None),
            (str(tmp_path / "Show" / "b-missing.mkv"), "missing", "Pilot (uncut)"),
        ]
        assert problems[2].media_file_id == missing and problems[2].reason == "Not found."
        paged = problem_files(session, library_id, limit=2) + problem_files(
            session, library_id, limit=2, offset=2
        )
        assert paged == problems
        only = problem_files(session, library_id, "missing")
        assert [p.availability for p in only] == ["missing", "missing"]
        assert [p.path for p in problem_files(session, library_id, "gone")] == [
            f"{PLEX}/Show/old.mkv"
        ]
        counts = availability_counts(session, library_id)
    assert counts == {
        "unknown": 0, "ok": 1, "unmapped": 1, "missing": 2, "unreadable": 0,
        "size_mismatch": 0, "probe_mismatch": 0, "gone": 1,
    }  # fmt: skip


def test_unknown_library(station: tuple[Engine, sessionmaker[Session]]) -> None:
    with pytest.raises(MediaError, match="no longer exists"):
        validate_library(station[1], 999)
