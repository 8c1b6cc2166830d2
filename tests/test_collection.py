"""The garbage-collection pause: nested and concurrent pauses are counted, collection
resumes when the last ends (even after an error), and a collector that was off stays
off."""

from __future__ import annotations

import gc
import threading

import pytest

from retrovue_desktop.collection import collection_paused


def test_pauses_nest_and_resume_after_the_last() -> None:
    assert gc.isenabled()
    with collection_paused():
        assert not gc.isenabled()
        with collection_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(RuntimeError), collection_paused():
        raise RuntimeError("a build failed")
    assert gc.isenabled()


def test_overlapping_pauses_on_two_threads() -> None:
    inside = threading.Event()
    leave = threading.Event()

    def other() -> None:
        with collection_paused():
            inside.set()
            leave.wait(10)

    thread = threading.Thread(target=other)
    thread.start()
    assert inside.wait(10)
    with collection_paused():
        leave.set()
        thread.join(10)
        assert not gc.isenabled()  # the other pause ended, this one still holds
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    try:
        with collection_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
