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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from .order_database import open_database

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

# Added for the merchant's shop (issue 7). Separate tables, so the orders table and its
# rows stay exactly as written by older versions: nothing to migrate.
SHOP_SCHEMA = """
CREATE TABLE IF NOT EXISTS order_events (      -- status and payment history, for staff
    id          INTEGER PRIMARY KEY,
    order_id    INTEGER NOT NULL REFERENCES orders(id),
    at          TEXT    NOT NULL,
    event       TEXT    NOT NULL               -- 'preparing', 'ready', 'collected', 'paid'
);
CREATE INDEX IF NOT EXISTS order_events_order ON order_events(order_id);
CREATE INDEX IF NOT EXISTS orders_day_status ON orders(day, status);
CREATE TABLE IF NOT EXISTS payment_attempts (  -- journal: a card charge is never unrecorded
    id          INTEGER PRIMARY KEY,
    started_at  TEXT    NOT NULL,
    method      TEXT    NOT NULL,
    amount      INTEGER NOT NULL,
    lines_json  TEXT    NOT NULL,
    language    TEXT    NOT NULL,
    result      TEXT,                          -- NULL while the terminal is working
    reference   TEXT    NOT NULL DEFAULT '',
    finished_at TEXT,
    order_id    INTEGER REFERENCES orders(id)
);
CREATE TABLE IF NOT EXISTS export_batches (    -- one CSV file each (see shop/export.py)
    id          INTEGER PRIMARY KEY,
    day         TEXT    NOT NULL,
    seq         INTEGER NOT NULL,              -- 1, 2, ... per day: part of the file name
    created_at  TEXT    NOT NULL,
    filename    TEXT    NOT NULL,
    written_to  TEXT,                          -- folder, once the file is safely there
    UNIQUE (day, seq)
);
CREATE TABLE IF NOT EXISTS order_exports (     -- an order is in exactly one export
    order_id    INTEGER PRIMARY KEY REFERENCES orders(id),
    batch_id    INTEGER NOT NULL REFERENCES export_batches(id)
);
"""

#: The staff queue: an order moves forward only, skipping allowed (new -> ready); a
#: collected order is not un-collected. Rows written before 'ready' existed say 'served',
#: which reads as 'collected' (nothing is migrated: old databases stay as written).
STATUSES = ("new", "preparing", "ready", "collected")
LEGACY_STATUSES = {"served": "collected"}


def status_of(stored: str) -> str:
    """The status a stored value means today ('served' -> 'collected')."""
    return LEGACY_STATUSES.get(stored, stored)


def can_advance(current: str, new: str) -> bool:
    """True when ``new`` is a forward move from ``current`` (both current names)."""
    return (current in STATUSES and new in STATUSES
            and STATUSES.index(new) > STATUSES.index(current))


def inserted_id(cur: sqlite3.Cursor) -> int:
    """The id of the row the INSERT just run on ``cur`` added (None only before any)."""
    if cur.lastrowid is None:
        raise RuntimeError("no row was inserted")
    return cur.lastrowid


@dataclass(frozen=True)
class Order:
    id: int
    day: str
    number: int
    created_at: str
    lines: list[dict[str, Any]]
    total: int
    language: str
    payment: str
    paid: bool
    status: str


class OrderStore:
    DB_NAME = "orders.sqlite3"
    _number_after: Callable[[int], int] | None = None  # one of a shop's kiosks: use_numbering

    def __init__(self, folder: str | Path, now: Callable[[], dt.datetime] = dt.datetime.now,
                 fresh_if_damaged: bool = False) -> None:
        """Raises OrderDatabaseError (one line naming the file) when SQLite refuses the
        database; ``notice`` says when a damaged one was set aside (shop/order_database.py)."""
        self.folder = Path(folder)
        self.path = self.folder / self.DB_NAME
        self._now = now
        self._db, self.notice = open_database(self.path, self._create_tables, fresh_if_damaged)
        # One connection is shared by the UI thread and payment/export workers: a
        # transaction must not interleave with another thread's statements.
        self._lock = threading.RLock()
        self._placed_hooks: list[Callable[[sqlite3.Connection, int], None]] = []

    def on_placed(self, hook: Callable[[sqlite3.Connection, int], None]) -> None:
        """Run ``hook(db, order_id)`` inside the transaction that inserts each order, so
        what it writes (the order's print jobs) commits or rolls back with the order."""
        self._placed_hooks.append(hook)

    @staticmethod
    def _create_tables(db: sqlite3.Connection) -> None:
        db.executescript(SCHEMA)
        db.executescript(SHOP_SCHEMA)

    def close(self) -> None:
        # Under the lock: a reader thread (the attract screen's numbers) mid-query on a
        # connection closed under it crashes the process; after close it gets an error.
        with self._lock:
            self._db.close()

    def use_numbering(self, number_after: Callable[[int], int]) -> None:
        """Number as one of several kiosks of a shop: ``number_after(the day's last number)``
        gives the next (shop/sync/numbering.py says how)."""
        self._number_after = number_after

    def place(self, lines: list[dict[str, Any]], total: int, language: str, payment: str = "counter",
              paid: bool = False) -> Order:
        """Store an order and return it with its number; committed when this returns."""
        if not lines:
            raise ValueError("an order needs at least one line")
        with self._transaction() as db:
            order_id = self._insert_order(db, lines, total, language, payment, paid)
        return self.get(order_id)

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """``BEGIN IMMEDIATE`` ... ``COMMIT`` (rolled back on any error), one thread at a time."""
        with self._lock:
            db = self._db
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:  # SQLite may already have rolled back (disk full)
                    db.execute("ROLLBACK")
                raise

    def _insert_order(self, db: sqlite3.Connection, lines: list[dict[str, Any]], total: int, language: str,
                      payment: str, paid: bool) -> int:
        """Number and insert an order inside the caller's open transaction."""
        now = self._now()
        day = now.date().isoformat()
        (last,) = db.execute("SELECT COALESCE(MAX(number), 0) FROM orders WHERE day = ?",
                             (day,)).fetchone()
        number = last + 1 if self._number_after is None else self._number_after(last)
        cur = db.execute(
            "INSERT INTO orders (day, number, created_at, lines_json, total, language, payment,"
            " paid) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (day, number, now.isoformat(timespec="seconds"),
             json.dumps(lines, ensure_ascii=False), total, language, payment, int(paid)))
        order_id = inserted_id(cur)
        for hook in self._placed_hooks:
            hook(db, order_id)
        return order_id

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
            rows = self._db.execute("SELECT * FROM orders WHERE day = ? ORDER BY number",
                                    (day,)).fetchall()
        return [_order(r) for r in rows]

    def day_rows(self, day: str | dt.date | None = None) -> list[OrderRow]:
        """The whole day as list rows (number, time, total, payment, paid, status) without
        decoding each order's lines: for a scrolling list of a busy day (10,000 orders);
        open one with :meth:`get` to see its items."""
        with self._lock:
            rows = self._db.execute(
                "SELECT id, number, created_at, total, payment, paid, status FROM orders"
                " WHERE day = ? ORDER BY number", (self._day(day),)).fetchall()
        return [OrderRow._make((*r[:6], status_of(r[6]))) for r in rows]

    def page(self, day: str | dt.date | None = None, offset: int = 0, limit: int = 50,
             newest_first: bool = True) -> list[Order]:
        """One screenful of a day's orders (the admin list pages through a busy day
        instead of decoding 10,000 orders at once); ``summary().count`` gives the total."""
        order = "DESC" if newest_first else "ASC"
        with self._lock:
            rows = self._db.execute(
                f"SELECT * FROM orders WHERE day = ? ORDER BY number {order} LIMIT ? OFFSET ?",
                (self._day(day), max(0, limit), max(0, offset))).fetchall()
        return [_order(r) for r in rows]

    # --- staff: the order queue ---------------------------------------------------------

    def queue(self, day: str | dt.date | None = None) -> list[Order]:
        """Orders not yet collected (new, preparing, ready), oldest number first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT * FROM orders WHERE day = ? AND status IN ('new', 'preparing', 'ready')"
                " ORDER BY number", (self._day(day),)).fetchall()
        return [_order(r) for r in rows]

    def set_status(self, order_id: int, status: str) -> Order:
        """Move an order forward: new -> preparing -> ready -> collected (skipping allowed).

        Raises ValueError for an unknown status or a move backwards, KeyError for an
        unknown order. Setting the status it already has is a no-op (a double tap).
        """
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r} (one of {', '.join(STATUSES)})")
        with self._transaction() as db:
            row = db.execute("SELECT status FROM orders WHERE id = ?", (order_id,)).fetchone()
            if row is None:
                raise KeyError(order_id)
            current = status_of(row[0])
            if current != status:
                if not can_advance(current, status):
                    raise ValueError(f"order {order_id} is {current}; it cannot become {status}")
                db.execute("UPDATE orders SET status = ? WHERE id = ?", (status, order_id))
                self._event(db, order_id, status)
        return self.get(order_id)

    def mark_paid(self, order_id: int) -> Order:
        """Staff took the money at the counter (idempotent)."""
        with self._transaction() as db:
            row = db.execute("SELECT paid FROM orders WHERE id = ?", (order_id,)).fetchone()
            if row is None:
                raise KeyError(order_id)
            if not row[0]:
                db.execute("UPDATE orders SET paid = 1 WHERE id = ?", (order_id,))
                self._event(db, order_id, "paid")
        return self.get(order_id)

    def events(self, order_id: int) -> list[tuple[str, str]]:
        """(time, event) history of one order, oldest first."""
        with self._lock:
            return [tuple(r) for r in self._db.execute(
                "SELECT at, event FROM order_events WHERE order_id = ? ORDER BY id", (order_id,))]

    def _event(self, db: sqlite3.Connection, order_id: int, event: str) -> None:
        db.execute("INSERT INTO order_events (order_id, at, event) VALUES (?, ?, ?)",
                   (order_id, self._now().isoformat(timespec="seconds"), event))

    # --- the merchant's day ---------------------------------------------------------------

    def summary(self, day: str | dt.date | None = None) -> DaySummary:
        """Today's (or any day's) count and takings, computed by SQLite (no JSON parsing)."""
        day = self._day(day)
        with self._lock:
            count, total, paid_total = self._db.execute(
                "SELECT COUNT(*), COALESCE(SUM(total), 0),"
                " COALESCE(SUM(CASE WHEN paid THEN total ELSE 0 END), 0)"
                " FROM orders WHERE day = ?", (day,)).fetchone()
            by_payment = dict(self._db.execute(
                "SELECT payment, SUM(total) FROM orders WHERE day = ? GROUP BY payment", (day,)))
            by_status: dict[str, int] = {}
            for stored, n in self._db.execute(
                    "SELECT status, COUNT(*) FROM orders WHERE day = ? GROUP BY status", (day,)):
                by_status[status_of(stored)] = by_status.get(status_of(stored), 0) + n
        return DaySummary(day, count, total, paid_total, total - paid_total, by_payment,
                          {s: by_status.get(s, 0) for s in STATUSES})

    def days(self, limit: int = 60) -> list[str]:
        """Days that have orders, newest first (for the export screen's day picker)."""
        with self._lock:
            return [r[0] for r in self._db.execute(
                "SELECT DISTINCT day FROM orders ORDER BY day DESC LIMIT ?", (limit,))]

    def _day(self, day: str | dt.date | None) -> str:
        day = day or self._now().date()
        return day.isoformat() if isinstance(day, dt.date) else day

    # --- card payments: a journal, so a charge is never without a record ------------------

    def begin_payment(self, method: str, amount: int, lines: list[dict[str, Any]], language: str) -> int:
        """Record that a terminal is about to charge ``amount``; returns the attempt id.

        Committed before the terminal starts, so a power cut between the terminal's
        approval and :meth:`finish_payment` leaves an unresolved attempt for staff to
        check (see :meth:`unresolved_payments`) instead of a charge nobody knows about.
        """
        if not lines:
            raise ValueError("a payment needs at least one line")
        with self._transaction() as db:
            cur = db.execute(
                "INSERT INTO payment_attempts (started_at, method, amount, lines_json, language)"
                " VALUES (?, ?, ?, ?, ?)",
                (self._now().isoformat(timespec="seconds"), method, amount,
                 json.dumps(lines, ensure_ascii=False), language))
            return inserted_id(cur)

    def finish_payment(self, attempt_id: int, result: str, reference: str = "") -> Order | None:
        """Close a payment attempt. ``result == "approved"`` places the order paid, in the
        same transaction; any other result places nothing. Returns the order or None.

        Idempotent: finishing an attempt twice returns the first outcome.
        """
        with self._transaction() as db:
            row = db.execute("SELECT method, amount, lines_json, language, result, order_id"
                             " FROM payment_attempts WHERE id = ?", (attempt_id,)).fetchone()
            if row is None:
                raise KeyError(attempt_id)
            method, amount, lines_json, language, done, order_id = row
            if done is None:
                if result == "approved":
                    order_id = self._insert_order(db, json.loads(lines_json), amount, language,
                                                  method, True)
                db.execute("UPDATE payment_attempts SET result = ?, reference = ?, finished_at = ?,"
                           " order_id = ? WHERE id = ?",
                           (result, reference, self._now().isoformat(timespec="seconds"),
                            order_id, attempt_id))
        return None if order_id is None else self.get(order_id)

    def unresolved_payments(self) -> list[dict[str, Any]]:
        """Attempts the kiosk started but never finished (a crash mid-payment): staff
        check the terminal's own record and settle each by hand."""
        with self._lock:
            rows = self._db.execute(
                "SELECT id, started_at, method, amount, lines_json, language FROM payment_attempts"
                " WHERE result IS NULL ORDER BY id").fetchall()
        return [{"id": r[0], "started_at": r[1], "method": r[2], "amount": r[3],
                 "lines": json.loads(r[4]), "language": r[5]} for r in rows]


class OrderRow(NamedTuple):
    """One line of the admin's day list (``paid`` is 0/1 as stored)."""

    id: int
    number: int
    created_at: str
    total: int
    payment: str
    paid: int
    status: str


@dataclass(frozen=True)
class DaySummary:
    day: str
    count: int
    total: int  # won, all orders
    paid_total: int
    unpaid_total: int  # still to be taken at the counter
    by_payment: dict[str, int]  # payment method -> won
    by_status: dict[str, int]  # each of STATUSES -> number of orders


def _order(row: tuple[Any, ...]) -> Order:
    (oid, day, number, created, lines_json, total, language, payment, paid, status) = row
    return Order(oid, day, number, created, json.loads(lines_json), total, language, payment,
                 bool(paid), status_of(status))
