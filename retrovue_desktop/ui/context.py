"""What every part of the window shares: the database and where tokens are kept.

Engines are thread-safe; each job opens its own sessions from `sessions`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from retrovue_desktop.plex.tokens import TokenStore
from retrovue_desktop.store.engine import create_engine_for, describe_url, make_session_factory


@dataclass
class AppContext:
    database_url: str
    schema_revision: str
    engine: Engine
    sessions: sessionmaker[Session]
    tokens: TokenStore

    @property
    def database_location(self) -> str:
        return describe_url(self.database_url)

    @classmethod
    def open(
        cls, database_url: str, schema_revision: str, tokens: TokenStore | None = None
    ) -> AppContext:
        engine = create_engine_for(database_url)
        return cls(
            database_url, schema_revision, engine, make_session_factory(engine),
            tokens or TokenStore(),
        )  # fmt: skip

    def close(self) -> None:
        self.engine.dispose()
