"""schedule_instances: exact UTC times, the item's kind, and its place in a break.

Revision ID: 0006_instance_timing
Revises: 0005_channel_rating_timezone
Create Date: 2026-11-24

The spec's air_date/start_time/end_time are the channel's wall clock, which repeats an
hour when daylight saving ends; a programme log must be exact to the second in UTC, and a
programme cut by ad breaks is several rows. Added, all nullable so existing rows keep
their meaning:

- starts_at, ends_at: UTC seconds since 1970 (the wall-clock columns stay, for reading);
  index (channel_id, starts_at) for a day's rundown and for rebuilds.
- item_kind: what the row airs, in play_log's words (program, ad, promo, bumper, clip,
  unknown), so the log still reads right after its content item is deleted.
- segment: the part number of a programme cut by breaks (1, 2, …); null for fill.
- offset_ms: where in the programme's file that part starts.
- break_number, break_seq: which break of the block a fill item is in (numbered from 1
  within the block's day; the end-of-block fill is the last) and its place in it.

Downgrade drops the index and the seven columns (only those values are lost).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_instance_timing"
down_revision: str | None = "0005_channel_rating_timezone"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = (
    ("starts_at", sa.BigInteger()),
    ("ends_at", sa.BigInteger()),
    ("item_kind", sa.Text()),
    ("segment", sa.Integer()),
    ("offset_ms", sa.BigInteger()),
    ("break_number", sa.Integer()),
    ("break_seq", sa.Integer()),
)
_INDEX = "ix_schedule_instances_channel_id_starts_at"


def upgrade() -> None:
    with op.batch_alter_table("schedule_instances") as batch_op:
        for name, type_ in _COLUMNS:
            batch_op.add_column(sa.Column(name, type_, nullable=True))
    op.create_index(_INDEX, "schedule_instances", ["channel_id", "starts_at"])


def downgrade() -> None:
    op.drop_index(_INDEX, table_name="schedule_instances")
    with op.batch_alter_table("schedule_instances") as batch_op:
        for name, _type in reversed(_COLUMNS):
            batch_op.drop_column(name)
