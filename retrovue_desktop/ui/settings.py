"""Every setting the app keeps, declared once with its type, default and limits.

Settings are QSettings in an INI file in the user's config folder (UserScope), so tests
can point XDG_CONFIG_HOME or QSettings.setPath at a temporary folder. An INI file hands
back text for numbers and may be edited by hand, so each `Setting` parses what it reads
and falls back to its default for a missing or bad value; `write` refuses a bad value
with a sentence instead of storing it. The Settings dialog edits the ones meant for the
operator; window state (geometry, splitters, remembered filters) is declared here too so
every key lives in one place.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from PySide6.QtCore import QByteArray, QSettings, QTimeZone
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from retrovue_desktop.errors import OperatorError
from retrovue_desktop.ratings import CODES
from retrovue_desktop.scheduling.m3u import DEFAULT_STREAM_URL_TEMPLATE, check_stream_url_template
from retrovue_desktop.scheduling.xmltv import MAX_DAYS
from retrovue_desktop.store.programming import PLAY_KINDS

if TYPE_CHECKING:
    from retrovue_desktop.plex.sync import SyncOptions

ORGANIZATION = "RetroVue"
APPLICATION = "RetroVue Desktop"

T = TypeVar("T")


class SettingError(OperatorError):
    """A value a setting refuses; `str()` says which setting and what it accepts."""


def app_settings() -> QSettings:
    return QSettings(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION
    )


@dataclass(frozen=True)
class Setting(Generic[T]):
    """One setting: its key, type and default, and what it accepts.

    `kind` is int, float, str, bool or QByteArray. `minimum`/`maximum` bound numbers,
    `choices` lists the only values allowed, and `validator` returns a sentence for a
    value it refuses (None when the value is fine). `default_fn`, when given, computes
    the default at read time (the station's zone follows this computer's). `window`
    marks state the window remembers by itself, not shown in the Settings dialog.
    """

    key: str
    kind: type[T]
    default: T
    label: str
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[T, ...] = ()
    validator: Callable[[T], str | None] | None = None
    default_fn: Callable[[], T] | None = None
    window: bool = False

    def default_value(self) -> T:
        return self.default_fn() if self.default_fn is not None else self.default

    def parse(self, raw: object) -> T | None:
        """`raw` as this setting's type, or None when it cannot be read as one."""
        if raw is None:
            return None
        kind: type[Any] = self.kind
        value: object
        if kind is bool:
            if isinstance(raw, bool):
                value = raw
            elif str(raw).strip().lower() in ("true", "1", "yes"):
                value = True
            elif str(raw).strip().lower() in ("false", "0", "no"):
                value = False
            else:
                return None
        elif kind is int:
            if isinstance(raw, bool | list | QByteArray):
                return None
            try:
                value = int(str(raw).strip())
            except ValueError:
                return None
        elif kind is float:
            if isinstance(raw, bool | list | QByteArray):
                return None
            try:
                number = float(str(raw).strip())
            except ValueError:
                return None
            if not math.isfinite(number):
                return None
            value = number
        elif kind is str:
            if not isinstance(raw, str):
                return None  # a hand-edited "a, b" reads back as a list
            value = raw
        elif kind is QByteArray:
            if isinstance(raw, QByteArray):
                value = raw
            elif isinstance(raw, bytes):
                value = QByteArray(raw)
            else:
                return None
        else:  # pragma: no cover - every declaration below uses one of the kinds above
            return None
        return cast(T, value)

    def problem(self, value: T) -> str | None:
        """A sentence saying why `value` is refused, or None when it is fine."""
        if self.parse(value) is None:
            return f"{self.label} must be {_KIND_WORDS.get(self.kind, 'a value')}."
        if isinstance(value, int | float) and not isinstance(value, bool):
            low, high = self.minimum, self.maximum
            if (low is not None and value < low) or (high is not None and value > high):
                return f"{self.label} must be {_range_words(low, high)}."
        if self.choices and value not in self.choices:
            shown = ", ".join(str(choice) or "(none)" for choice in self.choices)
            return f"{self.label} must be one of {shown}."
        if self.validator is not None:
            return self.validator(value)
        return None

    def read(self, settings: QSettings | None = None) -> T:
        """The stored value, or the default when it is missing or bad."""
        value = self.parse((settings or app_settings()).value(self.key))
        if value is None or self.problem(value) is not None:
            return self.default_value()
        return value

    def write(self, value: T, settings: QSettings | None = None) -> None:
        """Store `value`; SettingError (nothing written) when the setting refuses it."""
        problem = self.problem(value)
        if problem is not None:
            raise SettingError(problem, detail=f"{self.key} = {value!r}")
        (settings or app_settings()).setValue(self.key, value)

    def reset(self, settings: QSettings | None = None) -> None:
        """Forget the stored value, so the default applies."""
        (settings or app_settings()).remove(self.key)


_KIND_WORDS: dict[type[Any], str] = {
    int: "a whole number",
    float: "a number",
    str: "text",
    bool: "on or off",
    QByteArray: "saved window state",
}


def _range_words(low: float | None, high: float | None) -> str:
    def text(number: float) -> str:
        return f"{number:g}"

    if low is not None and high is not None:
        return f"between {text(low)} and {text(high)}"
    if low is not None:
        return f"at least {text(low)}"
    return f"at most {text(high or 0)}"


# -- validators ------------------------------------------------------------------------


@lru_cache(maxsize=1)
def known_time_zones() -> frozenset[str]:
    """Every IANA zone this computer (or the tzdata package) knows."""
    return frozenset(available_timezones())


def time_zone_problem(name: str) -> str | None:
    """None for a known IANA zone name, else the operator's sentence."""
    text = name.strip()
    if not text:
        return "Choose the station's time zone, such as Europe/London or America/New_York."
    zones = known_time_zones()
    known = text in zones if zones else True
    if known:
        try:
            ZoneInfo(text)
        except (ZoneInfoNotFoundError, ValueError):
            known = False
    if not known:
        return (
            f"“{text}” is not a time zone this computer knows: choose one from the list,"
            " such as Europe/London or America/New_York."
        )
    return None


def system_time_zone() -> str:
    """This computer's IANA zone, else UTC."""
    system = bytes(QTimeZone.systemTimeZoneId().data()).decode("ascii", "replace")
    return system if system and "/" in system and time_zone_problem(system) is None else "UTC"


def _template_problem(template: str) -> str | None:
    try:
        check_stream_url_template(template)
    except OperatorError as error:
        return str(error)
    return None


def database_location_problem(location: str) -> str | None:
    """None for "" (the default file), an absolute file path or a database URL."""
    text = location.strip()
    if not text:
        return None
    if "://" in text:
        try:
            make_url(text)
        except ArgumentError:
            return (
                f"“{text}” is not a database address: write a SQLAlchemy URL such as"
                " postgresql+psycopg://user@host/retrovue, or a SQLite file path."
            )
        return None
    if not Path(text).expanduser().is_absolute():
        return f"“{text}” is not a full path: give the database file's whole path."
    return None


def _zoom_problem(pixels: int) -> str | None:
    if pixels == 0 or 20 <= pixels <= 240:
        return None
    return "The grid's zoom must be between 20 and 240 pixels an hour (0 for the default)."


# -- the declarations ------------------------------------------------------------------

SETTINGS: dict[str, Setting[Any]] = {}
_S = TypeVar("_S", bound=Setting[Any])


def _declare(setting: _S) -> _S:
    assert setting.key not in SETTINGS, f"setting {setting.key} declared twice"
    SETTINGS[setting.key] = setting
    return setting


# The window's own state.
GEOMETRY = _declare(
    Setting("mainWindow/geometry", QByteArray, QByteArray(), "Window geometry", window=True)
)
WINDOW_STATE = _declare(
    Setting("mainWindow/state", QByteArray, QByteArray(), "Window layout", window=True)
)
LAST_TAB = _declare(Setting("mainWindow/lastTab", int, 0, "Last tab", minimum=0, window=True))

# The station's defaults for channels that leave theirs empty.
STATION_TIME_ZONE = _declare(
    Setting(
        "station/timeZone", str, "UTC", "The station's time zone",
        validator=time_zone_problem, default_fn=system_time_zone,
    )
)  # fmt: skip
STATION_MAX_RATING = _declare(
    Setting("station/maxRating", str, "", "The station's rating ceiling", choices=("", *CODES))
)

# The Schedule tab's preferences (its toolbar edits the grid ones too).
SNAP_MINUTES = _declare(
    Setting("schedule/snapMinutes", int, 15, "Grid snapping", choices=(5, 15, 30, 0))
)
FIRST_WEEKDAY = _declare(
    Setting("schedule/firstWeekday", int, 0, "The first day of the week", minimum=0, maximum=6)
)  # 0 = Sunday
COLOUR_BY = _declare(
    Setting("schedule/colourBy", str, "strategy", "Colour blocks by", choices=("strategy", "tag"))
)
ZOOM = _declare(
    Setting(
        "schedule/pixelsPerHour", int, 0, "The grid's zoom", validator=_zoom_problem, window=True
    )
)
SCHEDULE_CHANNEL = _declare(
    Setting("schedule/channel", int, 0, "The schedule's channel", minimum=0, window=True)
)
SCHEDULE_SPLITTER = _declare(
    Setting("schedule/splitter", QByteArray, QByteArray(), "Schedule layout", window=True)
)
SCHEDULE_VIEW = _declare(
    Setting(
        "schedule/view", str, "grid", "The schedule's view", choices=("grid", "rundown"),
        window=True,
    )
)  # fmt: skip

# The exports (File menu and `retrovue-desktop export`).
STREAM_URL_TEMPLATE = _declare(
    Setting(
        "export/streamUrlTemplate", str, DEFAULT_STREAM_URL_TEMPLATE, "The stream address",
        validator=_template_problem,
    )
)  # fmt: skip
EXPORT_DAYS = _declare(
    Setting("export/guideDays", int, 7, "The guide's length", minimum=1, maximum=MAX_DAYS)
)
EXPORT_FOLDER = _declare(Setting("export/folder", str, "", "Export folder", window=True))

# The play log: how many weeks stay live before the weekly rotation archives them, and
# how far a start may drift from the plan before reconciliation calls it late or early.
PLAYLOG_WEEKS_KEPT = _declare(
    Setting("playlog/weeksKept", int, 12, "Weeks of play log kept", minimum=1, maximum=1040)
)
PLAYLOG_TOLERANCE = _declare(
    Setting(
        "playlog/toleranceSeconds", int, 30, "The reconciliation tolerance",
        minimum=0, maximum=3600,
    )
)  # fmt: skip
PLAYLOG_LAST_ROTATION = _declare(
    Setting("playlog/lastRotation", int, 0, "Last play-log rotation", minimum=0, window=True)
)
# The Play Log tab's remembered filters and export folders.
PLAYLOG_CHANNEL = _declare(
    Setting("playlog/channel", int, 0, "Play log channel", minimum=0, window=True)
)
PLAYLOG_KIND = _declare(
    Setting("playlog/kind", str, "", "Play log kind", choices=("", *PLAY_KINDS), window=True)
)
PLAYLOG_RANGE = _declare(
    Setting(
        "playlog/range", str, "today", "Play log dates",
        choices=("today", "week", "last7", "custom"), window=True,
    )
)  # fmt: skip
PLAYLOG_FROM = _declare(Setting("playlog/from", str, "", "Play log from", window=True))
PLAYLOG_TO = _declare(Setting("playlog/to", str, "", "Play log to", window=True))
PLAYLOG_TEXT = _declare(Setting("playlog/search", str, "", "Play log search", window=True))
PLAYLOG_EXPORT_FOLDER = _declare(
    Setting("playlog/exportFolder", str, "", "Play log export folder", window=True)
)
AS_RUN_FOLDER = _declare(
    Setting("playLog/asRunFolder", str, "", "As-run import folder", window=True)
)

# Plex and the file checks.
PLEX_TIMEOUT = _declare(
    Setting(
        "plex/requestTimeoutSeconds", int, 30, "The Plex request timeout",
        minimum=5, maximum=600,
    )
)  # fmt: skip
PLEX_CONCURRENCY = _declare(
    Setting(
        "plex/detailConcurrency", int, 4, "Parallel Plex detail requests", minimum=1, maximum=16
    )
)
VALIDATION_WORKERS = _declare(
    Setting("files/validationWorkers", int, 16, "Files checked at once", minimum=1, maximum=64)
)
VALIDATION_TIMEOUT = _declare(
    Setting(
        "files/validationTimeoutSeconds", int, 5, "The time a file may take to answer",
        minimum=1, maximum=120,
    )
)  # fmt: skip

# Where the database is: "" for the default file, else a SQLite file path or a URL.
DATABASE_LOCATION = _declare(
    Setting(
        "database/location", str, "", "The database location",
        validator=database_location_problem,
    )
)  # fmt: skip


# -- the names the rest of the app imports ---------------------------------------------

KEY_GEOMETRY = GEOMETRY.key
KEY_STATE = WINDOW_STATE.key
KEY_LAST_TAB = LAST_TAB.key
KEY_STATION_TIME_ZONE = STATION_TIME_ZONE.key
KEY_STATION_MAX_RATING = STATION_MAX_RATING.key
KEY_SNAP = SNAP_MINUTES.key  # 5, 15, 30 or 0 (off)
KEY_FIRST_WEEKDAY = FIRST_WEEKDAY.key  # 0 = Sunday
KEY_COLOUR_BY = COLOUR_BY.key  # "strategy" or "tag"
KEY_ZOOM = ZOOM.key
KEY_CHANNEL = SCHEDULE_CHANNEL.key
KEY_SCHEDULE_SPLITTER = SCHEDULE_SPLITTER.key
KEY_SCHEDULE_VIEW = SCHEDULE_VIEW.key
KEY_STREAM_URL_TEMPLATE = STREAM_URL_TEMPLATE.key
KEY_EXPORT_DAYS = EXPORT_DAYS.key
KEY_EXPORT_FOLDER = EXPORT_FOLDER.key
KEY_PLAYLOG_WEEKS_KEPT = PLAYLOG_WEEKS_KEPT.key
KEY_PLAYLOG_TOLERANCE = PLAYLOG_TOLERANCE.key
DEFAULT_PLAYLOG_WEEKS_KEPT = PLAYLOG_WEEKS_KEPT.default
DEFAULT_PLAYLOG_TOLERANCE = PLAYLOG_TOLERANCE.default
KEY_PLAYLOG_LAST_ROTATION = PLAYLOG_LAST_ROTATION.key
KEY_PLAYLOG_CHANNEL = PLAYLOG_CHANNEL.key  # channel id, 0 = all
KEY_PLAYLOG_KIND = PLAYLOG_KIND.key  # a play_log kind, "" = all
KEY_PLAYLOG_RANGE = PLAYLOG_RANGE.key  # "today", "week", "last7" or "custom"
KEY_PLAYLOG_FROM = PLAYLOG_FROM.key  # ISO date, for "custom"
KEY_PLAYLOG_TO = PLAYLOG_TO.key
KEY_PLAYLOG_TEXT = PLAYLOG_TEXT.key
KEY_PLAYLOG_EXPORT_FOLDER = PLAYLOG_EXPORT_FOLDER.key
KEY_AS_RUN_FOLDER = AS_RUN_FOLDER.key
KEY_PLEX_TIMEOUT = PLEX_TIMEOUT.key
KEY_PLEX_CONCURRENCY = PLEX_CONCURRENCY.key
KEY_VALIDATION_WORKERS = VALIDATION_WORKERS.key
KEY_VALIDATION_TIMEOUT = VALIDATION_TIMEOUT.key
KEY_DATABASE_LOCATION = DATABASE_LOCATION.key


def station_time_zone(settings: QSettings | None = None) -> str:
    """The station's IANA zone: the setting, else this computer's zone, else UTC."""
    return STATION_TIME_ZONE.read(settings)


def station_max_rating(settings: QSettings | None = None) -> str | None:
    """The station's rating ceiling, or None for no ceiling."""
    return STATION_MAX_RATING.read(settings) or None


def stream_url_template(settings: QSettings | None = None) -> str:
    """The playlist's stream address template: the setting, else the default."""
    return STREAM_URL_TEMPLATE.read(settings)


def int_setting(key: str, default: int) -> int:
    """An integer by key: the declared setting's rules when there is one, else a plain
    read with `default` for a missing or unreadable value."""
    declared = SETTINGS.get(key)
    if declared is not None and declared.kind is int:
        value = declared.parse(app_settings().value(key))
        return value if value is not None and declared.problem(value) is None else default
    raw = app_settings().value(key, default)
    try:
        return int(str(raw))
    except ValueError:
        return default


def put(key: str, value: object) -> None:
    app_settings().setValue(key, value)


def playlog_weeks_kept(settings: QSettings | None = None) -> int:
    """Weeks of play log kept live (at least 1; a bad value reads as the default)."""
    return PLAYLOG_WEEKS_KEPT.read(settings)


def playlog_tolerance_seconds(settings: QSettings | None = None) -> int:
    """Seconds a start may differ from the plan and still count as on time (0 or more)."""
    return PLAYLOG_TOLERANCE.read(settings)


def sync_options(settings: QSettings | None = None) -> SyncOptions:
    """A Plex sync's options with the request timeout and detail concurrency set."""
    from retrovue_desktop.plex.sync import SyncOptions  # only syncs need the Plex client

    return SyncOptions(
        concurrency=PLEX_CONCURRENCY.read(settings), timeout=float(PLEX_TIMEOUT.read(settings))
    )


def plex_timeout_seconds(settings: QSettings | None = None) -> float:
    """Seconds one Plex request may take (the Add server dialog's connection test too)."""
    return float(PLEX_TIMEOUT.read(settings))


@dataclass(frozen=True)
class ValidationOptions:
    """The file check's parallelism and per-file patience, as validate_library takes them."""

    workers: int
    stat_timeout_s: float


def validation_options(settings: QSettings | None = None) -> ValidationOptions:
    """The file check's options from the settings."""
    return ValidationOptions(
        VALIDATION_WORKERS.read(settings), float(VALIDATION_TIMEOUT.read(settings))
    )


def database_location_setting(settings: QSettings | None = None) -> str | None:
    """The configured database location (a file path or a URL), or None for the default;
    what `store.engine.resolve_database_url` takes as `configured`."""
    return DATABASE_LOCATION.read(settings).strip() or None


def operator_settings() -> list[Setting[Any]]:
    """The settings an operator chooses (not window state), in declaration order; the
    Settings dialog edits most, the Schedule toolbar and the export dialog the rest."""
    return [setting for setting in SETTINGS.values() if not setting.window]
