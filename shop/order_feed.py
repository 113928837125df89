"""The shop's order stream as staff screens see it: one protocol, a store behind it.

The staff web app, the customers' ready board and the kiosk's ready numbers read orders
only through :class:`OrderFeed`, and change the shop only through :class:`ShopControl`,
so one kiosk on SQLite (:class:`LocalOrderFeed`, :class:`LocalShopControl`, here) and
several kiosks on PostgreSQL (the sync implementation) look the same to them.

Contract (kept stable; other implementations follow it):

- ``STATUSES = ("new", "preparing", "ready", "collected")``; moves go forward only,
  skipping allowed (new -> ready); setting the status an order already has is a no-op
  (a double tap); rows stored as ``'served'`` read as ``'collected'``.
- :class:`FeedOrder`: ``ref`` is the stable shop-wide id ``"<kiosk>/<local id>"`` (the
  one-kiosk default's kiosk id is ``"local"``), ``lines`` as OrderStore stores them.
- ``OrderFeed.orders(day)``: the day's orders (default today), oldest first.
  ``set_status(ref, status)``: ValueError for a backward move, an unknown status or an
  unknown ref. ``version()``: an int that grows with every change (new order, status or
  payment change), cheap to call. ``wait_change(after, timeout_s)``: blocks (call it from a
  worker thread) until ``version() > after`` or the timeout; returns the version.
  ``summary(day)``: :class:`~untact.shop.orders.DaySummary`.
- ``ShopControl``: ``menu()`` the live Kiosk; ``set_sold_out(item_id, sold_out)``
  (KeyError for an unknown item); ``staff_calls()`` the open calls, one
  :class:`StaffCallView` per kiosk with one; ``acknowledge_call(kiosk)``;
  ``device_health()`` kiosk id -> device name (``boards``, ``camera``, ``microphone``,
  ``printer``) -> state text (``"on"`` or the reason it is off); ``version()`` grows with
  every menu, call or device change (polled: the web app's event stream checks it).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from .menu import Kiosk
from .menu_service import MenuService
from .orders import STATUSES, DaySummary, Order, OrderStore, _order, can_advance, status_of
from .staff_call import StaffCall

LOCAL_KIOSK = "local"
DEVICES = ("boards", "camera", "microphone", "printer")


@dataclass(frozen=True)
class FeedOrder:
    ref: str  # "<kiosk>/<local order id>", stable shop-wide
    kiosk: str
    day: str  # YYYY-MM-DD
    number: int  # what the customer waits with
    created_at: str  # ISO 8601
    lines: list[dict[str, Any]]
    total: int  # won
    payment: str
    paid: bool
    status: str  # one of STATUSES


@dataclass(frozen=True)
class StaffCallView:
    kiosk: str
    count: int  # HELP presses in this call
    waiting_s: float
    reason: str  # "help", "checkout_error", ...


class OrderFeed(Protocol):
    def orders(self, day: str | None = None) -> list[FeedOrder]: ...

    def set_status(self, ref: str, status: str) -> FeedOrder: ...

    def version(self) -> int: ...

    def wait_change(self, after: int, timeout_s: float) -> int: ...

    def summary(self, day: str | None = None) -> DaySummary: ...


class ShopControl(Protocol):
    def menu(self) -> Kiosk: ...

    def set_sold_out(self, item_id: str, sold_out: bool) -> None: ...

    def staff_calls(self) -> list[StaffCallView]: ...

    def acknowledge_call(self, kiosk: str) -> None: ...

    def device_health(self) -> dict[str, dict[str, str]]: ...

    def version(self) -> int: ...


def split_ref(ref: str) -> tuple[str, str]:
    """``"kiosk/42"`` -> ``("kiosk", "42")``; ValueError for anything else."""
    kiosk, sep, local = ref.rpartition("/")
    if not sep or not kiosk or not local:
        raise ValueError(f"not an order reference: {ref!r} (kiosk/id)")
    return kiosk, local


class LocalOrderFeed:
    """One kiosk's orders in its SQLite database.

    The version is the sum of the largest order id and the largest order-event id: a new
    order raises the first, a status or payment change (always recorded as an event) the
    second, whichever process committed it. It is read on a connection of its own, so
    polling never waits behind the kiosk's writer; ``wait_change`` polls it every 50 ms
    (a change reaches a waiting page well within the issue's one second).
    """

    POLL_S = 0.05

    def __init__(self, store: OrderStore, kiosk: str = LOCAL_KIOSK) -> None:
        self.store = store
        self.kiosk = kiosk
        self._read = sqlite3.connect(store.path, timeout=10, check_same_thread=False)
        self._read_lock = threading.Lock()
        self._today: dict[int, FeedOrder] = {}  # today's orders, decoded (see orders())
        self._today_day = ""

    def close(self) -> None:
        self._read.close()

    def orders(self, day: str | None = None) -> list[FeedOrder]:
        """The day's orders. Today's are kept decoded between calls: a busy day's 10,000
        orders cost ~0.6 s to decode on a loaded 2-core machine, every change and for
        every open page; only their status and paid flag can change, so one cheap query
        of those finds the few to read again."""
        current = self.store._day(None)  # today by the store's own clock
        day = day or current
        if day != current:
            return [self._feed(o) for o in self.store.for_day(day)]
        with self._read_lock:
            rows = self._read.execute("SELECT id, status, paid FROM orders WHERE day = ?"
                                      " ORDER BY number", (day,)).fetchall()
            cache = self._today if self._today_day == day else {}
            stale = [oid for oid, status, paid in rows if (o := cache.get(oid)) is None
                     or (o.status, o.paid) != (status_of(status), bool(paid))]
            for start in range(0, len(stale), 500):
                chunk = stale[start:start + 500]
                for row in self._read.execute(
                        f"SELECT * FROM orders WHERE id IN ({','.join('?' * len(chunk))})", chunk):
                    cache[row[0]] = self._feed(_order(row))
            self._today = {oid: cache[oid] for oid, _, _ in rows}
            self._today_day = day
            return list(self._today.values())

    def set_status(self, ref: str, status: str) -> FeedOrder:
        kiosk, local = split_ref(ref)
        if kiosk != self.kiosk or not local.isdigit():
            raise ValueError(f"unknown order {ref!r}")
        try:
            return self._feed(self.store.set_status(int(local), status))
        except KeyError:
            raise ValueError(f"unknown order {ref!r}") from None

    def version(self) -> int:
        with self._read_lock:
            row = self._read.execute(
                "SELECT (SELECT COALESCE(MAX(id), 0) FROM orders)"
                " + (SELECT COALESCE(MAX(id), 0) FROM order_events)").fetchone()
        return int(row[0])

    def wait_change(self, after: int, timeout_s: float) -> int:
        deadline = time.monotonic() + timeout_s
        while True:
            v = self.version()
            left = deadline - time.monotonic()
            if v > after or left <= 0:
                return v
            time.sleep(min(self.POLL_S, left))

    def summary(self, day: str | None = None) -> DaySummary:
        return self.store.summary(day)

    def _feed(self, o: Order) -> FeedOrder:
        return FeedOrder(f"{self.kiosk}/{o.id}", self.kiosk, o.day, o.number, o.created_at,
                         o.lines, o.total, o.payment, o.paid, o.status)


class LocalShopControl:
    """The one kiosk's menu, staff call and devices, in the kiosk's own process.

    ``devices`` returns the kiosk's device states (``KioskDevices.status``: "boards",
    "camera", "voice", ...); "voice" is shown as the microphone, and a device the kiosk
    does not report reads "not set up". ``printer`` joins when printing does.
    """

    def __init__(self, menu: MenuService, staff_call: StaffCall, kiosk: str = LOCAL_KIOSK,
                 devices: Callable[[], Mapping[str, str]] | None = None) -> None:
        self._menu = menu
        self._call = staff_call
        self.kiosk = kiosk
        self._devices = devices
        self._version = 0
        self._last_health: dict[str, dict[str, str]] = {}
        self._lock = threading.Lock()
        menu.subscribe(lambda _kiosk, _change: self._bump())
        staff_call.subscribe(lambda _event: self._bump())

    def _bump(self) -> None:
        with self._lock:
            self._version += 1

    def menu(self) -> Kiosk:
        return self._menu.kiosk

    def set_sold_out(self, item_id: str, sold_out: bool) -> None:
        self._menu.kiosk.item(item_id)  # KeyError for an unknown item
        self._menu.set_sold_out(item_id, sold_out)

    def staff_calls(self) -> list[StaffCallView]:
        s = self._call.state
        if not s.active:
            return []
        return [StaffCallView(self.kiosk, s.count, self._call.waiting_s(), s.reason)]

    def acknowledge_call(self, kiosk: str) -> None:
        if kiosk == self.kiosk:
            self._call.acknowledge(by="staff web")

    def device_health(self) -> dict[str, dict[str, str]]:
        status = dict(self._devices()) if self._devices is not None else {}
        status.setdefault("microphone", status.get("voice", "not set up"))
        health = {d: str(status.get(d, "not set up")) for d in DEVICES}
        return {self.kiosk: health}

    def version(self) -> int:
        # Device states are plain dict writes by device threads, with no event to hear:
        # a change is seen by comparing with the last look.
        health = self.device_health()
        with self._lock:
            if health != self._last_health:
                self._last_health = health
                self._version += 1
            return self._version


class _Numbered(Protocol):
    @property
    def number(self) -> int: ...
    @property
    def status(self) -> str: ...


def ready_board(orders: Iterable[_Numbered]) -> dict[str, list[int]]:
    """What a ready board shows: numbers being made (new, preparing) and ready ones."""
    out: dict[str, list[int]] = {"preparing": [], "ready": []}
    for o in orders:
        if o.status in ("new", "preparing"):
            out["preparing"].append(o.number)
        elif o.status == "ready":
            out["ready"].append(o.number)
    return out


def today(now: Callable[[], dt.datetime] = dt.datetime.now) -> str:
    return now().date().isoformat()


__all__ = ["DEVICES", "LOCAL_KIOSK", "STATUSES", "FeedOrder", "LocalOrderFeed", "LocalShopControl",
           "OrderFeed", "ShopControl", "StaffCallView", "can_advance", "ready_board", "split_ref",
           "status_of", "today"]
