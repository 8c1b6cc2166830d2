"""Every setting is declared once: it round-trips through the INI file, a bad or missing
value reads as its default, a bad value is refused before it is written, and the
database location takes its place in the order the database URL is resolved in."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QByteArray, QSettings

from retrovue_desktop.plex.sync import SyncOptions
from retrovue_desktop.store.engine import (
    ENV_DATABASE_URL,
    default_database_url,
    location_url,
    resolve_database_url,
)
from retrovue_desktop.ui import settings as s

SAMPLES: dict[str, object] = {
    s.KEY_STATION_TIME_ZONE: "Pacific/Auckland",
    s.KEY_STREAM_URL_TEMPLATE: "http://tv.example/{id}/live.ts?a=1,b=2",
    s.KEY_DATABASE_LOCATION: "postgresql+psycopg://retro@db.example/retrovue",
    s.KEY_PLAYLOG_FROM: "2026-11-23",
}
BAD: dict[str, object] = {
    s.KEY_STATION_TIME_ZONE: "Mars/Olympus_Mons",
    s.KEY_STREAM_URL_TEMPLATE: "http://tv.example/{nope}.ts",
    s.KEY_DATABASE_LOCATION: "relative/file.db",
    s.KEY_ZOOM: 7,
}


def _file(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def _sample(setting: s.Setting[Any]) -> object:
    """A valid value other than the default."""
    if setting.key in SAMPLES:
        return SAMPLES[setting.key]
    default = setting.default_value()
    if setting.choices:
        return next(choice for choice in setting.choices if choice != default)
    if setting.kind is int:
        if setting.validator is not None:  # the zoom: 0 or 20..240
            return 120
        high = setting.maximum if setting.maximum is not None else 1_000_000
        return int(high) if high != default else int(high) - 1
    if setting.kind is QByteArray:
        return QByteArray(b"\x00\x01saved, state\n")
    assert setting.kind is str
    return "/home/op/Ünïcödé folder, with a comma"


def _bad(setting: s.Setting[Any]) -> object:
    if setting.key in BAD:
        return BAD[setting.key]
    if setting.choices:
        return "something else" if setting.kind is str else 999_999
    if setting.kind is int:
        return "not a number" if setting.minimum is None else int(setting.minimum) - 1
    return ["a", "list"]  # what a hand-edited "a, b" reads back as


ALL = list(s.SETTINGS.values())


@pytest.mark.parametrize("setting", ALL, ids=[setting.key for setting in ALL])
def test_every_setting_round_trips_through_the_file(
    setting: s.Setting[Any], tmp_path: Path
) -> None:
    settings = _file(tmp_path)
    assert setting.read(settings) == setting.default_value()  # missing: the default
    value = _sample(setting)
    assert setting.problem(value) is None
    setting.write(value, settings)
    settings.sync()
    assert setting.read(_file(tmp_path)) == value  # a fresh read of the INI text
    setting.reset(settings)
    assert setting.read(settings) == setting.default_value()


@pytest.mark.parametrize("setting", ALL, ids=[setting.key for setting in ALL])
def test_a_bad_stored_value_reads_as_the_default_and_is_never_written(
    setting: s.Setting[Any], tmp_path: Path
) -> None:
    settings = _file(tmp_path)
    bad = _bad(setting)
    settings.setValue(setting.key, bad)
    settings.sync()
    assert setting.read(_file(tmp_path)) == setting.default_value()
    if isinstance(bad, list) and setting.kind is str:
        return  # a list cannot be written through a str setting in typed code anyway
    settings.remove(setting.key)
    with pytest.raises(s.SettingError) as refused:
        setting.write(bad, settings)
    sentence = str(refused.value)
    assert setting.label in sentence or str(bad) in sentence  # says what it refused
    assert sentence.endswith(".")
    assert settings.value(setting.key) is None


def test_every_key_is_declared_once_and_the_old_names_still_work(tmp_path: Path) -> None:
    keys = [setting.key for setting in ALL]
    assert len(keys) == len(set(keys))
    for name in dir(s):
        if name.startswith("KEY_"):
            assert getattr(s, name) in s.SETTINGS, name
    assert s.DEFAULT_PLAYLOG_WEEKS_KEPT == 12 and s.DEFAULT_PLAYLOG_TOLERANCE == 30
    settings = _file(tmp_path)
    settings.setValue(s.KEY_PLAYLOG_WEEKS_KEPT, "0")
    settings.setValue(s.KEY_PLAYLOG_TOLERANCE, "45")
    assert s.playlog_weeks_kept(settings) == 12
    assert s.playlog_tolerance_seconds(settings) == 45
    settings.setValue(s.KEY_STATION_MAX_RATING, "TV-PG")
    assert s.station_max_rating(settings) == "TV-PG"
    settings.setValue(s.KEY_STATION_MAX_RATING, "")
    assert s.station_max_rating(settings) is None
    settings.setValue(s.KEY_STATION_TIME_ZONE, "Nowhere/Special")
    assert s.station_time_zone(settings) == s.system_time_zone()
    assert s.stream_url_template(settings) == s.STREAM_URL_TEMPLATE.default
    operator = {setting.key for setting in s.operator_settings()}
    assert s.KEY_GEOMETRY not in operator and s.KEY_PLAYLOG_TOLERANCE in operator


def test_int_setting_and_put_use_the_app_settings() -> None:
    s.put(s.KEY_SNAP, 30)
    assert s.int_setting(s.KEY_SNAP, 15) == 30
    s.put(s.KEY_SNAP, 7)  # not a choice
    assert s.int_setting(s.KEY_SNAP, 15) == 15
    s.put("undeclared/number", "12")
    assert s.int_setting("undeclared/number", 3) == 12
    s.put("undeclared/number", "twelve")
    assert s.int_setting("undeclared/number", 3) == 3
    s.app_settings().remove(s.KEY_SNAP)
    s.app_settings().remove("undeclared/number")


def test_sync_and_validation_options_come_from_the_settings(tmp_path: Path) -> None:
    settings = _file(tmp_path)
    defaults = s.sync_options(settings)
    assert (defaults.timeout, defaults.concurrency) == (SyncOptions().timeout, 4)
    assert s.validation_options(settings) == s.ValidationOptions(16, 5.0)
    s.PLEX_TIMEOUT.write(90, settings)
    s.PLEX_CONCURRENCY.write(8, settings)
    s.VALIDATION_WORKERS.write(4, settings)
    s.VALIDATION_TIMEOUT.write(20, settings)
    options = s.sync_options(settings)
    assert (options.timeout, options.concurrency) == (90.0, 8)
    assert s.plex_timeout_seconds(settings) == 90.0
    assert s.validation_options(settings) == s.ValidationOptions(4, 20.0)


def test_database_location_setting(tmp_path: Path) -> None:
    settings = _file(tmp_path)
    assert s.database_location_setting(settings) is None
    s.DATABASE_LOCATION.write(str(tmp_path / "radio.db"), settings)
    assert s.database_location_setting(settings) == str(tmp_path / "radio.db")
    settings.setValue(s.KEY_DATABASE_LOCATION, "   ")
    assert s.database_location_setting(settings) is None


def test_the_database_url_is_resolved_in_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(ENV_DATABASE_URL, raising=False)
    flag, env = "sqlite:///" + str(tmp_path / "flag.db"), "postgresql+psycopg://x@h/env"
    configured = str(tmp_path / "configured.db")
    assert resolve_database_url(None) == default_database_url()
    assert resolve_database_url(None, None) == default_database_url()
    assert resolve_database_url(None, "") == default_database_url()
    assert resolve_database_url(None, configured) == f"sqlite:///{configured}"
    assert resolve_database_url(None, "postgresql://a@b/c") == "postgresql://a@b/c"
    assert resolve_database_url(flag, configured) == flag
    monkeypatch.setenv(ENV_DATABASE_URL, env)
    assert resolve_database_url(None, configured) == env
    assert resolve_database_url(flag, configured) == flag
    assert resolve_database_url(None) == env
    assert location_url("~/radio.db") == f"sqlite:///{Path.home() / 'radio.db'}"
