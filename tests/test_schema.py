"""The schema enforces the spec on both backends: CHECK lists, ON DELETE actions, keys."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from tests.builders import station


@pytest.fixture
def ids(engine: Engine) -> dict[str, int]:
    return station(engine)


# (table, column, a bad value, the rest of a row that is otherwise valid)
BAD_VALUES = [
    ("content_items", "kind", "'documentary'", {}),
    ("content_items", "is_kids_friendly", "2", {"kind": "'movie'"}),
    (
        "media_markers",
        "marker_kind",
        "'scene'",
        {"media_file_id": ":file", "start_ms": "0", "source": "'file'"},
    ),
    (
        "media_markers",
        "source",
        "'guess'",
        {"media_file_id": ":file", "start_ms": "0", "marker_kind": "'cue'"},
    ),
    ("channels", "is_active", "5", {"name": "'X'"}),
    (
        "schedule_blocks",
        "day_of_week",
        "7",
        {
            "channel_id": ":channel",
            "name": "'B'",
            "start_time": "'01:00:00'",
            "end_time": "'02:00:00'",
            "strategy": "'auto'",
        },
    ),
    (
        "schedule_blocks",
        "day_of_week",
        "-1",
        {
            "channel_id": ":channel",
            "name": "'B'",
            "start_time": "'01:00:00'",
            "end_time": "'02:00:00'",
            "strategy": "'auto'",
        },
    ),
    (
        "schedule_blocks",
        "strategy",
        "'random'",
        {
            "channel_id": ":channel",
            "name": "'B'",
            "day_of_week": "0",
            "start_time": "'01:00:00'",
            "end_time": "'02:00:00'",
        },
    ),
    (
        "schedule_instances",
        "pick_strategy",
        "'series'",
        {
            "channel_id": ":channel",
            "air_date": "'2026-01-01'",
            "start_time": "'01:00:00'",
            "end_time": "'02:00:00'",
        },
    ),
    (
        "schedule_instances",
        "status",
        "'aired'",
        {
            "channel_id": ":channel",
            "air_date": "'2026-01-01'",
            "start_time": "'01:00:00'",
            "end_time": "'02:00:00'",
            "pick_strategy": "'auto'",
        },
    ),
    (
        "play_log",
        "item_kind",
        "'programme'",
        {"channel_id": ":channel", "ts_start": "'2026-01-01T00:00:00'"},
    ),
    (
        "content_item_files",
        "role",
        "'poster'",
        {"content_item_id": ":item", "media_file_id": ":file2"},
    ),
    (
        "libraries",
        "source",
        "'ftp'",
        {"title": "'L'", "library_type": "'movie'", "root_path": "'/x'"},
    ),
    (
        "media_files",
        "availability",
        "'fine'",
        {"library_id": ":library", "plex_file_path": "'/a.mkv'"},
    ),
]


@pytest.mark.parametrize(
    ("table", "column", "bad", "rest"),
    BAD_VALUES,
    ids=[f"{t}.{c}={b}" for t, c, b, _ in BAD_VALUES],
)
def test_check_rejects_bad_value(
    engine: Engine, ids: dict[str, int], table: str, column: str, bad: str, rest: dict[str, str]
) -> None:
    params = {k: v for k, v in ids.items() if f":{k}" in rest.values()}
    if ":file2" in rest.values():
        with engine.begin() as conn:
            params["file2"] = conn.execute(
                text(
                    "INSERT INTO media_files (library_id, plex_file_path) VALUES (:lib, '/x.mkv')"
                    " RETURNING id"
                ),
                {"lib": ids["library"]},
            ).scalar_one()

    def insert_sql(value: str) -> str:
        values = {**rest, column: value}
        return f"INSERT INTO {table} ({', '.join(values)}) VALUES ({', '.join(values.values())})"

    with pytest.raises(DBAPIError), engine.begin() as conn:
        conn.execute(text(insert_sql(bad)), params)
    # The same row with a good value is accepted, so it was the CHECK that refused it.
    sqlite = engine.dialect.name == "sqlite"
    good = {
        "kind": "'movie'",
        "is_kids_friendly": "1" if sqlite else "true",
        "marker_kind": "'cue'",
        "source": "'file'" if table == "media_markers" else "'local'",
        "is_active": "0" if sqlite else "false",
        "day_of_week": "6",
        "strategy": "'series'",
        "pick_strategy": "'series_next'",
        "status": "'approved'",
        "item_kind": "'bumper'",
        "availability": "'size_mismatch'",
        "role": "'extra'",
    }[column]
    with engine.begin() as conn:
        conn.execute(text(insert_sql(good)), params)


def test_library_source_fields(engine: Engine, ids: dict[str, int]) -> None:
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO libraries (title, library_type, source)"
                " VALUES ('No server', 'movie', 'plex')"
            )
        )
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO libraries (title, library_type, source)"
                " VALUES ('No folder', 'ad', 'local')"
            )
        )
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(
            text("INSERT INTO media_files (library_id) VALUES (:lib)"),
            {"lib": ids["local_library"]},
        )
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO media_files (library_id, local_file_path)"
                " VALUES (:lib, '/srv/ads/a.mp4')"
            ),
            {"lib": ids["local_library"]},
        )


def test_content_tags_primary_key_rejects_duplicate(engine: Engine, ids: dict[str, int]) -> None:
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO content_tags (content_item_id, namespace, key, value)"
                " VALUES (:i, 'tone', 'comedy', 'other value')"
            ),
            {"i": ids["item"]},
        )
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO content_tags (content_item_id, namespace, key)"
                " VALUES (:i, 'genre', 'comedy')"
            ),
            {"i": ids["item"]},
        )


def test_foreign_keys_are_enforced(engine: Engine) -> None:
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(text("INSERT INTO seasons (show_id, season_number) VALUES (999999, 1)"))


def test_media_file_with_canonical_uri_and_index(engine: Engine, ids: dict[str, int]) -> None:
    uri = "file:///mnt/tv/Caf%C3%A9/S01E01.mkv"
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO media_files"
                " (library_id, plex_file_path, local_file_path, canonical_uri)"
                " VALUES (:lib, '/data/Café/S01E01.mkv', '/mnt/tv/Café/S01E01.mkv', :uri)"
            ),
            {"lib": ids["library"], "uri": uri},
        )
    with engine.connect() as conn:
        found = conn.execute(
            text(
                "SELECT count(*) FROM media_files WHERE library_id = :lib AND canonical_uri = :uri"
            ),
            {"lib": ids["library"], "uri": uri},
        ).scalar_one()
    assert found == 1
    indexes = {ix["name"]: ix["column_names"] for ix in inspect(engine).get_indexes("media_files")}
    assert indexes["ix_media_files_library_canonical_uri"] == ["library_id", "canonical_uri"]


def _count(engine: Engine, sql: str, **params: int) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text(sql), params).scalar_one())


def _value(engine: Engine, sql: str, **params: int) -> object:
    with engine.connect() as conn:
        return conn.execute(text(sql), params).scalar_one()


def _column(engine: Engine, table: str, column: str, row_id: int) -> object:
    return _value(engine, f"SELECT {column} FROM {table} WHERE id = :i", i=row_id)


def _delete(engine: Engine, table: str, row_id: int) -> None:
    with engine.begin() as conn:
        conn.execute(text(f"DELETE FROM {table} WHERE id = :id"), {"id": row_id})


def test_delete_server_cascades(engine: Engine, ids: dict[str, int]) -> None:
    _delete(engine, "plex_servers", ids["server"])
    for table in (
        "libraries WHERE server_id IS NOT NULL",
        "path_mappings",
        "shows",
        "seasons",
        "media_files WHERE library_id = :lib",
        "media_markers",
        "content_item_files",
    ):
        assert _count(engine, f"SELECT count(*) FROM {table}", lib=ids["library"]) == 0, table
    # The local library has no server and stays.
    assert _count(engine, "SELECT count(*) FROM libraries") == 1


def test_delete_library_cascades_files_content_and_mappings(
    engine: Engine, ids: dict[str, int]
) -> None:
    _delete(engine, "libraries", ids["library"])
    for table in (
        "path_mappings",
        "shows",
        "media_files",
        "content_items",
        "content_tags",
        "content_editorial",
        "content_item_files",
        "media_markers",
    ):
        assert _count(engine, f"SELECT count(*) FROM {table}") == 0, table
    # What aired stays on record, pointing at nothing.
    assert _column(engine, "play_log", "content_item_id", ids["play"]) is None
    assert _column(engine, "play_log", "media_file_id", ids["play"]) is None
    assert _column(engine, "schedule_instances", "content_item_id", ids["instance"]) is None


def test_delete_show_cascades_seasons_and_sets_null(engine: Engine, ids: dict[str, int]) -> None:
    _delete(engine, "shows", ids["show"])
    assert _count(engine, "SELECT count(*) FROM seasons") == 0
    assert _column(engine, "content_items", "show_id", ids["item"]) is None
    assert _column(engine, "content_items", "season_id", ids["item"]) is None
    assert _column(engine, "schedule_instances", "show_id", ids["instance"]) is None


def test_delete_season_sets_null(engine: Engine, ids: dict[str, int]) -> None:
    _delete(engine, "seasons", ids["season"])
    assert _column(engine, "content_items", "season_id", ids["item"]) is None
    assert _column(engine, "content_items", "show_id", ids["item"]) == ids["show"]


def test_delete_content_item(engine: Engine, ids: dict[str, int]) -> None:
    _delete(engine, "content_items", ids["item"])
    for table in ("content_tags", "content_editorial", "content_item_files"):
        assert _count(engine, f"SELECT count(*) FROM {table}") == 0, table
    assert _count(engine, "SELECT count(*) FROM media_files") == 1
    assert _column(engine, "schedule_instances", "content_item_id", ids["instance"]) is None
    assert _column(engine, "play_log", "content_item_id", ids["play"]) is None


def test_delete_media_file(engine: Engine, ids: dict[str, int]) -> None:
    _delete(engine, "media_files", ids["file"])
    assert _count(engine, "SELECT count(*) FROM media_markers") == 0
    assert _count(engine, "SELECT count(*) FROM content_item_files") == 0
    assert _count(engine, "SELECT count(*) FROM content_items") == 1
    assert _column(engine, "play_log", "media_file_id", ids["play"]) is None


def test_delete_channel_cascades(engine: Engine, ids: dict[str, int]) -> None:
    _delete(engine, "channels", ids["channel"])
    for table in ("schedule_blocks", "schedule_instances", "play_log"):
        assert _count(engine, f"SELECT count(*) FROM {table}") == 0, table
    assert _count(engine, "SELECT count(*) FROM ad_policies") == 1


def test_delete_block_and_policy_and_instance_set_null(engine: Engine, ids: dict[str, int]) -> None:
    _delete(engine, "ad_policies", ids["policy"])
    assert _column(engine, "schedule_blocks", "ad_policy_id", ids["block"]) is None
    _delete(engine, "schedule_blocks", ids["block"])
    assert _column(engine, "schedule_instances", "block_id", ids["instance"]) is None
    _delete(engine, "schedule_instances", ids["instance"])
    assert _column(engine, "play_log", "schedule_instance_id", ids["play"]) is None
    assert _count(engine, "SELECT count(*) FROM play_log") == 1


def test_defaults(engine: Engine, ids: dict[str, int]) -> None:
    with engine.connect() as conn:
        row = conn.execute(
            text("SELECT status, created_at, updated_at FROM schedule_instances WHERE id = :i"),
            {"i": ids["instance"]},
        ).one()
        assert row.status == "planned" and row.created_at is not None and row.updated_at is not None
        assert not conn.execute(text("SELECT is_kids_friendly FROM content_items")).scalar_one()
        assert conn.execute(text("SELECT is_active FROM channels")).scalar_one()
