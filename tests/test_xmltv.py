"""The XMLTV guide: DTD-valid (tv_validate_file), and what it says, read back from the file.

The station (tests/export_builders.py) has a New York channel across the start of US
daylight saving, a channel in the station's zone, an inactive one, a programme cut in
three parts by breaks, a canceled programme, an item deleted after planning, and titles
that XML must escape.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path
from typing import BinaryIO

import pytest
from sqlalchemy import event, update
from sqlalchemy.orm import Session, sessionmaker

from retrovue_desktop.scheduling.errors import ScheduleError
from retrovue_desktop.scheduling.exports import (
    ExportCancelled,
    ExportError,
    channel_guide_id,
    write_atomically,
)
from retrovue_desktop.scheduling.xmltv import (
    Part,
    Programme,
    episode_numbers,
    merge_parts,
    readable_key,
    write_xmltv,
)
from retrovue_desktop.store import models as m
from tests.export_builders import (
    NEW_YORK,
    SHOW_TITLE,
    STATION_ZONE,
    SYNOPSIS,
    LogWriter,
    Station,
    at,
    station,
)

DTD = Path("/usr/share/xmltv/xmltv.dtd")
FIRST_DAY = date(2026, 3, 7)


def _export(sessions: sessionmaker[Session], first_day: date = FIRST_DAY, days: int = 2) -> bytes:
    out = io.BytesIO()
    with sessions() as session:
        write_xmltv(session, out, first_day=first_day, days=days, station_zone=STATION_ZONE)
    return out.getvalue()


@pytest.fixture
def ids(sessions: sessionmaker[Session]) -> Station:
    with sessions() as s, s.begin():
        return station(s)


def _programmes(xml: bytes, channel: int) -> list[ET.Element]:
    root = ET.fromstring(xml)
    return [p for p in root.iter("programme") if p.get("channel") == channel_guide_id(channel)]


def _spans(xml: bytes, channel: int) -> list[tuple[str | None, str | None, str | None]]:
    return [(p.get("start"), p.get("stop"), p.findtext("title")) for p in _programmes(xml, channel)]


def _required() -> bool:
    """CI must validate, never skip (.ci/run installs xmltv-util and sets this)."""
    return bool(os.environ.get("CI") or os.environ.get("RETROVUE_REQUIRE_XMLTV"))


def _validate(path: Path) -> subprocess.CompletedProcess[str]:
    """tv_validate_file against the installed DTD (given, so it never fetches one)."""
    tool = shutil.which("tv_validate_file")
    if tool is None or not DTD.exists():
        if _required():
            pytest.fail("tv_validate_file and the XMLTV DTD are needed: install xmltv-util")
        pytest.skip("tv_validate_file is not installed (Debian package xmltv-util)")
    return subprocess.run(
        [tool, "--dtd-file", str(DTD), str(path)], capture_output=True, text=True, timeout=60
    )


def test_guide_is_valid_against_the_xmltv_dtd(
    sessions: sessionmaker[Session], ids: Station, tmp_path: Path
) -> None:
    path = tmp_path / "guide.xml"
    with sessions() as session:
        summary = write_atomically(
            path,
            lambda out: write_xmltv(
                session, out, first_day=FIRST_DAY, days=2, station_zone=STATION_ZONE
            ),
        )
    assert (summary.channels, summary.programmes) == (2, 9)
    done = _validate(path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Validated ok." in done.stdout


def test_validator_refuses_a_broken_guide(tmp_path: Path) -> None:
    """The DTD check is real: a programme without its title, or elements out of the
    DTD's order, fail."""
    head = '<?xml version="1.0" encoding="UTF-8"?>\n<tv><channel id="a.b"><display-name>A'
    head += "</display-name></channel>"
    untitled = tmp_path / "untitled.xml"
    untitled.write_text(head + '<programme start="20260307200000 +0000" channel="a.b"/></tv>')
    assert _validate(untitled).returncode != 0
    disordered = tmp_path / "disordered.xml"
    disordered.write_text(
        head + '<programme start="20260307200000 +0000" channel="a.b"><title>T</title>'
        "<category>C</category><date>1985</date></programme></tv>"
    )
    assert _validate(disordered).returncode != 0


def test_channels_are_the_active_ones_with_their_names(
    sessions: sessionmaker[Session], ids: Station
) -> None:
    root = ET.fromstring(_export(sessions))
    assert root.tag == "tv"
    assert (root.get("generator-info-name") or "").startswith("RetroVue Desktop/")
    channels = {c.get("id"): [d.text for d in c.iter("display-name")] for c in root.iter("channel")}
    assert channels == {
        channel_guide_id(ids.retro): ["Retro One", "3 KRTV", "3"],
        channel_guide_id(ids.movies): ["Movies & More", "12"],
    }
    assert channel_guide_id(ids.retro) == f"ch{ids.retro}.retrovue"
    assert not _programmes(_export(sessions), ids.off_air)


def test_times_carry_the_channel_zones_offset_across_dst(
    sessions: sessionmaker[Session], ids: Station
) -> None:
    """New York: EST (-0500) until 2026-03-08 02:00, EDT (-0400) after; the window is
    the 7th and 8th there. London (the station's zone, for a channel without one) is
    still on GMT."""
    xml = _export(sessions)
    title, movie = SHOW_TITLE, "Back to the Future"
    assert _spans(xml, ids.retro) == [
        # straddles the window's start: listed; the one before it is not
        ("20260306233000 -0500", "20260307003000 -0500", title),
        # the same item twice in a row: two programmes
        ("20260307120000 -0500", "20260307123000 -0500", title),
        ("20260307123000 -0500", "20260307130000 -0500", title),
        # three parts with two breaks between: one programme, first start to last end
        ("20260307200000 -0500", "20260307203000 -0500", title),
        # the canceled 21:00 film is not on air; the played one is
        ("20260307220000 -0500", "20260307233000 -0500", movie),
        # across the change: one hour from 01:30 EST to 03:30 EDT
        ("20260308013000 -0500", "20260308033000 -0400", movie),
        ("20260308200000 -0400", "20260308203000 -0400", title),
        # the film at midnight of the 9th is past the window
    ]
    assert _spans(xml, ids.movies) == [
        ("20260307190000 +0000", "20260307210000 +0000", "BadTitle & <b>"),
        ("20260308190000 +0000", "20260308210000 +0000", movie),
    ]


def test_days_are_counted_in_each_channels_zone(
    sessions: sessionmaker[Session], ids: Station
) -> None:
    """One day from the 8th: New York's 8th is 05:00Z to 04:00Z (23 hours); London's is
    00:00Z to 24:00Z."""
    xml = _export(sessions, date(2026, 3, 8), 1)
    assert [s for s, _e, _t in _spans(xml, ids.retro)] == [
        "20260308013000 -0500",
        "20260308200000 -0400",
    ]
    assert [s for s, _e, _t in _spans(xml, ids.movies)] == ["20260308190000 +0000"]


def test_programme_details(sessions: sessionmaker[Session], ids: Station) -> None:
    programmes = _programmes(_export(sessions), ids.retro)
    by_start = {p.get("start"): p for p in programmes}

    episode = by_start["20260307200000 -0500"]
    assert [child.tag for child in episode] == [
        "title", "sub-title", "desc", "date", "category", "category", "episode-num",
        "episode-num", "rating",
    ]  # fmt: skip
    assert episode.findtext("title") == SHOW_TITLE
    assert episode.findtext("sub-title") == "Sam's Women"
    assert episode.findtext("desc") == SYNOPSIS
    assert episode.findtext("date") == "1982"  # the show's year: the item's payload has none
    assert [c.text for c in episode.iter("category")] == ["Comedy", "Sitcom"]
    numbers = {e.get("system"): e.text for e in episode.iter("episode-num")}
    assert numbers == {"xmltv_ns": "0.1.", "onscreen": "S01E02"}
    rating = episode.find("rating")
    assert rating is not None and rating.get("system") == "VCHIP"
    assert rating.findtext("value") == "TV-PG"

    overridden = by_start["20260308200000 -0400"]
    assert overridden.findtext("sub-title") == "Carla's Ex"  # the operator's title
    assert overridden.findtext("desc") == "Carla meets her ex."
    assert {e.get("system"): e.text for e in overridden.iter("episode-num")} == {
        "xmltv_ns": "0.2.",
        "onscreen": "S01E03",
    }
    assert overridden.find("rating") is None and overridden.find("category") is None

    movie = by_start["20260307220000 -0500"]
    assert movie.findtext("title") == "Back to the Future"
    assert movie.find("sub-title") is None and movie.find("episode-num") is None
    assert movie.findtext("date") == "1985"  # from the source payload
    assert [c.text for c in movie.iter("category")] == ["Movie", "Adventure", "Science fiction"]
    movie_rating = movie.find("rating")
    assert movie_rating is not None and movie_rating.get("system") == "MPAA"
    assert movie_rating.findtext("value") == "PG"


def test_text_is_escaped_and_control_characters_dropped(
    sessions: sessionmaker[Session], ids: Station
) -> None:
    xml = _export(sessions)
    assert b"Cheers &amp; &lt;Friends&gt;" in xml
    assert b"\x0b" not in xml
    odd = _programmes(xml, ids.movies)[0]
    assert odd.findtext("title") == "BadTitle & <b>"
    assert odd.find("desc") is None  # a blank synopsis is left out, not an empty desc
    rating = odd.find("rating")
    assert rating is not None and rating.get("system") is None
    assert rating.findtext("value") == "15"


def test_title_with_quotes_in_an_attribute_context_round_trips(
    sessions: sessionmaker[Session], ids: Station
) -> None:
    """A channel's name reaches display-name text; quotes and ampersands survive."""
    with sessions() as s, s.begin():
        s.execute(
            update(m.Channel).where(m.Channel.id == ids.movies).values(name='Say "Hi" & <Go>')
        )
    root = ET.fromstring(_export(sessions))
    names = [d.text for d in root.iter("display-name")]
    assert 'Say "Hi" & <Go>' in names


def test_warnings_for_gone_items_and_empty_channels(
    sessions: sessionmaker[Session], ids: Station
) -> None:
    out = io.BytesIO()
    with sessions() as session:
        summary = write_xmltv(
            session, out, first_day=date(2026, 3, 20), days=1, station_zone=STATION_ZONE
        )
    assert summary.programmes == 0
    assert summary.warnings == (
        "“Retro One” has no programmes from 2026-03-20 to 2026-03-20: build its programme"
        " log first.",
        "“Movies & More” has no programmes from 2026-03-20 to 2026-03-20: build its"
        " programme log first.",
    )
    ET.fromstring(out.getvalue())  # still a well-formed guide
    with sessions() as session:
        summary = write_xmltv(
            session, io.BytesIO(), first_day=FIRST_DAY, days=1, station_zone=STATION_ZONE
        )
    assert summary.warnings == (
        "1 programme was left out of “Retro One”'s guide: its item is no longer in the catalogue.",
    )


def test_refused_input(sessions: sessionmaker[Session], ids: Station) -> None:
    with sessions() as session, pytest.raises(ExportError, match="1 to 366 days"):
        write_xmltv(session, io.BytesIO(), first_day=FIRST_DAY, days=0, station_zone=STATION_ZONE)
    with sessions() as session, pytest.raises(ScheduleError, match="Mars/Olympus"):
        write_xmltv(session, io.BytesIO(), first_day=FIRST_DAY, days=1, station_zone="Mars/Olympus")


def test_a_cancelled_or_failed_export_leaves_the_file_as_it_was(
    sessions: sessionmaker[Session], ids: Station, tmp_path: Path
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    path = folder / "guide.xml"
    path.write_text("the old guide")

    def write(session: Session, out: BinaryIO) -> object:
        return write_xmltv(
            session, out, first_day=FIRST_DAY, days=2, station_zone=STATION_ZONE,
            cancelled=lambda: True,
        )  # fmt: skip

    with sessions() as session, pytest.raises(ExportCancelled):
        write_atomically(path, lambda out: write(session, out))
    assert path.read_text() == "the old guide"
    assert [p.name for p in folder.iterdir()] == ["guide.xml"]  # no temporary left
    with pytest.raises(ExportError, match="does not exist"):
        write_atomically(folder / "nowhere" / "guide.xml", lambda out: out.write(b"x"))
    with pytest.raises(ExportError, match="is a folder"):
        write_atomically(folder, lambda out: out.write(b"x"))
    with pytest.raises(ZeroDivisionError):
        write_atomically(path, lambda out: out.write(b"half") // 0)
    assert path.read_text() == "the old guide"
    assert [p.name for p in folder.iterdir()] == ["guide.xml"]


def test_many_programmes_are_read_in_a_few_queries(
    sessions: sessionmaker[Session], ids: Station
) -> None:
    """A week of half-hour programmes in two parts each, with a break between: every one
    listed, merged, and the item details read once per channel, not per programme."""
    with sessions() as s, s.begin():
        log = LogWriter(s, ids.retro, NEW_YORK)
        start = at("2026-03-10 00:00", NEW_YORK)
        items = (ids.episode, ids.episode2, ids.movie)
        for n in range(7 * 48):
            t = start + n * 1800
            item = items[n % 3]
            log.span(item, t, t + 840, segment=1)
            log.span(ids.ad, t + 840, t + 900, kind="ad", segment=None, break_number=1)
            log.span(item, t + 900, t + 1800, segment=2)
    statements: list[str] = []
    with sessions() as session:
        engine = session.get_bind()
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            out = io.BytesIO()
            summary = write_xmltv(
                session, out, first_day=date(2026, 3, 10), days=7, station_zone=STATION_ZONE
            )
        finally:
            event.remove(engine, "before_cursor_execute", listener)
    assert summary.programmes == 7 * 48
    spans = _spans(out.getvalue(), ids.retro)
    assert spans[0][:2] == ("20260310000000 -0400", "20260310003000 -0400")
    assert spans[-1][:2] == ("20260316233000 -0400", "20260317000000 -0400")
    # the channel list, then per channel its log rows (and, when it has any, their
    # genres and item details): not one query per programme
    assert len(statements) <= 1 + 3 * 2, statements


def test_merge_parts() -> None:
    def part(item: int | None, segment: int | None, start: int, block: int | None = 1) -> Part:
        return Part(item, block, segment, start, start + 10)

    parts = [
        part(1, 1, 0), part(1, 2, 20), part(1, 3, 40),  # one programme in three parts
        part(1, 1, 60),  # the same item again: a new programme
        part(2, 2, 80),  # a later part of another item: new
        part(2, 3, 100, block=2),  # same item, another block: new
        part(3, None, 120), part(3, None, 140),  # no segment numbers: each its own
    ]  # fmt: skip
    assert merge_parts(parts) == [
        Programme(1, 0, 50),
        Programme(1, 60, 70),
        Programme(2, 80, 90),
        Programme(2, 100, 110),
        Programme(3, 120, 130),
        Programme(3, 140, 150),
    ]


def test_episode_numbers_and_readable_keys() -> None:
    assert episode_numbers(1, 2) == ("0.1.", "S01E02")
    assert episode_numbers(12, 110) == ("11.109.", "S12E110")
    assert episode_numbers(0, 5) == (".4.", "S00E05")  # a special: no xmltv_ns season
    assert episode_numbers(2, None) == ("1..", None)
    assert episode_numbers(None, None) == (None, None)
    assert readable_key("science-fiction") == "Science fiction"
    assert readable_key("film_noir") == "Film noir"
