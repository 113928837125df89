import threading
from dataclasses import dataclass

import pytest
from untact.accessibility.bus import InputBus
from untact.accessibility.focus import FocusModel, reading_order
from untact.accessibility.intents import Intent, Kind, point, simple


@dataclass(eq=False)
class Box:
    name: str
    focus_box: tuple
    enabled: bool = True


def test_reading_order_rows_then_columns():
    # Kivy coordinates: y grows upwards, so the top row has the larger y.
    a = Box("a", (0, 100, 50, 40))
    b = Box("b", (60, 104, 50, 40))  # slightly misaligned, same row
    c = Box("c", (0, 0, 50, 40))
    assert [t.name for t in reading_order([c, b, a])] == ["a", "b", "c"]


def test_focus_wraps_and_skips_disabled():
    a, b, c = Box("a", (0, 100, 10, 10)), Box("b", (20, 100, 10, 10), False), Box("c", (40, 100, 10, 10))
    fm = FocusModel()
    fm.set_targets([c, b, a])
    assert fm.current is a
    assert fm.next() is c
    assert fm.next() is a  # wrapped, b skipped
    assert fm.previous() is c
    fm.set_targets([a, b, c], keep=c)
    assert fm.current is c


def test_focus_with_nothing_enabled_is_none():
    fm = FocusModel()
    fm.set_targets([Box("x", (0, 0, 1, 1), False)])
    assert fm.current is None and fm.next() is None


def test_bus_delivers_in_order_from_many_threads():
    wakes = []
    bus = InputBus(waker=lambda: wakes.append(1), maxlen=10_000)
    got = []
    bus.subscribe(got.append)

    def worker(n):
        for i in range(500):
            bus.post(Intent(Kind.POINT, x=n / 10, y=i / 500))

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert bus.drain() == 2000 and len(got) == 2000 and len(wakes) == 2000
    for n in range(4):  # per-thread order is kept
        ys = [i.y for i in got if i.x == n / 10]
        assert ys == sorted(ys)


def test_bus_is_bounded_and_survives_a_broken_handler():
    bus = InputBus(maxlen=3)
    seen = []

    def broken(_):
        raise RuntimeError("screen bug")

    bus.subscribe(broken)
    bus.subscribe(seen.append)
    for k in (Kind.NEXT, Kind.NEXT, Kind.SELECT, Kind.BACK):
        bus.post(simple(k))
    assert bus.dropped == 1
    bus.drain()
    assert [i.kind for i in seen] == [Kind.NEXT, Kind.SELECT, Kind.BACK]


def test_intents_validate_their_fields():
    with pytest.raises(ValueError):
        point(1.5, 0.2)
    with pytest.raises(TypeError):
        Intent("next")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        InputBus().post("NEXT")  # type: ignore[arg-type]
