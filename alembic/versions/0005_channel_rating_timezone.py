"""channels: a maximum rating and a time zone, each defaulting to the station's.

Revision ID: 0005_channel_rating_timezone
Revises: 0004_tag_palette
Create Date: 2026-11-26

- channels.max_rating_code: a code on the shared rating scale (retrovue_desktop.ratings),
  the channel's ceiling; null means the station's default.
- channels.time_zone: an IANA zone name such as "America/Chicago" for the channel's
  wall-clock block times; null means the station's time zone (a setting).

Both are nullable text, so every existing channel keeps the station's defaults. Downgrade
drops the two columns (only those two values are lost).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_channel_rating_timezone"
down_revision: str | None = "0004_tag_palette"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("channels") as batch_op:
        batch_op.add_column(sa.Column("max_rating_code", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("time_zone", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("channels") as batch_op:
        batch_op.drop_column("time_zone")
        batch_op.drop_column("max_rating_code")
