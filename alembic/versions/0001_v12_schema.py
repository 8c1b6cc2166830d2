"""The user's schema v1.2, with the readings of DESIGN.md.

Revision ID: 0001_v12_schema
Revises:
Create Date: 2026-11-24

Every table, column, CHECK list, ON DELETE action and index of spec/schema-v1.2.md,
except where DESIGN.md decides otherwise:

- media_files belongs to a library (library_id) instead of the removed movies/episodes
  tables; content_item_files (content_item_id, media_file_id, role) links content to
  files, role in primary/alternate/extra.
- content_items gains library_id and plex_rating_key, unique together, so incremental
  sync finds an item by its Plex key; metadata_updated_at holds Plex's updatedAt.
- schedule_blocks.ad_policy_id is a foreign key to ad_policies, ON DELETE SET NULL.
- Local-folder libraries (ads, bumpers, promos that are not in Plex): libraries gains
  `source` ('plex' or 'local') and `root_path`; server_id and plex_library_key become
  nullable, and the CHECK ck_libraries_source_fields requires a server and section key
  for a Plex library and a root folder (and no server) for a local one. A local file has
  no Plex path, so media_files.plex_file_path is nullable under the CHECK
  ck_media_files_has_path (one of the two paths is always set).
- created_at/updated_at default to CURRENT_TIMESTAMP, the portable form of the spec's
  datetime('now'); booleans are BOOLEAN with a CHECK (0, 1) where the backend needs one.
- canonical_uri is not here: revision 0002 adds it, as the spec's later update did.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001_v12_schema"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ad_policies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("rules_json", sa.Text(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(), server_default=sa.text("CURRENT_TIMESTAMP"), nullable=True
        ),
        sa.Column(
            "updated_at", sa.DateTime(), server_default=sa.text("CURRENT_TIMESTAMP"), nullable=True
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ad_policies")),
    )
    op.create_table(
        "channels",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("number", sa.Text(), nullable=True),
        sa.Column("callsign", sa.Text(), nullable=True),
        sa.Column(
            "is_active",
            sa.Boolean(create_constraint=True, name=op.f("ck_channels_is_active")),
            server_default=sa.true(),
            nullable=False,
        ),
        sa.Column(
            "created_at", sa.DateTime(), server_default=sa.text("CURRENT_TIMESTAMP"), nullable=True
        ),
        sa.Column(
            "updated_at", sa.DateTime(), server_default=sa.text("CURRENT_TIMESTAMP"), nullable=True
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_channels")),
    )
    op.create_table(
        "plex_servers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("base_url", sa.Text(), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(), server_default=sa.text("CURRENT_TIMESTAMP"), nullable=True
        ),
        sa.Column(
            "updated_at", sa.DateTime(), server_default=sa.text("CURRENT_TIMESTAMP"), nullable=True
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plex_servers")),
    )
    op.create_table(
        "libraries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("server_id", sa.Integer(), nullable=True),
        sa.Column("plex_library_key", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("library_type", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), server_default=sa.text("'plex'"), nullable=False),
        sa.Column("root_path", sa.Text(), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(), server_default=sa.text("CURRENT_TIMESTAMP"), nullable=True
        ),
        sa.Column(
            "updated_at", sa.DateTime(), server_default=sa.text("CURRENT_TIMESTAMP"), nullable=True
        ),
        sa.CheckConstraint(
            "(source = 'plex' AND server_id IS NOT NULL AND plex_library_key IS NOT NULL) OR (source = 'local' AND server_id IS NULL AND root_path IS NOT NULL)",
            name=op.f("ck_libraries_source_fields"),
        ),
        sa.CheckConstraint("source IN ('plex','local')", name=op.f("ck_libraries_source")),
        sa.ForeignKeyConstraint(
            ["server_id"],
            ["plex_servers.id"],
            name=op.f("fk_libraries_server_id_plex_servers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_libraries")),
        sa.UniqueConstraint(
            "server_id", "plex_library_key", name=op.f("uq_libraries_server_id_plex_library_key")
        ),
    )
    op.create_table(
        "schedule_blocks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("day_of_week", sa.Integer(), nullable=False),
        sa.Column("start_time", sa.Text(), nullable=False),
        sa.Column("end_time", sa.Text(), nullable=False),
        sa.Column("strategy", sa.Text(), nullable=False),
        sa.Column("constraints_json", sa.Text(), nullable=True),
        sa.Column("ad_policy_id", sa.Integer(), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(), server_default=sa.text("CURRENT_TIMESTAMP"), nullable=True
        ),
        sa.Column(
            "updated_at", sa.DateTime(), server_default=sa.text("CURRENT_TIMESTAMP"), nullable=True
        ),
        sa.CheckConstraint(
            "strategy IN ('auto','series','specific','collection')",
            name=op.f("ck_schedule_blocks_strategy"),
        ),
        sa.CheckConstraint(
            "day_of_week BETWEEN 0 AND 6", name=op.f("ck_schedule_blocks_day_of_week")
        ),
        sa.ForeignKeyConstraint(
            ["ad_policy_id"],
            ["ad_policies.id"],
            name=op.f("fk_schedule_blocks_ad_policy_id_ad_policies"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["channel_id"],
            ["channels.id"],
            name=op.f("fk_schedule_blocks_channel_id_channels"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_schedule_blocks")),
    )
    with op.batch_alter_table("schedule_blocks", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_schedule_blocks_channel_id_day_of_week_start_time"),
            ["channel_id", "day_of_week", "start_time"],
            unique=False,
        )

    op.create_table(
        "media_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("library_id", sa.Integer(), nullable=False),
        sa.Column("plex_file_path", sa.Text(), nullable=True),
        sa.Column("local_file_path", sa.Text(), nullable=True),
        sa.Column("file_size_bytes", sa.BigInteger(), nullable=True),
        sa.Column("video_codec", sa.Text(), nullable=True),
        sa.Column("audio_codec", sa.Text(), nullable=True),
        sa.Column("width", sa.Integer(), nullable=True),
        sa.Column("height", sa.Integer(), nullable=True),
        sa.Column("duration_ms", sa.BigInteger(), nullable=True),
        sa.Column("container", sa.Text(), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(), server_default=sa.text("CURRENT_TIMESTAMP"), nullable=True
        ),
        sa.Column(
            "updated_at", sa.DateTime(), server_default=sa.text("CURRENT_TIMESTAMP"), nullable=True
        ),
        sa.CheckConstraint(
            "plex_file_path IS NOT NULL OR local_file_path IS NOT NULL",
            name=op.f("ck_media_files_has_path"),
        ),
        sa.ForeignKeyConstraint(
            ["library_id"],
            ["libraries.id"],
            name=op.f("fk_media_files_library_id_libraries"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_media_files")),
    )
    with op.batch_alter_table("media_files", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_media_files_library_id_plex_file_path"),
            ["library_id", "plex_file_path"],
            unique=False,
        )

    op.create_table(
        "path_mappings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("server_id", sa.Integer(), nullable=False),
        sa.Column("library_id", sa.Integer(), nullable=False),
        sa.Column("plex_path", sa.Text(), nullable=False),
        sa.Column("local_path", sa.Text(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(), server_default=sa.text("CURRENT_TIMESTAMP"), nullable=True
        ),
        sa.Column(
            "updated_at", sa.DateTime(), server_default=sa.text("CURRENT_TIMESTAMP"), nullable=True
        ),
        sa.ForeignKeyConstraint(
            ["library_id"],
            ["libraries.id"],
            name=op.f("fk_path_mappings_library_id_libraries"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["server_id"],
            ["plex_servers.id"],
            name=op.f("fk_path_mappings_server_id_plex_servers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_path_mappings")),
    )
    with op.batch_alter_table("path_mappings", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_path_mappings_library_id"), ["library_id"], unique=False
        )

    op.create_table(
        "shows",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("server_id", sa.Integer(), nullable=False),
        sa.Column("library_id", sa.Integer(), nullable=False),
        sa.Column("plex_rating_key", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("originally_available_at", sa.Text(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("studio", sa.Text(), nullable=True),
        sa.Column("artwork_url", sa.Text(), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(), server_default=sa.text("CURRENT_TIMESTAMP"), nullable=True
        ),
        sa.Column(
            "updated_at", sa.DateTime(), server_default=sa.text("CURRENT_TIMESTAMP"), nullable=True
        ),
        sa.ForeignKeyConstraint(
            ["library_id"],
            ["libraries.id"],
            name=op.f("fk_shows_library_id_libraries"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["server_id"],
            ["plex_servers.id"],
            name=op.f("fk_shows_server_id_plex_servers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shows")),
        sa.UniqueConstraint(
            "library_id", "plex_rating_key", name=op.f("uq_shows_library_id_plex_rating_key")
        ),
    )
    op.create_table(
        "media_markers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("media_file_id", sa.Integer(), nullable=False),
        sa.Column("marker_kind", sa.Text(), nullable=False),
        sa.Column("start_ms", sa.BigInteger(), nullable=False),
        sa.Column("end_ms", sa.BigInteger(), nullable=True),
        sa.Column("label", sa.Text(), nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("confidence", sa.Double(), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(), server_default=sa.text("CURRENT_TIMESTAMP"), nullable=True
        ),
        sa.Column(
            "updated_at", sa.DateTime(), server_default=sa.text("CURRENT_TIMESTAMP"), nullable=True
        ),
        sa.CheckConstraint(
            "marker_kind IN ('chapter','ad_break','cue')", name=op.f("ck_media_markers_marker_kind")
        ),
        sa.CheckConstraint(
            "source IN ('file','manual','detected')", name=op.f("ck_media_markers_source")
        ),
        sa.ForeignKeyConstraint(
            ["media_file_id"],
            ["media_files.id"],
            name=op.f("fk_media_markers_media_file_id_media_files"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_media_markers")),
    )
    with op.batch_alter_table("media_markers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_media_markers_media_file_id_start_ms"),
            ["media_file_id", "start_ms"],
            unique=False,
        )

    op.create_table(
        "seasons",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("show_id", sa.Integer(), nullable=False),
        sa.Column("season_number", sa.Integer(), nullable=False),
        sa.Column("plex_rating_key", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(), server_default=sa.text("CURRENT_TIMESTAMP"), nullable=True
        ),
        sa.Column(
            "updated_at", sa.DateTime(), server_default=sa.text("CURRENT_TIMESTAMP"), nullable=True
        ),
        sa.ForeignKeyConstraint(
            ["show_id"], ["shows.id"], name=op.f("fk_seasons_show_id_shows"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_seasons")),
    )
    with op.batch_alter_table("seasons", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_seasons_show_id_season_number"),
            ["show_id", "season_number"],
            unique=False,
        )

    op.create_table(
        "content_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("synopsis", sa.Text(), nullable=True),
        sa.Column("duration_ms", sa.BigInteger(), nullable=True),
        sa.Column("rating_system", sa.Text(), nullable=True),
        sa.Column("rating_code", sa.Text(), nullable=True),
        sa.Column(
            "is_kids_friendly",
            sa.Boolean(create_constraint=True, name=op.f("ck_content_items_is_kids_friendly")),
            server_default=sa.false(),
            nullable=False,
        ),
        sa.Column("artwork_url", sa.Text(), nullable=True),
        sa.Column("guid_primary", sa.Text(), nullable=True),
        sa.Column("external_ids_json", sa.Text(), nullable=True),
        sa.Column("metadata_updated_at", sa.BigInteger(), nullable=True),
        sa.Column("show_id", sa.Integer(), nullable=True),
        sa.Column("season_id", sa.Integer(), nullable=True),
        sa.Column("season_number", sa.Integer(), nullable=True),
        sa.Column("episode_number", sa.Integer(), nullable=True),
        sa.Column("library_id", sa.Integer(), nullable=True),
        sa.Column("plex_rating_key", sa.Text(), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(), server_default=sa.text("CURRENT_TIMESTAMP"), nullable=True
        ),
        sa.Column(
            "updated_at", sa.DateTime(), server_default=sa.text("CURRENT_TIMESTAMP"), nullable=True
        ),
        sa.CheckConstraint(
            "kind IN ('movie','episode','interstitial','intro','outro','promo','bumper','clip','ad','unknown')",
            name=op.f("ck_content_items_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["library_id"],
            ["libraries.id"],
            name=op.f("fk_content_items_library_id_libraries"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["season_id"],
            ["seasons.id"],
            name=op.f("fk_content_items_season_id_seasons"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["show_id"],
            ["shows.id"],
            name=op.f("fk_content_items_show_id_shows"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_content_items")),
        sa.UniqueConstraint(
            "library_id",
            "plex_rating_key",
            name=op.f("uq_content_items_library_id_plex_rating_key"),
        ),
    )
    with op.batch_alter_table("content_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_content_items_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_content_items_season_id"), ["season_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_content_items_show_id_season_number_episode_number"),
            ["show_id", "season_number", "episode_number"],
            unique=False,
        )

    op.create_table(
        "content_editorial",
        sa.Column("content_item_id", sa.Integer(), nullable=False),
        sa.Column("source_name", sa.Text(), nullable=True),
        sa.Column("source_payload_json", sa.Text(), nullable=True),
        sa.Column("original_title", sa.Text(), nullable=True),
        sa.Column("original_synopsis", sa.Text(), nullable=True),
        sa.Column("override_title", sa.Text(), nullable=True),
        sa.Column("override_synopsis", sa.Text(), nullable=True),
        sa.Column("override_updated_at", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["content_item_id"],
            ["content_items.id"],
            name=op.f("fk_content_editorial_content_item_id_content_items"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("content_item_id", name=op.f("pk_content_editorial")),
    )
    op.create_table(
        "content_item_files",
        sa.Column("content_item_id", sa.Integer(), nullable=False),
        sa.Column("media_file_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.Text(), server_default=sa.text("'primary'"), nullable=False),
        sa.CheckConstraint(
            "role IN ('primary','alternate','extra')", name=op.f("ck_content_item_files_role")
        ),
        sa.ForeignKeyConstraint(
            ["content_item_id"],
            ["content_items.id"],
            name=op.f("fk_content_item_files_content_item_id_content_items"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["media_file_id"],
            ["media_files.id"],
            name=op.f("fk_content_item_files_media_file_id_media_files"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "content_item_id", "media_file_id", name=op.f("pk_content_item_files")
        ),
    )
    with op.batch_alter_table("content_item_files", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_content_item_files_media_file_id"), ["media_file_id"], unique=False
        )

    op.create_table(
        "content_tags",
        sa.Column("content_item_id", sa.Integer(), nullable=False),
        sa.Column("namespace", sa.Text(), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("value", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["content_item_id"],
            ["content_items.id"],
            name=op.f("fk_content_tags_content_item_id_content_items"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "content_item_id", "namespace", "key", name=op.f("pk_content_tags")
        ),
    )
    with op.batch_alter_table("content_tags", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_content_tags_namespace_key"), ["namespace", "key"], unique=False
        )

    op.create_table(
        "schedule_instances",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.Integer(), nullable=False),
        sa.Column("block_id", sa.Integer(), nullable=True),
        sa.Column("air_date", sa.Text(), nullable=False),
        sa.Column("start_time", sa.Text(), nullable=False),
        sa.Column("end_time", sa.Text(), nullable=False),
        sa.Column("content_item_id", sa.Integer(), nullable=True),
        sa.Column("show_id", sa.Integer(), nullable=True),
        sa.Column("pick_strategy", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), server_default=sa.text("'planned'"), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(), server_default=sa.text("CURRENT_TIMESTAMP"), nullable=True
        ),
        sa.Column(
            "updated_at", sa.DateTime(), server_default=sa.text("CURRENT_TIMESTAMP"), nullable=True
        ),
        sa.CheckConstraint(
            "pick_strategy IN ('auto','specific','series_next')",
            name=op.f("ck_schedule_instances_pick_strategy"),
        ),
        sa.CheckConstraint(
            "status IN ('planned','approved','played','canceled')",
            name=op.f("ck_schedule_instances_status"),
        ),
        sa.ForeignKeyConstraint(
            ["block_id"],
            ["schedule_blocks.id"],
            name=op.f("fk_schedule_instances_block_id_schedule_blocks"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["channel_id"],
            ["channels.id"],
            name=op.f("fk_schedule_instances_channel_id_channels"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["content_item_id"],
            ["content_items.id"],
            name=op.f("fk_schedule_instances_content_item_id_content_items"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["show_id"],
            ["shows.id"],
            name=op.f("fk_schedule_instances_show_id_shows"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_schedule_instances")),
    )
    with op.batch_alter_table("schedule_instances", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_schedule_instances_block_id"), ["block_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_schedule_instances_channel_id_air_date_start_time"),
            ["channel_id", "air_date", "start_time"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_schedule_instances_content_item_id"), ["content_item_id"], unique=False
        )

    op.create_table(
        "play_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.Integer(), nullable=False),
        sa.Column("ts_start", sa.Text(), nullable=False),
        sa.Column("ts_end", sa.Text(), nullable=True),
        sa.Column("item_kind", sa.Text(), nullable=False),
        sa.Column("content_item_id", sa.Integer(), nullable=True),
        sa.Column("media_file_id", sa.Integer(), nullable=True),
        sa.Column("schedule_instance_id", sa.Integer(), nullable=True),
        sa.Column("ad_block_seq", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "item_kind IN ('program','ad','promo','bumper','clip','unknown')",
            name=op.f("ck_play_log_item_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["channel_id"],
            ["channels.id"],
            name=op.f("fk_play_log_channel_id_channels"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["content_item_id"],
            ["content_items.id"],
            name=op.f("fk_play_log_content_item_id_content_items"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["media_file_id"],
            ["media_files.id"],
            name=op.f("fk_play_log_media_file_id_media_files"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["schedule_instance_id"],
            ["schedule_instances.id"],
            name=op.f("fk_play_log_schedule_instance_id_schedule_instances"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_play_log")),
    )
    with op.batch_alter_table("play_log", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_play_log_channel_id_ts_start"), ["channel_id", "ts_start"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_play_log_content_item_id"), ["content_item_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_play_log_schedule_instance_id"), ["schedule_instance_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("play_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_play_log_schedule_instance_id"))
        batch_op.drop_index(batch_op.f("ix_play_log_content_item_id"))
        batch_op.drop_index(batch_op.f("ix_play_log_channel_id_ts_start"))

    op.drop_table("play_log")
    with op.batch_alter_table("schedule_instances", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_schedule_instances_content_item_id"))
        batch_op.drop_index(batch_op.f("ix_schedule_instances_channel_id_air_date_start_time"))
        batch_op.drop_index(batch_op.f("ix_schedule_instances_block_id"))

    op.drop_table("schedule_instances")
    with op.batch_alter_table("content_tags", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_content_tags_namespace_key"))

    op.drop_table("content_tags")
    with op.batch_alter_table("content_item_files", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_content_item_files_media_file_id"))

    op.drop_table("content_item_files")
    op.drop_table("content_editorial")
    with op.batch_alter_table("content_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_content_items_show_id_season_number_episode_number"))
        batch_op.drop_index(batch_op.f("ix_content_items_season_id"))
        batch_op.drop_index(batch_op.f("ix_content_items_kind"))

    op.drop_table("content_items")
    with op.batch_alter_table("seasons", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_seasons_show_id_season_number"))

    op.drop_table("seasons")
    with op.batch_alter_table("media_markers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_media_markers_media_file_id_start_ms"))

    op.drop_table("media_markers")
    op.drop_table("shows")
    with op.batch_alter_table("path_mappings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_path_mappings_library_id"))

    op.drop_table("path_mappings")
    with op.batch_alter_table("media_files", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_media_files_library_id_plex_file_path"))

    op.drop_table("media_files")
    with op.batch_alter_table("schedule_blocks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_schedule_blocks_channel_id_day_of_week_start_time"))

    op.drop_table("schedule_blocks")
    op.drop_table("libraries")
    op.drop_table("plex_servers")
    op.drop_table("channels")
    op.drop_table("ad_policies")
