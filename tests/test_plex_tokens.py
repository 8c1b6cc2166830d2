"""Tokens: the system keyring when there is one, else a private file; never the database."""

from __future__ import annotations

import stat
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend

from retrovue_desktop.plex.errors import PlexError
from retrovue_desktop.plex.servers import add_server, list_servers
from retrovue_desktop.plex.tokens import SERVICE, TokenStore
from retrovue_desktop.secrets import MASK, redact
from retrovue_desktop.store.engine import create_engine_for, make_session_factory
from retrovue_desktop.store.migrations import upgrade
from tests.fakeplex import FakePlexServer
from tests.fakeplex.fixtures import FAKE_PLEX_TOKEN


class DictKeyring(KeyringBackend):
    """A keyring backend holding passwords in memory (keyring's own extension point)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


def test_file_store_is_private(tmp_path: Path) -> None:
    store = TokenStore(tmp_path / "t" / "tokens.json", use_keyring=False)
    store.save("machine-1", "tok-123456")
    mode = stat.S_IMODE((tmp_path / "t" / "tokens.json").stat().st_mode)
    assert mode == 0o600
    assert TokenStore(tmp_path / "t" / "tokens.json", use_keyring=False).get("machine-1") == (
        "tok-123456"
    )
    store.delete("machine-1")
    assert store.get("machine-1") is None


def test_keyring_is_preferred(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RETROVUE_TOKEN_STORE")
    backend = DictKeyring()
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    try:
        store = TokenStore(tmp_path / "tokens.json")
        assert store.where == "the system keyring"
        store.save("machine-2", "tok-abcdef")
        assert backend.store[(SERVICE, "machine-2")] == "tok-abcdef"
        assert not (tmp_path / "tokens.json").exists()
        assert store.get("machine-2") == "tok-abcdef"
    finally:
        keyring.set_keyring(previous)


def test_corrupt_token_file_is_explained(tmp_path: Path) -> None:
    path = tmp_path / "tokens.json"
    path.write_text("{not json")
    with pytest.raises(Exception, match="could not be read"):
        TokenStore(path, use_keyring=False).get("m")


def test_secrets_are_redacted(tmp_path: Path) -> None:
    TokenStore(tmp_path / "tokens.json", use_keyring=False).save("m", "supersecret-value")
    assert redact("GET /x?X-Plex-Token=supersecret-value") == f"GET /x?X-Plex-Token={MASK}"


def test_add_server_saves_nothing_on_failure_and_recognises_a_moved_server(
    fake_plex: FakePlexServer, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 's.db'}"
    upgrade(url)
    sessions = make_session_factory(create_engine_for(url))
    store = TokenStore(tmp_path / "tokens.json", use_keyring=False)
    with pytest.raises(PlexError, match="refused the token"):
        add_server(sessions, "Den", fake_plex.url, "wrong-token", store)
    assert list_servers(sessions) == []
    assert not (tmp_path / "tokens.json").exists()
    with pytest.raises(PlexError, match="not a Plex address"):
        add_server(sessions, "Den", "192.168.1.10:32400", FAKE_PLEX_TOKEN, store)

    first = add_server(sessions, "Den", fake_plex.url, FAKE_PLEX_TOKEN, store)
    moved_url = fake_plex.url.replace("127.0.0.1", "localhost")
    second = add_server(sessions, "Den (new address)", moved_url, FAKE_PLEX_TOKEN, store)
    assert second.id == first.id
    assert [s.base_url for s in list_servers(sessions)] == [moved_url]
    assert store.get(first.machine_identifier or "") == FAKE_PLEX_TOKEN
