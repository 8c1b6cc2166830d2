"""Where Plex tokens are kept: the system keyring, else a file only the user can read.

Never in the database. Tokens are filed under the server's machineIdentifier, so a
server whose address changes keeps its token.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import platformdirs

from retrovue_desktop.errors import OperatorError
from retrovue_desktop.secrets import register_secret

log = logging.getLogger(__name__)

SERVICE = "RetroVue Desktop (Plex)"
ENV_TOKEN_BACKEND = "RETROVUE_TOKEN_STORE"  # "file" forces the file store (tests, headless)


class TokenStoreError(OperatorError):
    """The token could not be saved or read; `str()` is the operator's sentence."""


def _usable_keyring() -> object | None:
    """The keyring backend if a real one is available (not the fail or null backends)."""
    if os.environ.get(ENV_TOKEN_BACKEND) == "file":
        return None
    try:
        import keyring
        from keyring.backends import fail, null

        backend = keyring.get_keyring()
        if isinstance(backend, fail.Keyring | null.Keyring):
            return None
        priority = getattr(backend, "priority", 0)
        if priority is not None and float(priority) <= 0:
            return None
        return backend
    except Exception:  # a broken keyring install must not stop the app
        log.warning("system keyring unavailable; tokens go to a private file", exc_info=True)
        return None


class TokenStore:
    """Saves and reads Plex tokens, preferring the system keyring."""

    def __init__(self, file_path: Path | None = None, use_keyring: bool = True) -> None:
        self.file_path = file_path or (
            Path(platformdirs.user_config_dir("RetroVue Desktop", appauthor=False))
            / "plex-tokens.json"
        )
        self._keyring = _usable_keyring() if use_keyring else None

    @property
    def where(self) -> str:
        return "the system keyring" if self._keyring is not None else str(self.file_path)

    def save(self, machine_identifier: str, token: str) -> None:
        register_secret(token)
        if self._keyring is not None:
            try:
                self._keyring.set_password(SERVICE, machine_identifier, token)  # type: ignore[attr-defined]
                return
            except Exception as exc:
                log.warning("keyring refused the token (%s); using the file", type(exc).__name__)
        tokens = self._read_file()
        tokens[machine_identifier] = token
        self._write_file(tokens)

    def get(self, machine_identifier: str) -> str | None:
        token: str | None = None
        if self._keyring is not None:
            try:
                token = self._keyring.get_password(SERVICE, machine_identifier)  # type: ignore[attr-defined]
            except Exception as exc:
                log.warning("keyring read failed (%s); trying the file", type(exc).__name__)
        if token is None:
            token = self._read_file().get(machine_identifier)
        register_secret(token)
        return token

    def delete(self, machine_identifier: str) -> None:
        if self._keyring is not None:
            try:
                self._keyring.delete_password(SERVICE, machine_identifier)  # type: ignore[attr-defined]
            except Exception:
                log.debug("no keyring entry to delete for %s", machine_identifier)
        tokens = self._read_file()
        if tokens.pop(machine_identifier, None) is not None:
            self._write_file(tokens)

    def _read_file(self) -> dict[str, str]:
        try:
            data = json.loads(self.file_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            raise TokenStoreError(
                f"The token file {self.file_path} could not be read ({type(exc).__name__})."
                " Remove it and add the Plex server again."
            ) from exc
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}

    def _write_file(self, tokens: dict[str, str]) -> None:
        """Write atomically with owner-only permissions from the first byte."""
        self.file_path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.file_path.with_suffix(".tmp")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(tokens, handle)
            os.chmod(tmp, 0o600)
            os.replace(tmp, self.file_path)
        except OSError as exc:
            raise TokenStoreError(
                f"The Plex token could not be saved to {self.file_path} ({exc.strerror})."
                " Check that the folder is writable."
            ) from exc
