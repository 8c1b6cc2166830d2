"""The library a media job works on, or the operator's sentence when it is gone."""

from __future__ import annotations

from sqlalchemy.orm import Session

from retrovue_desktop.store.models import Library

from .errors import MediaError


def library_or_refuse(
    session: Session, library_id: int, error: type[MediaError] = MediaError
) -> Library:
    """The library, or `error` saying it was removed (a job may outlive its row)."""
    library = session.get(Library, library_id)
    if library is None:
        raise error(
            "That library no longer exists: it may have been removed.",
            f"unknown library id {library_id}",
        )
    return library
