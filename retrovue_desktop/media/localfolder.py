"""Local-folder libraries: a station's ads, bumpers and promos that live in plain folders.

A scan walks the folder, probes new and changed media files with MediaInfo (a file whose
size and modification time did not move is not probed again), and keeps one content item
per file, titled from the file's own title tag or else its name, with the file's
chapters as markers. A file that leaves the folder is marked missing and its content
gone, never deleted, so its tags and schedule references survive; it comes back when the
file does, and a file moved within the folder keeps its content item.

The demo station's folder libraries are recognised by their root (`is_demo_location`:
it starts with "demo:"); their files are invented, so a scan of one changes nothing and
says so, and "Resync all" on the demo station leaves it intact.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from typing import Any, NamedTuple

from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session, sessionmaker

from retrovue_desktop.progress import CancelFn, ProgressFn, never_cancelled, no_progress
from retrovue_desktop.store.catalog import is_demo_location
from retrovue_desktop.store.models import (
    Library,
)
from retrovue_desktop.store.tables import CI, CIF, ED, MF, MM

from .errors import MediaCancelled, MediaError
from .libraries import library_or_refuse
from .pathmap import canonical_uri
from .probe import ProbeResult
from .probe import probe as probe_file
from .validate import DeadlinePool, TimedOut

log = logging.getLogger(__name__)


FOLDER_KINDS = ("ad", "bumper", "promo", "interstitial", "intro", "outro", "clip", "movie")
MEDIA_EXTENSIONS = frozenset(
    {
        # video
        "mkv", "mp4", "m4v", "avi", "mov", "qt", "ts", "m2ts", "mts", "mpg", "mpeg", "m2v",
        "mpe", "vob", "wmv", "asf", "webm", "flv", "ogv", "3gp", "divx", "dv", "mxf",
        # audio (radio-style spots and stings)
        "mp3", "m4a", "aac", "ac3", "wav", "flac", "ogg", "oga", "opus", "wma",
    }
)  # fmt: skip
PROBE_TIMEOUT_S = 60.0
IN_CHUNK = 500


@dataclass
class ScanResult:
    library_id: int
    title: str
    added: int = 0
    updated: int = 0
    unavailable: int = 0
    unchanged: int = 0
    skipped_non_media: int = 0
    unreadable: int = 0
    restored: int = 0
    moved: int = 0
    demo: bool = False  # the demo station's invented folder: nothing was scanned

    def line(self) -> str:
        if self.demo:
            return f"{self.title}: demo files, nothing to scan ({self.unchanged} unchanged)"
        text = (
            f"{self.title}: {self.added} added, {self.updated} updated,"
            f" {self.unavailable} unavailable, {self.unchanged} unchanged"
        )
        for count, words in (
            (self.restored, "back again"),
            (self.moved, "moved"),
            (self.unreadable, "unreadable"),
            (self.skipped_non_media, "other files skipped"),
        ):
            if count:
                text += f", {count} {words}"
        return text


def _overlaps(a: str, b: str) -> bool:
    try:
        common = os.path.commonpath([a, b])
    except ValueError:  # different drives
        return False
    return common in (a, b)


def add_folder_library(session: Session, folder: str, kind: str, title: str | None = None) -> int:
    """Add a local folder as a library of `kind` (ad, bumper, promo…); returns its id.

    The folder must exist; it may not be, contain or lie inside another library's folder
    (a file would belong to two libraries). The title defaults to the folder's name and
    must not be another library's.
    """
    kind = kind.strip().lower()
    if kind not in FOLDER_KINDS:
        raise MediaError(
            f"'{kind}' is not a kind of folder library: choose one of {', '.join(FOLDER_KINDS)}.",
            f"bad kind {kind!r}",
        )
    path = os.path.abspath(os.path.expanduser(folder.strip()))
    if not os.path.exists(path):
        raise MediaError(
            f"The folder {path} does not exist: check the path, or connect the drive.",
            f"missing folder {path!r}",
        )
    if not os.path.isdir(path):
        raise MediaError(
            f"{path} is a file, not a folder: choose the folder that holds the files.",
            f"not a directory {path!r}",
        )
    name = (title or "").strip() or os.path.basename(path.rstrip(os.sep)) or path
    for other_title, other_root in session.execute(
        select(Library.title, Library.root_path).where(Library.source == "local")
    ):
        if other_root and _overlaps(path, other_root):
            raise MediaError(
                f"{path} overlaps the folder of the library '{other_title}' ({other_root}):"
                " a file can belong to only one library.",
                f"overlapping root {other_root!r}",
            )
    if session.execute(select(Library.id).where(Library.title == name)).first() is not None:
        raise MediaError(
            f"A library is already called '{name}': choose another title.", "title taken"
        )
    result = session.execute(
        insert(Library)
        .values(source="local", root_path=path, title=name, library_type=kind)
        .returning(Library.id)
    )
    return int(result.scalar_one())


# -- scanning --------------------------------------------------------------------------------


class _Known(NamedTuple):
    id: int
    size: int | None
    mtime_ns: int | None
    availability: str
    item_id: int | None
    item_gone: bool  # its content item is marked gone from the folder


class _Op(NamedTuple):
    """What a scan does with one file: new, changed (both probed), restore or move."""

    action: str
    path: str
    size: int
    mtime_ns: int
    known: _Known | None


@dataclass
class _Listing:
    found: dict[str, tuple[int, int]]
    skipped: int
    unlisted: dict[str, str]  # folder -> why it could not be listed


def _walk(root: str, progress: ProgressFn, phase: str) -> _Listing:
    """Every media file under `root` with its size and mtime (ns). Hidden files and
    folders (.DS_Store, macOS's ._ twins of media files) are skipped; symlinked files are
    followed, symlinked folders not (no loops)."""
    listing = _Listing({}, 0, {})
    stack = [root]
    reported = 0
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    try:
                        if entry.name.startswith("."):
                            listing.skipped += 0 if entry.is_dir(follow_symlinks=False) else 1
                        elif entry.is_dir(follow_symlinks=False):
                            stack.append(entry.path)
                        elif (
                            entry.is_file()
                            and os.path.splitext(entry.name)[1][1:].lower() in MEDIA_EXTENSIONS
                        ):
                            st = entry.stat()
                            listing.found[entry.path] = (st.st_size, st.st_mtime_ns)
                        else:
                            listing.skipped += 1
                    except OSError as exc:
                        log.info("skipping %s: %s", entry.path, exc)
                        listing.skipped += 1
        except OSError as exc:
            if folder == root:
                raise MediaError(
                    f"The folder {root} could not be read ({exc.strerror or exc}): check"
                    " that this user may open it. Nothing was changed.",
                    repr(exc),
                ) from exc
            listing.unlisted[folder] = exc.strerror or str(exc)
        if len(listing.found) - reported >= 1000:
            reported = len(listing.found)
            progress(phase, reported, 0)
    return listing


def _existing(sessions: sessionmaker[Session], library_id: int) -> dict[str, _Known]:
    with sessions() as session:
        items = {
            file_id: (item_id, gone is not None)
            for file_id, item_id, gone in session.execute(
                select(CIF.c.media_file_id, CIF.c.content_item_id, CI.c.gone_from_source_at)
                .join(MF, MF.c.id == CIF.c.media_file_id)
                .join(CI, CI.c.id == CIF.c.content_item_id)
                .where(MF.c.library_id == library_id, CIF.c.role == "primary")
            )
        }
        rows = session.execute(
            select(
                MF.c.id, MF.c.local_file_path, MF.c.file_size_bytes, MF.c.file_mtime_ns,
                MF.c.availability,
            ).where(MF.c.library_id == library_id, MF.c.local_file_path.is_not(None))
        )  # fmt: skip
        known = {}
        for file_id, path, size, mtime, availability in rows:
            item_id, gone = items.get(file_id, (None, False))
            known[path] = _Known(file_id, size, mtime, availability, item_id, gone)
        return known


def _under(path: str, folders: dict[str, str]) -> str | None:
    for folder, why in folders.items():
        if path.startswith(folder.rstrip(os.sep) + os.sep):
            return why
    return None


def _plan(
    listing: _Listing, existing: dict[str, _Known]
) -> tuple[list[_Op], list[_Known], list[int], dict[int, str]]:
    """Operations (sorted by path), rows gone from the folder, ids of unchanged rows, and
    rows under folders that could not be listed (id -> why)."""
    found = listing.found
    vanished: dict[str, _Known] = {}
    unlisted: dict[int, str] = {}
    for path, known in existing.items():
        if path in found:
            continue
        why = _under(path, listing.unlisted)
        if why is not None:
            unlisted[known.id] = why
        else:
            vanished[path] = known
    # A new path with the size and mtime of exactly one vanished row (and no other new
    # path with them) is that file moved or renamed: it keeps its content item.
    by_stamp: dict[tuple[int | None, int | None], list[str]] = defaultdict(list)
    for path, known in vanished.items():
        if known.item_id is not None and known.availability in ("ok", "missing"):
            by_stamp[(known.size, known.mtime_ns)].append(path)
    new_by_stamp: dict[tuple[int, int], list[str]] = defaultdict(list)
    for path, stamp in found.items():
        if path not in existing:
            new_by_stamp[stamp].append(path)
    moves: dict[str, _Known] = {}
    for stamp, new_paths in new_by_stamp.items():
        old_paths = by_stamp.get(stamp, [])
        if len(new_paths) == 1 and len(old_paths) == 1:
            moves[new_paths[0]] = vanished.pop(old_paths[0])
    ops: list[_Op] = []
    unchanged: list[int] = []
    for path in sorted(found):
        size, mtime = found[path]
        row = existing.get(path)
        if row is None:
            moved = moves.get(path)
            ops.append(_Op("move" if moved else "new", path, size, mtime, moved))
            continue
        same = (row.size, row.mtime_ns) == (size, mtime) and row.item_id is not None
        if same and row.availability == "ok" and not row.item_gone:
            unchanged.append(row.id)
        elif same and (row.availability in ("ok", "missing")):
            # Back (validation may have seen it back already and marked the file ok).
            ops.append(_Op("restore", path, size, mtime, row))
        else:
            ops.append(_Op("changed", path, size, mtime, row))
    # Validation may already have marked a file missing: its content is still to mark.
    gone = [k for k in vanished.values() if k.availability != "missing" or not k.item_gone]
    return ops, gone, unchanged, unlisted


def _probe_one(path: str) -> ProbeResult | MediaError:
    try:
        return probe_file(path)
    except MediaError as exc:
        return exc


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), max(1, size)):
        yield items[start : start + size]


def scan_folder_library(
    sessions: sessionmaker[Session],
    library_id: int,
    *,
    progress: ProgressFn | None = None,
    cancelled: CancelFn | None = None,
    batch_size: int = 200,
    workers: int = 4,
    probe_timeout_s: float = PROBE_TIMEOUT_S,
) -> ScanResult:
    """Bring a local-folder library up to date with its folder.

    Raises MediaError when the library is not a local one or its folder is not there
    (nothing is changed then: an unplugged drive does not make every ad missing), and
    MediaCancelled (with the counts so far) when `cancelled()` turns true between
    batches; files are marked missing only by a scan that ran to the end. A demo library
    is left as it is (the result says `demo`).
    """
    progress = progress or no_progress
    cancelled = cancelled or never_cancelled
    with sessions() as session:
        library = library_or_refuse(session, library_id)
        if library.source != "local" or not library.root_path:
            raise MediaError(
                f"'{library.title}' is a Plex library: sync it from Plex instead.",
                f"library {library_id} source {library.source}",
            )
        title, root, kind = library.title, library.root_path, library.library_type
        if is_demo_location(root):
            files = session.execute(
                select(func.count()).where(MF.c.library_id == library_id)
            ).scalar_one()
            return ScanResult(library_id, title, unchanged=int(files), demo=True)
    result = ScanResult(library_id, title)
    if not os.path.isdir(root):
        raise MediaError(
            f"The folder {root} of '{title}' is not there: connect the drive or mount the"
            " share, then scan again. Nothing was changed.",
            f"root {root!r} is not a directory",
        )
    listing = _walk(root, progress, f"{title}: listing files")
    result.skipped_non_media = listing.skipped
    ops, gone, unchanged, unlisted = _plan(listing, _existing(sessions, library_id))
    result.unchanged = len(unchanged)
    total = len(ops)
    progress(f"{title}: reading files", 0, total)
    batches = list(_chunks(ops, batch_size))
    pool: DeadlinePool[str, ProbeResult | MediaError] = DeadlinePool(
        _probe_one, workers=workers, timeout_s=probe_timeout_s, chunk_size=1
    )
    writer = _Writer(root, kind, library_id, result)
    done = 0
    try:
        submitted = [pool.submit(_to_probe(batch)) for batch in batches[:2]]
        for index, batch in enumerate(batches):
            if index + 2 < len(batches):
                submitted.append(pool.submit(_to_probe(batches[index + 2])))
            probes = iter(pool.results(submitted[index]))
            outcomes = [next(probes) if op.action in ("new", "changed") else None for op in batch]
            with sessions() as session, session.begin():
                writer.write(session, batch, outcomes)
            done += len(batch)
            progress(f"{title}: reading files", done, total)
            if cancelled():
                _record_scan(sessions, library_id, result, "canceled")
                raise MediaCancelled(result)
    finally:
        pool.close()
    with sessions() as session, session.begin():
        writer.finish(session, gone, unchanged, unlisted)
    _record_scan(sessions, library_id, result, "ok")
    return result


def _record_scan(
    sessions: sessionmaker[Session], library_id: int, result: ScanResult, status: str
) -> None:
    """The scan's time, status and counts on the library, as a Plex sync records its own
    (bookkeeping: updated_at is left as it was)."""
    summary = {k: v for k, v in asdict(result).items() if k != "library_id"}
    with sessions() as session, session.begin():
        session.execute(
            update(Library)
            .where(Library.id == library_id)
            .values(
                last_synced_at=int(time.time()),
                last_sync_status=status,
                last_sync_summary=json.dumps(summary),
                updated_at=Library.updated_at,
            )
        )


def _to_probe(batch: Sequence[_Op]) -> list[str]:
    return [op.path for op in batch if op.action in ("new", "changed")]


class _Writer:
    """Writes a scan's rows; each call is given the batch's session and transaction."""

    def __init__(self, root: str, kind: str, library_id: int, result: ScanResult) -> None:
        self.root = root
        self.kind = kind
        self.library_id = library_id
        self.result = result

    def file_values(self, op: _Op, found: ProbeResult, now: int) -> dict[str, Any]:
        return {
            "local_file_path": op.path,
            "canonical_uri": canonical_uri(op.path),
            "file_size_bytes": op.size,
            "file_mtime_ns": op.mtime_ns,
            "duration_ms": found.duration_ms,
            "container": found.container,
            "video_codec": found.video_codec,
            "audio_codec": found.audio_codec,
            "width": found.width,
            "height": found.height,
            "availability": "ok",
            "availability_reason": None,
            "last_verified_at": now,
        }

    def title_of(self, op: _Op, found: ProbeResult) -> str:
        return found.title or os.path.splitext(os.path.basename(op.path))[0]

    def payload(self, op: _Op, found: ProbeResult) -> str:
        return json.dumps(
            {"file": os.path.relpath(op.path, self.root), "title_tag": found.title},
            ensure_ascii=False,
        )

    def write(
        self,
        session: Session,
        batch: Sequence[_Op],
        outcomes: list[ProbeResult | MediaError | TimedOut | None],
    ) -> None:
        now = int(time.time())
        new_files: list[tuple[_Op, ProbeResult]] = []
        for op, outcome in zip(batch, outcomes, strict=True):
            if op.action in ("restore", "move"):
                self.restore(session, op, now)
            elif isinstance(outcome, ProbeResult):
                if op.known is None:
                    new_files.append((op, outcome))
                else:
                    self.update(session, op, outcome, now)
            else:
                reason = (
                    str(outcome)
                    if isinstance(outcome, MediaError)
                    else "MediaInfo did not finish reading it in time."
                )
                self.unreadable(session, op, reason, now)
        self.insert_new(session, new_files, now)

    def insert_new(self, session: Session, files: list[tuple[_Op, ProbeResult]], now: int) -> None:
        """New files: the file, its content item, editorial, link and chapters."""
        if not files:
            return
        file_ids = session.execute(
            insert(MF).returning(MF.c.id, sort_by_parameter_order=True),
            [
                {**self.file_values(op, found, now), "library_id": self.library_id}
                for op, found in files
            ],
        ).scalars().all()  # fmt: skip
        item_ids = session.execute(
            insert(CI).returning(CI.c.id, sort_by_parameter_order=True),
            [
                {"kind": self.kind, "title": self.title_of(op, found),
                 "duration_ms": found.duration_ms, "library_id": self.library_id}
                for op, found in files
            ],
        ).scalars().all()  # fmt: skip
        session.execute(
            insert(ED),
            [
                {"content_item_id": item_id, "source_name": "file",
                 "original_title": self.title_of(op, found),
                 "source_payload_json": self.payload(op, found)}
                for item_id, (op, found) in zip(item_ids, files, strict=True)
            ],
        )  # fmt: skip
        session.execute(
            insert(CIF),
            [
                {"content_item_id": item_id, "media_file_id": file_id, "role": "primary"}
                for item_id, file_id in zip(item_ids, file_ids, strict=True)
            ],
        )
        self.markers(session, list(zip(file_ids, (found for _op, found in files), strict=True)))
        self.result.added += len(files)

    def markers(self, session: Session, files: list[tuple[int, ProbeResult]]) -> None:
        rows = [
            {"media_file_id": file_id, "marker_kind": "chapter", "start_ms": c.start_ms,
             "end_ms": c.end_ms, "label": c.label, "source": "file"}
            for file_id, found in files
            for c in found.chapters
        ]  # fmt: skip
        if rows:
            session.execute(insert(MM), rows)

    def update(self, session: Session, op: _Op, found: ProbeResult, now: int) -> None:
        """A changed file: new technical values and chapters; its content keeps the
        operator's overrides, tags and id."""
        assert op.known is not None
        file_id = op.known.id
        session.execute(
            update(MF).where(MF.c.id == file_id).values(**self.file_values(op, found, now))
        )
        session.execute(delete(MM).where(MM.c.media_file_id == file_id, MM.c.source == "file"))
        self.markers(session, [(file_id, found)])
        title = self.title_of(op, found)
        item_id = op.known.item_id
        if item_id is None:  # it was unreadable when first seen
            item_id = session.execute(
                insert(CI)
                .values(kind=self.kind, title=title, duration_ms=found.duration_ms,
                        library_id=self.library_id)
                .returning(CI.c.id)
            ).scalar_one()  # fmt: skip
            session.execute(
                insert(CIF).values(content_item_id=item_id, media_file_id=file_id, role="primary")
            )
            self.result.added += 1
        else:
            current = session.execute(
                select(CI.c.title, CI.c.duration_ms, CI.c.gone_from_source_at).where(
                    CI.c.id == item_id
                )
            ).one()
            if tuple(current) != (title, found.duration_ms, None):
                session.execute(
                    update(CI)
                    .where(CI.c.id == item_id)
                    .values(title=title, duration_ms=found.duration_ms, gone_from_source_at=None)
                )
            self.result.updated += 1
        editorial = {"original_title": title, "source_payload_json": self.payload(op, found)}
        existing = session.execute(
            select(ED.c.original_title, ED.c.source_payload_json).where(
                ED.c.content_item_id == item_id
            )
        ).first()
        if existing is None:
            session.execute(
                insert(ED).values(content_item_id=item_id, source_name="file", **editorial)
            )
        elif tuple(existing) != (title, editorial["source_payload_json"]):
            session.execute(update(ED).where(ED.c.content_item_id == item_id).values(**editorial))

    def restore(self, session: Session, op: _Op, now: int) -> None:
        """A file back where it was (or moved within the folder), unchanged: no probe."""
        assert op.known is not None
        session.execute(
            update(MF)
            .where(MF.c.id == op.known.id)
            .values(
                local_file_path=op.path, canonical_uri=canonical_uri(op.path),
                availability="ok", availability_reason=None, last_verified_at=now,
                file_size_bytes=op.size, file_mtime_ns=op.mtime_ns,
            )
        )  # fmt: skip
        if op.known.item_id is not None:
            session.execute(
                update(CI).where(CI.c.id == op.known.item_id).values(gone_from_source_at=None)
            )
        if op.action == "move":
            self.result.moved += 1
        else:
            self.result.restored += 1

    def unreadable(self, session: Session, op: _Op, reason: str, now: int) -> None:
        """MediaInfo could not read it: recorded (so it shows among the problems), with its
        size and mtime, and probed again at the next scan."""
        values = {
            "local_file_path": op.path, "canonical_uri": None, "file_size_bytes": op.size,
            "file_mtime_ns": op.mtime_ns, "availability": "unreadable",
            "availability_reason": reason, "last_verified_at": now,
        }  # fmt: skip
        if op.known is None:
            session.execute(insert(MF).values(library_id=self.library_id, **values))
        else:
            session.execute(update(MF).where(MF.c.id == op.known.id).values(**values))
        self.result.unreadable += 1

    def finish(
        self, session: Session, gone: list[_Known], unchanged: list[int], unlisted: dict[int, str]
    ) -> None:
        """After a complete pass: files no longer in the folder are missing and their
        content gone (never deleted); unchanged files were seen now."""
        now = int(time.time())
        gone_ids = [k.id for k in gone]
        for chunk in _chunks(gone_ids, IN_CHUNK):
            session.execute(
                update(MF)
                .where(MF.c.id.in_(chunk), MF.c.availability != "missing")
                .values(
                    availability="missing",
                    availability_reason="No longer in the library's folder.",
                    canonical_uri=None,
                    last_verified_at=now,
                )
            )
            items = select(CIF.c.content_item_id).where(CIF.c.media_file_id.in_(chunk))
            session.execute(
                update(CI)
                .where(CI.c.id.in_(items), CI.c.gone_from_source_at.is_(None))
                .values(gone_from_source_at=now)
            )
        self.result.unavailable = len(gone_ids)
        for chunk in _chunks(unchanged, IN_CHUNK):
            session.execute(
                update(MF)
                .where(MF.c.id.in_(chunk))
                .values(last_verified_at=now, updated_at=MF.c.updated_at)
            )
        if unlisted:
            session.execute(
                update(MF)
                .where(MF.c.id == bindparam("b_id"))
                .values(
                    availability="unreadable",
                    availability_reason=bindparam("reason"),
                    canonical_uri=None,
                    last_verified_at=now,
                ),
                [
                    {"b_id": file_id, "reason": f"Its folder could not be read: {why}."}
                    for file_id, why in unlisted.items()
                ],
            )
