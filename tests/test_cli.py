"""The executable: the window in smoke mode, --help, and the db commands, as processes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import text

from retrovue_desktop.store.engine import create_engine_for
from retrovue_desktop.store.migrations import current_revision, head_revision
from tests.builders import migrated_engine

EXE = Path(sys.executable).parent / "retrovue-desktop"


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*args], capture_output=True, text=True, timeout=120, env={**os.environ, **(env or {})}
    )


def test_smoke_start_creates_database_at_head(tmp_path: Path) -> None:
    db = tmp_path / "station.db"
    done = _run(
        sys.executable, "-m", "retrovue_desktop", "--database", f"sqlite:///{db}", "--smoke"
    )
    assert done.returncode == 0, done.stderr
    engine = create_engine_for(f"sqlite:///{db}")
    try:
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()


def test_entry_point_smoke(tmp_path: Path) -> None:
    done = _run(str(EXE), "--database", f"sqlite:///{tmp_path / 's.db'}", "--smoke")
    assert done.returncode == 0, done.stderr


def test_database_from_environment(tmp_path: Path) -> None:
    db = tmp_path / "env.db"
    done = _run(str(EXE), "db", "upgrade", env={"RETROVUE_DATABASE_URL": f"sqlite:///{db}"})
    assert done.returncode == 0, done.stderr
    assert db.exists()
    assert str(db) in done.stdout


def test_default_database_is_in_user_data_dir() -> None:
    done = _run(str(EXE), "db", "status")
    assert done.returncode == 0, done.stderr
    data_home = os.environ["XDG_DATA_HOME"]
    assert f"database: {data_home}/RetroVue Desktop/retrovue.db" in done.stdout


def test_help_lists_options_and_commands() -> None:
    done = _run(str(EXE), "--help")
    assert done.returncode == 0
    for word in ("--database", "--smoke", "--version", "db"):
        assert word in done.stdout
    db_help = _run(str(EXE), "db", "--help")
    assert "status" in db_help.stdout and "upgrade" in db_help.stdout


def test_smoke_refuses_newer_database_untouched(tmp_path: Path) -> None:
    db = tmp_path / "future.db"
    engine = migrated_engine(f"sqlite:///{db}")
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'zzzz_newer'"))
    engine.dispose()
    before = db.read_bytes()
    done = _run(str(EXE), "--database", f"sqlite:///{db}", "--smoke")
    assert done.returncode == 2
    assert "newer version of RetroVue Desktop" in done.stderr
    assert db.read_bytes() == before


def test_db_upgrade_reports_refusal(tmp_path: Path) -> None:
    db = tmp_path / "future.db"
    engine = migrated_engine(f"sqlite:///{db}")
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'zzzz_newer'"))
    engine.dispose()
    done = _run(str(EXE), "--database", f"sqlite:///{db}", "db", "upgrade")
    assert done.returncode == 1
    assert "left untouched" in done.stderr
    assert "Traceback" not in done.stderr
