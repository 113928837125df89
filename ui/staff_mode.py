"""Staff (admin) mode: how staff get in, what they may do, and how the kiosk gets out.

The hidden entry sequence (the shop's entry detector) opens the PIN screen after ending
the customer's session; admin mode closes itself when staff leave it idle, so a kiosk
never stays open to the next customer. While staff are in, the staff-call banner's wait
is kept current. The staff pages act through here, on the shop's APIs (orders, menu, PIN),
never on the database directly.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from untact.accessibility.intents import Intent, Kind
from untact.shop.export import ExportResult, export_day
from untact.shop.orders import Order, OrderStore
from untact.shop.service import Shop
from untact.shop.staff_access import PinCheck
from untact.shop.staff_call import StaffCallEvent

from .strings import t

if TYPE_CHECKING:
    from .app import KioskApp
    from .screens.context import OrdersView


class StaffMode:
    def __init__(self, app: KioskApp, shop: Shop, orders: OrderStore) -> None:
        self._app = app  # the screens, the overlay and the customer's session
        self._shop = shop
        self._orders = orders
        self.deadline: float | None = None  # admin mode closes itself when idle
        self._staff_waited: int | None = None

    # -- in and out ---------------------------------------------------------------------------
    def on_intent(self, intent: Intent) -> bool:
        """The hidden admin entry and the staff call; True when the intent is used up."""
        app = self._app
        if app.sm.current.startswith("admin"):
            self.deadline = app.now() + self._shop.admin.idle_exit_s
            if intent.kind is Kind.HOME:
                self.exit_admin()
                return True
            return False
        if self._shop.on_intent(intent) == "admin":
            self.open_admin()
            return True
        return False

    def open_admin(self) -> None:
        """The PIN screen; the customer's session (cart, profile) ends first."""
        app = self._app
        app.end_session()
        app.go("admin_pin")
        self.deadline = app.now() + self._shop.admin.idle_exit_s

    def exit_admin(self) -> None:
        app = self._app
        self.deadline = None
        if app.sm.current.startswith("admin"):
            app.end_session()
            if app.sm.current != "attract":
                app.go("attract")

    def tick(self) -> None:
        """Leave when idle; otherwise keep the staff-call banner's wait current (every 5 s)."""
        app = self._app
        if self.deadline is not None and app.now() >= self.deadline:
            self.exit_admin()
        elif self.deadline is not None and self._shop.staff_call.active \
                and not app.overlay.shown and app.sm.current != "admin_pin":
            waited = int(self._shop.staff_call.waiting_s()) // 5
            if waited != self._staff_waited:
                self._staff_waited = waited
                app.rebuild(keep_focus=True)

    def staff_call_changed(self, event: StaffCallEvent) -> None:
        app = self._app
        if app.sm.current.startswith("admin") and not app.overlay.shown:
            app.rebuild(keep_focus=True)
        elif event.active and not event.repeat:
            app.frame.announce(t("help.staff_called", app.lang))

    # -- what the staff pages do ----------------------------------------------------------------
    @property
    def orders(self) -> OrdersView:
        return self._orders

    def ready_queue(self) -> list[Any]:
        """The numbers the attract screen shows: the whole shop's when this kiosk is one of
        a shop's (as last read from the shop server, never blocking), else this kiosk's."""
        sync = self._shop.sync
        return list(sync.queue()) if sync is not None else list(self._orders.queue())

    def check_pin(self, pin: str) -> PinCheck:
        """Slow on purpose (scrypt): call from a worker thread."""
        return self._shop.check_pin(pin)

    def export_folder(self) -> tuple[Path, bool]:
        """Where the admin's CSV export goes, and whether it is the default folder (made
        when missing) rather than the configured one (a USB stick: missing is an error)."""
        configured = self._shop.admin.export_folder
        if configured:
            return self._shop.menu.kiosk.path.parent / Path(configured).expanduser(), False
        return Path(self._orders.path).parent / "exports", True

    def export_day(self, day: dt.date, folder: Path, lang: str) -> ExportResult:
        return export_day(self._orders, day, folder, lang)

    def set_order_status(self, order_id: int, status: str) -> Order:
        return self._orders.set_status(order_id, status)

    def set_sold_out(self, item_id: str, sold_out: bool) -> None:
        """Raises MenuEditRefused or OSError; the customer screens follow at once."""
        self._app.use_menu(self._shop.menu.set_sold_out(item_id, sold_out))
