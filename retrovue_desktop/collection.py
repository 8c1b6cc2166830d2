"""Pausing Python's cyclic garbage collector during a large build on a worker thread.

A programme-log build makes a few hundred thousand long-lived objects (pools, rotation
trees). Each full collection the allocations trigger walks every object in the process
while holding the GIL; measured under the window, those walks stalled the UI thread for
30 to 50 ms. Reference counting still frees almost everything at once; only cycles wait
until the pause ends, when collection resumes as before. Nested and concurrent pauses
are counted, so collection resumes when the last one ends.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_was_enabled = True


@contextmanager
def collection_paused() -> Iterator[None]:
    """Run the body with cyclic collection off (reference counting still frees)."""
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
