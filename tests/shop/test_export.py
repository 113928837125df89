"""CSV export: matches SQLite, each order exactly once, atomic, resumes after a crash."""

from __future__ import annotations

import csv
import io
import os

import pytest
from shop_helpers import FakeClock, lines
from untact.shop import export
from untact.shop.orders import OrderStore


@pytest.fixture
def store(tmp_path):
    clock = FakeClock()
    s = OrderStore(tmp_path / "data", now=clock)
    s.clock = clock
    yield s
    s.close()


def read_rows(path):
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: spreadsheets read Korean correctly
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def test_csv_matches_sqlite(store, tmp_path):
    stick = tmp_path / "usb"
    stick.mkdir()
    store.place(lines(qty=2, size="large"), 10000, "ko")
    o2 = store.place(lines("croissant", 1, 3800), 3800, "en", payment="card", paid=True)
    store.set_status(o2.id, "collected")
    res = export.export_day(store, store.clock.now.date(), stick)
    assert res.orders == 2 and [f.name for f in res.files] == ["untact-orders-2026-03-14-001.csv"]
    rows = read_rows(res.files[0])
    db = store.for_day("2026-03-14")
    assert len(rows) == len(db)
    for row, o in zip(rows, db, strict=True):
        assert int(row["order_id"]) == o.id and int(row["number"]) == o.number
        assert row["day"] == o.day and row["created_at"] == o.created_at
        assert int(row["total"]) == o.total and row["payment"] == o.payment
        assert row["paid"] == ("yes" if o.paid else "no") and row["status"] == o.status
        assert int(row["item_count"]) == sum(ln["quantity"] for ln in o.lines)
    assert rows[0]["items"] == "아메리카노 x2 [size=large]"
    assert not [p for p in stick.iterdir() if p.name.endswith(".tmp")]


def test_each_order_exported_exactly_once(store, tmp_path):
    stick = tmp_path / "usb"
    stick.mkdir()
    day = "2026-03-14"
    for _ in range(3):
        store.place(lines(), 4500, "ko")
    first = export.export_day(store, day, stick)
    again = export.export_day(store, day, stick)
    assert (first.orders, again.orders, again.files) == (3, 0, ())
    assert "새로 내보낼 주문이 없습니다" in again.describe("ko")
    store.place(lines(), 4500, "ko")
    store.place(lines(), 4500, "ko")
    third = export.export_day(store, day, stick)
    assert third.orders == 2 and third.files[0].name.endswith("-002.csv")
    ids = [int(r["order_id"]) for f in sorted(stick.glob("*.csv")) for r in read_rows(f)]
    assert sorted(ids) == sorted(o.id for o in store.for_day(day))
    assert len(ids) == len(set(ids)) == 5
    assert export.exported_order_ids(store, day) == set(ids)


def test_failed_write_is_retried_under_the_same_name(store, tmp_path, monkeypatch):
    stick = tmp_path / "usb"
    stick.mkdir()
    day = "2026-03-14"
    store.place(lines(), 4500, "ko")

    def pulled_stick(path, data):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(export, "write_atomically", pulled_stick)
    with pytest.raises(OSError):
        export.export_day(store, day, stick)
    monkeypatch.undo()
    assert list(stick.iterdir()) == [] and export.exported_order_ids(store, day) == set()
    store.place(lines(), 4500, "ko")  # arrives after the failed attempt
    res = export.export_day(store, day, stick)
    assert [f.name for f in res.files] == ["untact-orders-2026-03-14-001.csv",
                                           "untact-orders-2026-03-14-002.csv"]
    all_ids = [int(r["order_id"]) for f in res.files for r in read_rows(f)]
    assert sorted(all_ids) == [o.id for o in store.for_day(day)]


def test_claimed_batch_survives_a_crash(tmp_path):
    """Kill between claim and write: reopen the store and the batch is written, once."""
    clock = FakeClock()
    data, stick = tmp_path / "data", tmp_path / "usb"
    stick.mkdir()
    s = OrderStore(data, now=clock)
    s.place(lines(), 4500, "ko")
    export._claim(s, "2026-03-14")  # ... and the power goes
    s.close()
    s = OrderStore(data, now=clock)
    res = export.export_day(s, "2026-03-14", stick)
    assert res.orders == 1 and len(res.files) == 1
    assert export.export_day(s, "2026-03-14", stick).orders == 0
    s.close()


def test_bad_folder_and_day(store, tmp_path):
    with pytest.raises(FileNotFoundError, match="export folder not found"):
        export.export_day(store, "2026-03-14", tmp_path / "nope")
    with pytest.raises(ValueError):
        export.export_day(store, "14/03/2026", tmp_path)


def test_write_atomically_replaces(tmp_path):
    p = tmp_path / "a.csv"
    export.write_atomically(p, b"one")
    export.write_atomically(p, b"two")
    assert p.read_bytes() == b"two" and os.listdir(tmp_path) == ["a.csv"]
