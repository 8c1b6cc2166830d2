"""Where the database is, and engines and sessions that behave the same on every backend.

The default is a SQLite file in the user's data directory; RETROVUE_DATABASE_URL or the
`--database` option point anywhere SQLAlchemy can reach (PostgreSQL is tested for real).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import platformdirs
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

APP_NAME = "RetroVue Desktop"
ENV_DATABASE_URL = "RETROVUE_DATABASE_URL"
DEFAULT_DB_FILENAME = "retrovue.db"
SQLITE_BUSY_TIMEOUT_MS = 10_000


def data_dir() -> Path:
    """The user's data directory for the app (created on demand by callers that write)."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_database_url() -> str:
    """The embedded default: a SQLite file in the user data directory."""
    return f"sqlite:///{data_dir() / DEFAULT_DB_FILENAME}"


def location_url(location: str) -> str:
    """A database location as a URL: a URL as it is, a bare file path as a SQLite URL."""
    text = location.strip()
    if "://" in text:
        return text
    return f"sqlite:///{Path(text).expanduser().absolute()}"


def resolve_database_url(explicit: str | None, configured: str | None = None) -> str:
    """`--database` wins, then RETROVUE_DATABASE_URL, then `configured` (the database
    location setting: a URL, or a file path meaning a SQLite file), then the default."""
    if explicit:
        return explicit
    from_env = os.environ.get(ENV_DATABASE_URL)
    if from_env:
        return from_env
    if configured and configured.strip():
        return location_url(configured)
    return default_database_url()


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or None for other backends and in-memory databases."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    database = parsed.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def describe_url(url: str) -> str:
    """A location to show the operator, with any password hidden."""
    path = sqlite_path(url)
    if path is not None:
        return str(path)
    return make_url(url).render_as_string(hide_password=True)


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    """Per-connection SQLite settings: enforce foreign keys, WAL, wait on locks."""
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


def create_engine_for(url: str, **kwargs: Any) -> Engine:
    """An engine for `url`; SQLite gets foreign keys, WAL and a busy timeout on every
    connection, and its folder is created so a first start just works."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = sqlite_path(url)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        connect_args = dict(kwargs.pop("connect_args", {}))
        connect_args.setdefault("timeout", SQLITE_BUSY_TIMEOUT_MS / 1000)
        engine = create_engine(url, connect_args=connect_args, **kwargs)
        event.listen(engine, "connect", _sqlite_on_connect)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions for one unit of work each; callers commit, helpers never do.

    expire_on_commit is off so values read inside a unit of work stay readable after it
    (workers hand plain values to the UI, never live ORM objects).
    """
    return sessionmaker(bind=engine, expire_on_commit=False)
