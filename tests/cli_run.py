"""Running the real `retrovue-desktop` executable in tests, on a test database, with a
private settings file (the window's QSettings, which the commands read too)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import Engine

EXE = str(Path(sys.executable).parent / "retrovue-desktop")


def write_settings(config: Path, text: str) -> None:
    """Replace the settings file in the private config folder `config` with `text`."""
    folder = config / "RetroVue"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "RetroVue Desktop.ini").write_text(text)


def run_cli(engine: Engine, config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The executable on `engine`'s database with the settings under `config`."""
    return subprocess.run(
        [EXE, "--database", engine.url.render_as_string(hide_password=False), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "XDG_CONFIG_HOME": str(config)},
    )
