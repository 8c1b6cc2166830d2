"""One sync per library at a time, across threads and processes.

A row in library_sync_locks is the lock: inserting it succeeds for one holder only. A
holder refreshes its heartbeat between batches; a lock whose heartbeat is older than
STALE_AFTER_S was left by a crashed run and may be taken over.
"""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from retrovue_desktop.store.base import table_of
from retrovue_desktop.store.models import LibrarySyncLock

from .errors import PlexError

STALE_AFTER_S = 15 * 60


def new_holder() -> str:
    """Who holds a lock: host, process, thread and a random part, for the log."""
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}:{uuid.uuid4().hex[:8]}"


class LibraryLock:
    """Context manager holding the sync lock of one library."""

    def __init__(
        self, sessions: sessionmaker[Session], library_id: int, library_title: str
    ) -> None:
        self._sessions = sessions
        self.library_id = library_id
        self.library_title = library_title
        self.holder = new_holder()

    def __enter__(self) -> LibraryLock:
        now = int(time.time())
        table = table_of(LibrarySyncLock)
        with self._sessions() as session:
            try:
                with session.begin():
                    session.execute(
                        delete(table).where(
                            table.c.library_id == self.library_id,
                            table.c.heartbeat_at < now - STALE_AFTER_S,
                        )
                    )
                    session.execute(
                        insert(table).values(
                            library_id=self.library_id,
                            holder=self.holder,
                            acquired_at=now,
                            heartbeat_at=now,
                        )
                    )
            except IntegrityError as exc:
                raise PlexError(
                    f"The library '{self.library_title}' is already being synced. Wait for"
                    " that sync to finish (or cancel it), then try again.",
                    f"lock held for library {self.library_id}",
                ) from exc
        return self

    def heartbeat(self, session: Session) -> None:
        """Refresh the lock inside the caller's unit of work (one per batch)."""
        table = table_of(LibrarySyncLock)
        session.execute(
            update(table)
            .where(table.c.library_id == self.library_id, table.c.holder == self.holder)
            .values(heartbeat_at=int(time.time()))
        )

    def __exit__(self, *_exc: object) -> None:
        table = table_of(LibrarySyncLock)
        with self._sessions() as session, session.begin():
            session.execute(
                delete(table).where(
                    table.c.library_id == self.library_id, table.c.holder == self.holder
                )
            )

    def held(self) -> bool:
        table = table_of(LibrarySyncLock)
        with self._sessions() as session:
            holder = session.execute(
                select(table.c.holder).where(table.c.library_id == self.library_id)
            ).scalar()
        return holder == self.holder
