"""The durable print queue: one row per ticket, in the orders database.

The jobs are inserted by the transaction that inserts the order (``OrderStore.on_placed``),
so an order committed has its tickets queued and an order rolled back has none: no
window in which a crash loses a ticket. A job is marked printed only after the printer
confirmed it; until then it stays queued across printer outages and kiosk restarts.

Exactly once, and its one limit: a worker claims a job ("sending", with its host and
process id) before writing it and marks it printed after the printer's confirmation.
If the kiosk dies between the two, nobody knows whether the paper came out; the job is
printed again, headed "재출력 / REPRINT", once its claimer is known dead (same host:
its process is gone; another host: after ``LEASE_S``). Duplicates are thus marked and
limited to that instant; nothing is ever lost.
"""

from __future__ import annotations

import os
import socket
import sqlite3
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS print_jobs (
    id          INTEGER PRIMARY KEY,
    order_id    INTEGER NOT NULL REFERENCES orders(id),
    ticket      TEXT    NOT NULL,                 -- 'receipt' or 'kitchen'
    state       TEXT    NOT NULL DEFAULT 'queued',  -- queued, sending, printed, failed
    attempts    INTEGER NOT NULL DEFAULT 0,
    reprint     INTEGER NOT NULL DEFAULT 0,       -- a claimer died mid-send: say so on paper
    claimed_by  TEXT,                             -- host:pid:token while sending
    claimed_at  REAL,
    printed_at  TEXT,
    last_error  TEXT    NOT NULL DEFAULT '',
    UNIQUE (order_id, ticket)
);
CREATE INDEX IF NOT EXISTS print_jobs_state ON print_jobs(state);
"""

LEASE_S = 120.0  # a claim from another host is trusted this long (a slow serial ticket is ~15 s)


@dataclass(frozen=True)
class Job:
    id: int
    order_id: int
    ticket: str
    reprint: bool
    attempts: int


def worker_token() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def claimer_is_dead(claimed_by: str, claimed_at: float, now: float) -> bool:
    host, _, rest = claimed_by.partition(":")
    pid_text = rest.partition(":")[0]
    if host == socket.gethostname() and pid_text.isdigit():
        if int(pid_text) == os.getpid():
            return False  # this process: its own worker finishes or releases it
        try:
            os.kill(int(pid_text), 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            return False
        return False
    return now - claimed_at > LEASE_S


class PrintQueue:
    """The ``print_jobs`` table of ``db_path`` (the kiosk's orders.sqlite3)."""

    def __init__(self, db_path: str | Path, tickets: tuple[str, ...]) -> None:
        self.tickets = tickets
        self._db = sqlite3.connect(db_path, isolation_level=None, timeout=10,
                                   check_same_thread=False)
        self._db.execute("PRAGMA busy_timeout=10000")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(SCHEMA)
        self._lock = threading.Lock()

    def close(self) -> None:
        self._db.close()

    def enqueue_in(self, db: sqlite3.Connection, order_id: int) -> None:
        """Queue the order's tickets inside the caller's open transaction (the order's)."""
        db.executemany("INSERT OR IGNORE INTO print_jobs (order_id, ticket) VALUES (?, ?)",
                       [(order_id, t) for t in self.tickets])

    def claim(self, token: str) -> Job | None:
        """The oldest queued job, now "sending" for ``token``; None when there is none.
        Jobs left "sending" by a dead claimer are queued again first, as reprints."""
        now = time.time()
        with self._lock:
            db = self._db
            db.execute("BEGIN IMMEDIATE")
            try:
                for job_id, by, at in db.execute(
                        "SELECT id, claimed_by, claimed_at FROM print_jobs WHERE state = 'sending'"
                        ).fetchall():
                    if by != token and claimer_is_dead(by or "", at or 0.0, now):
                        db.execute("UPDATE print_jobs SET state = 'queued', reprint = 1 WHERE id = ?",
                                   (job_id,))
                row = db.execute("SELECT id, order_id, ticket, reprint, attempts FROM print_jobs"
                                 " WHERE state = 'queued' ORDER BY id LIMIT 1").fetchone()
                if row is not None:
                    db.execute("UPDATE print_jobs SET state = 'sending', claimed_by = ?,"
                               " claimed_at = ? WHERE id = ?", (token, now, row[0]))
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
        return None if row is None else Job(row[0], row[1], row[2], bool(row[3]), row[4])

    def mark_printed(self, job: Job, token: str) -> None:
        with self._lock:
            self._db.execute(
                "UPDATE print_jobs SET state = 'printed', printed_at = ?, attempts = attempts + 1"
                " WHERE id = ? AND claimed_by = ?",
                (time.strftime("%Y-%m-%dT%H:%M:%S"), job.id, token))

    def release(self, job: Job, token: str, error: str, maybe_printed: bool = False) -> None:
        """The printer did not take it: queued again, for the next try; ``maybe_printed``
        (it was sent but not confirmed) makes the next try a reprint."""
        with self._lock:
            self._db.execute(
                "UPDATE print_jobs SET state = 'queued', attempts = attempts + 1, last_error = ?,"
                " reprint = reprint OR ? WHERE id = ? AND claimed_by = ? AND state = 'sending'",
                (error[:300], maybe_printed, job.id, token))

    def fail(self, job: Job, token: str, error: str) -> None:
        """The ticket cannot be made (its order is unreadable): set aside with the reason,
        so it does not hold up the queue; it stays in the table for staff."""
        with self._lock:
            self._db.execute(
                "UPDATE print_jobs SET state = 'failed', attempts = attempts + 1, last_error = ?"
                " WHERE id = ? AND claimed_by = ?", (error[:300], job.id, token))

    def waiting(self) -> int:
        """Tickets not yet printed (queued or being sent)."""
        with self._lock:
            (n,) = self._db.execute(
                "SELECT COUNT(*) FROM print_jobs WHERE state IN ('queued', 'sending')").fetchone()
        return int(n)

    def jobs(self, order_id: int) -> list[tuple[str, str, int]]:
        """(ticket, state, attempts) of one order's jobs, for staff and tests."""
        with self._lock:
            return [tuple(r) for r in self._db.execute(
                "SELECT ticket, state, attempts FROM print_jobs WHERE order_id = ? ORDER BY id",
                (order_id,))]
