"""Shared pieces of the Plex sync tests: a migrated database, a saved server, snapshots."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, inspect, text
from sqlalchemy.orm import Session, sessionmaker

from retrovue_desktop.plex.servers import ServerSummary, add_server
from retrovue_desktop.plex.sync import SyncOptions, SyncResult, sync_server
from retrovue_desktop.plex.tokens import TokenStore
from retrovue_desktop.store.engine import create_engine_for, make_session_factory
from retrovue_desktop.store.migrations import upgrade
from tests.fakeplex import FakePlexServer
from tests.fakeplex.fixtures import FAKE_PLEX_TOKEN


@dataclass
class Station:
    url: str
    engine: Engine
    sessions: sessionmaker[Session]
    tokens: TokenStore
    server: ServerSummary

    def sync(self, **options: Any) -> SyncResult:
        progress = options.pop("progress", None)
        cancelled = options.pop("cancelled", None)
        titles = options.pop("library_titles", None)
        return sync_server(
            self.sessions, self.server.id, self.tokens, SyncOptions(**options),
            progress=progress, cancelled=cancelled, library_titles=titles,
        )  # fmt: skip

    def rows(self, sql: str, **params: Any) -> list[Any]:
        with self.engine.connect() as conn:
            return list(conn.execute(text(sql), params))

    def scalar(self, sql: str, **params: Any) -> Any:
        with self.engine.connect() as conn:
            return conn.execute(text(sql), params).scalar()

    def execute(self, sql: str, **params: Any) -> None:
        with self.engine.begin() as conn:
            conn.execute(text(sql), params)


def make_station(url: str, plex: FakePlexServer, tmp_path: Path) -> Station:
    upgrade(url)
    engine = create_engine_for(url)
    sessions = make_session_factory(engine)
    tokens = TokenStore(tmp_path / "tokens.json", use_keyring=False)
    server = add_server(sessions, "Den", plex.url, FAKE_PLEX_TOKEN, tokens)
    return Station(url, engine, sessions, tokens, server)


SKIP_COLUMNS = {"last_synced_at", "last_sync_status", "last_sync_summary"}


def snapshot(engine: Engine, skip: set[str] = SKIP_COLUMNS) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (minus `skip` columns), sorted: equal snapshots mean
    nothing was written."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    inspector = inspect(engine)
    with engine.connect() as conn:
        for table in sorted(inspector.get_table_names()):
            columns = [c["name"] for c in inspector.get_columns(table) if c["name"] not in skip]
            rows = conn.execute(text(f"SELECT {', '.join(columns)} FROM {table}"))
            out[table] = sorted((tuple(r) for r in rows), key=repr)
    return out


def natural_snapshot(station: Station) -> dict[str, list[tuple[Any, ...]]]:
    """The synced catalogue by Plex keys rather than row ids, so two databases that
    reached the same state by different paths compare equal."""
    q = station.rows
    return {
        "items": sorted(q(
            "SELECT c.plex_rating_key, c.kind, c.title, c.synopsis, c.duration_ms,"
            " c.rating_code, c.is_kids_friendly, c.guid_primary, c.external_ids_json,"
            " c.metadata_updated_at, c.season_number, c.episode_number, s.plex_rating_key,"
            " se.plex_rating_key, c.gone_from_source_at IS NULL, c.source_fingerprint"
            " FROM content_items c LEFT JOIN shows s ON s.id = c.show_id"
            " LEFT JOIN seasons se ON se.id = c.season_id"), key=repr),
        "editorial": sorted(q(
            "SELECT c.plex_rating_key, e.source_name, e.original_title, e.original_synopsis,"
            " e.source_payload_json FROM content_editorial e"
            " JOIN content_items c ON c.id = e.content_item_id"), key=repr),
        "files": sorted(q(
            "SELECT f.plex_part_id, f.plex_file_path, f.file_size_bytes, f.duration_ms,"
            " f.container, f.video_codec, f.audio_codec, f.width, f.height, f.availability"
            " FROM media_files f"), key=repr),
        "links": sorted(q(
            "SELECT c.plex_rating_key, f.plex_part_id, l.role FROM content_item_files l"
            " JOIN content_items c ON c.id = l.content_item_id"
            " JOIN media_files f ON f.id = l.media_file_id"), key=repr),
        "markers": sorted(q(
            "SELECT f.plex_part_id, m.marker_kind, m.label, m.source, m.start_ms, m.end_ms"
            " FROM media_markers m JOIN media_files f ON f.id = m.media_file_id"), key=repr),
        "shows": sorted(q("SELECT plex_rating_key, title, year, studio FROM shows"), key=repr),
        "seasons": sorted(q(
            "SELECT s.plex_rating_key, s.season_number, sh.plex_rating_key FROM seasons s"
            " JOIN shows sh ON sh.id = s.show_id"), key=repr),
    }  # fmt: skip
