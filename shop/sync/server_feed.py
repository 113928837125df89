"""The shop server as the staff app sees it: OrderFeed and ShopControl on PostgreSQL.

The staff web app and the ready board serve a shop of several kiosks through these, as
they serve one kiosk through order_feed.LocalOrderFeed. They log in as a staff login
(``[shop.server] login = "staff_<name>"`` in the staff app's kiosk file, which is also the
shop's master menu).

- Changes are heard, not polled: every insert or update of an order NOTIFYs
  ``untact_orders`` with its change number (schema.py); one listener thread keeps the
  newest, and ``wait_change`` waits on a condition for it. ``version()`` is that number:
  cheap, and it grows with every new order and every status or payment change, from any
  kiosk or staff device.
- A server that cannot be reached is a one-line ConnectionError from any call (the
  staff app shows it and tries again); the connection is made again once it is back.
- The menu is the staff app's file: ``set_sold_out`` edits it (validated, saved, like the
  kiosk's own admin screen) and every change of it is published to ``menu_items``, from
  where each kiosk applies it (kiosk_sync.py). A publish that fails (server down) is
  retried at the next call, so no edit stays unpublished.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
import threading
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

import psycopg

from ..menu import Kiosk
from ..menu_service import MenuChange, MenuService
from ..order_feed import DEVICES, FeedOrder, StaffCallView, split_ref
from ..orders import STATUSES, DaySummary, can_advance
from .config import ServerConfig, from_kiosk

log = logging.getLogger(__name__)

#: A kiosk silent for longer than this (no heartbeat) is shown as unreachable.
SILENT_AFTER_S = 15.0

_ORDER_COLUMNS = "kiosk, local_id, day, number, created_at, lines, total, payment, paid, status"


P = ParamSpec("P")
R = TypeVar("R")


def _lost_server_as_oserror(method: Callable[P, R]) -> Callable[P, R]:
    """A shop server that cannot be reached is a ConnectionError (an OSError) of one line,
    which the staff app can show, rather than psycopg's own error classes."""
    @functools.wraps(method)
    def call(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(*args, **kwargs)
        except psycopg.OperationalError as exc:
            raise ConnectionError(f"shop server: {_first_line(exc)}") from None
    return call


def _today() -> str:
    return dt.date.today().isoformat()


class _Server:
    """One staff connection shared by the app's threads (psycopg serialises its use),
    reopened after the server came back."""

    def __init__(self, config: ServerConfig) -> None:
        self.config = config
        self._db: psycopg.Connection[tuple[Any, ...]] | None = None
        self._lock = threading.Lock()

    def connect(self, autocommit: bool = True) -> psycopg.Connection[tuple[Any, ...]]:
        return psycopg.connect(self.config.dsn(), password=self.config.password, autocommit=autocommit)

    def db(self) -> psycopg.Connection[tuple[Any, ...]]:
        with self._lock:
            if self._db is None or self._db.closed or self._db.broken:
                self._db = self.connect()
            return self._db

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()


class PostgresOrderFeed:
    """``OrderFeed`` (shop/order_feed.py) over the shop server's ``orders``."""

    def __init__(self, config: ServerConfig) -> None:
        self._server = _Server(config)
        self._version = int(self._server.db().execute(
            "SELECT COALESCE(MAX(change), 0) FROM orders").fetchone()[0])  # type: ignore[index]
        self._changed = threading.Condition()
        self._stop = threading.Event()
        self._listener = threading.Thread(target=self._listen, name="order-feed-listen", daemon=True)
        self._listener.start()

    def close(self) -> None:
        self._stop.set()
        self._listener.join(timeout=5)
        self._server.close()

    @_lost_server_as_oserror
    def orders(self, day: str | None = None) -> list[FeedOrder]:
        rows = self._server.db().execute(
            f"SELECT {_ORDER_COLUMNS} FROM orders WHERE day = %s ORDER BY created_at, number",
            (day or _today(),)).fetchall()
        return [_feed(r) for r in rows]

    @_lost_server_as_oserror
    def set_status(self, ref: str, status: str) -> FeedOrder:
        kiosk, local = split_ref(ref)
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r} (one of {', '.join(STATUSES)})")
        if not local.isdigit():
            raise ValueError(f"unknown order {ref!r}")
        db = self._server.db()
        with db.transaction():
            row = db.execute(f"SELECT {_ORDER_COLUMNS} FROM orders WHERE kiosk = %s AND local_id = %s"
                             " FOR UPDATE", (kiosk, int(local))).fetchone()
            if row is None:
                raise ValueError(f"unknown order {ref!r}")
            current = row[-1]
            if current == status:
                return _feed(row)
            if not can_advance(current, status):
                raise ValueError(f"order {ref} is {current}; it cannot become {status}")
            row = db.execute(f"UPDATE orders SET status = %s WHERE kiosk = %s AND local_id = %s"
                             f" RETURNING {_ORDER_COLUMNS}, change", (status, kiosk, int(local))).fetchone()
        assert row is not None
        self._saw(int(row[-1]))
        return _feed(row[:-1])

    def version(self) -> int:
        return self._version

    def wait_change(self, after: int, timeout_s: float) -> int:
        with self._changed:
            self._changed.wait_for(lambda: self._version > after, timeout=max(0.0, timeout_s))
            return self._version

    @_lost_server_as_oserror
    def summary(self, day: str | None = None) -> DaySummary:
        day = day or _today()
        db = self._server.db()
        count, total, paid_total = db.execute(
            "SELECT COUNT(*), COALESCE(SUM(total), 0), COALESCE(SUM(total) FILTER (WHERE paid), 0)"
            " FROM orders WHERE day = %s", (day,)).fetchone() or (0, 0, 0)
        by_payment = {p: int(t) for p, t in db.execute(
            "SELECT payment, SUM(total) FROM orders WHERE day = %s GROUP BY payment", (day,))}
        by_status = {s: int(n) for s, n in db.execute(
            "SELECT status, COUNT(*) FROM orders WHERE day = %s GROUP BY status", (day,))}
        return DaySummary(day, int(count), int(total), int(paid_total), int(total) - int(paid_total),
                          by_payment, {s: by_status.get(s, 0) for s in STATUSES})

    def _saw(self, change: int) -> None:
        with self._changed:
            if change > self._version:
                self._version = change
                self._changed.notify_all()

    def _listen(self) -> None:
        """LISTEN on a connection of its own; after a lost connection, catch up by MAX."""
        while not self._stop.is_set():
            try:
                with self._server.connect() as db:
                    db.execute("LISTEN untact_orders")
                    self._saw(int(db.execute("SELECT COALESCE(MAX(change), 0) FROM orders")
                                  .fetchone()[0]))  # type: ignore[index]
                    while not self._stop.is_set():
                        for note in db.notifies(timeout=1.0):
                            self._saw(int(note.payload))
            except psycopg.Error as exc:
                log.warning("order feed: shop server: %s", _first_line(exc))
                self._stop.wait(2.0)


class PostgresShopControl:
    """``ShopControl`` for a shop of several kiosks: the master menu, their staff calls
    and their devices, as the kiosks' heartbeats report them."""

    def __init__(self, config: ServerConfig, menu: MenuService) -> None:
        self._server = _Server(config)
        self._menu = menu
        self._published: dict[str, tuple[bool, int, dict[str, str]]] = {}
        self._publish_lock = threading.Lock()
        self._version = 0
        self._last_seen: object = None
        self._unsubscribe = menu.subscribe(self._menu_changed)
        self.publish_menu()

    def close(self) -> None:
        self._unsubscribe()
        self._server.close()

    def menu(self) -> Kiosk:
        return self._menu.kiosk

    def set_sold_out(self, item_id: str, sold_out: bool) -> None:
        self._menu.kiosk.item(item_id)  # KeyError for an unknown item
        self._menu.set_sold_out(item_id, sold_out)  # publishes (see _menu_changed)

    def publish_menu(self) -> int:
        """Send the items that differ from what the server has; returns how many."""
        items = {it.id: (it.sold_out, it.price, dict(it.name)) for it in self._menu.kiosk.items}
        with self._publish_lock:
            changed = [(i, *v) for i, v in items.items() if self._published.get(i) != v]
            if not changed:
                return 0
            db = self._server.db()
            with db.transaction(), db.cursor() as cur:
                cur.executemany(
                    "INSERT INTO menu_items (item_id, sold_out, price, name) VALUES (%s, %s, %s, %s)"
                    " ON CONFLICT (item_id) DO UPDATE SET sold_out = EXCLUDED.sold_out,"
                    " price = EXCLUDED.price, name = EXCLUDED.name"
                    " WHERE (menu_items.sold_out, menu_items.price, menu_items.name)"
                    " IS DISTINCT FROM (EXCLUDED.sold_out, EXCLUDED.price, EXCLUDED.name)",
                    [(i, s, p, json.dumps(n, ensure_ascii=False)) for i, s, p, n in changed])
            self._published.update({i: (s, p, n) for i, s, p, n in changed})
            return len(changed)

    def _menu_changed(self, kiosk: Kiosk, change: MenuChange) -> None:
        try:
            self.publish_menu()
        except psycopg.Error as exc:  # kept: version() publishes again
            log.warning("menu not yet sent to the kiosks (%s): %s", change.what, exc)

    @_lost_server_as_oserror
    def staff_calls(self) -> list[StaffCallView]:
        rows = self._server.db().execute(
            "SELECT kiosk, call_count, EXTRACT(EPOCH FROM now() - call_since), call_reason"
            " FROM kiosk_health WHERE call_active ORDER BY call_since").fetchall()
        return [StaffCallView(k, int(n), float(w or 0.0), r) for k, n, w, r in rows]

    @_lost_server_as_oserror
    def acknowledge_call(self, kiosk: str) -> None:
        """The kiosk closes its call (board light, banner) at its next heartbeat."""
        self._server.db().execute(
            "UPDATE kiosk_health SET ack_requested = true, call_active = false WHERE kiosk = %s",
            (kiosk,))

    @_lost_server_as_oserror
    def device_health(self) -> dict[str, dict[str, str]]:
        out: dict[str, dict[str, str]] = {}
        for kiosk, devices, silent_s in self._server.db().execute(
                "SELECT kiosk, devices, EXTRACT(EPOCH FROM now() - seen_at) FROM kiosk_health"
                " ORDER BY kiosk"):
            status = {str(k): str(v) for k, v in dict(devices).items()}
            status.setdefault("microphone", status.get("voice", "not set up"))
            if float(silent_s) > SILENT_AFTER_S:
                out[kiosk] = {d: f"kiosk not heard from for {int(silent_s)} s" for d in DEVICES}
            else:
                out[kiosk] = {d: status.get(d, "not set up") for d in DEVICES}
        return out

    @_lost_server_as_oserror
    def version(self) -> int:
        """Grows when the menu, a call or a device changes (compared with the last look)."""
        try:
            self.publish_menu()
        except psycopg.Error as exc:
            log.warning("menu not yet sent to the kiosks: %s", exc)
        calls = [(c.kiosk, c.count, c.reason) for c in self.staff_calls()]
        seen = (calls, self.device_health(), self._published.copy())
        if seen != self._last_seen:
            self._last_seen = seen
            self._version += 1
        return self._version


def server_views(menu: MenuService) -> tuple[PostgresOrderFeed, PostgresShopControl] | None:
    """The staff app's feed and control when its kiosk file joins a shop server with a
    staff login (``[shop.server] login = "staff_..."``); None for a kiosk on its own.
    ConnectionError (one line) when the server cannot be reached or refuses the login."""
    config = from_kiosk(menu.kiosk)
    if config is None or config.is_kiosk:
        return None
    try:
        return PostgresOrderFeed(config), PostgresShopControl(config, menu)
    except psycopg.Error as exc:  # an OSError: the staff app's command says it in one line
        raise ConnectionError(f"shop server {config.host}:{config.port}: {_first_line(exc)}") from None


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def _feed(row: tuple[Any, ...]) -> FeedOrder:
    kiosk, local_id, day, number, created_at, lines, total, payment, paid, status = row
    return FeedOrder(f"{kiosk}/{local_id}", kiosk, day.isoformat(), int(number),
                     created_at.isoformat(timespec="seconds"), list(lines), int(total), payment,
                     bool(paid), status)


__all__ = ["PostgresOrderFeed", "PostgresShopControl", "SILENT_AFTER_S", "server_views"]
