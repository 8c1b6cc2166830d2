"""Packaging: the wheel carries its migrations and resources (the installed app needs no
source tree); the desktop entry and metainfo are valid and agree with the project."""

from __future__ import annotations

import ast
import configparser
import os
import shutil
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import retrovue_desktop
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


# --- Desktop integration: the desktop entry, the AppStream metainfo, the bundle spec ---

APP_ID = "io.github.retrovue.RetroVueDesktop"
PACKAGING = REPO / "packaging"
DESKTOP_FILE = PACKAGING / f"{APP_ID}.desktop"
METAINFO_FILE = PACKAGING / f"{APP_ID}.metainfo.xml"
ICON = REPO / "resources" / "retrovue.svg"
ENV_REQUIRE_TOOLS = "RETROVUE_REQUIRE_PACKAGING_TOOLS"
# Infos appstreamcli may print: the metainfo carries both developer tags, for AppStream
# before 1.0 (Debian 12 does not know <developer>) and after (developer_name deprecated).
TOLERATED_APPSTREAM_INFOS = {"unknown-tag developer", "developer-name-tag-deprecated"}


def _tool(name: str, package: str) -> str:
    """The validator's path; skipped when absent, unless CI requires it (.ci/run)."""
    found = shutil.which(name)
    if found is None:
        if os.environ.get(ENV_REQUIRE_TOOLS):
            pytest.fail(f"{ENV_REQUIRE_TOOLS} is set but {name} is missing: install {package}")
        pytest.skip(f"{name} is not installed (Debian package {package})")
    return found


def _project() -> dict[str, Any]:
    with (REPO / "pyproject.toml").open("rb") as f:
        return tomllib.load(f)["project"]  # type: ignore[no-any-return]


def _desktop_entry(path: Path = DESKTOP_FILE) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, delimiters=("=",))
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


def _validate_desktop_file(path: Path) -> None:
    done = subprocess.run(
        [_tool("desktop-file-validate", "desktop-file-utils"), str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    # It exits 0 on warnings and on errors "fatal in the future": any output is a failure.
    assert done.returncode == 0 and not (done.stdout + done.stderr).strip(), (
        done.stdout + done.stderr
    )


def test_desktop_entry_passes_desktop_file_validate() -> None:
    _validate_desktop_file(DESKTOP_FILE)


def test_metainfo_passes_appstreamcli_validate() -> None:
    done = subprocess.run(
        [_tool("appstreamcli", "appstream"), "validate", "--no-net", str(METAINFO_FILE)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    issues = [line for line in output.splitlines() if line[:2] in {"E:", "W:", "I:"}]
    for line in issues:
        assert line.startswith("I:"), output
        tag = line.split(":", 3)[-1].strip()
        assert tag in TOLERATED_APPSTREAM_INFOS, output


def test_desktop_entry_runs_the_console_script_with_the_app_icon() -> None:
    entry = _desktop_entry()
    scripts = _project()["scripts"]
    assert entry["Type"] == "Application"
    assert entry["Name"] == "RetroVue Desktop"
    assert scripts[entry["Exec"]] == "retrovue_desktop.cli:main"
    assert entry["Icon"] == APP_ID
    assert entry["Terminal"] == "false"
    assert ICON.is_file()
    assert ET.parse(ICON).getroot().tag == "{http://www.w3.org/2000/svg}svg"


def test_metainfo_describes_the_desktop_entry_and_this_version() -> None:
    root = ET.parse(METAINFO_FILE).getroot()
    entry = _desktop_entry()
    project = _project()
    assert root.get("type") == "desktop-application"
    assert root.findtext("id") == APP_ID == DESKTOP_FILE.stem
    launchable = root.find("launchable")
    assert launchable is not None and launchable.get("type") == "desktop-id"
    assert launchable.text == DESKTOP_FILE.name
    assert root.findtext("name") == entry["Name"]
    assert root.findtext("icon[@type='stock']") == entry["Icon"]
    assert root.findtext("provides/binary") == entry["Exec"]
    license_ = project["license"]  # a table now, an SPDX string with newer setuptools
    assert root.findtext("project_license") == (
        license_ if isinstance(license_, str) else license_["text"]
    )
    assert root.find("content_rating") is not None
    assert root.findtext("url[@type='homepage']")
    newest = root.find("releases/release")
    assert newest is not None
    assert newest.get("version") == project["version"] == retrovue_desktop.__version__
    assert date.fromisoformat(newest.get("date", ""))


def test_bundle_spec_ships_every_folder_the_wheel_maps_into_the_package() -> None:
    """The spec copies the migrations and resources packages whole; a folder mapped into
    the package later (pyproject package-dir) must be added to it too."""
    spec = ast.parse((PACKAGING / "retrovue-desktop.spec").read_text(encoding="utf-8"))
    shipped = next(
        ast.literal_eval(node.value)
        for node in spec.body
        if isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == "SHIPPED_FOLDERS" for t in node.targets)
    )
    with (REPO / "pyproject.toml").open("rb") as f:
        mapped = tomllib.load(f)["tool"]["setuptools"]["package-dir"]
    assert set(mapped) <= set(shipped)
    assert (PACKAGING / "launcher.py").is_file()


def test_install_desktop_entry_points_the_menu_at_the_installed_command(tmp_path: Path) -> None:
    """The pipx case: the command on PATH (here this venv's console script) is written into
    the entry by its full path, the icon under the app id; --uninstall removes them."""
    command = Path(sys.executable).parent / "retrovue-desktop"
    if not command.is_file():
        pytest.skip("the retrovue-desktop console script is not installed in this venv")
    data = tmp_path / "share"
    env = {
        **os.environ,
        "PATH": f"{command.parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "XDG_DATA_HOME": str(data),
    }
    script = str(PACKAGING / "install-desktop-entry.sh")
    done = subprocess.run(["sh", script], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    installed = data / "applications" / DESKTOP_FILE.name
    entry = _desktop_entry(installed)
    assert entry["Exec"] == str(command)
    assert entry["Icon"] == APP_ID
    icon = data / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"
    assert icon.read_bytes() == ICON.read_bytes()
    assert (data / "metainfo" / METAINFO_FILE.name).read_bytes() == METAINFO_FILE.read_bytes()
    if shutil.which("desktop-file-validate") or os.environ.get(ENV_REQUIRE_TOOLS):
        _validate_desktop_file(installed)

    removed = subprocess.run(
        ["sh", script, "--uninstall"], capture_output=True, text=True, env=env, timeout=60
    )
    assert removed.returncode == 0, removed.stderr
    assert not installed.exists() and not icon.exists()
