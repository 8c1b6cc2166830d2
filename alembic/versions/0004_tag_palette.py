"""tags: the tag palette, holding tags that no item carries yet.

Revision ID: 0004_tag_palette
Revises: 0003_plex_sync_state
Create Date: 2026-11-25

content_tags stays what items carry. The palette is a tag the operator made before
dragging it onto items, or one whose last item lost it; (namespace, key) is unique and
the label is optional display text. Every distinct (namespace, key) already carried in
content_tags is copied in, so the palette starts complete. Downgrade drops the table;
the tags items carry are untouched (only empty palette entries and labels are lost).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_tag_palette"
down_revision: str | None = "0003_plex_sync_state"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "tags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("namespace", sa.Text(), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("label", sa.Text(), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(), server_default=sa.text("CURRENT_TIMESTAMP"), nullable=True
        ),
        sa.Column(
            "updated_at", sa.DateTime(), server_default=sa.text("CURRENT_TIMESTAMP"), nullable=True
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tags")),
        sa.UniqueConstraint("namespace", "key", name=op.f("uq_tags_namespace_key")),
    )
    op.execute(
        "INSERT INTO tags (namespace, key)"
        " SELECT DISTINCT namespace, key FROM content_tags ORDER BY namespace, key"
    )


def downgrade() -> None:
    op.drop_table("tags")
