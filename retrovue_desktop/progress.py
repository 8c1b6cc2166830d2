"""The contract between long work and whoever runs it (a QThread job, the command line).

Domain functions take a progress callback (phase, done, total) and a cancel check that
they call between batches; these are their types and their do-nothing defaults.
"""

from __future__ import annotations

from collections.abc import Callable

ProgressFn = Callable[[str, int, int], None]
CancelFn = Callable[[], bool]


def no_progress(_phase: str, _done: int, _total: int) -> None:
    """Progress nobody watches."""


def never_cancelled() -> bool:
    """A cancel check for work nobody can cancel."""
    return False
