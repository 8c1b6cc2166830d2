"""Where the window keeps its state between runs.

An INI file in the user's config folder (QSettings' UserScope), so tests can point
XDG_CONFIG_HOME or QSettings.setPath at a temporary folder.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings, QTimeZone

from retrovue_desktop.scheduling.m3u import DEFAULT_STREAM_URL_TEMPLATE

ORGANIZATION = "RetroVue"
APPLICATION = "RetroVue Desktop"

KEY_GEOMETRY = "mainWindow/geometry"
KEY_STATE = "mainWindow/state"
KEY_LAST_TAB = "mainWindow/lastTab"


def app_settings() -> QSettings:
    return QSettings(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION
    )


# The station's defaults for channels that leave theirs empty (issue 9's settings dialog
# edits them); the Schedule tab's own preferences.
KEY_STATION_TIME_ZONE = "station/timeZone"
KEY_STATION_MAX_RATING = "station/maxRating"
KEY_SNAP = "schedule/snapMinutes"  # 5, 15, 30 or 0 (off)
KEY_FIRST_WEEKDAY = "schedule/firstWeekday"  # 0 = Sunday
KEY_COLOUR_BY = "schedule/colourBy"  # "strategy" or "tag"
KEY_ZOOM = "schedule/pixelsPerHour"
KEY_CHANNEL = "schedule/channel"
KEY_SCHEDULE_SPLITTER = "schedule/splitter"
# The exports (File menu and `retrovue-desktop export`): the playlist's stream address
# template (placeholders in scheduling/m3u.py), the guide's length in days, and the
# folder the window last wrote an export to.
KEY_STREAM_URL_TEMPLATE = "export/streamUrlTemplate"
KEY_EXPORT_DAYS = "export/guideDays"
KEY_EXPORT_FOLDER = "export/folder"


def station_time_zone() -> str:
    """The station's IANA zone: the setting, else this computer's zone, else UTC."""
    value = app_settings().value(KEY_STATION_TIME_ZONE)
    if isinstance(value, str) and value:
        return value
    system = bytes(QTimeZone.systemTimeZoneId().data()).decode("ascii", "replace")
    return system if system and "/" in system else "UTC"


def station_max_rating() -> str | None:
    """The station's rating ceiling, or None for no ceiling."""
    value = app_settings().value(KEY_STATION_MAX_RATING)
    return value if isinstance(value, str) and value else None


def stream_url_template(settings: QSettings | None = None) -> str:
    """The playlist's stream address template: the setting, else the default."""
    value = (settings or app_settings()).value(KEY_STREAM_URL_TEMPLATE)
    return value if isinstance(value, str) and value.strip() else DEFAULT_STREAM_URL_TEMPLATE


def int_setting(key: str, default: int) -> int:
    value = app_settings().value(key, default)
    try:
        return int(str(value))
    except ValueError:
        return default


def put(key: str, value: object) -> None:
    app_settings().setValue(key, value)


# The play log: how many weeks stay live before the weekly rotation archives them, and
# how far a start may drift from the plan before reconciliation calls it late or early.
KEY_PLAYLOG_WEEKS_KEPT = "playlog/weeksKept"
KEY_PLAYLOG_TOLERANCE = "playlog/toleranceSeconds"
DEFAULT_PLAYLOG_WEEKS_KEPT = 12
DEFAULT_PLAYLOG_TOLERANCE = 30
# The Play Log tab's remembered filters and export folder.
KEY_PLAYLOG_CHANNEL = "playlog/channel"  # channel id, 0 = all
KEY_PLAYLOG_KIND = "playlog/kind"  # a play_log kind, "" = all
KEY_PLAYLOG_RANGE = "playlog/range"  # "today", "week", "last7" or "custom"
KEY_PLAYLOG_FROM = "playlog/from"  # ISO date, for "custom"
KEY_PLAYLOG_TO = "playlog/to"
KEY_PLAYLOG_TEXT = "playlog/search"
KEY_PLAYLOG_EXPORT_FOLDER = "playlog/exportFolder"


def _bounded_int(settings: QSettings | None, key: str, default: int, low: int) -> int:
    value = (settings or app_settings()).value(key, default)
    try:
        number = int(str(value))
    except ValueError:
        return default
    return number if number >= low else default


def playlog_weeks_kept(settings: QSettings | None = None) -> int:
    """Weeks of play log kept live (at least 1; a bad value reads as the default)."""
    return _bounded_int(settings, KEY_PLAYLOG_WEEKS_KEPT, DEFAULT_PLAYLOG_WEEKS_KEPT, 1)


def playlog_tolerance_seconds(settings: QSettings | None = None) -> int:
    """Seconds a start may differ from the plan and still count as on time (0 or more)."""
    return _bounded_int(settings, KEY_PLAYLOG_TOLERANCE, DEFAULT_PLAYLOG_TOLERANCE, 0)
