"""Crash test at store level: 200 real processes place orders and are SIGKILLed at random.

Each child prints an order's tag, day and number only after ``place()`` returned, which
is the moment the kiosk would show the number. Whatever the kill hit (start-up, schema
creation, the middle of a transaction, the fsync), every printed order must be in SQLite
exactly once, and each day's numbers must run 1..N without gaps or duplicates.
Children alternate between two days, several run at once (as two kiosks sharing a
database would). It kills densely inside the store (start-up, schema creation, many
orders a second); test_kiosk_crash.py does the same with 200 whole kiosks at checkout.
"""

from __future__ import annotations

import json
import os
import random
import selectors
import sqlite3
import subprocess
import sys
import time
from collections import Counter

import pytest

CHILD = r"""
import datetime as dt, sys
from untact.shop.orders import OrderStore
folder, tag = sys.argv[1], sys.argv[2]
days = (dt.datetime(2026, 3, 14, 12, 0), dt.datetime(2026, 3, 15, 12, 0))
i = 0
store = OrderStore(folder, now=lambda: days[i % 2])
print("ready", flush=True)
while True:
    line = {"item": "americano", "name": {"ko": "아메리카노"}, "choices": {},
            "quantity": 1, "unit_price": 4500, "tag": f"{tag}-{i}"}
    o = store.place([line], 4500, "ko")
    print(f"{tag}-{i} {o.day} {o.number} {o.id}", flush=True)
    i += 1
"""

PROCESSES = 200
AT_ONCE = 4
STARTUP_KILLS = 0.2  # this share is killed during start-up (imports, schema creation)


class Child:
    """One order-placing process, its output so far, and when it is to be killed."""

    def __init__(self, folder, tag: str, rng: random.Random) -> None:
        self.proc = subprocess.Popen([sys.executable, "-c", CHILD, str(folder), tag],
                                     stdout=subprocess.PIPE, bufsize=0)
        self.out = b""
        self.rng = rng
        self.during_startup = rng.random() < STARTUP_KILLS
        # start-up kills get a time now; the others get one once they print "ready"
        self.kill_at = time.monotonic() + rng.uniform(0.0, 0.2) if self.during_startup else None

    def read(self) -> bool:
        chunk = os.read(self.proc.stdout.fileno(), 65536)
        self.out += chunk
        if self.kill_at is None and self.out.startswith(b"ready\n"):
            self.kill_at = time.monotonic() + self.rng.uniform(0.0, 0.2)
        if not chunk and self.kill_at is None:
            self.kill_at = time.monotonic()  # it died by itself: reap it now (and fail)
        return bool(chunk)


@pytest.mark.slow
def test_sigkill_never_loses_or_duplicates_a_shown_order(tmp_path):
    rng = random.Random(20261122)
    folder = tmp_path / "data"
    printed: dict[str, tuple[str, int, int]] = {}
    running: list[Child] = []
    launched = killed_while_ordering = 0
    started = time.monotonic()
    sel = selectors.DefaultSelector()

    def reap(child: Child) -> None:
        nonlocal killed_while_ordering
        sel.unregister(child.proc.stdout)
        died_by_itself = child.proc.poll()
        child.proc.kill()  # SIGKILL: no handler, no flush, no atexit
        child.proc.wait(timeout=30)
        assert died_by_itself is None, f"a child exited on its own ({died_by_itself})"
        while child.read():  # what it printed before dying is still in the pipe
            pass
        child.proc.stdout.close()
        lines = child.out.decode().split("\n")
        complete = lines[:-1]  # a last line without its newline was never fully printed
        if complete and complete[0] == "ready":
            killed_while_ordering += 1
        for ln in complete[1:]:
            tag, day, number, oid = ln.split()
            assert tag not in printed
            printed[tag] = (day, int(number), int(oid))

    try:
        while launched < PROCESSES or running:
            while launched < PROCESSES and len(running) < AT_ONCE:
                child = Child(folder, f"p{launched}", rng)
                sel.register(child.proc.stdout, selectors.EVENT_READ, child)
                running.append(child)
                launched += 1
            now = time.monotonic()
            due = [c for c in running if c.kill_at is not None and c.kill_at <= now]
            for child in due:
                running.remove(child)
                reap(child)
            if due:
                continue
            deadlines = [c.kill_at for c in running if c.kill_at is not None]
            timeout = max(0.0, min(deadlines) - now) if deadlines else 1.0
            for key, _ in sel.select(timeout):  # output, or the next scheduled kill
                key.data.read()
            assert time.monotonic() - started < 120, "crash test is far too slow"
    finally:  # a failed assertion must not leave order-placing processes behind
        for child in running:
            child.proc.kill()
            child.proc.wait(timeout=30)
            child.proc.stdout.close()

    db = sqlite3.connect(folder / "orders.sqlite3")
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    rows = db.execute("SELECT id, day, number, lines_json FROM orders").fetchall()
    by_tag = Counter()
    where: dict[str, tuple[str, int, int]] = {}
    for oid, day, number, lines_json in rows:
        tag = json.loads(lines_json)[0]["tag"]
        by_tag[tag] += 1
        where[tag] = (day, number, oid)
    assert not [t for t, n in by_tag.items() if n > 1], "an order was stored twice"
    missing = [t for t in printed if t not in where]
    assert not missing, f"{len(missing)} shown orders lost, e.g. {missing[:3]}"
    assert all(where[t] == printed[t] for t in printed), "a shown number differs from SQLite"
    for day in ("2026-03-14", "2026-03-15"):
        numbers = sorted(n for d, n, _ in where.values() if d == day)
        assert numbers == list(range(1, len(numbers) + 1)), f"gap or duplicate on {day}"
    # the test must have really crashed processes mid-work, not only at start-up
    assert killed_while_ordering >= PROCESSES // 2 and len(printed) >= PROCESSES
    print(f"\n{launched} processes, {killed_while_ordering} killed while ordering, "
          f"{len(printed)} orders shown, {len(rows)} stored, "
          f"{time.monotonic() - started:.1f} s")
