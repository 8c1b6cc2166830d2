"""Guards against Qt binding regressions that would crash the app rather than fail a test."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    nobody_listens = Signal(bool)


def test_emitting_without_receivers_keeps_true_alive(qapp: object) -> None:
    """PySide6 6.12.0 dropped a reference to True on each emit() with no receiver: after
    enough emits (a day of progress signals) the interpreter aborts in bool_dealloc."""
    emitter = _Emitter()
    before = sys.getrefcount(True)
    for _ in range(1_000):
        emitter.nobody_listens.emit(False)
    assert sys.getrefcount(True) >= before - 10
