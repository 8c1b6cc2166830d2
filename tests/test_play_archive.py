"""The play log's weekly rotation on real databases and real files: old weeks leave the
database only once their archive reads back equal; failures delete nothing; archives
merge, list, read and restore."""

from __future__ import annotations

import gzip
import os
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session, sessionmaker

from retrovue_desktop.scheduling.play_archive import (
    COLUMNS,
    ArchiveError,
    canonical_csv,
    due,
    first_kept,
    list_archives,
    read_archive,
    restore_archive,
    rotate,
    week_key,
)
from retrovue_desktop.scheduling.play_rows import PlayRow
from retrovue_desktop.store import models as m
from retrovue_desktop.store.tables import PLAYS
from tests.builders import add, station

NOW = int(datetime(2026, 11, 25, 12, 0, tzinfo=UTC).timestamp())  # a Wednesday of W48
KEPT = 2  # W47 and W48 stay live
LABEL = "3 · Retro One"
TITLE = "Give Me a Ring Sometime"

# (week, ts_start, ts_end, kind, with item, ad_block_seq, notes): W45 and W46 go.
OLD = [
    ("2026-W45", "2026-11-02T20:00:00+00:00", "2026-11-02T20:22:00+00:00", "program", True,
     None, None),
    ("2026-W45", "2026-11-02T20:22:00+00:00", None, "ad", False, 1,
     'says "hi", then\nleaves'),
    ("2026-W46", "2026-11-09T00:00:00+00:00", "2026-11-09T00:00:30+00:00", "bumper", False,
     2, ""),
    ("2026-W46", "2026-11-15T23:59:59+00:00", None, "program", True, None,
     "\\backslash, comma"),
]  # fmt: skip
NEW = ["2026-11-16T00:00:00+00:00", "2026-11-24T09:00:00+00:00"]


def _play(s: Session, ids: dict[str, int], start: str, **values: object) -> int:
    values.setdefault("item_kind", "program")
    return add(s, m.PlayLogEntry, channel_id=ids["channel"], ts_start=start, **values)


def _fill(
    engine: Engine, sessions: sessionmaker[Session]
) -> tuple[dict[str, int], dict[str, list[PlayRow]]]:
    """The station plus the OLD and NEW rows; returns ids and the old rows expected in
    each week's archive, built by hand from what was inserted."""
    ids = station(engine)
    expected: dict[str, list[PlayRow]] = {}
    with sessions() as s, s.begin():
        for week, start, end, kind, with_item, seq, notes in OLD:
            row_id = _play(
                s, ids, start, ts_end=end, item_kind=kind, ad_block_seq=seq, notes=notes,
                content_item_id=ids["item"] if with_item else None,
                media_file_id=ids["file"] if with_item else None,
            )  # fmt: skip
            expected.setdefault(week, []).append(
                PlayRow(
                    id=row_id,
                    channel_id=ids["channel"],
                    channel=LABEL,
                    ts_start=start,
                    ts_end=end,
                    item_kind=kind,
                    content_item_id=ids["item"] if with_item else None,
                    title=TITLE if with_item else None,
                    media_file_id=ids["file"] if with_item else None,
                    schedule_instance_id=None,
                    ad_block_seq=seq,
                    notes=notes,
                )
            )
        for start in NEW:
            _play(s, ids, start)
    return ids, expected


def _starts(sessions: sessionmaker[Session]) -> list[str]:
    with sessions() as s:
        return list(s.execute(select(PLAYS.c.ts_start).order_by(PLAYS.c.ts_start)).scalars())


def _all_rows(sessions: sessionmaker[Session]) -> list[tuple[object, ...]]:
    with sessions() as s:
        return [tuple(r) for r in s.execute(select(PLAYS).order_by(PLAYS.c.id))]


def test_weeks_are_iso_weeks_from_monday_utc() -> None:
    assert week_key(date(2026, 11, 23)) == "2026-W48"
    assert week_key(date(2024, 12, 30)) == "2025-W01"
    assert first_kept(NOW, 1) == date(2026, 11, 23)
    assert first_kept(NOW, KEPT) == date(2026, 11, 16)
    sunday_night = int(datetime(2026, 11, 22, 23, 59, 59, tzinfo=UTC).timestamp())
    assert first_kept(sunday_night, 1) == date(2026, 11, 16)


def test_old_weeks_move_to_archives_equal_to_the_deleted_rows(
    engine: Engine, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    _ids, expected = _fill(engine, sessions)
    archive_dir = tmp_path / "archive"
    phases: list[tuple[str, int, int]] = []
    with sessions() as s, s.begin():
        report = rotate(s, archive_dir, KEPT, NOW, lambda *p: phases.append(p))

    assert [w.week for w in report.weeks] == ["2026-W45", "2026-W46"]
    assert report.deleted == len(OLD) and report.complete and report.unreadable == 0
    assert phases[-1] == ("Archived 2026-W46", len(OLD), len(OLD))
    assert "Archived 4 play log rows of 2 weeks (2026-W45 to 2026-W46)" in report.line()
    assert _starts(sessions) == ["2026-11-16T00:00:00+00:00", "2026-11-23T17:00:00", *NEW[1:]]
    for week, rows in expected.items():
        path = archive_dir / f"play-log-{week}.csv.gz"
        back = read_archive(path)
        assert back == rows  # every field, the empty note and the NULL ones included
        with gzip.open(path, "rt", encoding="utf-8", newline="") as stream:
            assert stream.readline().rstrip("\n").split(",") == list(COLUMNS)
    infos = list_archives(archive_dir)
    assert [(i.week, i.rows, i.first, i.last, i.problem) for i in infos] == [
        ("2026-W45", 2, OLD[0][1], OLD[1][1], ""),
        ("2026-W46", 2, OLD[2][1], OLD[3][1], ""),
    ]
    assert sorted(p.name for p in archive_dir.iterdir()) == [
        "play-log-2026-W45.csv.gz",
        "play-log-2026-W46.csv.gz",
    ]  # fmt: skip (no temporary file left)

    with sessions() as s, s.begin():
        again = rotate(s, archive_dir, KEPT, NOW)
    assert again.weeks == [] and "nothing before 2026-W47" in again.line()


def test_nothing_old_writes_nothing(
    engine: Engine, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    station(engine)
    with sessions() as s, s.begin():
        report = rotate(s, tmp_path / "archive", 12, NOW)
    assert report.weeks == [] and not (tmp_path / "archive").exists()


def test_an_archive_that_cannot_be_written_deletes_nothing(
    engine: Engine, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    _fill(engine, sessions)
    before = _all_rows(sessions)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(ArchiveError, match="could not be written"), sessions() as s, s.begin():
        rotate(s, blocker / "archive", KEPT, NOW)
    assert _all_rows(sessions) == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_archive_folder_deletes_nothing(
    engine: Engine, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    _fill(engine, sessions)
    before = _all_rows(sessions)
    archive_dir = tmp_path / "archive"
    archive_dir.mkdir()
    archive_dir.chmod(0o500)
    try:
        with pytest.raises(ArchiveError, match="Nothing was deleted"), sessions() as s, s.begin():
            rotate(s, archive_dir, KEPT, NOW)
    finally:
        archive_dir.chmod(0o700)
    assert _all_rows(sessions) == before and list(archive_dir.iterdir()) == []


def test_an_archive_that_reads_back_different_deletes_nothing(
    sqlite_url: str, tmp_path: Path
) -> None:
    """SQLite keeps what another tool stored: a note stored as bytes writes out as its
    text, reads back as a string, and the comparison refuses the archive."""
    from tests.builders import migrated_engine

    engine = migrated_engine(sqlite_url)
    try:
        from retrovue_desktop.store.engine import make_session_factory

        sessions = make_session_factory(engine)
        _fill(engine, sessions)
        with sessions() as s, s.begin():
            s.execute(
                text("UPDATE play_log SET notes = x'6869' WHERE ts_start = :t"),
                {"t": OLD[3][1]},
            )
        before = _all_rows(sessions)
        archive_dir = tmp_path / "archive"
        with pytest.raises(ArchiveError, match="did not read back"), sessions() as s, s.begin():
            rotate(s, archive_dir, KEPT, NOW)
        assert _all_rows(sessions) == before
        # W45 was verified and written before W46 failed; its rows are still live, and
        # the next rotation merges them into the same file rather than adding any twice.
        assert [i.week for i in list_archives(archive_dir)] == ["2026-W45"]
        assert not any(p.name.endswith(".tmp") for p in archive_dir.iterdir())
    finally:
        engine.dispose()


def test_a_later_row_of_an_archived_week_is_merged_into_its_archive(
    engine: Engine, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    ids, expected = _fill(engine, sessions)
    archive_dir = tmp_path / "archive"
    with sessions() as s, s.begin():
        rotate(s, archive_dir, KEPT, NOW)
    with sessions() as s, s.begin():
        late = _play(s, ids, "2026-11-03T08:00:00+00:00", notes="imported late")
    with sessions() as s, s.begin():
        report = rotate(s, archive_dir, KEPT, NOW)
    assert [(w.week, w.deleted, w.rows) for w in report.weeks] == [("2026-W45", 1, 3)]
    back = read_archive(archive_dir / "play-log-2026-W45.csv.gz")
    assert back[:2] == expected["2026-W45"]
    assert (back[2].id, back[2].notes, back[2].title) == (late, "imported late", None)


def test_a_damaged_archive_is_never_overwritten_and_nothing_is_deleted(
    engine: Engine, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    _fill(engine, sessions)
    before = _all_rows(sessions)
    archive_dir = tmp_path / "archive"
    archive_dir.mkdir()
    damaged = archive_dir / "play-log-2026-W45.csv.gz"
    damaged.write_bytes(b"this is not gzip")
    with pytest.raises(ArchiveError, match="could not be read"), sessions() as s, s.begin():
        rotate(s, archive_dir, KEPT, NOW)
    assert _all_rows(sessions) == before
    assert damaged.read_bytes() == b"this is not gzip"
    (info,) = list_archives(archive_dir)
    assert info.week == "2026-W45" and info.problem


def test_cancel_stops_after_a_whole_week(
    engine: Engine, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    _fill(engine, sessions)
    archive_dir = tmp_path / "archive"
    stop: list[bool] = []
    with sessions() as s, s.begin():
        report = rotate(
            s, archive_dir, KEPT, NOW,
            lambda phase, *_: stop.append(phase.startswith("Archived")), lambda: any(stop),
        )  # fmt: skip
    assert [w.week for w in report.weeks] == ["2026-W45"] and not report.complete
    assert "Stopped before the end" in report.line()
    assert _starts(sessions)[:2] == [OLD[2][1], OLD[3][1]]


def test_rows_without_a_readable_start_stay_live(
    engine: Engine, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    ids = station(engine)
    with sessions() as s, s.begin():
        _play(s, ids, "0000-junk")
        _play(s, ids, "2026-11-02 20:00")  # no "T": still a readable date
    with sessions() as s, s.begin():
        report = rotate(s, tmp_path / "archive", KEPT, NOW)
    assert report.unreadable == 1 and report.deleted == 1
    assert "0000-junk" in _starts(sessions)


def test_weeks_kept_must_be_one_or_more(sessions: sessionmaker[Session], tmp_path: Path) -> None:
    with sessions() as s, pytest.raises(ArchiveError, match="at least one week"):
        rotate(s, tmp_path, 0, NOW)


def test_restore_puts_the_rows_back_with_their_ids_once(
    engine: Engine, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    ids, _expected = _fill(engine, sessions)
    before = _all_rows(sessions)
    archive_dir = tmp_path / "archive"
    with sessions() as s, s.begin():
        rotate(s, archive_dir, KEPT, NOW)
    for path in sorted(archive_dir.iterdir()):
        with sessions() as s, s.begin():
            assert restore_archive(s, path) == 2
        assert path.exists()
    assert _all_rows(sessions) == before
    with sessions() as s, s.begin():
        assert restore_archive(s, archive_dir / "play-log-2026-W45.csv.gz") == 0
    assert _all_rows(sessions) == before
    with sessions() as s, s.begin():  # the id sequence is past the restored ids
        fresh = _play(s, ids, "2026-11-25T10:00:00+00:00")
    assert fresh > max(r[0] for r in before)  # type: ignore[type-var]


def test_restore_drops_references_to_what_was_removed_since(
    engine: Engine, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    _fill(engine, sessions)
    archive_dir = tmp_path / "archive"
    with sessions() as s, s.begin():
        rotate(s, archive_dir, KEPT, NOW)
    with sessions() as s, s.begin():
        s.execute(text("DELETE FROM content_item_files"))
        s.execute(text("DELETE FROM media_markers"))
        s.execute(text("DELETE FROM media_files"))
    with sessions() as s, s.begin():
        assert restore_archive(s, archive_dir / "play-log-2026-W45.csv.gz") == 2
    with sessions() as s:
        files = s.execute(select(func.count()).where(PLAYS.c.media_file_id.is_not(None)))
        assert files.scalar_one() == 0


def test_read_archive_names_the_bad_line(tmp_path: Path) -> None:
    good = PlayRow(1, 1, "Ch", "2026-11-02T20:00:00+00:00", None, "ad", None, None, None,
                   None, None, None)  # fmt: skip
    path = tmp_path / "play-log-2026-W45.csv.gz"
    data = canonical_csv([good]) + b"2,1,Ch,2026-11-02T20:01:00+00:00,,dance,,,,,,\n"
    path.write_bytes(gzip.compress(data))
    with pytest.raises(ArchiveError, match="at line 3") as caught:
        read_archive(path)
    assert "dance" in caught.value.detail


def test_due_at_most_once_a_day() -> None:
    assert due(None, NOW)
    assert not due(NOW - 3_600, NOW)
    assert not due(NOW, NOW)
    assert due(NOW - 86_400, NOW)
    assert due(NOW + 7 * 86_400, NOW)  # a clock set back does not block it
