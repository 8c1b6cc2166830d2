"""The built package carries its migrations: the installed app needs no source tree."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

from retrovue_desktop.store.migrations import head_revision

REPO = Path(__file__).resolve().parents[1]


def test_wheel_ships_migrations_and_upgrades_without_source_tree(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    built = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(wheels),
            str(REPO),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = wheels.glob("retrovue_desktop-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        zf.extractall(tmp_path / "site")
    for needed in (
        "retrovue_desktop/migrations/env.py",
        "retrovue_desktop/migrations/script.py.mako",
        "retrovue_desktop/migrations/versions/0001_v12_schema.py",
        "retrovue_desktop/migrations/versions/0002_media_files_canonical_uri.py",
        "retrovue_desktop/migrations/versions/0003_plex_sync_state.py",
        "retrovue_desktop/py.typed",
        "retrovue_desktop/resources/retrovue.svg",
    ):
        assert needed in names

    probe = (
        "import retrovue_desktop, sys\n"
        "from retrovue_desktop.store.migrations import migrations_dir, prepare_database\n"
        "print(retrovue_desktop.__file__)\n"
        "print(migrations_dir())\n"
        "from retrovue_desktop.assets import resource_path\n"
        "print(resource_path('retrovue.svg'))\n"
        f"print(prepare_database('sqlite:///{tmp_path / 'w.db'}').to_revision)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "site")}
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    module_file, migrations, icon, revision = done.stdout.split()
    assert icon.startswith(str(tmp_path / "site")) and icon.endswith("retrovue.svg")
    assert module_file.startswith(str(tmp_path / "site"))
    assert migrations.startswith(str(tmp_path / "site"))
    assert revision == head_revision()
