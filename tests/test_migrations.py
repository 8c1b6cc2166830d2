"""The migrations are the only way a schema is made, and they agree with the models."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, inspect, select, text
from sqlalchemy.exc import IntegrityError

from retrovue_desktop.store import models as m
from retrovue_desktop.store.engine import create_engine_for
from retrovue_desktop.store.migrations import (
    DatabaseRefused,
    current_revision,
    downgrade,
    head_revision,
    prepare_database,
    upgrade,
)
from tests.builders import migrated_engine, station

REPO = Path(__file__).resolve().parents[1]
FIRST = "0001_v12_schema"
SPEC_TABLES_V12 = {
    "plex_servers",
    "libraries",
    "path_mappings",
    "shows",
    "seasons",
    "content_items",
    "media_files",
    "content_item_files",
    "content_tags",
    "content_editorial",
    "media_markers",
    "channels",
    "schedule_blocks",
    "schedule_instances",
    "ad_policies",
    "play_log",
}


SPEC_TABLES = SPEC_TABLES_V12 | {"library_sync_locks", "tags"}


def _tables(url: str) -> set[str]:
    engine = create_engine_for(url)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def test_upgrade_downgrade_upgrade(db_url: str) -> None:
    upgrade(db_url)
    assert _tables(db_url) == SPEC_TABLES
    downgrade(db_url, "base")
    assert _tables(db_url) == set()
    upgrade(db_url)
    assert _tables(db_url) == SPEC_TABLES
    engine = create_engine_for(db_url)
    try:
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()


def test_models_and_migrations_agree(db_url: str) -> None:
    engine = migrated_engine(db_url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(context, m.Base.metadata)
        assert diff == []
    finally:
        engine.dispose()


def test_revision_two_adds_canonical_uri(db_url: str) -> None:
    upgrade(db_url, FIRST)
    engine = create_engine_for(db_url)
    try:
        assert "canonical_uri" not in {
            c["name"] for c in inspect(engine).get_columns("media_files")
        }
        upgrade(db_url)
        inspector = inspect(engine)
        assert "canonical_uri" in {c["name"] for c in inspector.get_columns("media_files")}
        indexes = {ix["name"]: ix["column_names"] for ix in inspector.get_indexes("media_files")}
        assert indexes["ix_media_files_library_canonical_uri"] == ["library_id", "canonical_uri"]
    finally:
        engine.dispose()


def _row_counts(url: str) -> dict[str, int]:
    engine = create_engine_for(url)
    try:
        present = set(inspect(engine).get_table_names())
        with engine.connect() as conn:
            return {
                table.name: conn.execute(select(func.count()).select_from(table)).scalar_one()
                for table in m.Base.metadata.sorted_tables
                if table.name in present and table.name in SPEC_TABLES_V12
            }
    finally:
        engine.dispose()


def test_app_upgrades_old_file_keeping_rows_and_writing_backup(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'station.db'}"
    engine = migrated_engine(url, FIRST)
    try:
        # Revision 1 has no canonical_uri: fill it with raw SQL the way that version would.
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO plex_servers (id, name) VALUES (1, 'Den')"))
            conn.execute(
                text(
                    "INSERT INTO libraries (id, server_id, plex_library_key, title, library_type)"
                    " VALUES (1, 1, '2', 'Movies', 'movie')"
                )
            )
            for i in range(1, 51):
                conn.execute(
                    text(
                        "INSERT INTO content_items (id, kind, title, library_id, plex_rating_key)"
                        " VALUES (:i, 'movie', :t, 1, :k)"
                    ),
                    {"i": i, "t": f"Film ñ {i}", "k": str(i)},
                )
                conn.execute(
                    text(
                        "INSERT INTO media_files (id, library_id, plex_file_path, file_size_bytes)"
                        " VALUES (:i, 1, :p, :s)"
                    ),
                    {"i": i, "p": f"/m/{i}.mkv", "s": 5_000_000_000 + i},
                )
                conn.execute(
                    text(
                        "INSERT INTO content_item_files (content_item_id, media_file_id, role)"
                        " VALUES (:i, :i, 'primary')"
                    ),
                    {"i": i},
                )
            conn.execute(
                text(
                    "INSERT INTO content_tags (content_item_id, namespace, key)"
                    " VALUES (7, 'holiday', 'christmas')"
                )
            )
    finally:
        engine.dispose()
    before = _row_counts(url)

    result = prepare_database(url)

    assert result.from_revision == FIRST
    assert result.to_revision == head_revision()
    assert result.backup_path is not None and result.backup_path.exists()
    assert result.backup_path.parent == tmp_path
    assert _row_counts(url) == before
    engine = create_engine_for(url)
    try:
        with engine.connect() as conn:
            title, size, uri = conn.execute(
                text(
                    "SELECT c.title, f.file_size_bytes, f.canonical_uri FROM content_items c"
                    " JOIN media_files f ON f.id = c.id WHERE c.id = 42"
                )
            ).one()
        assert (title, size, uri) == ("Film ñ 42", 5_000_000_042, None)
    finally:
        engine.dispose()
    backup_url = f"sqlite:///{result.backup_path}"
    backup_engine = create_engine_for(backup_url)
    try:
        assert current_revision(backup_engine) == FIRST
    finally:
        backup_engine.dispose()
    assert _row_counts(backup_url)["content_items"] == 50


def test_fresh_database_is_created_without_backup(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new' / 'station.db'}"
    result = prepare_database(url)
    assert result.from_revision is None
    assert result.backup_path is None
    assert list(tmp_path.joinpath("new").glob("*backup*")) == []
    assert prepare_database(url).from_revision == head_revision()


def _fingerprint(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _make_future_database(url: str) -> None:
    engine = migrated_engine(url)
    try:
        station(engine)
        with engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        engine.dispose()


def test_unknown_revision_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "station.db"
    url = f"sqlite:///{path}"
    _make_future_database(url)
    before = _fingerprint(path)
    files_before = sorted(p.name for p in tmp_path.iterdir())

    with pytest.raises(DatabaseRefused) as refused:
        prepare_database(url)

    assert "newer version" in str(refused.value)
    assert str(path) in str(refused.value)
    assert _fingerprint(path) == before
    assert sorted(p.name for p in tmp_path.iterdir() if "backup" in p.name) == []
    assert [n for n in files_before if n.endswith(".db")] == ["station.db"]


def test_unknown_revision_on_postgres_is_refused(postgres_url: str) -> None:
    engine = migrated_engine(postgres_url)
    try:
        station(engine)
        with engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    finally:
        engine.dispose()
    with pytest.raises(DatabaseRefused, match="newer version"):
        prepare_database(postgres_url)
    engine = create_engine_for(postgres_url)
    try:
        assert current_revision(engine) == "9999_from_the_future"
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM content_items")).scalar_one() == 1
    finally:
        engine.dispose()


def test_foreign_tables_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    engine = create_engine_for(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE recipes (id INTEGER PRIMARY KEY)"))
    engine.dispose()
    with pytest.raises(DatabaseRefused, match="did not create"):
        prepare_database(f"sqlite:///{path}")


def test_alembic_command_line_from_repo_root(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    env = {**os.environ, "RETROVUE_DATABASE_URL": url}
    alembic = Path(sys.executable).parent / "alembic"
    for args in (["upgrade", "head"], ["downgrade", "base"], ["upgrade", "head"]):
        done = subprocess.run(
            [str(alembic), *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stderr
    engine = create_engine_for(url)
    try:
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()


def test_every_step_keeps_rows(db_url: str) -> None:
    """Walking down to revision 1 and back up never loses a row (SQLite rebuilds tables
    in batch mode; with foreign keys on, a rebuild would cascade-delete dependents)."""
    engine = migrated_engine(db_url)
    try:
        station(engine)
    finally:
        engine.dispose()
    before = _row_counts(db_url)
    assert before["content_items"] == 1 and before["play_log"] == 1
    downgrade(db_url, FIRST)
    assert _row_counts(db_url) == before
    upgrade(db_url)
    assert _row_counts(db_url) == before


def _norm(sql: str) -> str:
    return "".join(ch for ch in sql.lower() if ch not in " ()\n\t")


def test_check_constraints_match_the_models(sqlite_url: str) -> None:
    """Alembic's comparison skips CHECK constraints, so compare their text here (SQLite
    keeps it verbatim)."""
    from sqlalchemy import CheckConstraint

    engine = migrated_engine(sqlite_url)
    try:
        inspector = inspect(engine)
        for table in m.Base.metadata.sorted_tables:
            in_db = {
                ck["name"]: _norm(ck["sqltext"])
                for ck in inspector.get_check_constraints(table.name)
            }
            in_models = {
                str(c.name): _norm(str(c.sqltext))
                for c in table.constraints
                if isinstance(c, CheckConstraint)
                and not str(c.name).endswith(("is_active", "is_kids_friendly"))
            }
            for name, text_ in in_models.items():
                assert in_db.get(name) == text_, f"{table.name}.{name}"
    finally:
        engine.dispose()


def test_revision_five_adds_channel_rating_and_time_zone(db_url: str) -> None:
    """0005 adds two nullable channel columns; down and up again keeps every channel and
    its blocks, and the new values survive until the downgrade drops them."""
    engine = migrated_engine(db_url, "0004_tag_palette")
    try:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO channels (id, name, number) VALUES (1, 'One', '3')"))
            conn.execute(
                text(
                    "INSERT INTO schedule_blocks (channel_id, name, day_of_week, start_time,"
                    " end_time, strategy) VALUES (1, 'Late', 6, '23:00:00', '01:00:00', 'auto')"
                )
            )
        upgrade(db_url, "0005_channel_rating_timezone")
        columns = {c["name"]: c for c in inspect(engine).get_columns("channels")}
        assert columns["max_rating_code"]["nullable"] and columns["time_zone"]["nullable"]
        with engine.begin() as conn:
            row = conn.execute(
                text("SELECT name, number, max_rating_code, time_zone FROM channels")
            ).one()
            assert tuple(row) == ("One", "3", None, None)
            conn.execute(
                text("UPDATE channels SET max_rating_code = 'TV-PG', time_zone = 'Europe/Oslo'")
            )
        downgrade(db_url, "0004_tag_palette")
        assert "max_rating_code" not in {c["name"] for c in inspect(engine).get_columns("channels")}
        with engine.connect() as conn:
            assert conn.execute(text("SELECT name FROM channels")).scalar_one() == "One"
            assert conn.execute(text("SELECT count(*) FROM schedule_blocks")).scalar_one() == 1
        upgrade(db_url)
        with engine.connect() as conn:
            row = conn.execute(text("SELECT name, max_rating_code, time_zone FROM channels")).one()
            assert tuple(row) == ("One", None, None)
            assert conn.execute(text("SELECT end_time FROM schedule_blocks")).scalar_one() == (
                "01:00:00"
            )
    finally:
        engine.dispose()


def test_revision_six_adds_instance_timing(db_url: str) -> None:
    """0006 adds seven nullable schedule_instances columns and an index; a log written
    before it keeps its rows through up, down and up again."""
    engine = migrated_engine(db_url, "0005_channel_rating_timezone")
    insert_instance = text(
        "INSERT INTO schedule_instances (channel_id, air_date, start_time, end_time,"
        " pick_strategy, status) VALUES (1, '2026-11-24', '20:00:00', '20:30:00', 'auto',"
        " 'approved')"
    )
    try:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO channels (id, name) VALUES (1, 'One')"))
            conn.execute(insert_instance)
        upgrade(db_url, "0006_instance_timing")
        columns = {c["name"]: c for c in inspect(engine).get_columns("schedule_instances")}
        added = ("starts_at", "ends_at", "item_kind", "segment", "offset_ms", "break_number")
        assert all(columns[name]["nullable"] for name in (*added, "break_seq"))
        indexes = {i["name"] for i in inspect(engine).get_indexes("schedule_instances")}
        assert "ix_schedule_instances_channel_id_starts_at" in indexes
        with engine.begin() as conn:
            row = conn.execute(text("SELECT start_time, status, starts_at FROM schedule_instances"))
            assert tuple(row.one()) == ("20:00:00", "approved", None)
            conn.execute(text("UPDATE schedule_instances SET starts_at = 1795550400, segment = 2"))
        downgrade(db_url, "0005_channel_rating_timezone")
        names = {c["name"] for c in inspect(engine).get_columns("schedule_instances")}
        assert "starts_at" not in names and "break_seq" not in names
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM schedule_instances")).scalar_one() == 1
        upgrade(db_url)
        with engine.connect() as conn:
            row = conn.execute(text("SELECT end_time, starts_at, segment FROM schedule_instances"))
            assert tuple(row.one()) == ("20:30:00", None, None)
    finally:
        engine.dispose()


def test_revision_seven_allows_demo_files(db_url: str) -> None:
    """0007 adds 'demo' to media_files' availability CHECK; down turns demo files into
    'unknown' (so the old CHECK holds) and keeps every row; up again allows 'demo'."""
    engine = migrated_engine(db_url, "0006_instance_timing")
    insert_file = (
        "INSERT INTO media_files (id, library_id, local_file_path, availability)"
        " VALUES ({id}, 1, '/m/{id}.mkv', '{availability}')"
    )
    try:
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO libraries (id, source, root_path, title, library_type)"
                    " VALUES (1, 'local', 'demo:/m', 'Ads', 'ad')"
                )
            )
            conn.execute(text(insert_file.format(id=1, availability="ok")))
        with pytest.raises(IntegrityError), engine.begin() as conn:
            conn.execute(text(insert_file.format(id=2, availability="demo")))
        upgrade(db_url, "0007_demo_files")
        with engine.begin() as conn:
            conn.execute(text(insert_file.format(id=2, availability="demo")))
            conn.execute(
                text("UPDATE media_files SET availability_reason = 'invented' WHERE id = 2")
            )
        downgrade(db_url, "0006_instance_timing")
        with engine.connect() as conn:
            rows = conn.execute(
                text("SELECT id, availability, availability_reason FROM media_files ORDER BY id")
            ).all()
            assert [tuple(r) for r in rows] == [(1, "ok", None), (2, "unknown", None)]
        with pytest.raises(IntegrityError), engine.begin() as conn:
            conn.execute(text("UPDATE media_files SET availability = 'demo' WHERE id = 1"))
        upgrade(db_url)
        with engine.begin() as conn:
            conn.execute(text("UPDATE media_files SET availability = 'demo' WHERE id = 1"))
            assert conn.execute(text("SELECT count(*) FROM media_files")).scalar_one() == 2
    finally:
        engine.dispose()
