"""Catalogue tables: where media comes from, the files, and the content wrapped round them.

Column names, CHECK lists and ON DELETE actions follow schema v1.2; the departures are
the ones DESIGN.md records (content_item_files, library-owned media files, Plex keys on
content items, local-folder libraries) and each is marked where it is made.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Timestamps

CONTENT_KINDS = (
    "movie",
    "episode",
    "interstitial",
    "intro",
    "outro",
    "promo",
    "bumper",
    "clip",
    "ad",
    "unknown",
)
MARKER_KINDS = ("chapter", "ad_break", "cue")
MARKER_SOURCES = ("file", "manual", "detected")
FILE_ROLES = ("primary", "alternate", "extra")
LIBRARY_SOURCES = ("plex", "local")
# Whether a file can be played from here. Validation sets ok, unmapped (no path mapping
# covers it), missing, unreadable, size_mismatch (not the size Plex reported) and
# probe_mismatch (duration or codecs differ); "gone" means its source no longer lists it;
# "unknown" until it has been checked. "demo" (revision 0007) is an invented file of the
# demo station: it schedules like a playable file, and validation and scans never touch it.
AVAILABILITY = (
    "unknown", "ok", "unmapped", "missing", "unreadable", "size_mismatch", "probe_mismatch",
    "gone", "demo",
)  # fmt: skip
DEMO_AVAILABILITY = "demo"
# The demo station's folder libraries have a root_path, and its invented Plex server a
# base_url, starting with this: no real folder or URL does, so a scan or a sync can tell
# them apart without another column.
DEMO_PREFIX = "demo:"


def is_demo_location(text: str | None) -> bool:
    """Whether a library root or server URL is the demo station's (DEMO_PREFIX)."""
    return bool(text) and str(text).startswith(DEMO_PREFIX)


def in_list(column: str, values: tuple[str, ...]) -> str:
    """SQL text of `column IN (...)` for a CHECK constraint."""
    quoted = ",".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"


class PlexServer(Timestamps, Base):
    """A Plex Media Server the station reads from (the token lives in the keyring)."""

    __tablename__ = "plex_servers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text, nullable=False)
    base_url: Mapped[str | None] = mapped_column(Text)
    # Plex's own id for the server: a changed URL is recognised as the same server, and
    # the token in the keyring is filed under it.
    machine_identifier: Mapped[str | None] = mapped_column(Text, unique=True)
    platform: Mapped[str | None] = mapped_column(Text)


class Library(Timestamps, Base):
    """A Plex section, or a local folder of interstitials (DESIGN.md: local-folder libraries).

    The spec makes server_id NOT NULL; a folder of ads has no server, so `source` says
    where the library comes from and a CHECK keeps each kind honest: a Plex library has
    its server and section key, a local one has a root folder and neither of those.
    """

    __tablename__ = "libraries"
    __table_args__ = (
        CheckConstraint(in_list("source", LIBRARY_SOURCES), name="source"),
        CheckConstraint(
            "(source = 'plex' AND server_id IS NOT NULL AND plex_library_key IS NOT NULL)"
            " OR (source = 'local' AND server_id IS NULL AND root_path IS NOT NULL)",
            name="source_fields",
        ),
        UniqueConstraint("server_id", "plex_library_key"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    server_id: Mapped[int | None] = mapped_column(ForeignKey("plex_servers.id", ondelete="CASCADE"))
    plex_library_key: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text, nullable=False)
    library_type: Mapped[str] = mapped_column(Text, nullable=False)
    source: Mapped[str] = mapped_column(Text, nullable=False, server_default=text("'plex'"))
    root_path: Mapped[str | None] = mapped_column(Text)
    # Plex's Location paths for the section (JSON list), offered as path-mapping prefixes.
    locations_json: Mapped[str | None] = mapped_column(Text)
    # The section's change marker as of the last complete sync: equal means unchanged.
    source_version: Mapped[str | None] = mapped_column(Text)
    last_synced_at: Mapped[int | None] = mapped_column(BigInteger)
    last_sync_status: Mapped[str | None] = mapped_column(Text)
    last_sync_summary: Mapped[str | None] = mapped_column(Text)


class PathMapping(Timestamps, Base):
    """Plex's path prefix for a library and where the same files are seen from here."""

    __tablename__ = "path_mappings"
    __table_args__ = (Index(None, "library_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    server_id: Mapped[int] = mapped_column(
        ForeignKey("plex_servers.id", ondelete="CASCADE"), nullable=False
    )
    library_id: Mapped[int] = mapped_column(
        ForeignKey("libraries.id", ondelete="CASCADE"), nullable=False
    )
    plex_path: Mapped[str] = mapped_column(Text, nullable=False)
    local_path: Mapped[str] = mapped_column(Text, nullable=False)


class Show(Timestamps, Base):
    """A TV series as Plex knows it."""

    __tablename__ = "shows"
    __table_args__ = (UniqueConstraint("library_id", "plex_rating_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    server_id: Mapped[int] = mapped_column(
        ForeignKey("plex_servers.id", ondelete="CASCADE"), nullable=False
    )
    library_id: Mapped[int] = mapped_column(
        ForeignKey("libraries.id", ondelete="CASCADE"), nullable=False
    )
    plex_rating_key: Mapped[str] = mapped_column(Text, nullable=False)
    title: Mapped[str] = mapped_column(Text, nullable=False)
    year: Mapped[int | None] = mapped_column(Integer)
    originally_available_at: Mapped[str | None] = mapped_column(Text)
    summary: Mapped[str | None] = mapped_column(Text)
    studio: Mapped[str | None] = mapped_column(Text)
    artwork_url: Mapped[str | None] = mapped_column(Text)


class Season(Timestamps, Base):
    """One season of a show."""

    __tablename__ = "seasons"
    __table_args__ = (Index(None, "show_id", "season_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    show_id: Mapped[int] = mapped_column(ForeignKey("shows.id", ondelete="CASCADE"), nullable=False)
    season_number: Mapped[int] = mapped_column(Integer, nullable=False)
    plex_rating_key: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)


class ContentItem(Timestamps, Base):
    """The logical programme, ad or bumper that the schedule places.

    library_id and plex_rating_key are DESIGN.md's additions: incremental sync finds an
    item by its Plex key within its library.
    """

    __tablename__ = "content_items"
    __table_args__ = (
        CheckConstraint(in_list("kind", CONTENT_KINDS), name="kind"),
        UniqueConstraint("library_id", "plex_rating_key"),
        Index(None, "show_id", "season_number", "episode_number"),
        Index(None, "season_id"),
        Index(None, "kind"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(Text, nullable=False)
    title: Mapped[str | None] = mapped_column(Text)
    synopsis: Mapped[str | None] = mapped_column(Text)
    duration_ms: Mapped[int | None] = mapped_column(BigInteger)
    rating_system: Mapped[str | None] = mapped_column(Text)
    rating_code: Mapped[str | None] = mapped_column(Text)
    is_kids_friendly: Mapped[bool] = mapped_column(
        Boolean(create_constraint=True, name="is_kids_friendly"),
        default=False,
        server_default=false(),
    )
    artwork_url: Mapped[str | None] = mapped_column(Text)
    guid_primary: Mapped[str | None] = mapped_column(Text)
    external_ids_json: Mapped[str | None] = mapped_column(Text)
    metadata_updated_at: Mapped[int | None] = mapped_column(BigInteger)
    show_id: Mapped[int | None] = mapped_column(ForeignKey("shows.id", ondelete="SET NULL"))
    season_id: Mapped[int | None] = mapped_column(ForeignKey("seasons.id", ondelete="SET NULL"))
    season_number: Mapped[int | None] = mapped_column(Integer)
    episode_number: Mapped[int | None] = mapped_column(Integer)
    library_id: Mapped[int | None] = mapped_column(ForeignKey("libraries.id", ondelete="CASCADE"))
    plex_rating_key: Mapped[str | None] = mapped_column(Text)
    # Hash of what a sync compares (key, updatedAt, parts, sizes): equal means unchanged.
    source_fingerprint: Mapped[str | None] = mapped_column(Text)
    # Set (epoch seconds) while the source no longer lists the item; never deleted for it.
    gone_from_source_at: Mapped[int | None] = mapped_column(BigInteger)


class MediaFile(Timestamps, Base):
    """A physical file with its technical metadata.

    The spec's movie_id/episode_id pair points at tables the unified content model
    removed; a file belongs to its library and content_item_files links it to content.
    A local-folder file has no Plex path, so plex_file_path may be null as long as one
    of the two paths is set.
    """

    __tablename__ = "media_files"
    __table_args__ = (
        CheckConstraint(
            "plex_file_path IS NOT NULL OR local_file_path IS NOT NULL", name="has_path"
        ),
        Index(None, "library_id", "plex_file_path"),
        Index("ix_media_files_library_canonical_uri", "library_id", "canonical_uri"),
        CheckConstraint(in_list("availability", AVAILABILITY), name="availability"),
        Index(None, "library_id", "plex_part_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    library_id: Mapped[int] = mapped_column(
        ForeignKey("libraries.id", ondelete="CASCADE"), nullable=False
    )
    plex_file_path: Mapped[str | None] = mapped_column(Text)
    local_file_path: Mapped[str | None] = mapped_column(Text)
    file_size_bytes: Mapped[int | None] = mapped_column(BigInteger)
    video_codec: Mapped[str | None] = mapped_column(Text)
    audio_codec: Mapped[str | None] = mapped_column(Text)
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    duration_ms: Mapped[int | None] = mapped_column(BigInteger)
    container: Mapped[str | None] = mapped_column(Text)
    canonical_uri: Mapped[str | None] = mapped_column(Text)
    # Plex's Part id: the same file across syncs even when Plex reports a new path.
    plex_part_id: Mapped[str | None] = mapped_column(Text)
    availability: Mapped[str] = mapped_column(
        Text, nullable=False, default="unknown", server_default=text("'unknown'")
    )
    last_verified_at: Mapped[int | None] = mapped_column(BigInteger)
    # Why the last check found a problem, in words, for the list of problem files.
    availability_reason: Mapped[str | None] = mapped_column(Text)
    # Modification time of a local file at its last scan (nanoseconds): with the size, what
    # an incremental folder rescan compares.
    file_mtime_ns: Mapped[int | None] = mapped_column(BigInteger)


class ContentItemFile(Base):
    """Which files carry a content item, and in what role (the spec's "role support")."""

    __tablename__ = "content_item_files"
    __table_args__ = (
        CheckConstraint(in_list("role", FILE_ROLES), name="role"),
        Index(None, "media_file_id"),
    )

    content_item_id: Mapped[int] = mapped_column(
        ForeignKey("content_items.id", ondelete="CASCADE"), primary_key=True
    )
    media_file_id: Mapped[int] = mapped_column(
        ForeignKey("media_files.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(Text, nullable=False, server_default=text("'primary'"))


class ContentTag(Base):
    """A namespaced tag on a content item, e.g. holiday:christmas."""

    __tablename__ = "content_tags"
    __table_args__ = (Index(None, "namespace", "key"),)

    content_item_id: Mapped[int] = mapped_column(
        ForeignKey("content_items.id", ondelete="CASCADE"), primary_key=True
    )
    namespace: Mapped[str] = mapped_column(Text, primary_key=True)
    key: Mapped[str] = mapped_column(Text, primary_key=True)
    value: Mapped[str | None] = mapped_column(Text)


class Tag(Timestamps, Base):
    """A tag of the palette, whether or not any item carries it yet.

    content_tags is what items carry; this table lets the operator make a tag first and
    drag it onto items later, and keeps a tag that its last item lost. Not in the spec:
    added by revision 0004.
    """

    __tablename__ = "tags"
    __table_args__ = (UniqueConstraint("namespace", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    namespace: Mapped[str] = mapped_column(Text, nullable=False)
    key: Mapped[str] = mapped_column(Text, nullable=False)
    label: Mapped[str | None] = mapped_column(Text)


class ContentEditorial(Base):
    """Source metadata as it arrived, and the operator's overrides beside it."""

    __tablename__ = "content_editorial"

    content_item_id: Mapped[int] = mapped_column(
        ForeignKey("content_items.id", ondelete="CASCADE"), primary_key=True
    )
    source_name: Mapped[str | None] = mapped_column(Text)
    source_payload_json: Mapped[str | None] = mapped_column(Text)
    original_title: Mapped[str | None] = mapped_column(Text)
    original_synopsis: Mapped[str | None] = mapped_column(Text)
    override_title: Mapped[str | None] = mapped_column(Text)
    override_synopsis: Mapped[str | None] = mapped_column(Text)
    override_updated_at: Mapped[int | None] = mapped_column(BigInteger)


class MediaMarker(Timestamps, Base):
    """A chapter, ad-break or cue point inside a file."""

    __tablename__ = "media_markers"
    __table_args__ = (
        CheckConstraint(in_list("marker_kind", MARKER_KINDS), name="marker_kind"),
        CheckConstraint(in_list("source", MARKER_SOURCES), name="source"),
        Index(None, "media_file_id", "start_ms"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    media_file_id: Mapped[int] = mapped_column(
        ForeignKey("media_files.id", ondelete="CASCADE"), nullable=False
    )
    marker_kind: Mapped[str] = mapped_column(Text, nullable=False)
    start_ms: Mapped[int] = mapped_column(BigInteger, nullable=False)
    end_ms: Mapped[int | None] = mapped_column(BigInteger)
    label: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text, nullable=False)
    confidence: Mapped[float | None] = mapped_column()


class LibrarySyncLock(Base):
    """Who is syncing a library now: two syncs of one library never run at once, across
    processes too (the window and a nightly command line job share the database)."""

    __tablename__ = "library_sync_locks"

    library_id: Mapped[int] = mapped_column(
        ForeignKey("libraries.id", ondelete="CASCADE"), primary_key=True
    )
    holder: Mapped[str] = mapped_column(Text, nullable=False)
    acquired_at: Mapped[int] = mapped_column(BigInteger, nullable=False)
    heartbeat_at: Mapped[int] = mapped_column(BigInteger, nullable=False)
