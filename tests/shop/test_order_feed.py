"""LocalOrderFeed: the one-kiosk order stream staff screens read (shop/order_feed.py)."""

from __future__ import annotations

import multiprocessing
import threading
import time

import pytest
from shop_helpers import lines
from untact.shop.order_feed import LocalOrderFeed
from untact.shop.orders import OrderStore


@pytest.fixture
def feed(tmp_path):
    store = OrderStore(tmp_path)
    f = LocalOrderFeed(store)
    yield f
    f.close()
    store.close()


def test_orders_refs_and_forward_moves(feed):
    a = feed.store.place(lines(), 4500, "ko")
    b = feed.store.place(lines(qty=2), 9000, "en", payment="card", paid=True)
    got = feed.orders()
    assert [(o.ref, o.number, o.status, o.total, o.paid) for o in got] == [
        (f"local/{a.id}", 1, "new", 4500, False), (f"local/{b.id}", 2, "new", 9000, True)]
    assert got[0].lines == a.lines and got[0].day == a.day and got[0].kiosk == "local"
    assert feed.set_status(got[1].ref, "ready").status == "ready"  # skipping is allowed
    with pytest.raises(ValueError, match="cannot become preparing"):
        feed.set_status(got[1].ref, "preparing")
    for bad in ("local/999", "other/1", "nonsense", "local/x"):
        with pytest.raises(ValueError):
            feed.set_status(bad, "ready")
    assert feed.summary().by_status == {"new": 1, "preparing": 0, "ready": 1, "collected": 0}


def test_version_grows_with_every_change(feed):
    v0 = feed.version()
    o = feed.store.place(lines(), 4500, "ko")
    v1 = feed.version()
    assert v1 > v0
    feed.set_status(f"local/{o.id}", "preparing")
    v2 = feed.version()
    assert v2 > v1
    feed.set_status(f"local/{o.id}", "preparing")  # a double tap changes nothing
    assert feed.version() == v2
    feed.store.mark_paid(o.id)
    assert feed.version() > v2


def _place_in_another_process(folder: str) -> None:
    store = OrderStore(folder)
    store.place(lines(), 4500, "ko")
    store.close()


def test_wait_change_wakes_for_a_commit_by_another_process(feed, tmp_path):
    v = feed.version()
    assert feed.wait_change(v, 0.1) == v  # nothing happened: returns at the timeout
    woke: list[tuple[int, float]] = []

    def wait() -> None:
        t0 = time.monotonic()
        woke.append((feed.wait_change(v, 10.0), time.monotonic() - t0))

    waiter = threading.Thread(target=wait)
    waiter.start()
    proc = multiprocessing.get_context("spawn").Process(target=_place_in_another_process,
                                                          args=(str(tmp_path),))
    proc.start()
    proc.join(30)
    waiter.join(10)
    assert proc.exitcode == 0
    (version, waited_s), = woke
    assert version > v and waited_s < 10.0
    assert [o.number for o in feed.orders()] == [1]


def test_todays_orders_kept_decoded_still_follow_every_change(tmp_path):
    """orders() keeps today's orders decoded between calls: what another connection
    changes (status, paid, a new order) must still show, and another day reads afresh."""
    from shop_helpers import FakeClock

    clock = FakeClock()
    store = OrderStore(tmp_path, now=clock)
    other = OrderStore(tmp_path, now=clock)  # the kiosk's writer, say; the feed reads apart
    feed = LocalOrderFeed(store)
    try:
        a = other.place(lines(), 4500, "ko")
        first = feed.orders()
        assert [(o.number, o.status, o.paid) for o in first] == [(1, "new", False)]
        other.set_status(a.id, "ready")
        other.mark_paid(a.id)
        b = other.place(lines(qty=2), 9000, "en")
        again = feed.orders()
        assert [(o.number, o.status, o.paid) for o in again] == [(1, "ready", True), (2, "new", False)]
        assert again[1].lines == b.lines
        yesterday = a.day
        clock.advance(days=1)
        assert feed.orders() == []
        assert [o.number for o in feed.orders(yesterday)] == [1, 2]
    finally:
        feed.close()
        other.close()
        store.close()
