"""Adding and finding Plex servers: the connection is tested before anything is saved."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from retrovue_desktop.store.models import Library, PlexServer

from .client import DEFAULT_TIMEOUT_S, PlexClient
from .errors import PlexError
from .tokens import TokenStore


@dataclass(frozen=True)
class ServerSummary:
    id: int
    name: str
    base_url: str | None
    machine_identifier: str | None
    platform: str | None
    libraries: int


def add_server(
    sessions: sessionmaker[Session],
    name: str,
    base_url: str,
    token: str,
    tokens: TokenStore,
    timeout: float = DEFAULT_TIMEOUT_S,
) -> ServerSummary:
    """Test the connection, then save the server and its token.

    A server Plex already knows by machineIdentifier is updated in place (its address
    changed), so its libraries, mappings and history stay attached.
    """
    name = name.strip()
    base_url = base_url.strip().rstrip("/")
    if not name:
        raise PlexError("Give the server a name.", "empty name")
    if not base_url.startswith(("http://", "https://")):
        raise PlexError(
            f"'{base_url}' is not a Plex address: use e.g. http://192.168.1.10:32400.",
            "bad scheme",
        )
    if not token.strip():
        raise PlexError("The Plex token is empty: paste the token for this server.", "empty")
    info = PlexClient(base_url, token.strip(), timeout).connect()
    with sessions() as session, session.begin():
        server = session.scalars(
            select(PlexServer).where(PlexServer.machine_identifier == info.machine_identifier)
        ).first()
        clash = session.scalars(
            select(PlexServer).where(
                PlexServer.name == name, PlexServer.machine_identifier != info.machine_identifier
            )
        ).first()
        if clash is not None:
            raise PlexError(
                f"Another server is already called '{name}': choose another name.", "name taken"
            )
        if server is None:
            server = PlexServer(name=name, machine_identifier=info.machine_identifier)
            session.add(server)
        server.name = name
        server.base_url = base_url
        server.platform = info.platform
        session.flush()
        tokens.save(info.machine_identifier, token.strip())
        server_id = server.id
    return _summary(sessions, server_id)


def list_servers(sessions: sessionmaker[Session]) -> list[ServerSummary]:
    with sessions() as session:
        ids = list(session.scalars(select(PlexServer.id).order_by(PlexServer.name)))
    return [_summary(sessions, server_id) for server_id in ids]


def find_server(sessions: sessionmaker[Session], name: str) -> ServerSummary:
    for server in list_servers(sessions):
        if server.name == name:
            return server
    known = ", ".join(s.name for s in list_servers(sessions)) or "none yet"
    raise PlexError(
        f"There is no Plex server called '{name}' (known: {known}). Add it with"
        " 'retrovue-desktop server add'.",
        "unknown server name",
    )


def _summary(sessions: sessionmaker[Session], server_id: int) -> ServerSummary:
    with sessions() as session:
        server = session.get(PlexServer, server_id)
        assert server is not None
        count = len(list(session.scalars(select(Library.id).where(Library.server_id == server_id))))
        return ServerSummary(
            server.id, server.name, server.base_url, server.machine_identifier,
            server.platform, count,
        )  # fmt: skip
