"""Core tables of the models, for set-based SQL (bulk inserts, updates, joins) where ORM
objects per row would cost too much at catalogue scale."""

from __future__ import annotations

from .base import table_of
from .models import (
    ContentEditorial,
    ContentItem,
    ContentItemFile,
    ContentTag,
    Library,
    MediaFile,
    MediaMarker,
    Season,
    Show,
    Tag,
)
from .programming import AdPolicy, Channel, PlayLogEntry, ScheduleBlock, ScheduleInstance

CI = table_of(ContentItem)
ED = table_of(ContentEditorial)
MF = table_of(MediaFile)
CIF = table_of(ContentItemFile)
MM = table_of(MediaMarker)
LIB = table_of(Library)
SHOW = table_of(Show)
SEASON = table_of(Season)
CT = table_of(ContentTag)
TAGS = table_of(Tag)
CHANNELS = table_of(Channel)
BLOCKS = table_of(ScheduleBlock)
INSTANCES = table_of(ScheduleInstance)
PLAYS = table_of(PlayLogEntry)
AD_POLICIES = table_of(AdPolicy)
