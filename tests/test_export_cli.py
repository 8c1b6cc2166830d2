"""`retrovue-desktop export xmltv|m3u` as separate processes, on both backends: results on
stdout, progress and warnings on stderr, exit 0 only on success, and a failed export
never touching the file it was to replace."""

from __future__ import annotations

import io
import subprocess
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, update
from sqlalchemy.orm import Session, sessionmaker

from retrovue_desktop.scheduling.xmltv import write_xmltv
from retrovue_desktop.store import models as m
from tests.cli_run import run_cli, write_settings
from tests.export_builders import STATION_ZONE, Station, station


@pytest.fixture
def ids(sessions: sessionmaker[Session]) -> Station:
    with sessions() as s, s.begin():
        return station(s)


@pytest.fixture
def config(tmp_path: Path) -> Path:
    """A private config folder holding the window's settings the commands read."""
    folder = tmp_path / "config"
    (folder / "RetroVue").mkdir(parents=True)
    write_settings(folder, f"[station]\ntimeZone={STATION_ZONE}\n")
    return folder


def _ok(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    return done.stdout


def _failed(done: subprocess.CompletedProcess[str], words: str, code: int = 1) -> None:
    assert done.returncode == code, done.stdout + done.stderr
    assert words in done.stderr and "Traceback" not in done.stderr
    assert not done.stdout


def test_export_xmltv(
    engine: Engine, sessions: sessionmaker[Session], ids: Station, config: Path, tmp_path: Path
) -> None:
    path = tmp_path / "guide.xml"
    done = run_cli(engine, config, "export", "xmltv", "--from", "2026-03-07", "--days", "2",
                "-o", str(path))  # fmt: skip
    assert _ok(done) == f"Wrote the guide (2 channels, 9 programmes) to {path}.\n"
    assert "Writing the guide: 2/2" in done.stderr
    assert "warning: 1 programme was left out of “Retro One”'s guide" in done.stderr
    expected = io.BytesIO()
    with sessions() as session:
        write_xmltv(
            session, expected, first_day=date(2026, 3, 7), days=2, station_zone=STATION_ZONE
        )
    assert path.read_bytes() == expected.getvalue()


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Pacific/Pago_Pago"])
def test_export_xmltv_starts_today_in_the_station_zone(
    engine: Engine, ids: Station, config: Path, tmp_path: Path, zone: str
) -> None:
    """UTC+14 and UTC-11 are 25 hours apart, so their todays always differ: the day the
    command starts from is the station zone's (the channel without a zone of its own
    counts its days there)."""
    write_settings(config, f"[station]\ntimeZone={zone}\n")
    before = datetime.now(ZoneInfo(zone)).date()
    done = run_cli(engine, config, "export", "xmltv", "--days", "1", "-o", str(tmp_path / "g.xml"))
    after = datetime.now(ZoneInfo(zone)).date()
    _ok(done)
    assert any(
        f"“Movies & More” has no programmes from {day} to {day}" in done.stderr
        for day in {before, after}
    ), done.stderr


def test_failed_xmltv_exports_leave_the_file_alone(
    engine: Engine, sessions: sessionmaker[Session], ids: Station, config: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    path = folder / "guide.xml"
    path.write_text("yesterday's guide")
    with sessions() as s, s.begin():
        s.execute(
            update(m.Channel).where(m.Channel.id == ids.retro).values(time_zone="Mars/Olympus")
        )
    args = ("export", "xmltv", "--from", "2026-03-07", "--days", "2", "-o", str(path))
    _failed(run_cli(engine, config, *args), "The time zone “Mars/Olympus” is not known here")
    assert path.read_text() == "yesterday's guide"
    assert [p.name for p in folder.iterdir()] == ["guide.xml"]

    missing = str(folder / "no" / "guide.xml")
    _failed(run_cli(engine, config, "export", "xmltv", "--days", "1", "-o", missing),
            f"The folder {folder / 'no'} does not exist")  # fmt: skip
    _failed(run_cli(engine, config, "export", "xmltv", "--from", "7/3/2026", "--days", "1",
                 "-o", str(path)), "is not a date: write it as YYYY-MM-DD", 2)  # fmt: skip
    _failed(run_cli(engine, config, "export", "xmltv", "--days", "0", "-o", str(path)),
            "is not a number of days from 1 to 366", 2)  # fmt: skip
    _failed(run_cli(engine, config, "export", "xmltv", "-o", str(path)), "--days", 2)
    assert path.read_text() == "yesterday's guide"


def test_export_m3u(engine: Engine, ids: Station, config: Path, tmp_path: Path) -> None:
    path = tmp_path / "channels.m3u"
    done = run_cli(engine, config, "export", "m3u", "-o", str(path))
    assert _ok(done) == f"Wrote the playlist (2 channels) to {path}.\n"
    assert path.read_text().splitlines()[2] == "http://localhost:8409/channels/3.ts"

    # the window's setting, else --stream-url
    write_settings(config, "[export]\nstreamUrlTemplate=http://tv/{callsign}.ts\n")
    done = run_cli(engine, config, "export", "m3u", "-o", str(path))
    assert _ok(done) == f"Wrote the playlist (1 channel) to {path}.\n"
    assert "warning: “Movies & More” was left out of the playlist" in done.stderr
    assert path.read_text().splitlines()[2] == "http://tv/KRTV.ts"
    _ok(run_cli(engine, config, "export", "m3u", "-o", str(path), "--stream-url", "udp://x/{id}"))
    assert path.read_text().splitlines()[2] == f"udp://x/{ids.retro}"

    before = path.read_text()
    _failed(run_cli(engine, config, "export", "m3u", "-o", str(path), "--stream-url", "x/{nope}"),
            "uses {nope}, which is not a placeholder")  # fmt: skip
    assert path.read_text() == before
