"""Small helpers that put rows into a migrated database for tests, through the models."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, insert
from sqlalchemy.orm import Session

from retrovue_desktop.store import models as m
from retrovue_desktop.store.engine import create_engine_for, make_session_factory
from retrovue_desktop.store.migrations import upgrade


def migrated_engine(url: str, revision: str = "head") -> Engine:
    """Run the migrations on `url` and return an engine on it."""
    upgrade(url, revision)
    return create_engine_for(url)


def add(session: Session, model: type[Any], **values: Any) -> int:
    """Insert one row with Core (no ORM identity map surprises) and return its id."""
    result = session.execute(insert(model).values(**values).returning(*model.__table__.primary_key))
    return int(result.scalar_one())


def station(engine: Engine) -> dict[str, int]:
    """One row in every table, linked the way a real station links them; returns ids."""
    ids: dict[str, int] = {}
    with make_session_factory(engine)() as s, s.begin():
        ids["server"] = add(s, m.PlexServer, name="Den", base_url="http://127.0.0.1:32400")
        ids["library"] = add(
            s,
            m.Library,
            server_id=ids["server"],
            plex_library_key="1",
            title="TV",
            library_type="show",
        )
        ids["local_library"] = add(
            s,
            m.Library,
            source="local",
            root_path="/srv/ads",
            title="Ads",
            library_type="ad",
        )
        ids["mapping"] = add(
            s,
            m.PathMapping,
            server_id=ids["server"],
            library_id=ids["library"],
            plex_path="/data/tv",
            local_path="/mnt/tv",
        )
        ids["show"] = add(
            s,
            m.Show,
            server_id=ids["server"],
            library_id=ids["library"],
            plex_rating_key="100",
            title="Cheers",
        )
        ids["season"] = add(s, m.Season, show_id=ids["show"], season_number=1)
        ids["item"] = add(
            s,
            m.ContentItem,
            kind="episode",
            title="Give Me a Ring Sometime",
            show_id=ids["show"],
            season_id=ids["season"],
            season_number=1,
            episode_number=1,
            library_id=ids["library"],
            plex_rating_key="101",
            duration_ms=1_320_000,
        )
        ids["file"] = add(
            s,
            m.MediaFile,
            library_id=ids["library"],
            plex_file_path="/data/tv/c.mkv",
        )
        s.execute(
            insert(m.ContentItemFile).values(
                content_item_id=ids["item"], media_file_id=ids["file"], role="primary"
            )
        )
        s.execute(
            insert(m.ContentTag).values(content_item_id=ids["item"], namespace="tone", key="comedy")
        )
        s.execute(
            insert(m.ContentEditorial).values(
                content_item_id=ids["item"], source_name="plex", original_title="Give Me a Ring"
            )
        )
        ids["marker"] = add(
            s,
            m.MediaMarker,
            media_file_id=ids["file"],
            marker_kind="chapter",
            start_ms=0,
            source="file",
        )
        ids["channel"] = add(s, m.Channel, name="Retro One", number="3")
        ids["policy"] = add(s, m.AdPolicy, name="Standard", rules_json="{}")
        ids["block"] = add(
            s,
            m.ScheduleBlock,
            channel_id=ids["channel"],
            name="Sitcoms at 5pm",
            day_of_week=1,
            start_time="17:00:00",
            end_time="18:00:00",
            strategy="series",
            ad_policy_id=ids["policy"],
        )
        ids["instance"] = add(
            s,
            m.ScheduleInstance,
            channel_id=ids["channel"],
            block_id=ids["block"],
            air_date="2026-11-23",
            start_time="17:00:00",
            end_time="17:22:00",
            content_item_id=ids["item"],
            show_id=ids["show"],
            pick_strategy="series_next",
        )
        ids["play"] = add(
            s,
            m.PlayLogEntry,
            channel_id=ids["channel"],
            ts_start="2026-11-23T17:00:00",
            item_kind="program",
            content_item_id=ids["item"],
            media_file_id=ids["file"],
            schedule_instance_id=ids["instance"],
        )
    return ids
