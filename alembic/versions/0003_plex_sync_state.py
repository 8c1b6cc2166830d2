"""What an incremental, safe Plex sync needs to remember.

Revision ID: 0003_plex_sync_state
Revises: 0002_canonical_uri
Create Date: 2026-11-24

- plex_servers.machine_identifier (unique) and platform: a server whose URL changed is
  recognised; a Windows server's paths are matched case-insensitively.
- libraries: the section's Location paths, its change marker at the last complete sync
  (source_version: unchanged means the library is skipped), and the last sync's time,
  status and summary for the Libraries tab.
- content_items.source_fingerprint (key, updatedAt, parts, sizes) and gone_from_source_at:
  an item Plex no longer lists is marked, never deleted, so its tags, overrides, markers
  and schedule references survive and it comes back if Plex shows it again.
- media_files.plex_part_id; availability (CHECK list: unknown, ok, unmapped, missing,
  unreadable, size_mismatch, probe_mismatch, gone), availability_reason and
  last_verified_at, for validation; file_mtime_ns for incremental local-folder rescans.
- library_sync_locks: one running sync per library, across processes.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_plex_sync_state"
down_revision: str | None = "0002_canonical_uri"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

AVAILABILITY = (
    "availability IN ('unknown','ok','unmapped','missing','unreadable','size_mismatch',"
    "'probe_mismatch','gone')"
)


def upgrade() -> None:
    with op.batch_alter_table("plex_servers") as batch_op:
        batch_op.add_column(sa.Column("machine_identifier", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("platform", sa.Text(), nullable=True))
        batch_op.create_unique_constraint(
            op.f("uq_plex_servers_machine_identifier"), ["machine_identifier"]
        )
    with op.batch_alter_table("libraries") as batch_op:
        batch_op.add_column(sa.Column("locations_json", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("source_version", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("last_synced_at", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("last_sync_status", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("last_sync_summary", sa.Text(), nullable=True))
    with op.batch_alter_table("content_items") as batch_op:
        batch_op.add_column(sa.Column("source_fingerprint", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("gone_from_source_at", sa.BigInteger(), nullable=True))
    with op.batch_alter_table("media_files") as batch_op:
        batch_op.add_column(sa.Column("plex_part_id", sa.Text(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "availability", sa.Text(), server_default=sa.text("'unknown'"), nullable=False
            )
        )
        batch_op.add_column(sa.Column("last_verified_at", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("availability_reason", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("file_mtime_ns", sa.BigInteger(), nullable=True))
        batch_op.create_check_constraint(op.f("ck_media_files_availability"), AVAILABILITY)
        batch_op.create_index(
            op.f("ix_media_files_library_id_plex_part_id"), ["library_id", "plex_part_id"]
        )
    op.create_table(
        "library_sync_locks",
        sa.Column("library_id", sa.Integer(), nullable=False),
        sa.Column("holder", sa.Text(), nullable=False),
        sa.Column("acquired_at", sa.BigInteger(), nullable=False),
        sa.Column("heartbeat_at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["library_id"],
            ["libraries.id"],
            name=op.f("fk_library_sync_locks_library_id_libraries"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("library_id", name=op.f("pk_library_sync_locks")),
    )


def downgrade() -> None:
    op.drop_table("library_sync_locks")
    with op.batch_alter_table("media_files") as batch_op:
        batch_op.drop_index(op.f("ix_media_files_library_id_plex_part_id"))
        batch_op.drop_constraint(op.f("ck_media_files_availability"), type_="check")
        batch_op.drop_column("file_mtime_ns")
        batch_op.drop_column("availability_reason")
        batch_op.drop_column("last_verified_at")
        batch_op.drop_column("availability")
        batch_op.drop_column("plex_part_id")
    with op.batch_alter_table("content_items") as batch_op:
        batch_op.drop_column("gone_from_source_at")
        batch_op.drop_column("source_fingerprint")
    with op.batch_alter_table("libraries") as batch_op:
        batch_op.drop_column("last_sync_summary")
        batch_op.drop_column("last_sync_status")
        batch_op.drop_column("last_synced_at")
        batch_op.drop_column("source_version")
        batch_op.drop_column("locations_json")
    with op.batch_alter_table("plex_servers") as batch_op:
        batch_op.drop_constraint(op.f("uq_plex_servers_machine_identifier"), type_="unique")
        batch_op.drop_column("platform")
        batch_op.drop_column("machine_identifier")
