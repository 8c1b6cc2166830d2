"""Pytest fixtures for the fake Plex server, meant to be imported by tests/conftest.py.

Why: most sync tests want the same thing, a running server over a small deterministic
library, and a fresh one per test so mutations and faults never leak between tests.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .model import FakePlexData, generate_library
from .server import FakePlexServer

FAKE_PLEX_TOKEN = "secret-token"


def small_library(seed: int = 1234) -> FakePlexData:
    """12 movies, 4 shows (one in the Windows-path "TV (NAS)" section), 2 x 4 episodes each."""
    return generate_library(
        seed=seed, movies=12, shows=4, seasons_per_show=2, episodes_per_season=4
    )


@pytest.fixture
def fake_plex_data() -> FakePlexData:
    """A fresh small library; override this fixture to serve a different one."""
    return small_library()


@pytest.fixture
def fake_plex(fake_plex_data: FakePlexData) -> Iterator[FakePlexServer]:
    """A running fake server over `fake_plex_data`; token is `FAKE_PLEX_TOKEN`."""
    with FakePlexServer(fake_plex_data, token=FAKE_PLEX_TOKEN) as server:
        yield server
