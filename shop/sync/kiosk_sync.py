"""A kiosk's side of the shop server: forward orders, follow the menu, report health.

Two daemon threads, each with its own connection, so a slow menu edit never delays an
order and neither ever touches the sale itself (the order is already committed locally):

- the **forwarder** sends the outbox's orders (``untact_submit``, a batch per
  transaction) and deletes them from the outbox only after the server's COMMIT returned.
  A connection lost before the answer leaves them in the outbox; they are sent again,
  and the server's (kiosk, local id) key makes the second copy a no-op: exactly once.
  Server down, network down, wrong password: it retries with backoff (0.25 s doubling to
  2 s) for as long as it takes, and the kiosk sells on;
- the **link** sends a heartbeat (devices, outbox size, staff call) every few seconds,
  closes the kiosk's staff call when staff acknowledged it on the counter tablet, applies
  menu changes (sold out, price, names) as they are published (LISTEN/NOTIFY; each one
  goes through MenuService, so it is validated, saved, and survives a restart offline),
  and keeps the shop's numbers not yet collected for the attract screen (``queue()``).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

import psycopg
import psycopg.errors

from ..menu_service import MenuEditRefused, MenuService
from ..orders import OrderStore
from ..staff_call import StaffCall
from .config import ServerConfig
from .outbox import Outbox, PendingOrder

log = logging.getLogger(__name__)

BACKOFF_FIRST_S = 0.25
LINK_WAKE_S = 0.25
BACKOFF_MAX_S = 2.0  # a few kiosks probing a down server: no load; back within 2 s


@dataclass(frozen=True)
class SyncStatus:
    online: bool  # the last attempt to reach the server worked
    pending: int  # orders committed here that the server does not have yet
    error: str  # why the server could not be reached, "" when online


class QueuedNumber(NamedTuple):
    number: int
    status: str  # new, preparing or ready


class _Backoff:
    def __init__(self) -> None:
        self.delay = BACKOFF_FIRST_S

    def failed(self) -> float:
        delay, self.delay = self.delay, min(self.delay * 2, BACKOFF_MAX_S)
        return delay

    def reset(self) -> None:
        self.delay = BACKOFF_FIRST_S


def _reason(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    first = text[0] if text else type(exc).__name__
    return "refused: wrong login or password" if "password authentication" in str(exc) else first


class KioskSync:
    """Started by Shop.open when the kiosk file has ``[shop.server]``; ``close()`` stops it."""

    def __init__(self, config: ServerConfig, orders: OrderStore, menu: MenuService,
                 staff_call: StaffCall, heartbeat_s: float = 2.0, poll_s: float = 0.1) -> None:
        self.config = config
        self._menu, self._staff_call = menu, staff_call
        self._heartbeat_s, self._poll_s = heartbeat_s, poll_s
        self._outbox = Outbox(orders.path)
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._devices: Callable[[], dict[str, str]] = dict
        self._online = False
        self._error = "not connected yet"
        self._queue: list[QueuedNumber] = []
        self._menu_seen = 0
        self._threads = [threading.Thread(target=self._forward_loop, name="sync-forwarder", daemon=True),
                         threading.Thread(target=self._link_loop, name="sync-link", daemon=True)]

    def start(self) -> KioskSync:
        for t in self._threads:
            t.start()
        return self

    def close(self) -> None:
        self._stop.set()
        self._wake.set()
        for t in self._threads:
            if t.ident is not None:
                t.join(timeout=10)
        self._outbox.close()

    def wake(self) -> None:
        """An order was just placed: forward it now rather than at the next poll."""
        self._wake.set()

    def report_devices(self, devices: Callable[[], dict[str, str]]) -> None:
        """What the heartbeat says of the devices (name -> state); the kiosk's composition
        root gives it, as the shop layer does not know the devices."""
        self._devices = devices

    def status(self) -> SyncStatus:
        return SyncStatus(self._online, self._outbox.count(), self._error)

    def queue(self) -> list[QueuedNumber]:
        """Today's shop-wide orders not yet collected (new, preparing, ready), as last read
        from the server ([] before the first read): for the attract screen's numbers,
        never blocking (the link thread reads them)."""
        return list(self._queue)

    # --- the forwarder ---------------------------------------------------------------------

    def _connect(self, autocommit: bool) -> psycopg.Connection[tuple[Any, ...]]:
        return psycopg.connect(self.config.dsn(), password=self.config.password,
                               autocommit=autocommit)

    def _forward_loop(self) -> None:
        backoff = _Backoff()
        db: psycopg.Connection[tuple[Any, ...]] | None = None
        while not self._stop.is_set():
            batch = self._outbox.pending()
            if not batch:
                self._wake.wait(self._poll_s)
                self._wake.clear()
                continue
            try:
                if db is None or db.closed:
                    db = self._connect(autocommit=False)
                with db.transaction(), db.cursor() as cur:
                    cur.executemany("SELECT untact_submit(%s, %s, %s, %s, %s::jsonb, %s, %s, %s, %s)",
                                    [order.submit_args() for order in batch])
                self._outbox.sent([order.local_id for order in batch])  # after the COMMIT
                self._went_online()
                backoff.reset()
            except psycopg.errors.UniqueViolation:
                assert db is not None  # the batch was refused by the server
                self._send_each(db, batch)
                self._stop.wait(backoff.failed())
            except psycopg.Error as exc:
                db = self._drop(db)
                self._went_offline(exc)
                self._stop.wait(backoff.failed())
            except Exception:  # e.g. the SQLite disk full: the thread must live on
                log.exception("forwarding orders failed; trying again")
                self._stop.wait(backoff.failed())
        self._drop(db)

    def _send_each(self, db: psycopg.Connection[tuple[Any, ...]], batch: list[PendingOrder]) -> None:
        """A number of the batch is another kiosk's today (two kiosks with the same slot):
        send the others one by one; the clashing ones stay in the outbox, and the status
        says which, until the kiosk files are put right."""
        clashes = []
        for order in batch:
            try:
                with db.transaction():
                    db.execute("SELECT untact_submit(%s, %s, %s, %s, %s::jsonb, %s, %s, %s, %s)",
                               order.submit_args())
                self._outbox.sent([order.local_id])
            except psycopg.errors.UniqueViolation:
                clashes.append(f"{order.day} no. {order.number}")
        error = (f"order numbers taken by another kiosk: {', '.join(clashes[:5])}"
                 " (check slot and kiosks in [shop.server])")
        if error != self._error:
            log.error("shop server %s: %s", self.config.host, error)
        self._online, self._error = True, error

    @staticmethod
    def _drop(db: psycopg.Connection[tuple[Any, ...]] | None) -> None:
        if db is not None:
            try:
                db.close()
            except psycopg.Error:
                pass
        return None

    def _went_online(self) -> None:
        if not self._online:
            log.info("shop server %s: online", self.config.host)
        self._online, self._error = True, ""

    def _went_offline(self, exc: Exception) -> None:
        reason = _reason(exc)
        if self._online or reason != self._error:
            log.warning("shop server %s: %s (orders are kept and sent later)", self.config.host, reason)
        self._online, self._error = False, reason

    # --- the link: heartbeat, staff call, menu, board ---------------------------------------

    def _link_loop(self) -> None:
        backoff = _Backoff()
        while not self._stop.is_set():
            db = None
            try:
                db = self._connect(autocommit=True)
                db.execute("LISTEN untact_menu")
                backoff.reset()
                next_beat = 0.0
                while not self._stop.is_set():
                    self._pull_menu(db)
                    if time.monotonic() >= next_beat:
                        self._heartbeat(db)
                        self._read_queue(db)
                        next_beat = time.monotonic() + self._heartbeat_s
                    # A menu change wakes this at once; the short timeout lets close() be quick.
                    for _ in db.notifies(timeout=LINK_WAKE_S, stop_after=1):
                        pass
            except psycopg.Error as exc:
                log.debug("shop link: %s", _reason(exc))
                self._stop.wait(backoff.failed())
            except Exception:  # a menu edit or the outbox failing: the link must live on
                log.exception("shop link failed; trying again")
                self._stop.wait(backoff.failed())
            finally:
                self._drop(db)

    def _heartbeat(self, db: psycopg.Connection[tuple[Any, ...]]) -> None:
        call = self._staff_call.state
        row = db.execute("SELECT untact_heartbeat(%s::jsonb, %s, %s, %s, %s)",
                         (json.dumps(self._devices()), self._outbox.count(), call.active,
                          call.reason, call.count)).fetchone()
        if row is not None and row[0] and call.active:
            self._staff_call.acknowledge(by="staff")

    def _read_queue(self, db: psycopg.Connection[tuple[Any, ...]]) -> None:
        self._queue = [QueuedNumber(n, st) for n, st in db.execute(
            "SELECT number, status FROM board WHERE day = %s ORDER BY number", (dt.date.today(),))]

    def _pull_menu(self, db: psycopg.Connection[tuple[Any, ...]]) -> None:
        rows = db.execute("SELECT item_id, sold_out, price, name, change FROM menu_items"
                          " WHERE change > %s ORDER BY change", (self._menu_seen,)).fetchall()
        for item_id, sold_out, price, name, change in rows:
            self._apply_item(item_id, sold_out, price, name)
            self._menu_seen = max(self._menu_seen, change)

    def _apply_item(self, item_id: str, sold_out: bool, price: int, name: dict[str, str]) -> None:
        try:
            item = self._menu.kiosk.item(item_id)
        except KeyError:
            log.warning("shop menu: item %r is not in this kiosk's file; skipped", item_id)
            return
        try:
            if item.sold_out != sold_out:
                self._menu.set_sold_out(item_id, sold_out)
            if item.price != price:
                self._menu.set_price(item_id, price)
            for lang in self._menu.kiosk.languages:
                if lang in name and item.name.get(lang) != name[lang]:
                    self._menu.set_name(item_id, lang, name[lang])
        except MenuEditRefused as exc:
            log.warning("shop menu: %s: refused: %s", item_id, exc.reason)


__all__ = ["KioskSync", "QueuedNumber", "SyncStatus"]
