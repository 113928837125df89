"""The kiosk's durable outbox: orders committed locally that the shop server lacks.

A SQLite trigger adds the outbox row in the very statement that inserts the order, so an
order can never be committed without it, whatever path placed it (a counter order, a
card payment finishing after a crash) and without any change to OrderStore. A row leaves
the outbox only after the server committed the order (see forwarder.py); until then it
survives restarts, power cuts and SIGKILL with the order itself. An order paid at the
counter later (staff on the kiosk's admin screen) goes back into the outbox the same
way, and the server then marks it paid (sending it twice changes nothing either).
"""

from __future__ import annotations

import json
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS sync_outbox (
    order_id INTEGER PRIMARY KEY REFERENCES orders(id)
);
CREATE TRIGGER IF NOT EXISTS sync_outbox_on_order AFTER INSERT ON orders
BEGIN
    INSERT INTO sync_outbox (order_id) VALUES (NEW.id);
END;
CREATE TRIGGER IF NOT EXISTS sync_outbox_on_paid AFTER UPDATE OF paid ON orders
    WHEN NEW.paid AND NOT OLD.paid
BEGIN
    INSERT OR IGNORE INTO sync_outbox (order_id) VALUES (NEW.id);
END;
"""


@dataclass(frozen=True)
class PendingOrder:
    local_id: int
    day: str
    number: int
    created_at: str
    lines_json: str
    total: int
    language: str
    payment: str
    paid: bool

    def submit_args(self) -> tuple[Any, ...]:
        return (self.local_id, self.day, self.number, self.created_at,
                json.dumps(json.loads(self.lines_json), ensure_ascii=False), self.total,
                self.language, self.payment, self.paid)


class Outbox:
    """Its own connection to the kiosk's orders database (WAL: it never blocks a sale)."""

    def __init__(self, db_path: str | Path) -> None:
        self._db = sqlite3.connect(db_path, isolation_level=None, timeout=10,
                                   check_same_thread=False)
        self._db.execute("PRAGMA busy_timeout=10000")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(SCHEMA)
        self._lock = threading.Lock()  # the forwarder, the heartbeat and status() share it

    def pending(self, limit: int = 200) -> list[PendingOrder]:
        with self._lock:
            rows = self._db.execute(
                "SELECT o.id, o.day, o.number, o.created_at, o.lines_json, o.total, o.language,"
                " o.payment, o.paid FROM sync_outbox b JOIN orders o ON o.id = b.order_id"
                " ORDER BY b.order_id LIMIT ?", (limit,)).fetchall()
        return [PendingOrder(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], bool(r[8])) for r in rows]

    def count(self) -> int:
        with self._lock:
            (n,) = self._db.execute("SELECT COUNT(*) FROM sync_outbox").fetchone()
        return int(n)

    def sent(self, local_ids: list[int]) -> None:
        """The server committed these: drop them (call only after its COMMIT returned)."""
        with self._lock:
            self._db.executemany("DELETE FROM sync_outbox WHERE order_id = ?",
                                 [(i,) for i in local_ids])

    def close(self) -> None:
        with self._lock:
            self._db.close()


__all__ = ["Outbox", "PendingOrder", "SCHEMA"]
