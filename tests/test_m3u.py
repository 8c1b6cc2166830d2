"""The M3U playlist: its lines, the ids it shares with the XMLTV guide, the stream address
template, and names that must not break an entry."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from datetime import date

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from retrovue_desktop.scheduling.exports import ExportCancelled, ExportError, GuideChannel
from retrovue_desktop.scheduling.m3u import (
    DEFAULT_STREAM_URL_TEMPLATE,
    check_stream_url_template,
    stream_url,
    write_m3u,
)
from retrovue_desktop.scheduling.xmltv import write_xmltv
from retrovue_desktop.store import models as m
from tests.builders import add
from tests.export_builders import STATION_ZONE, Station, station

ATTRIBUTE = re.compile(r'([\w-]+)="([^"]*)"')
# How players read an entry: the attributes, each quoted, then a comma and the name.
EXTINF = re.compile(r'#EXTINF:-1((?: [\w-]+="[^"]*")*),(.*)')


@pytest.fixture
def ids(sessions: sessionmaker[Session]) -> Station:
    with sessions() as s, s.begin():
        return station(s)


def _playlist(sessions: sessionmaker[Session], template: str = DEFAULT_STREAM_URL_TEMPLATE) -> str:
    out = io.BytesIO()
    with sessions() as session:
        write_m3u(session, out, stream_url_template=template)
    return out.getvalue().decode("utf-8")


def _entries(text: str) -> list[tuple[dict[str, str], str, str]]:
    """(attributes, name after the comma, URL) per entry."""
    lines = text.splitlines()
    assert lines[0] == "#EXTM3U"
    entries = []
    for info, url in zip(lines[1::2], lines[2::2], strict=True):
        found = EXTINF.fullmatch(info)
        assert found, info
        entries.append((dict(ATTRIBUTE.findall(found.group(1))), found.group(2), url))
    return entries


def test_playlist_lists_active_channels_in_dial_order(
    sessions: sessionmaker[Session], ids: Station
) -> None:
    text = _playlist(sessions)
    assert text == (
        "#EXTM3U\n"
        f'#EXTINF:-1 tvg-id="ch{ids.retro}.retrovue" tvg-chno="3" tvg-name="Retro One",Retro One\n'
        "http://localhost:8409/channels/3.ts\n"
        f'#EXTINF:-1 tvg-id="ch{ids.movies}.retrovue" tvg-chno="12"'
        ' tvg-name="Movies & More",Movies & More\n'
        "http://localhost:8409/channels/12.ts\n"
    )


def test_tvg_ids_match_the_guides_channel_ids(
    sessions: sessionmaker[Session], ids: Station
) -> None:
    out = io.BytesIO()
    with sessions() as session:
        write_xmltv(session, out, first_day=date(2026, 3, 7), days=1, station_zone=STATION_ZONE)
    guide_ids = [c.get("id") for c in ET.fromstring(out.getvalue()).iter("channel")]
    assert [attrs["tvg-id"] for attrs, _n, _u in _entries(_playlist(sessions))] == guide_ids


def test_template_placeholders(sessions: sessionmaker[Session], ids: Station) -> None:
    text = _playlist(sessions, "  rtp://tv.local/{guide_id}/{id}?n={number}&c={{x}}  ")
    urls = [url for _a, _n, url in _entries(text)]
    assert urls == [
        f"rtp://tv.local/ch{ids.retro}.retrovue/{ids.retro}?n=3&c={{x}}",
        f"rtp://tv.local/ch{ids.movies}.retrovue/{ids.movies}?n=12&c={{x}}",
    ]


def test_channel_without_a_used_value_is_left_out_with_a_warning(
    sessions: sessionmaker[Session], ids: Station
) -> None:
    out = io.BytesIO()
    with sessions() as session:
        summary = write_m3u(session, out, stream_url_template="http://tv/{callsign}.ts")
    assert summary.channels == 1
    assert summary.warnings == (
        "“Movies & More” was left out of the playlist: it has no callsign, which the stream"
        " address uses. Give it one, or use {id} in the address.",
    )
    assert [url for _a, _n, url in _entries(out.getvalue().decode())] == ["http://tv/KRTV.ts"]
    assert summary.line("/tmp/c.m3u") == "Wrote the playlist (1 channel) to /tmp/c.m3u."


def test_names_that_could_break_an_entry(sessions: sessionmaker[Session], ids: Station) -> None:
    """M3U has no escape: a double quote in an attribute becomes an apostrophe, a line
    break a space; the name after the comma keeps its quotes and commas."""
    with sessions() as s, s.begin():
        s.execute(
            update(m.Channel)
            .where(m.Channel.id == ids.movies)
            .values(name='The "Big"\nPicture, Nightly')
        )
        add(s, m.Channel, name="No Number")
    text = _playlist(sessions, "http://tv/{id}")
    assert len(text.splitlines()) == 1 + 2 * 3
    entries = _entries(text)
    attrs, name, _url = entries[1]
    assert attrs["tvg-name"] == "The 'Big' Picture, Nightly"
    assert name == 'The "Big" Picture, Nightly'
    unnumbered, _name, url = entries[2]
    assert "tvg-chno" not in unnumbered and url.startswith("http://tv/")


def test_values_are_percent_encoded() -> None:
    channel = GuideChannel(7, "Seven", "2.1", "K/RTV", None)
    assert stream_url("http://tv/{callsign}/{number}", channel) == "http://tv/K%2FRTV/2.1"
    assert stream_url("http://tv/{callsign}", GuideChannel(7, "Seven", "7", None, None)) is None


@pytest.mark.parametrize(
    ("template", "words"),
    [
        ("", "Give a stream address"),
        ("   ", "Give a stream address"),
        ("http://tv/{name}.ts", "uses {name}, which is not a placeholder"),
        ("http://tv/{number:>3}.ts", "uses {number:>3}, which is not a placeholder"),
        ("http://tv/{number!r}.ts", "uses {number!r}, which is not a placeholder"),
        ("http://tv/{number.ts", "unmatched { or }"),
        ("http://tv/}", "unmatched { or }"),
        ("http://tv/\n#EXTINF", "one line"),
        ("#EXTINF:-1", "does not start with #"),
    ],
)
def test_bad_templates_are_refused(template: str, words: str) -> None:
    with pytest.raises(ExportError) as caught:
        check_stream_url_template(template)
    assert words in str(caught.value)


def test_bad_template_writes_nothing(sessions: sessionmaker[Session], ids: Station) -> None:
    out = io.BytesIO()
    with sessions() as session, pytest.raises(ExportError):
        write_m3u(session, out, stream_url_template="http://tv/{bogus}")
    assert out.getvalue() == b""
    with sessions() as session, pytest.raises(ExportCancelled):
        write_m3u(session, out, cancelled=lambda: True)
    assert out.getvalue() == b""
