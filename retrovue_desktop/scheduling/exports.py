"""What the guide (XMLTV) and playlist (M3U) exports share: the channels they list, the
one channel id both use, their summary and error types, and the all-or-nothing file.

A player matches a playlist entry to its guide by id (M3U `tvg-id` = XMLTV `<channel
id>`), so `channel_guide_id` is the only place that id is made. It is built from the
channel's row id, which never changes, so renumbering or renaming a channel keeps the
mapping a DVR (Plex, Jellyfin) remembers; it has the dotted form the XMLTV validator
expects (`ch7.retrovue`).
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, TypeVar

from sqlalchemy.orm import Session

from retrovue_desktop.errors import OperatorError
from retrovue_desktop.store.channels import list_channels

T = TypeVar("T")

# C0 controls but tab and newlines, DEL, C1 controls, lone surrogates and the two
# non-characters: XML 1.0 refuses or discourages them, and a guide reader may choke.
_UNWANTED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


class ExportError(OperatorError):
    """An export refused its input or could not write its file."""


class ExportCancelled(Exception):
    """The operator stopped an export; its file was not written (a job recognises the
    name's "Cancelled")."""


def channel_guide_id(channel_id: int) -> str:
    """The channel's id in the guide and the playlist (XMLTV id, M3U tvg-id)."""
    return f"ch{channel_id}.retrovue"


def clean_text(text: str) -> str:
    """`text` without the control characters a guide or playlist must not carry."""
    return _UNWANTED.sub("", text)


@dataclass(frozen=True)
class GuideChannel:
    """An active channel as the exports list it."""

    id: int
    name: str
    number: str | None
    callsign: str | None
    time_zone: str | None  # None: the station's zone

    @property
    def guide_id(self) -> str:
        return channel_guide_id(self.id)

    def display_names(self) -> list[str]:
        """Most canonical first: the name, "NUMBER CALLSIGN", the number (XMLTV lists
        several so a DVR can match whichever its lineup shows)."""
        names = [self.name]
        dial = " ".join(part for part in (self.number, self.callsign) if part)
        for extra in (dial, self.number):
            if extra and extra not in names:
                names.append(extra)
        return names


def active_channels(session: Session) -> list[GuideChannel]:
    """The active channels in dial order (number, then name)."""
    return [
        GuideChannel(
            id=row.id,
            name=row.values.name,
            number=row.values.number,
            callsign=row.values.callsign,
            time_zone=row.values.time_zone,
        )
        for row in list_channels(session)
        if row.values.is_active
    ]


@dataclass(frozen=True)
class ExportSummary:
    """What an export wrote, and what the operator should know about it."""

    what: str  # "guide" or "playlist"
    channels: int
    programmes: int = 0
    warnings: tuple[str, ...] = ()

    def line(self, path: str | os.PathLike[str]) -> str:
        counts = f"{self.channels:,} channel{'' if self.channels == 1 else 's'}"
        if self.what == "guide":
            counts += f", {self.programmes:,} programme{'' if self.programmes == 1 else 's'}"
        return f"Wrote the {self.what} ({counts}) to {os.fspath(path)}."


def write_atomically(path: str | os.PathLike[str], write: Callable[[BinaryIO], T]) -> T:
    """Run `write` on a new file beside `path`, then rename it over `path`: a failed or
    cancelled export leaves `path` as it was and no partial file behind."""
    target = Path(path).expanduser()
    if target.is_dir():
        raise ExportError(
            f"{target} is a folder: give a file name to write to.", detail=f"{target} is a dir"
        )
    folder = target.parent
    if not folder.is_dir():
        raise ExportError(
            f"The folder {folder} does not exist: choose another place or create it first.",
            detail=f"no folder {folder}",
        )
    temporary = folder / f".{target.name}.{secrets.token_hex(4)}.part"
    try:
        # O_EXCL: never follow or reuse someone else's file; 0o666 less the umask, like
        # any file the operator creates.
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as error:
        raise _unwritable(target, error) from error
    try:
        with os.fdopen(handle, "wb") as out:
            result = write(out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except BaseException as error:
        temporary.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise _unwritable(target, error) from error
        raise
    return result


def _unwritable(target: Path, error: OSError) -> ExportError:
    reason = error.strerror or type(error).__name__
    return ExportError(
        f"{target} could not be written ({reason}): check the folder's permissions and"
        " free space, or choose another place.",
        detail=repr(error),
    )
