"""OrderStore additions for the shop: staff queue, paid marks, day summary, journal."""

from __future__ import annotations

import pytest
from shop_helpers import FakeClock, lines
from untact.shop.orders import OrderStore


@pytest.fixture
def store(tmp_path):
    clock = FakeClock()
    s = OrderStore(tmp_path, now=clock)
    s.clock = clock
    yield s
    s.close()


def test_status_moves_forward_only(store):
    o = store.place(lines(), 4500, "ko")
    assert o.status == "new"
    assert store.set_status(o.id, "preparing").status == "preparing"
    assert store.set_status(o.id, "preparing").status == "preparing"  # double tap: no-op
    with pytest.raises(ValueError, match="cannot become new"):
        store.set_status(o.id, "new")
    assert store.set_status(o.id, "ready").status == "ready"
    assert store.set_status(o.id, "collected").status == "collected"
    with pytest.raises(ValueError, match="cannot become ready"):
        store.set_status(o.id, "ready")
    with pytest.raises(ValueError, match="unknown status"):
        store.set_status(o.id, "eaten")
    with pytest.raises(KeyError):
        store.set_status(9999, "collected")
    assert [e for _, e in store.events(o.id)] == ["preparing", "ready", "collected"]
    skipping = store.place(lines(), 4500, "ko")
    assert store.set_status(skipping.id, "ready").status == "ready"  # new -> ready


def test_rows_written_as_served_read_as_collected(store):
    """Databases of older versions say 'served': it means collected, and stays final."""
    o = store.place(lines(), 4500, "ko")
    store._db.execute("UPDATE orders SET status = 'served' WHERE id = ?", (o.id,))
    assert store.get(o.id).status == "collected"
    assert store.day_rows()[0].status == "collected"
    assert store.summary().by_status["collected"] == 1
    assert store.queue() == []
    with pytest.raises(ValueError, match="cannot become ready"):
        store.set_status(o.id, "ready")


def test_queue_lists_uncollected_orders_of_the_day(store):
    a = store.place(lines(), 4500, "ko")
    b = store.place(lines(), 4500, "en")
    c = store.place(lines(), 4500, "ko")
    d = store.place(lines(), 4500, "ko")
    store.set_status(b.id, "collected")
    store.set_status(c.id, "preparing")
    store.set_status(d.id, "ready")
    assert [(o.number, o.status) for o in store.queue()] == [(1, "new"), (3, "preparing"),
                                                            (4, "ready")]
    store.set_status(d.id, "collected")
    store.clock.advance(days=1)
    assert store.queue() == []
    assert [o.id for o in store.queue(a.day)] == [a.id, c.id]


def test_summary_and_mark_paid(store):
    store.place(lines(), 4500, "ko")  # counter, unpaid
    o2 = store.place(lines(qty=2), 9000, "ko", payment="card", paid=True)
    o3 = store.place(lines(), 5000, "en")
    store.set_status(o2.id, "collected")
    s = store.summary()
    assert (s.count, s.total, s.paid_total, s.unpaid_total) == (3, 18500, 9000, 9500)
    assert s.by_payment == {"counter": 9500, "card": 9000}
    assert s.by_status == {"new": 2, "preparing": 0, "ready": 0, "collected": 1}
    assert store.mark_paid(o3.id).paid
    assert store.mark_paid(o3.id).paid  # idempotent
    assert store.summary().unpaid_total == 4500
    assert [e for _, e in store.events(o3.id)] == ["paid"]
    store.clock.advance(days=1)
    assert store.summary().count == 0
    assert store.days() == [o2.day]


def test_payment_journal_places_only_approved(store):
    a = store.begin_payment("card-sim", 4500, lines(), "ko")
    assert store.finish_payment(a, "declined") is None
    b = store.begin_payment("card-sim", 4500, lines(), "ko")
    order = store.finish_payment(b, "approved", reference="SIM-1")
    assert order.paid and order.payment == "card-sim" and order.number == 1
    assert store.finish_payment(b, "approved").id == order.id  # idempotent, no second order
    assert store.finish_payment(a, "approved") is None  # a declined attempt stays declined
    c = store.begin_payment("card-sim", 4500, lines(), "ko")
    assert [p["id"] for p in store.unresolved_payments()] == [c]
    assert [o.id for o in store.for_day()] == [order.id]


def test_state_survives_reopening(tmp_path):
    clock = FakeClock()
    s = OrderStore(tmp_path, now=clock)
    o = s.place(lines(), 4500, "ko")
    s.set_status(o.id, "preparing")
    s.close()
    s2 = OrderStore(tmp_path, now=clock)
    assert s2.get(o.id).status == "preparing"
    assert s2.place(lines(), 4500, "ko").number == 2
    s2.close()


def test_page_through_a_day(store):
    for _ in range(7):
        store.place(lines(), 4500, "ko")
    assert [o.number for o in store.page(limit=3)] == [7, 6, 5]
    assert [o.number for o in store.page(offset=3, limit=3)] == [4, 3, 2]
    assert [o.number for o in store.page(offset=6, limit=3)] == [1]
    assert [o.number for o in store.page(limit=2, newest_first=False)] == [1, 2]


def test_day_rows_match_the_orders(store):
    store.place(lines(), 4500, "ko")
    o2 = store.place(lines(qty=2), 9000, "en", payment="card-sim", paid=True)
    store.set_status(o2.id, "collected")
    rows = store.day_rows()
    full = store.for_day()
    assert [(r.id, r.number, r.created_at, r.total, r.payment, bool(r.paid), r.status)
            for r in rows] == [(o.id, o.number, o.created_at, o.total, o.payment, o.paid,
                                o.status) for o in full]
