"""Where the window keeps its state between runs.

An INI file in the user's config folder (QSettings' UserScope), so tests can point
XDG_CONFIG_HOME or QSettings.setPath at a temporary folder.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings

ORGANIZATION = "RetroVue"
APPLICATION = "RetroVue Desktop"

KEY_GEOMETRY = "mainWindow/geometry"
KEY_STATE = "mainWindow/state"
KEY_LAST_TAB = "mainWindow/lastTab"


def app_settings() -> QSettings:
    return QSettings(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION
    )
