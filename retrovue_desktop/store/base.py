"""Declarative base with a naming convention.

Named constraints matter: SQLite's batch migrations rebuild tables and can only drop or
alter a constraint it can find by name, and Alembic's comparison needs stable names.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, MetaData, Table, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base of every model; its metadata is what the migrations must match."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Timestamps:
    """The spec's created_at/updated_at pair, filled by the database itself.

    The spec writes `TEXT DEFAULT (datetime('now'))`; CURRENT_TIMESTAMP is the portable
    spelling that gives the same UTC text on SQLite and a timestamp on PostgreSQL.
    """

    created_at: Mapped[datetime | None] = mapped_column(
        DateTime(), server_default=func.current_timestamp()
    )
    updated_at: Mapped[datetime | None] = mapped_column(
        DateTime(), server_default=func.current_timestamp(), onupdate=func.current_timestamp()
    )


def table_of(model: type[Base]) -> Table:
    """The Core table behind a model, typed as a Table for Core insert/update/delete."""
    table = model.__table__
    assert isinstance(table, Table)
    return table
