"""Programming tables: channels, the weekly grid, the dated log, ad policies, what aired."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    Text,
    text,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Timestamps
from .catalog import in_list

STRATEGIES = ("auto", "series", "specific", "collection")
PICK_STRATEGIES = ("auto", "specific", "series_next")
INSTANCE_STATUSES = ("planned", "approved", "played", "canceled")
PLAY_KINDS = ("program", "ad", "promo", "bumper", "clip", "unknown")


class Channel(Timestamps, Base):
    """A channel of the station."""

    __tablename__ = "channels"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text, nullable=False)
    number: Mapped[str | None] = mapped_column(Text)
    callsign: Mapped[str | None] = mapped_column(Text)
    is_active: Mapped[bool] = mapped_column(
        Boolean(create_constraint=True, name="is_active"),
        default=True,
        server_default=true(),
    )
    # Null means the station's default (revision 0005): the ceiling on the shared rating
    # scale (retrovue_desktop.ratings) and the IANA zone of the block times.
    max_rating_code: Mapped[str | None] = mapped_column(Text)
    time_zone: Mapped[str | None] = mapped_column(Text)


class AdPolicy(Timestamps, Base):
    """How many breaks a block gets and what fills them."""

    __tablename__ = "ad_policies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text, nullable=False)
    rules_json: Mapped[str] = mapped_column(Text, nullable=False)


class ScheduleBlock(Timestamps, Base):
    """A weekly template slot, e.g. "Sitcoms at 5pm" on Mondays.

    ad_policy_id is a real foreign key (DESIGN.md), set null when the policy goes.
    """

    __tablename__ = "schedule_blocks"
    __table_args__ = (
        CheckConstraint("day_of_week BETWEEN 0 AND 6", name="day_of_week"),
        CheckConstraint(in_list("strategy", STRATEGIES), name="strategy"),
        Index(None, "channel_id", "day_of_week", "start_time"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel_id: Mapped[int] = mapped_column(
        ForeignKey("channels.id", ondelete="CASCADE"), nullable=False
    )
    name: Mapped[str] = mapped_column(Text, nullable=False)
    day_of_week: Mapped[int] = mapped_column(Integer, nullable=False)
    start_time: Mapped[str] = mapped_column(Text, nullable=False)
    end_time: Mapped[str] = mapped_column(Text, nullable=False)
    strategy: Mapped[str] = mapped_column(Text, nullable=False)
    constraints_json: Mapped[str | None] = mapped_column(Text)
    ad_policy_id: Mapped[int | None] = mapped_column(
        ForeignKey("ad_policies.id", ondelete="SET NULL")
    )


class ScheduleInstance(Timestamps, Base):
    """One dated entry of the programme log."""

    __tablename__ = "schedule_instances"
    __table_args__ = (
        CheckConstraint(in_list("pick_strategy", PICK_STRATEGIES), name="pick_strategy"),
        CheckConstraint(in_list("status", INSTANCE_STATUSES), name="status"),
        Index(None, "channel_id", "air_date", "start_time"),
        Index(None, "content_item_id"),
        Index(None, "block_id"),
        Index(None, "channel_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel_id: Mapped[int] = mapped_column(
        ForeignKey("channels.id", ondelete="CASCADE"), nullable=False
    )
    block_id: Mapped[int | None] = mapped_column(
        ForeignKey("schedule_blocks.id", ondelete="SET NULL")
    )
    air_date: Mapped[str] = mapped_column(Text, nullable=False)
    start_time: Mapped[str] = mapped_column(Text, nullable=False)
    end_time: Mapped[str] = mapped_column(Text, nullable=False)
    content_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("content_items.id", ondelete="SET NULL")
    )
    show_id: Mapped[int | None] = mapped_column(ForeignKey("shows.id", ondelete="SET NULL"))
    pick_strategy: Mapped[str] = mapped_column(Text, nullable=False)
    status: Mapped[str] = mapped_column(
        Text, nullable=False, default="planned", server_default=text("'planned'")
    )
    notes: Mapped[str | None] = mapped_column(Text)
    # Revision 0006: exact UTC seconds (the wall-clock columns above repeat an hour when
    # daylight saving ends), the kind in play_log's words, and a row's place in its block:
    # a programme cut by breaks is one row per part (segment 1, 2, … from offset_ms into
    # its file); a fill item sits at break_seq in break break_number.
    starts_at: Mapped[int | None] = mapped_column(BigInteger)
    ends_at: Mapped[int | None] = mapped_column(BigInteger)
    item_kind: Mapped[str | None] = mapped_column(Text)
    segment: Mapped[int | None] = mapped_column(Integer)
    offset_ms: Mapped[int | None] = mapped_column(BigInteger)
    break_number: Mapped[int | None] = mapped_column(Integer)
    break_seq: Mapped[int | None] = mapped_column(Integer)


class PlayLogEntry(Base):
    """A row of what actually went to air."""

    __tablename__ = "play_log"
    __table_args__ = (
        CheckConstraint(in_list("item_kind", PLAY_KINDS), name="item_kind"),
        Index(None, "channel_id", "ts_start"),
        Index(None, "content_item_id"),
        Index(None, "schedule_instance_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel_id: Mapped[int] = mapped_column(
        ForeignKey("channels.id", ondelete="CASCADE"), nullable=False
    )
    ts_start: Mapped[str] = mapped_column(Text, nullable=False)
    ts_end: Mapped[str | None] = mapped_column(Text)
    item_kind: Mapped[str] = mapped_column(Text, nullable=False)
    content_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("content_items.id", ondelete="SET NULL")
    )
    media_file_id: Mapped[int | None] = mapped_column(
        ForeignKey("media_files.id", ondelete="SET NULL")
    )
    schedule_instance_id: Mapped[int | None] = mapped_column(
        ForeignKey("schedule_instances.id", ondelete="SET NULL")
    )
    ad_block_seq: Mapped[int | None] = mapped_column(Integer)
    notes: Mapped[str | None] = mapped_column(Text)
