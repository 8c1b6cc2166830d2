"""media_files: the availability "demo", for the invented files of the demo station.

Revision ID: 0007_demo_files
Revises: 0006_instance_timing
Create Date: 2026-11-27

The demo station (retrovue_desktop.demo) lives in its own database; its media files are
not on any disk, so they carry availability 'demo' rather than pretending to be 'ok'
files or showing as 'missing' ones. The CHECK list of media_files.availability gains
the value; nothing else changes.

Downgrade turns every 'demo' file into 'unknown' (the state of a file not yet checked,
which the older schema knows) before putting the old CHECK back, so the downgrade never
fails on a demo database; only the word 'demo' is lost.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0007_demo_files"
down_revision: str | None = "0006_instance_timing"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_NAME = "ck_media_files_availability"
_OLD = "'unknown','ok','unmapped','missing','unreadable','size_mismatch','probe_mismatch','gone'"
_NEW = f"{_OLD},'demo'"


def upgrade() -> None:
    with op.batch_alter_table("media_files") as batch_op:
        batch_op.drop_constraint(op.f(_NAME), type_="check")
        batch_op.create_check_constraint(op.f(_NAME), f"availability IN ({_NEW})")


def downgrade() -> None:
    op.execute(
        "UPDATE media_files SET availability = 'unknown', availability_reason = NULL"
        " WHERE availability = 'demo'"
    )
    with op.batch_alter_table("media_files") as batch_op:
        batch_op.drop_constraint(op.f(_NAME), type_="check")
        batch_op.create_check_constraint(op.f(_NAME), f"availability IN ({_OLD})")
