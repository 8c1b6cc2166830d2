"""Move the station's database: copy every row to a new database, check it, keep the old.

The target is made through the migrations (so it is exactly what this version would
create), filled table by table in foreign-key order with ids kept, in one transaction;
PostgreSQL sequences are then moved past the copied ids. Before anyone switches to it,
every table is compared with the source: row counts, and a digest of every value of
every row in primary-key order. Any difference, error or cancel removes what was made
(a new SQLite file, or the tables made in an empty server database) and the source is
only ever read.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Integer, String, Table, func, insert, inspect, select
from sqlalchemy import text as sql_text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from retrovue_desktop.errors import OperatorError
from retrovue_desktop.progress import CancelFn, ProgressFn, never_cancelled, no_progress

from . import models
from .engine import create_engine_for, describe_url, sqlite_path
from .migrations import current_revision, head_revision, prepare_database

log = logging.getLogger(__name__)

DEFAULT_BATCH = 1000
_LOCAL_HOSTS = {"", "localhost", "127.0.0.1", "::1"}


class RelocateError(OperatorError):
    """The move was refused or failed; the current database is unchanged."""


class CopyCancelled(OperatorError):
    """The operator stopped the move; what it made was removed."""


@dataclass(frozen=True)
class CopyReport:
    """What was copied and checked: rows per table in copy order, and the schema revision."""

    source_url: str
    target_url: str
    revision: str
    rows: tuple[tuple[str, int], ...]

    @property
    def total_rows(self) -> int:
        return sum(count for _, count in self.rows)

    def line(self) -> str:
        return (
            f"Copied {self.total_rows} rows in {len(self.rows)} tables to"
            f" {describe_url(self.target_url)} and checked every one."
        )


def tables() -> list[Table]:
    """Every table of the models, parents before the tables that point at them."""
    return list(models.Base.metadata.sorted_tables)


def same_database(first: str, second: str) -> bool:
    """True when two URLs name the same database (same file, or same server and name)."""
    try:
        a, b = make_url(first), make_url(second)
    except ArgumentError:
        return False
    if a.get_backend_name() != b.get_backend_name():
        return False
    path_a, path_b = sqlite_path(first), sqlite_path(second)
    if path_a is not None or path_b is not None:
        if path_a is None or path_b is None:
            return False
        if path_a.exists() and path_b.exists():
            return os.path.samefile(path_a, path_b)
        return path_a.resolve() == path_b.resolve()

    def place(url: Any) -> tuple[str, int | None, str | None]:
        host = str(url.host or "")
        return ("localhost" if host in _LOCAL_HOSTS else host.lower(), url.port, url.database)

    port_a, port_b = a.port, b.port
    if a.get_backend_name() == "postgresql":
        a, b = a.set(port=port_a or 5432), b.set(port=port_b or 5432)
    return place(a) == place(b)


def copy_database(
    source_url: str,
    target_url: str,
    *,
    progress: ProgressFn | None = None,
    cancelled: CancelFn | None = None,
    batch_size: int = DEFAULT_BATCH,
) -> CopyReport:
    """Copy every row of `source_url` to a new database at `target_url` and check it.

    Raises RelocateError (a sentence for the operator) when the target is the source,
    already holds data, cannot be reached, or the copy differs from the source; and
    CopyCancelled when `cancelled()` turns true. In every such case what was made at
    the target is removed and the source is as it was.
    """
    progress = progress or no_progress
    cancelled = cancelled or never_cancelled
    source_place, target_place = describe_url(source_url), describe_url(target_url)
    if same_database(source_url, target_url):
        raise RelocateError(
            f"The database is already at {target_place}: choose another file or server to"
            " move it to.",
            detail="source and target are the same database",
        )
    progress("Checking the databases", 0, 0)
    source = _open_source(source_url)
    try:
        head = head_revision()
        _source_at_head(source, source_place, head)
        target = _Target(target_url)
        try:
            rows = target.run(source, head, progress, cancelled, max(1, batch_size))
        except BaseException:
            target.discard()
            raise
        finally:
            target.engine.dispose()
    finally:
        source.dispose()
    log.info("copied %s to %s: %s", source_place, target_place, rows)
    return CopyReport(source_url, target_url, head, rows)


# -- the source ------------------------------------------------------------------------


def _open_source(url: str) -> Engine:
    path = sqlite_path(url)
    if path is not None and not path.is_file():
        raise RelocateError(
            f"The database file {path} is not there any more, so there is nothing to move.",
            detail=f"missing source {url}",
        )
    return create_engine_for(url)


def _source_at_head(source: Engine, place: str, head: str) -> None:
    try:
        revision = current_revision(source)
    except SQLAlchemyError as exc:
        raise RelocateError(
            f"The database at {place} could not be read ({type(exc).__name__}); nothing was"
            " copied.",
            detail=repr(exc),
        ) from exc
    if revision != head:
        raise RelocateError(
            f"The database at {place} is at schema revision {revision or '(none)'}, not this"
            f" version's {head}: open it with this version first, then move it.",
            detail=f"source revision {revision}",
        )


# -- the target ------------------------------------------------------------------------


class _Target:
    """The database being made, and what it held before, so a failure can undo it."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.place = describe_url(url)
        self.path = sqlite_path(url)
        self.file_existed = self.path is not None and self.path.exists()
        self.folder_existed = self.path is not None and self.path.parent.exists()
        self.made_schema = False
        self.committed = False
        if self.path is not None and self.path.exists() and not self.path.is_file():
            raise RelocateError(
                f"{self.path} is a folder, not a database file: choose a file name.",
                detail="target is a directory",
            )
        self.engine = create_engine_for(url)

    def run(
        self, source: Engine, head: str, progress: ProgressFn, cancelled: CancelFn, batch: int
    ) -> tuple[tuple[str, int], ...]:
        try:
            self._refuse_unless_empty()
            progress("Preparing the new database", 0, 0)
            prepare_database(self.url)
            revision = current_revision(self.engine)
            if revision != head:
                raise RelocateError(
                    f"The new database at {self.place} did not reach schema revision {head};"
                    " nothing was switched.",
                    detail=f"target revision {revision}",
                )
            self._refuse_unless_empty()  # a server database someone filled meanwhile
            counts = _counts(source)
            self._copy(source, counts, progress, cancelled, batch)
            self._reset_sequences()
            checked = _verify(source, self.engine, counts, self.place, progress, cancelled)
        except SQLAlchemyError as exc:
            raise RelocateError(
                f"Copying to {self.place} failed ({type(exc).__name__}). The new database"
                " was removed and the current one is unchanged; see the log for details.",
                detail=repr(exc),
            ) from exc
        return tuple((table.name, checked[table.name]) for table in tables())

    def _refuse_unless_empty(self) -> None:
        try:
            names = inspect(self.engine).get_table_names()
            revision = current_revision(self.engine)
            ours = [name for name in names if name != "alembic_version"]
            holding = [name for name in ours if _any_row(self.engine, name)]
        except SQLAlchemyError as exc:
            raise RelocateError(
                f"The new location {self.place} could not be opened ({type(exc).__name__}):"
                " check that it exists and that you may write there.",
                detail=repr(exc),
            ) from exc
        if holding:
            raise RelocateError(
                f"The database at {self.place} already holds data (in {', '.join(holding)}):"
                " choose a new file or an empty database, so nothing is overwritten.",
                detail=f"target tables with rows: {holding}",
            )
        if revision is None and ours:
            raise RelocateError(
                f"The database at {self.place} holds tables RetroVue Desktop did not make:"
                " choose a new file or an empty database.",
                detail=f"target tables: {names}",
            )
        if revision is None and not self.made_schema:
            self.made_schema = True  # the migrations about to run make every table

    def _copy(
        self,
        source: Engine,
        counts: dict[str, int],
        progress: ProgressFn,
        cancelled: CancelFn,
        batch: int,
    ) -> None:
        total, done = sum(counts.values()), 0
        with _reading(source) as src, self.engine.begin() as dst:
            for table in tables():
                if not counts[table.name]:
                    continue
                for part in _batches(src, table, batch):
                    dst.execute(insert(table), [dict(row._mapping) for row in part])
                    done += len(part)
                    progress(f"Copying {table.name}", done, total)
                    if cancelled():
                        raise CopyCancelled(
                            "Moving the database was stopped. The new copy was removed and"
                            " the current database is unchanged.",
                            detail=f"canceled after {done} of {total} rows",
                        )
        self.committed = True

    def _reset_sequences(self) -> None:
        """PostgreSQL hands out ids from sequences the copy did not advance."""
        if self.engine.dialect.name != "postgresql":
            return
        with self.engine.begin() as conn:
            for table in tables():
                key = list(table.primary_key.columns)
                if len(key) != 1 or not isinstance(key[0].type, Integer):
                    continue
                column = key[0].name
                conn.execute(
                    sql_text(
                        f"SELECT setval(pg_get_serial_sequence(:table, :column),"
                        f' COALESCE(MAX("{column}"), 1), MAX("{column}") IS NOT NULL)'
                        f' FROM "{table.name}"'
                    ),
                    {"table": table.name, "column": column},
                )

    def discard(self) -> None:
        """Remove what this move made; never anything that was there before."""
        self.engine.dispose()
        try:
            if self.path is not None and not self.file_existed:
                for suffix in ("", "-wal", "-shm", "-journal"):
                    Path(f"{self.path}{suffix}").unlink(missing_ok=True)
                if not self.folder_existed:
                    with contextlib.suppress(OSError):  # not empty: leave it
                        self.path.parent.rmdir()
            elif self.made_schema:
                with self.engine.begin() as conn:
                    models.Base.metadata.drop_all(conn)
                    conn.execute(sql_text("DROP TABLE IF EXISTS alembic_version"))
            elif self.committed:
                with self.engine.begin() as conn:
                    for table in reversed(tables()):
                        conn.execute(table.delete())
        except Exception:
            log.exception("could not remove the unfinished copy at %s", self.place)
        finally:
            self.engine.dispose()


def _any_row(engine: Engine, name: str) -> bool:
    quoted = engine.dialect.identifier_preparer.quote(name)
    with engine.connect() as conn:
        return conn.execute(sql_text(f"SELECT 1 FROM {quoted} LIMIT 1")).first() is not None


# -- reading in order, counting and checking -------------------------------------------


class _Reading:
    """A read-only connection on the source; on PostgreSQL one snapshot for the whole copy."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.conn: Connection | None = None

    def __enter__(self) -> Connection:
        conn = self.engine.connect()
        if self.engine.dialect.name == "postgresql":
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        self.conn = conn
        return conn

    def __exit__(self, *_exc: object) -> None:
        if self.conn is not None:
            self.conn.rollback()
            self.conn.close()


def _reading(engine: Engine) -> _Reading:
    return _Reading(engine)


def _ordered(table: Table, dialect: str) -> list[Any]:
    """The primary key as an ORDER BY that sorts text the same on every backend (by
    code point: SQLite's BINARY, PostgreSQL's "C"), whatever the server's locale."""
    order: list[Any] = []
    for column in table.primary_key.columns:
        is_text = isinstance(column.type, String)
        order.append(column.collate("C") if is_text and dialect == "postgresql" else column)
    return order


def _batches(conn: Connection, table: Table, size: int) -> Iterator[Sequence[Any]]:
    query = select(table).order_by(*_ordered(table, conn.dialect.name))
    result = conn.execution_options(yield_per=size).execute(query)
    yield from result.partitions()


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            table.name: int(conn.execute(select(func.count()).select_from(table)).scalar_one())
            for table in tables()
        }


def _token(value: object) -> bytes:
    """One value in a form that is equal exactly when the values are (type included)."""
    if value is None:
        return b"N"
    if isinstance(value, bool):
        return b"B1" if value else b"B0"
    if isinstance(value, int):
        return b"I%d" % value
    if isinstance(value, float):
        return b"F" + repr(value).encode()
    if isinstance(value, str):
        data = value.encode("utf-8", "surrogatepass")
        return b"S%d:" % len(data) + data
    if isinstance(value, bytes | bytearray | memoryview):
        data = bytes(value)
        return b"X%d:" % len(data) + data
    if isinstance(value, datetime | date | time):
        return b"D" + value.isoformat().encode()
    if isinstance(value, Decimal):
        return b"M" + str(value.normalize()).encode()
    return b"R" + repr(value).encode()


def table_digest(
    conn: Connection, table: Table, cancelled: CancelFn = never_cancelled, size: int = DEFAULT_BATCH
) -> tuple[int, str]:
    """Rows and a SHA-256 of every value of every row in primary-key order."""
    digest, rows = hashlib.sha256(), 0
    for part in _batches(conn, table, size):
        for row in part:
            digest.update(b"|".join(_token(value) for value in row) + b"\n")
        rows += len(part)
        if cancelled():
            raise CopyCancelled(
                "Moving the database was stopped while the copy was being checked. The new"
                " copy was removed and the current database is unchanged.",
                detail=f"canceled while checking {table.name}",
            )
    return rows, digest.hexdigest()


def _verify(
    source: Engine,
    target: Engine,
    counts: dict[str, int],
    place: str,
    progress: ProgressFn,
    cancelled: CancelFn,
) -> dict[str, int]:
    """Compare every table of the two databases and return the rows of each that were
    found equal; RelocateError naming the tables that differ."""
    checked: dict[str, int] = {}
    differ: list[str] = []
    details: list[str] = []
    total, done = sum(counts.values()), 0
    with _reading(source) as src, target.connect() as dst:
        for table in tables():
            progress(f"Checking {table.name}", done, total)
            theirs = table_digest(src, table, cancelled)
            ours = table_digest(dst, table, cancelled)
            checked[table.name] = ours[0]
            if theirs != ours:
                differ.append(table.name)
                details.append(f"{table.name}: source {theirs}, copy {ours}")
            done += counts[table.name]
        progress("Checking the copy", total, total)
        revision = current_revision(target)
    if revision != head_revision():
        differ.append("alembic_version")
        details.append(f"alembic_version: {revision}")
    if differ:
        raise RelocateError(
            f"The copy at {place} does not match the current database ({', '.join(differ)}"
            " differ; was something writing to it?). The copy was removed and the current"
            " database is unchanged: stop other work and try again.",
            detail="; ".join(details),
        )
    return checked
