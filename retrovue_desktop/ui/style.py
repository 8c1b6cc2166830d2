"""Look helpers shared across the panes: plain and muted labels, the colours that carry a
meaning (error, warning, outcomes, the grid's and timelines' fills), local times.

Every colour the app picks itself lives here, in a light and a dark variant; which one
applies follows the application palette (the system's light or dark scheme), and widgets
that set one through `set_tone` / `follow_palette` are restyled when the palette changes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QDateTime, QEvent, QLocale, QObject, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QLabel, QWidget

# Meanings with a colour: (on a light window, on a dark window). Each pair is chosen to
# reach a contrast of 4.5:1 against the window and base colours of common themes.
ERROR = "error"
SUCCESS = "success"
WARNING = "warning"
AS_PLANNED = "as_planned"
LATE = "late"
EARLY = "early"
UNPLANNED = "unplanned"
TONES: dict[str, tuple[str, str]] = {
    ERROR: ("#b3261e", "#ff9a90"),
    SUCCESS: ("#1e6e33", "#7fd69a"),
    WARNING: ("#6b4f00", "#f2cc60"),
    AS_PLANNED: ("#17702f", "#7fd69a"),
    LATE: ("#a34f00", "#f7b267"),
    EARLY: ("#0b61a4", "#8cc4ff"),
    UNPLANNED: ("#7b3fa0", "#d6a8f5"),
}
# A banner (read-only archive, a warning in a dialog): fill, border, text.
BANNER_LIGHT = ("#fff4ce", "#e0c060", "#3a2e00")
BANNER_DARK = ("#3b3217", "#8a7328", "#f6e7b0")


def is_dark(palette: QPalette | None = None) -> bool:
    """Whether the palette's window is dark: the scheme actually painted, which is what
    matters even when the platform reports no colour scheme (or a different one)."""
    if palette is None:
        palette = QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightnessF() < 0.5


def tone(name: str, palette: QPalette | None = None) -> QColor:
    """The colour of meaning `name` (ERROR, LATE…) for the current scheme."""
    light, dark = TONES[name]
    return QColor(dark if is_dark(palette) else light)


def tone_style(name: str) -> str:
    """A style sheet giving a label the colour of meaning `name`."""
    return f"color: {tone(name).name()};"


def error_style() -> str:
    """The style sheet of an error line, for the current scheme."""
    return tone_style(ERROR)


def banner_colours(palette: QPalette | None = None) -> tuple[QColor, QColor, QColor]:
    """(fill, border, text) of a notice banner for the current scheme."""
    return tuple(QColor(c) for c in (BANNER_DARK if is_dark(palette) else BANNER_LIGHT))  # type: ignore[return-value]


def banner_style(selector: str = "") -> str:
    """A style sheet for a warning label (no `selector`) or a banner frame whose labels
    take the banner's text colour (`selector` e.g. "#archiveBanner", its object name)."""
    fill, border, text = (c.name() for c in banner_colours())
    if not selector:
        return (
            f"background: {fill}; color: {text}; border: 1px solid {border};"
            " border-radius: 4px; padding: 6px;"
        )
    return (
        f"{selector} {{ background: {fill}; border: 1px solid {border}; }}"
        f" {selector} QLabel {{ color: {text}; background: transparent; border: none; }}"
    )


def set_banner(widget: QWidget, selector: str = "") -> None:
    """Give a warning label or banner frame (see banner_style) the banner look, kept
    right when the system switches between light and dark."""
    follow_palette(widget, lambda: widget.setStyleSheet(banner_style(selector)), "banner")


class _PaletteWatch(QObject):
    """Runs the registered restyles when the application palette changes (a widget with
    a style sheet is not told itself)."""

    def __init__(self) -> None:
        super().__init__()
        self.restyles: dict[tuple[int, str], Callable[[], None]] = {}

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ApplicationPaletteChange
            and watched is QGuiApplication.instance()
        ):
            for restyle in list(self.restyles.values()):
                restyle()
        return False


_watch: _PaletteWatch | None = None


def follow_palette(widget: QWidget, restyle: Callable[[], None], aspect: str = "") -> None:
    """Run `restyle` now and again whenever the application palette changes, for as long
    as `widget` lives (a later `restyle` for the same widget and `aspect` replaces the
    earlier one)."""
    global _watch
    app = QGuiApplication.instance()
    if _watch is None and app is not None:
        _watch = _PaletteWatch()
        app.installEventFilter(_watch)
    restyle()
    if _watch is None:
        return
    key = (id(widget), aspect)
    if key not in _watch.restyles:
        watch = _watch
        widget.destroyed.connect(lambda _obj=None, key=key: watch.restyles.pop(key, None))
    _watch.restyles[key] = restyle


def set_tone(widget: QWidget, name: str | None) -> None:
    """Colour a label's text with meaning `name` (None: the theme's own text colour),
    kept right when the system switches between light and dark."""
    widget.setProperty("retrovueTone", name or "")
    follow_palette(widget, lambda: widget.setStyleSheet(tone_style(name) if name else ""), "tone")


def plain_label(text: str = "") -> QLabel:
    """A label that never reads its text as HTML: titles and paths come from outside."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def say(label: QLabel, text: str, error: bool = False) -> None:
    """Show a notice line: the sentence, in the error colour when it reports a failure."""
    label.setText(text)
    set_tone(label, ERROR if error else None)
    label.show()


def muted(widget: QWidget) -> None:
    """Secondary text: the widget's text colour at two thirds, readable on any theme
    (a disabled label is too faint, and says "disabled" to screen readers)."""

    def restyle() -> None:
        palette = widget.palette()
        palette.setColor(QPalette.ColorRole.WindowText, muted_colour(QGuiApplication.palette()))
        widget.setPalette(palette)

    follow_palette(widget, restyle, "muted")


def muted_colour(palette: QPalette) -> QColor:
    """Secondary text painted by hand: the text colour at two thirds."""
    colour = QColor(palette.color(QPalette.ColorRole.WindowText))
    colour.setAlphaF(0.65)
    return colour


def mix(a: QColor, b: QColor, amount: float) -> QColor:
    """`a` moved `amount` (0…1) of the way to `b`, opaque."""
    return QColor.fromRgbF(
        a.redF() + (b.redF() - a.redF()) * amount,
        a.greenF() + (b.greenF() - a.greenF()) * amount,
        a.blueF() + (b.blueF() - a.blueF()) * amount,
    )


def luminance(colour: QColor) -> float:
    """Relative luminance (WCAG 2), 0 for black to 1 for white."""

    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.redF())
        + 0.7152 * channel(colour.greenF())
        + 0.0722 * channel(colour.blueF())
    )


def contrast(a: QColor, b: QColor) -> float:
    """The WCAG contrast ratio of two opaque colours (1 to 21; text wants 4.5)."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def over(colour: QColor, background: QColor) -> QColor:
    """A translucent `colour` as it shows painted over `background`."""
    return mix(background, QColor(colour.red(), colour.green(), colour.blue()), colour.alphaF())


# -- the week grid -----------------------------------------------------------------------


@dataclass(frozen=True)
class GridColours:
    """The week grid's canvas: derived from the palette's base and text colours so the
    grid sits in the theme, with a blue "today" and a red "now" that read on either."""

    background: QColor
    read_only: QColor
    today_tint: QColor
    hour_line: QColor
    half_hour_line: QColor
    column_line: QColor
    header_text: QColor
    today_text: QColor
    now: QColor
    now_text: QColor
    problem: QColor


def grid_colours(palette: QPalette | None = None) -> GridColours:
    if palette is None:
        palette = QGuiApplication.palette()
    dark = is_dark(palette)
    base = palette.color(QPalette.ColorRole.Base)
    text = palette.color(QPalette.ColorRole.Text)
    window = palette.color(QPalette.ColorRole.Window)
    return GridColours(
        background=base,
        read_only=mix(base, window, 0.6),
        today_tint=mix(base, QColor("#4c8df6"), 0.09 if dark else 0.04),
        hour_line=mix(base, text, 0.16 if dark else 0.12),
        half_hour_line=mix(base, text, 0.08 if dark else 0.05),
        column_line=mix(base, text, 0.16 if dark else 0.12),
        header_text=mix(text, base, 0.3),
        today_text=QColor("#8cc4ff" if dark else "#1a5fc8"),
        now=QColor("#d93025"),
        now_text=QColor("#ffffff"),
        problem=QColor("#ff6b61" if dark else "#c5221f"),
    )


def dark_block_colours(accent: QColor) -> tuple[QColor, QColor, QColor]:
    """(fill, accent, text) of a grid block of hue `accent` in the dark scheme: a deep
    tinted fill, a lighter accent, near-white tinted text."""
    hue = max(accent.hslHueF(), 0.0)
    saturation = accent.hslSaturationF()
    return (
        QColor.fromHslF(hue, saturation * 0.45, 0.22),
        QColor.fromHslF(hue, min(saturation, 0.7), 0.62),
        QColor.fromHslF(hue, saturation * 0.5, 0.9),
    )


# -- timelines ---------------------------------------------------------------------------


def band_colours(palette: QPalette | None = None) -> tuple[QColor, QColor, QColor, QColor]:
    """The rundown's block-window bands: two alternating fills, their edge, their text."""
    if is_dark(palette):
        return QColor("#2c3a4f"), QColor("#34455e"), QColor("#7d95b8"), QColor("#e3eaf5")
    return QColor("#dbe4f0"), QColor("#e7edf5"), QColor("#7b8da8"), QColor("#1f2a3a")


def chip_palette(hue: float, palette: QPalette | None = None) -> tuple[QColor, QColor, QColor]:
    """A tag chip of `hue` (0…1): (background, border, text)."""
    if is_dark(palette):
        return (
            QColor.fromHslF(hue, 0.35, 0.26),
            QColor.fromHslF(hue, 0.4, 0.5),
            QColor("#f1f1f1"),
        )
    return QColor.fromHslF(hue, 0.6, 0.9), QColor.fromHslF(hue, 0.4, 0.65), QColor("#1f1f1f")


def local_time_text(epoch_seconds: int) -> str:
    """A moment in the operator's time zone and locale, short form."""
    moment = QDateTime.fromSecsSinceEpoch(int(epoch_seconds)).toLocalTime()
    locale = QLocale()
    if locale.language() == QLocale.Language.C:  # no locale set: ISO reads everywhere
        return moment.toString("yyyy-MM-dd HH:mm")
    return locale.toString(moment, QLocale.FormatType.ShortFormat)
