"""Where the demo station lives, and how a database is known to be it.

The demo is its own SQLite file beside the user's database in the data folder, never
the user's database. A database is the demo station when it holds a library whose root
starts with "demo:" (`store.catalog.DEMO_PREFIX`), which only the demo generator writes:
the window checks this to label its title "Demo".
"""

from __future__ import annotations

from sqlalchemy import exists, inspect, select
from sqlalchemy.orm import Session

from retrovue_desktop.store.catalog import DEMO_PREFIX
from retrovue_desktop.store.engine import create_engine_for, data_dir, sqlite_path
from retrovue_desktop.store.tables import LIB

DEMO_DB_FILENAME = "demo.db"


def demo_database_url() -> str:
    """The demo station's SQLite file in the user data folder."""
    return f"sqlite:///{data_dir() / DEMO_DB_FILENAME}"


def is_demo(session: Session) -> bool:
    """Whether this database is the demo station (one EXISTS on the small libraries
    table)."""
    query = select(exists().where(LIB.c.root_path.startswith(DEMO_PREFIX, autoescape=True)))
    return bool(session.execute(query).scalar_one())


def is_demo_url(url: str) -> bool:
    """`is_demo` for a URL; False for a missing file or a database without our tables
    (nothing is created by asking)."""
    path = sqlite_path(url)
    if path is not None and not path.exists():
        return False
    engine = create_engine_for(url)
    try:
        if "libraries" not in inspect(engine).get_table_names():
            return False
        with Session(engine) as session:
            return is_demo(session)
    finally:
        engine.dispose()
