"""Whether a database is still a first run: nothing to show in any tab yet.

The window shows its welcome page instead of empty tabs on such a database. Each check
is an EXISTS on a small table, so it is cheap at any catalogue size.
"""

from __future__ import annotations

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from .base import table_of
from .models import PlexServer
from .tables import CHANNELS, CI, LIB

SERVERS = table_of(PlexServer)


def station_is_empty(session: Session) -> bool:
    """True when there is no Plex server, library, content item or channel."""
    for table in (SERVERS, LIB, CI, CHANNELS):
        if session.execute(select(exists().select_from(table))).scalar_one():
            return False
    return True
