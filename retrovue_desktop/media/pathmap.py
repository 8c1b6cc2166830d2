"""Path mappings: where a file that Plex names is found from this computer.

DESIGN.md ("Path mappings"): the longest matching prefix wins; a prefix matches whole path
segments only (`/media/tv` never maps `/media/tv2/x`), whatever separators it is written
with; a Windows Plex server's paths use `\\` (or `/`), drive letters and UNC shares and
are compared case-insensitively; the prefix is cut by segment position, never by string
replace, and the rest of the path is appended to the local folder segment by segment,
exactly as Plex spelled it.
"""

from __future__ import annotations

import json
import os
import re
import threading
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from retrovue_desktop.store.models import Library, PlexServer
from retrovue_desktop.store.models import PathMapping as PathMappingRow

from .errors import MappingError
from .libraries import library_or_refuse

LOCAL_SEPARATORS = os.sep + (os.altsep or "")
EXISTS_TIMEOUT_S = 5.0


@dataclass(frozen=True)
class PathMapping:
    """Plex's path prefix and the local folder where the same files are seen."""

    plex_prefix: str
    local_prefix: str


@dataclass(frozen=True)
class StoredMapping:
    """A saved mapping with its row id (to remove it)."""

    id: int
    plex_prefix: str
    local_prefix: str


@dataclass(frozen=True)
class PathTest:
    """What a Plex path maps to here and whether a file or folder is there.

    `reason` says why `exists` is False when that is not simply "nothing there"
    (unmapped, or the share did not answer in time).
    """

    local_path: str | None
    exists: bool
    reason: str | None = None


def is_windows_platform(platform: str | None) -> bool:
    """Plex reports its host OS as `platform`; only Windows paths are case-insensitive."""
    return (platform or "").strip().lower().startswith("windows")


def split_plex_path(path: str, *, windows_server: bool) -> tuple[str, list[str]]:
    """The path's anchor (root, drive or UNC marker) and its non-empty segments.

    On a Windows server `/` and `\\` both separate, a drive letter is upper-cased and a
    UNC path's anchor is `\\\\` (its server and share are the first two segments).
    """
    if windows_server:
        p = path.replace("/", "\\")
        if p.startswith("\\\\"):
            anchor, rest = "\\\\", p[2:]
        elif len(p) >= 2 and p[1] == ":" and p[0].isascii() and p[0].isalpha():
            anchor = p[0].upper() + ":" + ("\\" if p[2:3] == "\\" else "")
            rest = p[2:]
        elif p.startswith("\\"):
            anchor, rest = "\\", p[1:]
        else:
            anchor, rest = "", p
        return anchor, [s for s in rest.split("\\") if s]
    return ("/" if path.startswith("/") else ""), [s for s in path.split("/") if s]


def _segment_key(segment: str, windows_server: bool) -> str:
    """How segments compare: the same Unicode form (a folder typed on one OS and listed
    by another may differ in composition), and case-folded on a Windows server."""
    if not segment.isascii():
        segment = unicodedata.normalize("NFC", segment)
    return segment.casefold() if windows_server else segment


def prefix_key(plex_prefix: str, *, windows_server: bool) -> tuple[str, tuple[str, ...]]:
    """Two prefixes with the same key cover exactly the same paths."""
    anchor, parts = split_plex_path(plex_prefix, windows_server=windows_server)
    return anchor, tuple(_segment_key(s, windows_server) for s in parts)


def _local_base(local_prefix: str) -> str:
    """The local folder without trailing separators (the root keeps its one)."""
    stripped = local_prefix.rstrip(LOCAL_SEPARATORS)
    return stripped or local_prefix[:1]


def _join_local(base: str, rest: Sequence[str]) -> str:
    """Append segments with the local separator, each kept exactly (pathlib would drop
    `.` segments and re-interpret others)."""
    if not rest:
        return base
    separator = "" if base.endswith(tuple(LOCAL_SEPARATORS)) else os.sep
    return base + separator + os.sep.join(rest)


class _Compiled(NamedTuple):
    length: int
    position: int  # in the mappings given
    anchor: str
    keys: tuple[str, ...]
    literal: str  # the prefix as a path starts with it, in canonical spelling
    base: str


class PathMapper:
    """Mappings compiled once, for mapping many paths (validation maps 100,000)."""

    def __init__(self, mappings: Sequence[PathMapping], *, windows_server: bool) -> None:
        self.windows_server = windows_server
        self._separator = "\\" if windows_server else "/"
        compiled: list[_Compiled] = []
        for index, mapping in enumerate(mappings):
            anchor, parts = split_plex_path(mapping.plex_prefix, windows_server=windows_server)
            if not anchor and not parts:
                continue  # an empty prefix would cover everything: never a mapping
            keys = tuple(_segment_key(s, windows_server) for s in parts)
            literal = anchor + self._separator.join(parts)
            if parts:
                literal += self._separator
            base = _local_base(mapping.local_prefix)
            compiled.append(_Compiled(len(keys), index, anchor, keys, literal, base))
        # Longest first; among equals the first given wins (the stable sort keeps order).
        compiled.sort(key=lambda entry: -entry.length)
        self._compiled = compiled

    def resolve(self, plex_path: str) -> tuple[str, int] | None:
        """The local path and the index of the mapping used, or None when unmapped."""
        windows = self.windows_server
        parts: list[str] | None = None
        keys: list[str] | None = None
        anchor = ""
        for entry in self._compiled:
            if plex_path.startswith(entry.literal):
                # Spelled exactly like the prefix, so its segments are the prefix's:
                # the rest is cut off by position.
                rest = plex_path[len(entry.literal) :]
                if windows:
                    rest = rest.replace("/", "\\")
                return _join_local(
                    entry.base, [s for s in rest.split(self._separator) if s]
                ), entry.position
            if parts is None:
                anchor, parts = split_plex_path(plex_path, windows_server=windows)
            if entry.anchor != anchor or entry.length > len(parts):
                continue
            if keys is None:
                keys = [_segment_key(s, windows) for s in parts]
            if tuple(keys[: entry.length]) == entry.keys:
                return _join_local(entry.base, parts[entry.length :]), entry.position
        return None

    def map(self, plex_path: str) -> str | None:
        resolved = self.resolve(plex_path)
        return None if resolved is None else resolved[0]


def map_path(
    plex_path: str, mappings: Sequence[PathMapping], *, windows_server: bool
) -> str | None:
    """Where `plex_path` is seen from here, or None when no mapping covers it."""
    return PathMapper(mappings, windows_server=windows_server).map(plex_path)


def _looks_absolute_plex_path(path: str) -> bool:
    """A Plex path is absolute: `/…` (Linux, macOS, NAS), `C:\\…` or `\\\\server\\…`."""
    if path.startswith(("/", "\\")):
        return True
    return len(path) >= 3 and path[1] == ":" and path[0].isalpha() and path[2] in "\\/"


def check_mapping(plex_prefix: str, local_prefix: str) -> None:
    """Refuse, with a sentence, a mapping that could never work as given.

    Looks at the local folder, waiting at most EXISTS_TIMEOUT_S for a share to answer.
    """
    if not plex_prefix.strip():
        raise MappingError(
            "The Plex folder is empty: copy the folder as Plex shows it, e.g. /data/tv or D:\\TV.",
            "empty plex prefix",
        )
    if not _looks_absolute_plex_path(plex_prefix):
        raise MappingError(
            f"'{plex_prefix}' is not a full Plex path: it starts with / on Linux, macOS or"
            " a NAS, or with a drive letter or \\\\server on Windows.",
            f"relative plex prefix {plex_prefix!r}",
        )
    if not local_prefix.strip():
        raise MappingError(
            "The local folder is empty: choose where these files are seen from this computer.",
            "empty local prefix",
        )
    if not os.path.isabs(local_prefix):
        raise MappingError(
            f"'{local_prefix}' is a relative path: give the full path of the folder,"
            " e.g. /mnt/nas/tv.",
            f"relative local prefix {local_prefix!r}",
        )
    found = exists_within(local_prefix)
    if found is None:
        raise MappingError(
            f"The folder {local_prefix} did not answer within {EXISTS_TIMEOUT_S:g} s: check"
            " that the share is mounted and awake, then try again.",
            f"local prefix {local_prefix!r} timed out",
        )
    if not found:
        raise MappingError(
            f"The folder {local_prefix} does not exist on this computer: check that the"
            " share is mounted, or correct the path.",
            f"missing local prefix {local_prefix!r}",
        )
    if not os.path.isdir(local_prefix):
        raise MappingError(
            f"{local_prefix} is a file, not a folder: give the folder that holds the files.",
            f"local prefix is not a directory {local_prefix!r}",
        )


_URI_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~/")
# Byte -> itself or %XX: what urllib's quote_from_bytes (and so pathlib's as_uri) does,
# as one str.translate in C (validation makes 100,000 URIs).
_URI_QUOTE = {i: f"%{i:02X}" for i in range(256) if chr(i) not in _URI_SAFE}
_NOT_NORMAL = re.compile(r"//|/\.\.?(?:/|$)|./$")


def canonical_uri(local_path: str) -> str:
    """The RFC 8089 `file://` URI of the absolute local path, percent-encoded (UTF-8).

    The path is made absolute and normalised but symlinks are not followed: the URI
    names the file where the catalogue finds it.
    """
    if os.name != "posix":
        return Path(os.path.abspath(local_path)).as_uri()
    path = local_path
    if not path.startswith("/") or _NOT_NORMAL.search(path):
        path = os.path.abspath(path)
    if not path.isascii():
        path = os.fsencode(path).decode("latin-1")
    return "file://" + path.translate(_URI_QUOTE)


# -- store helpers: take a session, never commit ---------------------------------------------


def _plex_library(session: Session, library_id: int) -> Library:
    library = library_or_refuse(session, library_id, MappingError)
    if library.source != "plex" or library.server_id is None:
        raise MappingError(
            f"'{library.title}' is a local folder library: its files are already on this"
            " computer, so it needs no path mapping.",
            f"library {library_id} source {library.source}",
        )
    return library


def _windows_server(session: Session, server_id: int | None) -> bool:
    if server_id is None:
        return False
    platform = session.execute(
        select(PlexServer.platform).where(PlexServer.id == server_id)
    ).scalar_one_or_none()
    return is_windows_platform(platform)


def load_mappings(session: Session, library_id: int) -> tuple[list[PathMapping], bool]:
    """The library's mappings (in the order they were added) and whether its Plex server
    runs Windows. A local library has none."""
    server_id = session.execute(
        select(Library.server_id).where(Library.id == library_id)
    ).scalar_one_or_none()
    rows = session.execute(
        select(PathMappingRow.plex_path, PathMappingRow.local_path)
        .where(PathMappingRow.library_id == library_id)
        .order_by(PathMappingRow.id)
    )
    mappings = [PathMapping(plex, local) for plex, local in rows]
    return mappings, _windows_server(session, server_id)


def mapping_rows(session: Session, library_id: int) -> list[StoredMapping]:
    """The library's mappings with their ids, for listing and removing."""
    rows = session.execute(
        select(PathMappingRow.id, PathMappingRow.plex_path, PathMappingRow.local_path)
        .where(PathMappingRow.library_id == library_id)
        .order_by(PathMappingRow.id)
    )
    return [StoredMapping(row_id, plex, local) for row_id, plex, local in rows]


def add_mapping(session: Session, library_id: int, plex_prefix: str, local_prefix: str) -> int:
    """Validate and add a mapping to a Plex library; returns its id.

    Surrounding whitespace (a pasted newline) is dropped. A second mapping for a Plex
    prefix the library already maps (on its server's terms: separators, a trailing
    separator and, on Windows, case do not count) is refused.
    """
    plex_prefix, local_prefix = plex_prefix.strip(), local_prefix.strip()
    library = _plex_library(session, library_id)
    check_mapping(plex_prefix, local_prefix)
    windows = _windows_server(session, library.server_id)
    wanted = prefix_key(plex_prefix, windows_server=windows)
    for existing in mapping_rows(session, library_id):
        if prefix_key(existing.plex_prefix, windows_server=windows) == wanted:
            raise MappingError(
                f"'{library.title}' already maps {existing.plex_prefix} (to"
                f" {existing.local_prefix}): remove that mapping first to change it.",
                f"duplicate plex prefix {plex_prefix!r} for library {library_id}",
            )
    result = session.execute(
        insert(PathMappingRow)
        .values(
            server_id=library.server_id,
            library_id=library_id,
            plex_path=plex_prefix,
            local_path=local_prefix,
        )
        .returning(PathMappingRow.id)
    )
    return int(result.scalar_one())


def remove_mapping(session: Session, mapping_id: int) -> bool:
    """Remove a mapping; False when it was already gone."""
    result = session.execute(delete(PathMappingRow).where(PathMappingRow.id == mapping_id))
    return bool(getattr(result, "rowcount", 0))


def library_locations(session: Session, library_id: int) -> list[str]:
    """Plex's Location folders for the library (the prefixes worth mapping)."""
    raw = session.execute(
        select(Library.locations_json).where(Library.id == library_id)
    ).scalar_one_or_none()
    if not raw:
        return []
    try:
        value = json.loads(raw)
    except ValueError:
        return []
    return [str(v) for v in value] if isinstance(value, list) else []


def exists_within(path: str, timeout_s: float = EXISTS_TIMEOUT_S) -> bool | None:
    """Whether `path` exists, or None when the file system did not answer in time (a
    dead network share can block a stat for minutes; the waiting thread is a daemon and
    is left behind)."""
    answer: list[bool] = []
    done = threading.Event()

    def look() -> None:
        answer.append(os.path.exists(path))
        done.set()

    threading.Thread(target=look, name="retrovue-exists", daemon=True).start()
    if not done.wait(timeout_s):
        return None
    return answer[0]


def test_path(
    session: Session, library_id: int, plex_path: str, *, timeout_s: float = EXISTS_TIMEOUT_S
) -> PathTest:
    """Map `plex_path` with the library's mappings and look whether it is there.

    Waits at most `timeout_s` for the file system, so a dialog may call it directly.
    """
    mappings, windows = load_mappings(session, library_id)
    local = map_path(plex_path.strip(), mappings, windows_server=windows)
    if local is None:
        return PathTest(None, False, "No mapping covers this Plex path.")
    found = exists_within(local, timeout_s)
    if found is None:
        return PathTest(
            local, False, f"No answer within {timeout_s:g} s: is the share mounted and awake?"
        )
    return PathTest(local, found, None if found else "Nothing is there.")


# The name is the brief's; keep pytest from collecting it when a test imports it.
test_path.__test__ = False  # type: ignore[attr-defined]
