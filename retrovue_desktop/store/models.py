"""Every table of the store, importable from one place."""

from .base import Base
from .catalog import (
    ContentEditorial,
    ContentItem,
    ContentItemFile,
    ContentTag,
    Library,
    LibrarySyncLock,
    MediaFile,
    MediaMarker,
    PathMapping,
    PlexServer,
    Season,
    Show,
    Tag,
)
from .programming import AdPolicy, Channel, PlayLogEntry, ScheduleBlock, ScheduleInstance

__all__ = [
    "AdPolicy",
    "Base",
    "Channel",
    "ContentEditorial",
    "ContentItem",
    "ContentItemFile",
    "ContentTag",
    "Library",
    "LibrarySyncLock",
    "MediaFile",
    "MediaMarker",
    "PathMapping",
    "PlayLogEntry",
    "PlexServer",
    "ScheduleBlock",
    "ScheduleInstance",
    "Season",
    "Show",
    "Tag",
]
