"""The app's own icons (hand-drawn SVGs in resources/), loaded once through
importlib.resources so they work from a checkout, a wheel and a bundle alike."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QByteArray, QRectF, QSize, Qt
from PySide6.QtGui import QIcon, QImage, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from retrovue_desktop.assets import resource_bytes

APP = "retrovue"
LIBRARIES = "tab-libraries"
CONTENT = "tab-content"
TAGS = "tab-tags"
SCHEDULE = "tab-schedule"
PLAY_LOG = "tab-play-log"
NAMES = (APP, LIBRARIES, CONTENT, TAGS, SCHEDULE, PLAY_LOG)
TAB_ICONS = (LIBRARIES, CONTENT, TAGS, SCHEDULE, PLAY_LOG)  # in the main window's tab order

# Pre-rendered sizes: small for tabs and menus, larger for the window and the dock.
SIZES = (16, 20, 24, 32, 48, 64, 128, 256)


@cache
def icon(name: str) -> QIcon:
    """The icon `name` (one of NAMES, without ".svg"), rendered from its SVG.

    Raises FileNotFoundError for a name that has no SVG in resources/."""
    data = QByteArray(resource_bytes(f"{name}.svg"))
    renderer = QSvgRenderer(data)
    if not renderer.isValid():
        raise ValueError(f"resources/{name}.svg is not a valid SVG")
    result = QIcon()
    for size in SIZES:
        result.addPixmap(_render(renderer, size))
    return result


def _render(renderer: QSvgRenderer, size: int) -> QPixmap:
    """One crisp pixmap per size: drawn from the vector, not scaled from another size."""
    image = QImage(QSize(size, size), QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return QPixmap.fromImage(image)
