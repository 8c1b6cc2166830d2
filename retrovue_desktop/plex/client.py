"""A thin, fast client over plexapi: raw XML elements, flat pages, no auto-reload.

Listings use plexapi's `query` (its HTTP, auth and error types) and read the XML
elements directly: building plexapi objects for 20,000 episodes is slow, and touching a
missing attribute on one triggers a per-item reload request. Every failure comes out as
a PlexError with the operator's sentence.
"""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import requests
from plexapi.server import PlexServer

from retrovue_desktop.secrets import register_secret

from .errors import PlexError, translate

log = logging.getLogger(__name__)

Element = ElementTree.Element

# Plex's numeric library types, as used in `type=` on section listings.
TYPE_MOVIE = 1
TYPE_SHOW = 2
TYPE_SEASON = 3
TYPE_EPISODE = 4
SUPPORTED_SECTION_TYPES = ("movie", "show")
DEFAULT_TIMEOUT_S = 30.0


@dataclass(frozen=True)
class ServerInfo:
    name: str
    machine_identifier: str
    platform: str | None
    version: str | None


@dataclass(frozen=True)
class SectionInfo:
    key: str
    title: str
    type: str
    version: str
    locations: list[str] = field(default_factory=list)

    @property
    def supported(self) -> bool:
        return self.type in SUPPORTED_SECTION_TYPES


class PlexClient:
    """One connection to one Plex server; make one per thread with `clone()`."""

    def __init__(self, base_url: str, token: str, timeout: float = DEFAULT_TIMEOUT_S) -> None:
        register_secret(token)
        self.base_url = base_url.rstrip("/")
        self._token = token
        self.timeout = timeout
        self._server: Any = None

    @property
    def token(self) -> str:
        """For worker set-up only; never log or show it."""
        return self._token

    def clone(self) -> PlexClient:
        return PlexClient(self.base_url, self._token, self.timeout)

    def connect(self) -> ServerInfo:
        """Open the connection (one request to `/`) and say which server answered."""
        try:
            self._server = PlexServer(  # type: ignore[no-untyped-call]
                self.base_url, self._token, session=requests.Session(), timeout=self.timeout
            )
        except Exception as exc:
            raise translate(exc, self.base_url) from exc
        server = self._server
        machine_identifier = server.machineIdentifier
        if not machine_identifier:
            raise PlexError(
                f"The server at {self.base_url} did not say which Plex server it is:"
                " check that the address is a Plex Media Server.",
                "no machineIdentifier in /",
            )
        return ServerInfo(
            name=str(server.friendlyName or self.base_url),
            machine_identifier=str(machine_identifier),
            platform=server.platform,
            version=server.version,
        )

    def query(self, path: str, headers: dict[str, str] | None = None) -> Element:
        """GET `path` and return the parsed MediaContainer element."""
        if self._server is None:
            self.connect()
        try:
            root = self._server.query(path, headers=headers)
        except Exception as exc:
            raise translate(exc, self.base_url) from exc
        if root is None:
            raise PlexError(
                f"Plex at {self.base_url} sent an empty reply. Try again.", f"empty body: {path}"
            )
        return root  # type: ignore[no-any-return]

    def sections(self) -> list[SectionInfo]:
        root = self.query("/library/sections")
        found = []
        for directory in root.iter("Directory"):
            version = ":".join(
                directory.get(name, "") for name in ("updatedAt", "contentChangedAt")
            )
            found.append(
                SectionInfo(
                    key=directory.get("key", ""),
                    title=directory.get("title", ""),
                    type=directory.get("type", ""),
                    version=version,
                    locations=[loc.get("path", "") for loc in directory.iter("Location")],
                )
            )
        return found

    def pages(
        self, section_key: str, libtype: int, page_size: int
    ) -> Iterator[tuple[list[Element], int]]:
        """Yield (items, totalSize) page by page of one flat section listing, guids in."""
        start = 0
        total: int | None = None
        path = f"/library/sections/{section_key}/all?type={libtype}&includeGuids=1"
        while total is None or start < total:
            root = self.query(
                path,
                headers={
                    "X-Plex-Container-Start": str(start),
                    "X-Plex-Container-Size": str(page_size),
                },
            )
            items = [child for child in root if child.tag in ("Video", "Directory")]
            total = int(root.get("totalSize") or root.get("size") or len(items))
            yield items, total
            if not items:
                break
            start += len(items)

    def details(self, rating_keys: list[str]) -> list[Element]:
        """Full metadata (media, parts, streams, markers, chapters) for several items in
        one request."""
        if not rating_keys:
            return []
        path = (
            f"/library/metadata/{','.join(rating_keys)}"
            "?includeMarkers=1&includeChapters=1&includeGuids=1"
        )
        root = self.query(path)
        return [child for child in root if child.tag in ("Video", "Directory")]
