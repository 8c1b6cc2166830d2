"""`retrovue-desktop playlog import` as a separate process, on both backends: the summary
on stdout, unmatched lines and progress on stderr, a malformed file exits 1 with the
line-numbered sentence and writes nothing, a second import adds nothing."""

from __future__ import annotations

import subprocess
from pathlib import Path

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from retrovue_desktop.store.tables import PLAYS
from tests.cli_run import run_cli, write_settings
from tests.log_builders import MINUTE, Catalogue, channel

HEADER = "channel,start,end,kind,content_id,file_path,title,notes\n"


def _run(engine: Engine, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    write_settings(tmp_path / "config", "[station]\ntimeZone=America/New_York\n")
    return run_cli(engine, tmp_path / "config", *args)


def _plays(sessions: sessionmaker[Session]) -> list[tuple[object, ...]]:
    with sessions() as s:
        query = select(PLAYS.c.ts_start, PLAYS.c.content_item_id, PLAYS.c.notes)
        return [tuple(r) for r in s.execute(query.order_by(PLAYS.c.ts_start))]


def test_playlog_import(engine: Engine, sessions: sessionmaker[Session], tmp_path: Path) -> None:
    with sessions() as s, s.begin():
        cat = Catalogue.make(s)
        film = cat.item("movie", "Night Film", 90 * MINUTE)
        channel(s, "One", number="3", zone=None)  # the station's zone, from the settings
    path = tmp_path / "asrun.csv"
    path.write_text(
        HEADER
        + "3,2026-11-24T20:00:00,2026-11-24T21:30:00,program,,,night film,\n"
        + "3,2026-11-24T21:30:00,,ad,,/ads/gone.mkv,,\n",
        encoding="utf-8",
    )
    done = _run(engine, tmp_path, "playlog", "import", str(path))
    assert done.returncode == 0, done.stderr
    assert done.stdout == (
        "Imported 2 as-run rows: 1 matched to content, 0 to the programme log, 1 unmatched"
        " (kept with a note); 0 already present.\n"
    )
    assert "line 3: Unmatched: no catalogued file is at /ads/gone.mkv." in done.stderr
    assert "asrun.csv: reading" in done.stderr and "Traceback" not in done.stderr
    assert _plays(sessions) == [
        ("2026-11-25T01:00:00+00:00", film, None),  # New York's 20:00 in November
        ("2026-11-25T02:30:00+00:00", None, "Unmatched: no catalogued file is at /ads/gone.mkv."),
    ]
    again = _run(engine, tmp_path, "playlog", "import", str(path))
    assert again.returncode == 0 and "0 as-run rows" in again.stdout
    assert "2 already present" in again.stdout


def test_playlog_import_refusals(
    engine: Engine, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    with sessions() as s, s.begin():
        channel(s, "One", number="3")
    path = tmp_path / "bad.csv"
    path.write_text(
        HEADER + "3,2026-11-24T20:00:00,,ad,,,Cola,\n3,2026-11-24 8pm,,ad,,,Cola,\n",
        encoding="utf-8",
    )
    bad = _run(engine, tmp_path, "playlog", "import", str(path))
    assert bad.returncode == 1
    sentence = "Line 3: the start “2026-11-24 8pm” is not a date and time; write it as"
    assert any(line.startswith(sentence) for line in bad.stderr.splitlines())
    assert bad.stdout == "" and "Traceback" not in bad.stderr
    missing = _run(engine, tmp_path, "playlog", "import", str(tmp_path / "none.csv"))
    assert missing.returncode == 1 and "Could not read" in missing.stderr
    tolerance = _run(engine, tmp_path, "playlog", "import", str(path), "--tolerance", "-3")
    assert tolerance.returncode == 2 and "is not a tolerance" in tolerance.stderr
    with sessions() as s:
        assert s.execute(select(func.count()).select_from(PLAYS)).scalar_one() == 0
