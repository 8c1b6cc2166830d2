"""Bring a database to the schema this version of the app knows, safely.

The app calls `prepare_database` on start: an empty database is created through the
migrations, an older one is upgraded after a backup copy (SQLite), and one made by a
newer version is refused untouched.
"""

from __future__ import annotations

import importlib.util
import logging
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect

from retrovue_desktop.errors import OperatorError

from .engine import create_engine_for, describe_url, sqlite_path

log = logging.getLogger(__name__)


class DatabaseRefused(OperatorError):
    """The database cannot be used by this version; `str()` is the operator's sentence."""


@dataclass(frozen=True)
class PrepareResult:
    """What `prepare_database` did, for the status bar and the log."""

    from_revision: str | None
    to_revision: str
    backup_path: Path | None


SOURCE_TREE_MIGRATIONS = Path(__file__).resolve().parents[2] / "alembic"


def migrations_dir() -> Path:
    """The Alembic script folder: shipped inside the installed package as
    retrovue_desktop.migrations, or the top-level alembic/ folder of a source checkout."""
    # The shipped folder has no __init__.py (a top-level alembic/__init__.py would shadow
    # the alembic library when run from the repository root), so it is a namespace
    # package: ask the import system where it lies.
    spec = importlib.util.find_spec("retrovue_desktop.migrations")
    if spec is None or not spec.submodule_search_locations:
        return SOURCE_TREE_MIGRATIONS
    return Path(next(iter(spec.submodule_search_locations)))


def alembic_config(url: str) -> Config:
    """A programmatic Alembic config: no alembic.ini needed, logging left to the app."""
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.attributes["configure_logging"] = False
    return config


def script_directory() -> ScriptDirectory:
    return ScriptDirectory(str(migrations_dir()))


def head_revision() -> str:
    head = script_directory().get_current_head()
    assert head is not None, "the migrations have no head"
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _has_user_tables(engine: Engine) -> bool:
    return bool(inspect(engine).get_table_names())


def backup_sqlite(path: Path, now: datetime | None = None) -> Path:
    """Copy a SQLite database beside itself with a timestamp, consistently even in WAL
    mode (the sqlite3 backup API copies committed pages, not a torn file)."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.backup-{stamp}{path.suffix or '.db'}")
    n = 1
    while target.exists():
        target = path.with_name(f"{path.stem}.backup-{stamp}-{n}{path.suffix or '.db'}")
        n += 1
    src = sqlite3.connect(str(path))
    try:
        dst = sqlite3.connect(str(target))
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    return target


def _run(url: str, action: str, revision: str) -> None:
    """Run an Alembic command on one connection that is not yet in a transaction, so
    env.py can switch SQLite's foreign keys off for table rebuilds."""
    engine = create_engine_for(url)
    try:
        with engine.connect() as conn:
            config = alembic_config(url)
            config.attributes["connection"] = conn
            getattr(command, action)(config, revision)
    finally:
        engine.dispose()


def upgrade(url: str, revision: str = "head") -> None:
    """Run the migrations on `url` up to `revision`."""
    _run(url, "upgrade", revision)


def downgrade(url: str, revision: str) -> None:
    """Run the migrations on `url` down to `revision`."""
    _run(url, "downgrade", revision)


def prepare_database(url: str) -> PrepareResult:
    """Make `url` ready for this version: create, or back up and upgrade, or refuse.

    Raises DatabaseRefused (nothing written) when the database carries a revision this
    version does not know, which means a newer RetroVue Desktop made it.
    """
    head = head_revision()
    engine = create_engine_for(url)
    try:
        try:
            current = current_revision(engine)
            has_tables = _has_user_tables(engine)
        except Exception as exc:
            log.exception("could not open database %s", describe_url(url))
            raise DatabaseRefused(
                f"The database at {describe_url(url)} could not be opened ({type(exc).__name__})."
                " Check that it exists and is reachable, or choose another with --database."
            ) from exc
        known = {rev.revision for rev in script_directory().walk_revisions()}
        if current is not None and current not in known:
            raise DatabaseRefused(
                f"The database at {describe_url(url)} was made by a newer version of"
                f" RetroVue Desktop (schema revision {current}). It was left untouched:"
                " install the newer version, or open another database with --database."
            )
        if current is None and has_tables:
            raise DatabaseRefused(
                f"The database at {describe_url(url)} holds tables that RetroVue Desktop did"
                " not create. It was left untouched: choose an empty database or one made"
                " by RetroVue Desktop."
            )
        if current == head:
            return PrepareResult(current, head, None)
        backup: Path | None = None
        path = sqlite_path(url)
        if path is not None and current is not None and path.exists():
            backup = backup_sqlite(path)
            log.info("backed up %s to %s before upgrading", path, backup)
    finally:
        engine.dispose()
    upgrade(url)
    log.info("database %s upgraded from %s to %s", describe_url(url), current, head)
    return PrepareResult(current, head, backup)
