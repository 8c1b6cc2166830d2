"""The station's channels: list, add, edit and remove, with every input checked first.

A channel's maximum rating and time zone are nullable (revision 0005): null means the
station's default, which the caller knows (settings), so these helpers keep null as
null. Removing a channel removes its blocks, dated log and play log with it: the
operator is told those counts first (`removal_impact`). Helpers never commit.
"""

from __future__ import annotations

import re
import zoneinfo
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import Table, delete, func, insert, select, update
from sqlalchemy.orm import Session

from retrovue_desktop import ratings
from retrovue_desktop.words import count

from .errors import StoreError
from .tables import BLOCKS, INSTANCES, PLAYS
from .tables import CHANNELS as CH

NAME_MAX = 100
CALLSIGN_MAX = 12
# "7", "12", "2.1" (a sub-channel): what a station's dial shows.
_NUMBER = re.compile(r"\d{1,5}(?:\.\d{1,3})?")
_CALLSIGN = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]*")


@dataclass(frozen=True)
class ChannelValues:
    """What the operator edits on a channel."""

    name: str
    number: str | None = None
    callsign: str | None = None
    is_active: bool = True
    max_rating_code: str | None = None  # None: the station's default
    time_zone: str | None = None  # IANA name; None: the station's default


@dataclass(frozen=True)
class ChannelRow:
    id: int
    values: ChannelValues
    block_count: int

    @property
    def label(self) -> str:
        """ "7 · Retro One" or just the name: how lists and sentences name it."""
        number = self.values.number
        return f"{number} · {self.values.name}" if number else self.values.name


@dataclass(frozen=True)
class RemovalImpact:
    """What goes with a channel when it is removed."""

    blocks: int
    instances: int
    plays: int

    def sentence(self, name: str) -> str:
        parts = [
            count(self.blocks, "weekly block"),
            count(self.instances, "programme log entry", "programme log entries"),
            count(self.plays, "play log row"),
        ]
        return (
            f"Removing “{name}” also removes its {parts[0]}, {parts[1]} and {parts[2]}."
            " This cannot be undone."
        )


@lru_cache(maxsize=1)
def time_zones() -> tuple[str, ...]:
    """Every IANA zone name this machine knows (tzdata ships them where the OS does not)."""
    return tuple(sorted(zoneinfo.available_timezones()))


def check_time_zone(name: str | None) -> str | None:
    if name is None or not name.strip():
        return None
    text = name.strip()
    if text not in time_zones():
        raise StoreError(
            f"“{text}” is not a time zone RetroVue knows: pick one from the list, such as"
            " “America/New_York” or “Europe/London”.",
            detail=f"time zone {text!r}",
        )
    return text


def check_rating(code: str | None) -> str | None:
    if code is None or not code.strip():
        return None
    return ratings.checked(code, StoreError)


def _optional(text: str | None) -> str | None:
    return text.strip() or None if text is not None else None


def check_values(values: ChannelValues) -> ChannelValues:
    """The values cleaned (trimmed, rating normalised) or a StoreError with a sentence."""
    name = values.name.strip()
    if not name:
        raise StoreError("A channel needs a name.", detail="empty channel name")
    if len(name) > NAME_MAX:
        raise StoreError(
            f"A channel's name is at most {NAME_MAX} characters long.",
            detail=f"name of {len(name)} characters",
        )
    number = _optional(values.number)
    if number is not None and not _NUMBER.fullmatch(number):
        raise StoreError(
            f"“{number}” is not a channel number: write digits such as “7”, or a"
            " sub-channel such as “2.1”.",
            detail=f"number {number!r}",
        )
    callsign = _optional(values.callsign)
    if callsign is not None and (len(callsign) > CALLSIGN_MAX or not _CALLSIGN.fullmatch(callsign)):
        raise StoreError(
            f"“{callsign}” is not a callsign: use up to {CALLSIGN_MAX} letters, digits and"
            " dashes, such as “KRTV”.",
            detail=f"callsign {callsign!r}",
        )
    return ChannelValues(
        name=name,
        number=number,
        callsign=callsign.upper() if callsign else None,
        is_active=bool(values.is_active),
        max_rating_code=check_rating(values.max_rating_code),
        time_zone=check_time_zone(values.time_zone),
    )


def number_key(number: str | None) -> tuple[int, int, int]:
    """Numeric order of channel numbers ("2" < "2.1" < "10"); channels without one last."""
    if number is None or not _NUMBER.fullmatch(number):
        return (1, 0, 0)
    major, _, minor = number.partition(".")
    return (0, int(major), int(minor or -1) + 1)


def _read(session: Session, channel_id: int | None = None) -> list[ChannelRow]:
    counts = (
        select(BLOCKS.c.channel_id, func.count().label("n"))
        .group_by(BLOCKS.c.channel_id)
        .subquery()
    )
    query = select(
        CH.c.id,
        CH.c.name,
        CH.c.number,
        CH.c.callsign,
        CH.c.is_active,
        CH.c.max_rating_code,
        CH.c.time_zone,
        func.coalesce(counts.c.n, 0),
    ).outerjoin(counts, counts.c.channel_id == CH.c.id)
    if channel_id is not None:
        query = query.where(CH.c.id == channel_id)
    return [
        ChannelRow(
            id=row[0],
            values=ChannelValues(row[1], row[2], row[3], bool(row[4]), row[5], row[6]),
            block_count=int(row[7]),
        )
        for row in session.execute(query)
    ]


def list_channels(session: Session) -> list[ChannelRow]:
    """Every channel, ordered by number (numerically), then name."""
    channels = _read(session)
    channels.sort(key=lambda c: (number_key(c.values.number), c.values.name.casefold(), c.id))
    return channels


def get_channel(session: Session, channel_id: int) -> ChannelRow:
    found = _read(session, channel_id)
    if found:
        return found[0]
    raise StoreError(
        "That channel no longer exists; it may have been removed.",
        detail=f"channel {channel_id} not found",
    )


def _refuse_taken_number(session: Session, number: str | None, channel_id: int | None) -> None:
    if number is None:
        return
    query = select(CH.c.name).where(CH.c.number == number)
    if channel_id is not None:
        query = query.where(CH.c.id != channel_id)
    taken = session.execute(query.limit(1)).scalar()
    if taken is not None:
        raise StoreError(
            f"Channel number {number} is already “{taken}”'s: choose another number.",
            detail=f"number {number!r} taken",
        )


def create_channel(session: Session, values: ChannelValues) -> int:
    clean = check_values(values)
    _refuse_taken_number(session, clean.number, None)
    result = session.execute(insert(CH).values(**_columns(clean)).returning(CH.c.id))
    return int(result.scalar_one())


def update_channel(session: Session, channel_id: int, values: ChannelValues) -> None:
    clean = check_values(values)
    get_channel(session, channel_id)
    _refuse_taken_number(session, clean.number, channel_id)
    session.execute(update(CH).where(CH.c.id == channel_id).values(**_columns(clean)))


def _columns(values: ChannelValues) -> dict[str, object]:
    return {
        "name": values.name,
        "number": values.number,
        "callsign": values.callsign,
        "is_active": values.is_active,
        "max_rating_code": values.max_rating_code,
        "time_zone": values.time_zone,
    }


def removal_impact(session: Session, channel_id: int) -> RemovalImpact:
    def count(table: Table) -> int:
        query = select(func.count()).select_from(table).where(table.c.channel_id == channel_id)
        return int(session.execute(query).scalar_one())

    return RemovalImpact(count(BLOCKS), count(INSTANCES), count(PLAYS))


def delete_channel(session: Session, channel_id: int) -> RemovalImpact:
    """Remove the channel and what hangs off it (explicitly, in child-first order, so the
    result does not depend on the backend's foreign-key settings); returns what went."""
    get_channel(session, channel_id)
    impact = removal_impact(session, channel_id)
    session.execute(delete(PLAYS).where(PLAYS.c.channel_id == channel_id))
    session.execute(delete(INSTANCES).where(INSTANCES.c.channel_id == channel_id))
    session.execute(delete(BLOCKS).where(BLOCKS.c.channel_id == channel_id))
    session.execute(delete(CH).where(CH.c.id == channel_id))
    return impact
