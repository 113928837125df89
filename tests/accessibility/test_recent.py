"""The bounded record behind the speech transcript and history (accessibility/recent.py)."""

import threading
import time

import pytest
from untact.accessibility.recent import Recent


def test_keeps_the_newest_and_slices_into_lists():
    r = Recent(3)
    for n in range(10):
        r.append(n)
    assert list(r) == [7, 8, 9] and len(r) == 3
    assert r[-1] == 9 and r[0] == 7
    assert r[-2:] == [8, 9] and r[:] == [7, 8, 9] and r[5:] == []


def test_refuses_to_keep_nothing():
    with pytest.raises(ValueError, match="at least one"):
        Recent(0)


def test_reading_while_another_thread_appends_never_raises():
    """A bare deque raises 'deque mutated during iteration' here within a few thousand reads."""
    r = Recent(1000)
    stop = threading.Event()

    def speaker():
        n = 0
        while not stop.is_set():
            r.append(n)
            n += 1

    thread = threading.Thread(target=speaker)
    thread.start()
    try:
        deadline = time.monotonic() + 5
        while len(r) < 1000:  # wait until the record is full and dropping as it appends
            assert time.monotonic() < deadline, "the appending thread never filled the record"
        for _ in range(5000):
            seen = [x for x in r if x >= 0]
            assert seen == sorted(seen) and len(seen) == 1000
            assert len(r[-40:]) == 40
    finally:
        stop.set()
        thread.join()
