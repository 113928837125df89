"""Orders: committed before numbered, numbered per day, never the same number twice."""

import datetime as dt
import sqlite3
import subprocess
import sys
import threading

from untact.shop.orders import OrderStore

LINE = [{"item": "americano", "quantity": 1, "unit_price": 4500}]


class Clock:
    def __init__(self, when: dt.datetime):
        self.when = when

    def __call__(self):
        return self.when


def test_numbers_restart_each_day(tmp_path):
    clock = Clock(dt.datetime(2026, 11, 21, 23, 59))
    store = OrderStore(tmp_path, now=clock)
    assert [store.place(LINE, 4500, "ko").number for _ in range(3)] == [1, 2, 3]
    clock.when = dt.datetime(2026, 11, 22, 0, 1)
    assert store.place(LINE, 4500, "en").number == 1
    assert [o.number for o in store.for_day("2026-11-21")] == [1, 2, 3]
    assert store.for_day(dt.date(2026, 11, 22))[0].language == "en"


def test_wal_and_full_sync_are_on(tmp_path):
    store = OrderStore(tmp_path)
    store.place(LINE, 4500, "ko")
    raw = sqlite3.connect(store.path)
    assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store._db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_two_processes_never_share_a_number(tmp_path):
    """Two kiosk processes on one database (a restart overlapping the old process)."""
    code = (
        "import sys; from untact.shop.orders import OrderStore\n"
        "s = OrderStore(sys.argv[1])\n"
        "for _ in range(40): print(s.place([{'item': 'x'}], 1, 'ko').number, flush=True)\n"
    )
    procs = [subprocess.Popen([sys.executable, "-c", code, str(tmp_path)], stdout=subprocess.PIPE, text=True)
             for _ in range(2)]
    numbers = []
    for p in procs:
        out, _ = p.communicate(timeout=120)
        assert p.returncode == 0
        numbers += [int(n) for n in out.split()]
    assert sorted(numbers) == list(range(1, 81))


def test_threads_share_one_store(tmp_path):
    store = OrderStore(tmp_path)
    got = []
    lock = threading.Lock()

    def worker():
        for _ in range(25):
            n = store.place(LINE, 4500, "ko").number
            with lock:
                got.append(n)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(got) == list(range(1, 101))


def test_an_empty_order_is_refused(tmp_path):
    import pytest

    with pytest.raises(ValueError):
        OrderStore(tmp_path).place([], 0, "ko")
