#!/usr/bin/env python3
"""The two commands of the README, needing only Python 3.11+ on the machine.

    python3 dev.py start [app options]   set up .venv on first use, then open the app
    python3 dev.py test [pytest options] set up .venv with test tools, then run every check

The virtual environment is (re)installed when pyproject.toml changes, so a fresh clone,
a pulled change and a repeat run all do the right thing without a separate setup step.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")


def _exe(name: str) -> str:
    return str(BIN / (f"{name}.exe" if os.name == "nt" else name))


def ensure_venv(extra: str | None) -> None:
    """Create .venv and install the app (with `extra`) unless it is already current."""
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py must explain itself on an old Python
        sys.exit("RetroVue Desktop needs Python 3.11 or newer.")
    if not PYTHON.exists():
        print("Creating .venv (first run)…", file=sys.stderr)
        venv.EnvBuilder(with_pip=True).create(VENV)
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()[:16]
    stamp = VENV / f".installed-{extra or 'app'}-{digest}"
    if stamp.exists():
        return
    print("Installing dependencies into .venv…", file=sys.stderr)
    target = f".[{extra}]" if extra else "."
    pip = [str(PYTHON), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "--upgrade", "pip", "setuptools>=68", "wheel"], check=True, cwd=ROOT)
    subprocess.run([*pip, "-e", target], check=True, cwd=ROOT)
    for old in VENV.glob(f".installed-{extra or 'app'}-*"):
        old.unlink()
    stamp.touch()


def start(args: list[str]) -> int:
    ensure_venv(None)
    return subprocess.call([_exe("retrovue-desktop"), *args], cwd=ROOT)


def test(args: list[str]) -> int:
    """Lint, type-check, check the layer contracts, then run pytest (last, so its summary
    line closes the output)."""
    ensure_venv("test")
    checks = [
        ("ruff", [_exe("ruff"), "check", "."]),
        ("mypy --strict", [_exe("mypy")]),
        ("import-linter", [_exe("lint-imports")]),
    ]
    failed = []
    for name, command in checks:
        print(f"== {name}", flush=True)
        if subprocess.call(command, cwd=ROOT) != 0:
            failed.append(name)
    print("== pytest", flush=True)
    pytest_rc = subprocess.call([str(PYTHON), "-m", "pytest", *args], cwd=ROOT)
    if failed:
        print(f"failed checks: {', '.join(failed)}", file=sys.stderr)
        return 1
    return pytest_rc


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in {"start", "test"}:
        print(__doc__, file=sys.stderr)
        return 2
    command, rest = sys.argv[1], sys.argv[2:]
    return start(rest) if command == "start" else test(rest)


if __name__ == "__main__":
    raise SystemExit(main())
