"""Orders in SQLite: durable before the customer sees a number, numbered per day.

The order number is what the customer waits with at the counter, so an order is committed
(WAL, ``synchronous=FULL``) before :meth:`OrderStore.place` returns its number. Numbers
restart each day and never repeat within a day: ``UNIQUE(day, number)`` and the number is
chosen inside the same ``BEGIN IMMEDIATE`` transaction that inserts the row, so two kiosk
processes sharing a database cannot hand out the same number.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS orders (
    id          INTEGER PRIMARY KEY,
    day         TEXT    NOT NULL,              -- local date, YYYY-MM-DD
    number      INTEGER NOT NULL,              -- shown to the customer
    created_at  TEXT    NOT NULL,              -- local time, ISO 8601
    lines_json  TEXT    NOT NULL,
    total       INTEGER NOT NULL CHECK (total >= 0),
    language    TEXT    NOT NULL,
    payment     TEXT    NOT NULL,              -- e.g. 'counter', 'card'
    paid        INTEGER NOT NULL DEFAULT 0,
    status      TEXT    NOT NULL DEFAULT 'new',
    UNIQUE (day, number)
);
"""


@dataclass(frozen=True)
class Order:
    id: int
    day: str
    number: int
    created_at: str
    lines: list[dict]
    total: int
    language: str
    payment: str
    paid: bool
    status: str


class OrderStore:
    DB_NAME = "orders.sqlite3"

    def __init__(self, folder: str | Path, now: Callable[[], dt.datetime] = dt.datetime.now) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.path = self.folder / self.DB_NAME
        self._now = now
        self._lock = threading.RLock()  # one connection, shared by the UI and its writer thread
        self._db = sqlite3.connect(self.path, isolation_level=None, timeout=10,
                                   check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")  # an order survives a power cut
        self._db.execute("PRAGMA busy_timeout=10000")
        self._db.executescript(SCHEMA)

    def close(self) -> None:
        self._db.close()

    def place(self, lines: list[dict], total: int, language: str, payment: str = "counter",
              paid: bool = False) -> Order:
        """Store an order and return it with its number; committed when this returns."""
        if not lines:
            raise ValueError("an order needs at least one line")
        now = self._now()
        day = now.date().isoformat()
        with self._lock:
            return self._place(day, now, lines, total, language, payment, paid)

    def _place(self, day, now, lines, total, language, payment, paid) -> Order:
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            (last,) = db.execute("SELECT COALESCE(MAX(number), 0) FROM orders WHERE day = ?",
                                 (day,)).fetchone()
            number = last + 1
            cur = db.execute(
                "INSERT INTO orders (day, number, created_at, lines_json, total, language, payment, paid)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (day, number, now.isoformat(timespec="seconds"), json.dumps(lines, ensure_ascii=False),
                 total, language, payment, int(paid)))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return self.get(cur.lastrowid)

    def get(self, order_id: int) -> Order:
        with self._lock:
            row = self._db.execute("SELECT * FROM orders WHERE id = ?", (order_id,)).fetchone()
        if row is None:
            raise KeyError(order_id)
        return _order(row)

    def for_day(self, day: str | dt.date | None = None) -> list[Order]:
        day = (day or self._now().date())
        day = day.isoformat() if isinstance(day, dt.date) else day
        with self._lock:
            rows = self._db.execute("SELECT * FROM orders WHERE day = ? ORDER BY number", (day,)).fetchall()
        return [_order(r) for r in rows]


def _order(row: tuple) -> Order:
    (oid, day, number, created, lines_json, total, language, payment, paid, status) = row
    return Order(oid, day, number, created, json.loads(lines_json), total, language, payment,
                 bool(paid), status)
