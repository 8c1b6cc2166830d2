#!/usr/bin/env python3
"""Build the one-folder Linux app with PyInstaller, then prove that it starts.

    python3 packaging/build_bundle.py            build dist/retrovue-desktop/, then smoke-test it
    python3 packaging/build_bundle.py --no-build smoke-test an existing bundle only

Needs only Python 3.11+ (with its venv module) and the package registries: PyInstaller and
the app's dependencies go into packaging/.venv, made on first use. The app is installed
there from a wheel built out of a clean copy of the source tree, so the bundle is made
from exactly what `pip install .` ships (migrations and resources laid out as packages),
never from stale build/ leftovers or the checkout's own folders.

The smoke test runs the bundle offscreen with a fresh HOME and XDG folders and no system
zone database: `--version`, then `--smoke` (the window opens and closes), and checks that
the default database was created at this version's head revision (so the bundle found its
migrations), that the log file was written, and that the icon, the zone database and
Qt's SVG and platform plugins are inside. With xvfb-run it also starts on an X server
through Qt's xcb plugin; it adds a folder holding a test video (MediaInfo must read it);
with RETROVUE_TEST_POSTGRES_URL it reads that database's schema revision (the PostgreSQL
driver). Exits non-zero on any failure.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
VENV = HERE / ".venv"
PYTHON = VENV / "bin" / "python"
SPEC = HERE / "retrovue-desktop.spec"
NAME = "retrovue-desktop"
APP_DIR_NAME = "RetroVue Desktop"  # platformdirs folder name (store/engine.py APP_NAME)
CONTENTS = "_internal"  # PyInstaller's contents folder beside the executable
SMOKE_TIMEOUT_S = 180
APP_ID = "io.github.retrovue.RetroVueDesktop"  # desktop entry, metainfo and icon name
DESKTOP_ENTRY = "desktop-entry"  # the bundle's folder with the menu entry and installer

# Not copied into the staging tree the wheel is built from.
STAGING_IGNORE = shutil.ignore_patterns(
    ".git",
    ".venv",
    "build",
    "dist",
    "__pycache__",
    "*.egg-info",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
    ".hypothesis",
    ".import_linter_cache",
    "*.db",
    "*.db-wal",
    "*.db-shm",
)


def say(message: str) -> None:
    print(f"build_bundle: {message}", file=sys.stderr, flush=True)


def run(command: list[str], cwd: Path | None = None) -> None:
    subprocess.run(command, check=True, cwd=cwd)


def ensure_venv() -> None:
    """packaging/.venv with a current pip; recreated if its Python went away."""
    if sys.version_info < (3, 11):  # noqa: UP036 - explain on an old Python
        sys.exit("Building RetroVue Desktop needs Python 3.11 or newer.")
    if PYTHON.exists() and subprocess.call([str(PYTHON), "-c", ""]) != 0:
        shutil.rmtree(VENV)
    if not PYTHON.exists():
        say(f"creating {VENV}")
        venv.EnvBuilder(with_pip=True).create(VENV)
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()[:16]
    stamp = VENV / f".pip-{digest}"
    if not stamp.exists():
        run([str(PYTHON), "-m", "pip", "install", "-q", "--upgrade", "pip", "setuptools", "wheel"])
        for old in VENV.glob(".pip-*"):
            old.unlink()
        stamp.touch()


def install_app(scratch: Path) -> None:
    """Build a wheel from a clean copy of the tree and install it with the bundle extra."""
    staging = scratch / "src"
    shutil.copytree(ROOT, staging, ignore=STAGING_IGNORE)
    wheels = scratch / "wheels"
    pip = [str(PYTHON), "-m", "pip", "--disable-pip-version-check"]
    run([*pip, "wheel", "-q", "--no-deps", "-w", str(wheels), str(staging)], cwd=scratch)
    (wheel,) = wheels.glob("retrovue_desktop-*.whl")
    run([*pip, "install", "-q", f"{wheel}[bundle]"], cwd=scratch)
    # Same version number as last time: force the code of this tree in.
    run([*pip, "install", "-q", "--no-deps", "--force-reinstall", str(wheel)], cwd=scratch)


def add_desktop_entry(app_dir: Path) -> None:
    """The menu entry, metainfo, icon and their installer, in the bundle's own folder, so
    that the bundle alone can be put in a user's application menu."""
    folder = app_dir / DESKTOP_ENTRY
    folder.mkdir(exist_ok=True)
    for name in (f"{APP_ID}.desktop", f"{APP_ID}.metainfo.xml", "install-desktop-entry.sh"):
        shutil.copy2(HERE / name, folder / name)
    shutil.copy2(
        app_dir / CONTENTS / "retrovue_desktop" / "resources" / "retrovue.svg",
        folder / f"{APP_ID}.svg",
    )


def build(dist: Path, work: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="retrovue-bundle-") as scratch:
        install_app(Path(scratch))
    # Run from packaging/: the repository root holds an alembic/ folder that must never
    # stand in for the alembic library during the analysis.
    run(
        [
            str(PYTHON),
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--log-level",
            "WARN",
            "--distpath",
            str(dist),
            "--workpath",
            str(work),
            str(SPEC),
        ],
        cwd=HERE,
    )
    add_desktop_entry(dist / NAME)


def expected_head() -> str:
    """The head revision of the migrations the wheel ships (asked outside the tree)."""
    probe = "from retrovue_desktop.store.migrations import head_revision; print(head_revision())"
    with tempfile.TemporaryDirectory() as elsewhere:
        out = subprocess.run(
            [str(PYTHON), "-c", probe], check=True, capture_output=True, text=True, cwd=elsewhere
        )
    return out.stdout.strip()


def sandbox_env(base: Path) -> dict[str, str]:
    """A fresh user: HOME and every XDG folder inside `base`, offscreen Qt, no database
    or settings pointed at from outside."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RETROVUE_", "XDG_", "QT_"))}
    folders = {
        "HOME": base / "home",
        "XDG_CONFIG_HOME": base / "config",
        "XDG_DATA_HOME": base / "data",
        "XDG_CACHE_HOME": base / "cache",
        "XDG_STATE_HOME": base / "state",
        "XDG_RUNTIME_DIR": base / "runtime",
    }
    for key, folder in folders.items():
        folder.mkdir(mode=0o700, parents=True)
        env[key] = str(folder)
    env["QT_QPA_PLATFORM"] = "offscreen"
    # No system zone database: time zones must come from the bundled tzdata package.
    (base / "no-zoneinfo").mkdir()
    env["PYTHONTZPATH"] = str(base / "no-zoneinfo")
    return env


def check(condition: bool, failure: str, problems: list[str]) -> None:
    if not condition:
        problems.append(failure)


def check_x11(exe: Path, env: dict[str, str], problems: list[str]) -> None:
    """Start once more on a real X server (Xvfb) through Qt's xcb plugin, the one a
    desktop uses, with its libraries; skipped without xvfb-run (Debian: xvfb, xauth)."""
    xvfb_run = shutil.which("xvfb-run")
    if xvfb_run is None:
        say("xvfb-run not found: the start on an X server was skipped (apt install xvfb xauth)")
        return
    command = [xvfb_run, "-a", "-s", "-screen 0 1280x800x24", str(exe), "--smoke"]
    try:
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            env={**env, "QT_QPA_PLATFORM": "xcb"},
            timeout=SMOKE_TIMEOUT_S,
        )
    except subprocess.TimeoutExpired:
        problems.append(f"--smoke on Xvfb did not quit within {SMOKE_TIMEOUT_S} s")
        return
    say(f"--smoke on Xvfb (xcb) exited {done.returncode}")
    check(
        done.returncode == 0 and "Traceback" not in done.stderr,
        f"--smoke on Xvfb failed ({done.returncode}): {done.stderr}",
        problems,
    )


def check_mediainfo(exe: Path, env: dict[str, str], tmp: Path, problems: list[str]) -> None:
    """Add a folder with one of the test videos (a database of its own): the bundled
    MediaInfo library must read its codec and duration."""
    sample = ROOT / "tests" / "media" / "bars_3s.mp4"
    if not sample.is_file():
        say(f"{sample} not found: the MediaInfo check was skipped")
        return
    folder = tmp / "ads"
    folder.mkdir()
    shutil.copy2(sample, folder / sample.name)
    database = tmp / "media.db"
    command = [str(exe), "--database", f"sqlite:///{database}", "folder", "add", str(folder)]
    done = subprocess.run(
        [*command, "--kind", "ad"], capture_output=True, text=True, env=env, timeout=120
    )
    if done.returncode != 0:
        problems.append(f"'folder add' failed ({done.returncode}): {done.stdout}{done.stderr}")
        return
    connection = sqlite3.connect(database)
    try:
        rows = connection.execute("SELECT video_codec, duration_ms FROM media_files").fetchall()
    finally:
        connection.close()
    check(
        len(rows) == 1 and rows[0][0] == "h264" and 2500 <= (rows[0][1] or 0) <= 3500,
        f"MediaInfo did not read {sample.name} in the bundle: {rows}",
        problems,
    )


def smoke(app_dir: Path) -> list[str]:
    """Start the bundle like a first-time user would; the problems found (none = passed)."""
    problems: list[str] = []
    exe = app_dir / NAME
    contents = app_dir / CONTENTS
    if not exe.is_file():
        return [f"{exe} is missing: build the bundle first"]
    inside = {
        "window icon": contents / "retrovue_desktop" / "resources" / "retrovue.svg",
        "migrations env.py": contents / "retrovue_desktop" / "migrations" / "env.py",
        "migrations template": contents / "retrovue_desktop" / "migrations" / "script.py.mako",
        "Qt SVG icon engine": contents / "PySide6/Qt/plugins/iconengines/libqsvgicon.so",
        "Qt offscreen platform": contents / "PySide6/Qt/plugins/platforms/libqoffscreen.so",
        "Qt X11 platform": contents / "PySide6/Qt/plugins/platforms/libqxcb.so",
        "MediaInfo library": contents / "pymediainfo" / "libmediainfo.so.0",
        "zone database": contents / "tzdata" / "zoneinfo" / "Europe" / "London",
        "menu entry installer": app_dir / DESKTOP_ENTRY / "install-desktop-entry.sh",
    }
    for what, path in inside.items():
        check(path.is_file(), f"{what} is not in the bundle ({path})", problems)
    head = expected_head()
    with tempfile.TemporaryDirectory(prefix="retrovue-smoke-") as tmp:
        env = sandbox_env(Path(tmp))
        version = subprocess.run(
            [str(exe), "--version"], capture_output=True, text=True, env=env, timeout=60, cwd=tmp
        )
        check(
            version.returncode == 0 and version.stdout.startswith(NAME),
            f"--version failed ({version.returncode}): {version.stdout}{version.stderr}",
            problems,
        )
        started = time.monotonic()
        try:
            done = subprocess.run(
                [str(exe), "--smoke"],
                capture_output=True,
                text=True,
                env=env,
                timeout=SMOKE_TIMEOUT_S,
                cwd=tmp,
            )
        except subprocess.TimeoutExpired:
            return [*problems, f"--smoke did not quit within {SMOKE_TIMEOUT_S} s"]
        say(f"--smoke exited {done.returncode} after {time.monotonic() - started:.1f} s")
        if done.stderr.strip():
            say("--smoke stderr:\n" + done.stderr.rstrip())
        check(done.returncode == 0, f"--smoke exited {done.returncode}", problems)
        check("Traceback" not in done.stderr, "--smoke printed a traceback", problems)
        database = Path(env["XDG_DATA_HOME"]) / APP_DIR_NAME / "retrovue.db"
        if database.is_file():
            connection = sqlite3.connect(database)
            try:
                rows = connection.execute("SELECT version_num FROM alembic_version").fetchall()
            except sqlite3.Error as exc:
                rows = [(f"unreadable: {exc}",)]
            finally:
                connection.close()
            check(rows == [(head,)], f"the database is at {rows}, not at head {head}", problems)
        else:
            problems.append(f"--smoke created no database at {database}")
        log_file = Path(env["XDG_STATE_HOME"]) / APP_DIR_NAME / "log" / "retrovue.log"
        check(log_file.is_file(), f"--smoke wrote no log file at {log_file}", problems)
        status = subprocess.run(
            [str(exe), "db", "status"], capture_output=True, text=True, env=env, timeout=60
        )
        check(
            status.returncode == 0 and f"revision: {head}" in status.stdout,
            f"'db status' did not report head {head}: {status.stdout}{status.stderr}",
            problems,
        )
        check_x11(exe, env, problems)
        check_mediainfo(exe, env, Path(tmp), problems)
        # The PostgreSQL driver, when a server is at hand (CI's test server): read-only.
        postgres = os.environ.get("RETROVUE_TEST_POSTGRES_URL")
        if postgres:
            pg_status = subprocess.run(
                [str(exe), "--database", postgres, "db", "status"],
                capture_output=True,
                text=True,
                env=env,
                timeout=60,
            )
            check(
                pg_status.returncode == 0 and "revision:" in pg_status.stdout,
                f"'db status' on PostgreSQL failed: {pg_status.stdout}{pg_status.stderr}",
                problems,
            )
    return problems


def folder_size(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file() and not f.is_symlink())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-build", action="store_true", help="only smoke-test the bundle")
    parser.add_argument("--no-smoke", action="store_true", help="only build")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="where the app goes")
    parser.add_argument(
        "--work", type=Path, default=ROOT / "build" / "pyinstaller", help="PyInstaller's cache"
    )
    args = parser.parse_args()
    ensure_venv()
    app_dir = args.dist.resolve() / NAME
    if not args.no_build:
        started = time.monotonic()
        try:
            build(args.dist.resolve(), args.work.resolve())
        except subprocess.CalledProcessError as exc:
            say(f"FAILED: {' '.join(map(str, exc.cmd))} exited {exc.returncode}")
            return 1
        size = folder_size(app_dir) / 1e6
        say(f"built {app_dir} in {time.monotonic() - started:.0f} s ({size:.0f} MB)")
    if args.no_smoke:
        return 0
    problems = smoke(app_dir)
    for problem in problems:
        say(f"FAILED: {problem}")
    if problems:
        return 1
    say(f"smoke test passed: {app_dir / NAME}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
