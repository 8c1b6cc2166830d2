"""Schedule grid benchmark: a full week must draw at once and drag at 60 frames a second.

A channel whose week is filled every half hour (7 x 48 = 336 blocks) is shown in the
week grid under an offscreen QApplication, 1280 x 800 at the default zoom. An event
filter on the viewport times every Paint event (it runs the paint itself and stops the
event, so the time is the paint's own). Measured:

- first_draw_ms: set_blocks + show until the viewport's first paint has finished;
- drag frames: a block pressed and dragged by ~60 mouse moves across rows and days,
  events processed after each; frame_* is each viewport paint's duration (median, p95,
  max), move_* the whole handling of one move (preview, overlap check and its paints).

Targets: first draw <= 100 ms, drag frames <= 16 ms.

    python -m benchmarks.schedule_grid [--moves 60]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from typing import Any

STRATEGIES = ("auto", "series", "specific", "collection")
FIRST_DRAW_TARGET_MS = 100.0
FRAME_TARGET_MS = 16.0


def full_week() -> list[Any]:
    """Every half hour of the week filled: 336 blocks, strategies and tags mixed."""
    from retrovue_desktop.scheduling.week import WeekBlock
    from retrovue_desktop.ui.week_grid import GridBlock

    blocks = []
    for day in range(7):
        for slot in range(48):
            block_id = day * 48 + slot + 1
            name = f"Programme {block_id} of the week"
            blocks.append(
                GridBlock(
                    WeekBlock(block_id, day, slot * 30, 30, name),
                    STRATEGIES[block_id % 4],
                    colour_key=f"genre:g{block_id % 9}",
                    problem="Its collection is gone." if block_id % 50 == 0 else None,
                )
            )
    return blocks


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(moves: int) -> dict[str, float]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEvent, QObject, QPoint, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from retrovue_desktop.ui.week_grid import WeekGrid

    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)

    class PaintTimer(QObject):
        """Runs each viewport paint itself, timing it, then stops the event."""

        def __init__(self, grid: WeekGrid) -> None:
            super().__init__()
            self.grid = grid
            self.paints: list[float] = []

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if watched is self.grid.viewport() and event.type() == QEvent.Type.Paint:
                started = time.perf_counter()
                self.grid.viewportEvent(event)
                self.paints.append((time.perf_counter() - started) * 1000)
                return True
            return False

    blocks = full_week()
    grid = WeekGrid()
    grid.set_now_provider(lambda: (3, 13 * 60))
    grid.resize(1280, 800)
    timer = PaintTimer(grid)
    grid.viewport().installEventFilter(timer)

    started = time.perf_counter()
    grid.set_blocks(blocks)
    grid.show()
    while not timer.paints:
        app.processEvents()
    first_draw_ms = (time.perf_counter() - started) * 1000
    first_paint_ms = timer.paints[0]
    app.processEvents()

    # Drag Tuesday's 13:00 block down and across, through free and taken places alike.
    grid.scroll_to_minute(12 * 60)
    app.processEvents()
    viewport = grid.viewport()
    start = grid.point_for(2, 13 * 60 + 15)
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    app.processEvents()
    timer.paints.clear()
    per_move: list[float] = []
    for step in range(1, moves + 1):
        offset = QPoint(round(grid.column_width() * 3 * step / moves), 5 * step)
        began = time.perf_counter()
        QTest.mouseMove(viewport, start + offset)
        app.processEvents()
        per_move.append((time.perf_counter() - began) * 1000)
    frames = list(timer.paints)
    assert grid.is_dragging(), "the press did not turn into a drag"
    if os.environ.get("SCHEDULE_GRID_SHOT"):
        grid.grab().save(os.environ["SCHEDULE_GRID_SHOT"])
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    app.processEvents()
    grid.close()
    return {
        "blocks": len(blocks),
        "first_draw_ms": round(first_draw_ms, 1),
        "first_paint_ms": round(first_paint_ms, 1),
        "moves": moves,
        "frames": len(frames),
        "frame_median_ms": round(statistics.median(frames), 2),
        "frame_p95_ms": round(_percentile(frames, 0.95), 2),
        "frame_max_ms": round(max(frames), 2),
        "move_median_ms": round(statistics.median(per_move), 2),
        "move_p95_ms": round(_percentile(per_move, 0.95), 2),
        "move_max_ms": round(max(per_move), 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=60)
    args = parser.parse_args(argv)
    figures = measure(args.moves)
    print(
        f"Schedule grid with {figures['blocks']} blocks: first draw {figures['first_draw_ms']} ms"
        f" (target <= {FIRST_DRAW_TARGET_MS:g}; the paint itself {figures['first_paint_ms']} ms);"
        f" drag over {figures['moves']} moves, {figures['frames']} frames: median"
        f" {figures['frame_median_ms']} ms, p95 {figures['frame_p95_ms']} ms, max"
        f" {figures['frame_max_ms']} ms (target <= {FRAME_TARGET_MS:g}); whole move median"
        f" {figures['move_median_ms']} ms, p95 {figures['move_p95_ms']} ms, max"
        f" {figures['move_max_ms']} ms"
    )
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
