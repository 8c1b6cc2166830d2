"""media_files.canonical_uri and its index: the spec's canonical_uri update.

Revision ID: 0002_canonical_uri
Revises: 0001_v12_schema
Create Date: 2026-11-24

The spec's `assets.canonical_uri` with index (collection_uuid, canonical_uri) is, in this
schema, media_files.canonical_uri with index (library_id, canonical_uri): assets are
media files and collections are libraries (DESIGN.md). The value is the file's resolved
local location as an RFC 8089 file:// URI, null while the file is unmapped.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_canonical_uri"
down_revision: str | None = "0001_v12_schema"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("media_files") as batch_op:
        batch_op.add_column(sa.Column("canonical_uri", sa.Text(), nullable=True))
        batch_op.create_index(
            "ix_media_files_library_canonical_uri", ["library_id", "canonical_uri"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("media_files") as batch_op:
        batch_op.drop_index("ix_media_files_library_canonical_uri")
        batch_op.drop_column("canonical_uri")
