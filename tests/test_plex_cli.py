"""The command line end to end against the loopback Plex server, as separate processes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import text

from retrovue_desktop.store.engine import create_engine_for
from tests.fakeplex import FakePlexServer
from tests.fakeplex.fixtures import FAKE_PLEX_TOKEN

EXE = str(Path(sys.executable).parent / "retrovue-desktop")


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [EXE, *args], capture_output=True, text=True, timeout=300,
        env={**os.environ, **(env or {})},
    )  # fmt: skip


def test_server_add_sync_and_list(fake_plex: FakePlexServer, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    token_file = tmp_path / "token.txt"
    token_file.write_text(FAKE_PLEX_TOKEN + "\n")

    added = _run("--database", db, "server", "add", "Den", fake_plex.url, "--token-file",
                 str(token_file))  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert "Saved Plex server 'Den'" in added.stdout

    synced = _run("--database", db, "sync")
    assert synced.returncode == 0, synced.stderr
    movies = len(fake_plex.data.movies(1))
    assert f"Movies: {movies} added, 0 updated, 0 unavailable, 0 unchanged" in synced.stdout
    assert "Music: not supported" in synced.stdout
    assert "listing" in synced.stderr  # progress goes to stderr

    again = _run("--database", db, "sync", "--server", "Den", "--library", "Movies")
    assert again.returncode == 0, again.stderr
    assert f"Movies: unchanged since the last sync ({movies} items)" in again.stdout
    assert "TV Shows" not in again.stdout

    full = _run("--database", db, "sync", "--library", "Movies", "--full")
    assert f"Movies: 0 added, {movies} updated" in full.stdout

    listed = _run("--database", db, "server", "list")
    assert listed.returncode == 0
    assert f"Den\t{fake_plex.url}\tLinux\t4 libraries" in listed.stdout

    for out in (added, synced, again, full, listed):
        assert FAKE_PLEX_TOKEN not in out.stdout + out.stderr
    engine = create_engine_for(db)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM content_items")).scalar_one() > movies
    engine.dispose()


def test_token_from_environment(fake_plex: FakePlexServer, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'env.db'}"
    done = _run("--database", db, "server", "add", "Den", fake_plex.url,
                env={"RETROVUE_PLEX_TOKEN": FAKE_PLEX_TOKEN})  # fmt: skip
    assert done.returncode == 0, done.stderr


def test_failures_exit_non_zero_with_a_sentence(fake_plex: FakePlexServer, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'bad.db'}"
    bad = tmp_path / "bad-token.txt"
    bad.write_text("not-the-token")
    refused = _run("--database", db, "server", "add", "Den", fake_plex.url, "--token-file",
                   str(bad))  # fmt: skip
    assert refused.returncode == 1
    assert "refused the token" in refused.stderr and "Traceback" not in refused.stderr
    assert "not-the-token" not in refused.stderr
    listed = _run("--database", db, "server", "list")
    assert "No Plex servers yet" in listed.stdout  # nothing was saved

    no_token = _run("--database", db, "server", "add", "Den", fake_plex.url,
                    env={"RETROVUE_PLEX_TOKEN": ""})  # fmt: skip
    assert no_token.returncode == 1 and "No Plex token given" in no_token.stderr

    nothing = _run("--database", db, "sync")
    assert nothing.returncode == 1 and "No Plex servers to sync" in nothing.stderr

    token_file = tmp_path / "token.txt"
    token_file.write_text(FAKE_PLEX_TOKEN)
    assert _run("--database", db, "server", "add", "Den", fake_plex.url, "--token-file",
                str(token_file)).returncode == 0  # fmt: skip
    fake_plex.fail(500, path="/library/sections/1/all")
    failed = _run("--database", db, "sync")
    assert failed.returncode == 1
    assert "reported an error (HTTP 500)" in failed.stderr
    unknown = _run("--database", db, "sync", "--server", "Attic")
    assert unknown.returncode == 1 and "no Plex server called 'Attic'" in unknown.stderr


def test_unreachable_server(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'x.db'}"
    done = _run("--database", db, "server", "add", "Gone", "http://127.0.0.1:9", "--timeout",
                "2", env={"RETROVUE_PLEX_TOKEN": "abcdefgh"})  # fmt: skip
    assert done.returncode == 1
    assert "could not be reached" in done.stderr
