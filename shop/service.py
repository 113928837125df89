"""The shop's non-screen parts wired together, so the Kivy app builds one object.

    shop = Shop.open(kiosk_path, deliver=lambda fn: Clock.schedule_once(lambda dt: fn()))
    shop.menu.subscribe(redraw_menu)               # sold out, prices: live
    shop.staff_call.subscribe(board_led_and_admin_badge)
    ...
    if shop.on_intent(intent) == "admin": show the PIN screen
    result = shop.check_pin(pin)                   # off the UI thread (scrypt)
    shop.checkout().start(cart.snapshot(), cart.total(), lang, on_done)

Everything here is also usable piece by piece; this only saves the wiring and keeps the
admin settings in step with the kiosk file.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from untact.accessibility.intents import Intent, Kind

from .checkout import Checkout, call_now
from .menu import Kiosk
from .menu_service import MenuChange, MenuService
from .orders import OrderStore
from .payment import PaymentConfig, PaymentMethod, from_table, real_method
from .staff_access import AdminConfig, EntryDetector, PinCheck, PinGate, admin_config
from .staff_call import StaffCall
from .sync import config as sync_config

if TYPE_CHECKING:
    from .sync.kiosk_sync import KioskSync


@dataclass
class Shop:
    menu: MenuService
    orders: OrderStore
    pin_gate: PinGate
    staff_call: StaffCall
    entry: EntryDetector
    payment: PaymentMethod
    deliver: Callable[[Callable[[], None]], None] = call_now
    sync: KioskSync | None = None  # one of several kiosks of a shop ([shop.server])

    @classmethod
    def open(cls, kiosk_path: str | Path,
             deliver: Callable[[Callable[[], None]], None] = call_now,
             monotonic: Callable[[], float] = time.monotonic,
             wall_clock: Callable[[], float] = time.time, orders: OrderStore | None = None,
             kiosk: Kiosk | None = None,
             payment: Callable[[PaymentConfig], PaymentMethod] | None = None) -> Shop:
        """Load and validate the kiosk file (ConfigError on a bad one), open the orders.

        ``orders``: an already open store (the kiosk's ``--data`` folder); ``kiosk``: the
        already validated Kiosk of ``kiosk_path`` (not loaded twice); ``payment``: makes
        the method from the file's ``[payment]`` (the simulator's, with its card terminal);
        default: the real methods only."""
        menu = MenuService(kiosk_path, kiosk)
        kiosk = menu.kiosk
        orders = orders if orders is not None else OrderStore(kiosk.data_folder)
        gate = PinGate(orders.path, lambda: admin_config(menu.kiosk), wall_clock)
        config = admin_config(kiosk)
        table = kiosk.section("payment")
        method = payment(from_table(table)) if payment is not None else real_method(table)
        shop = cls(menu, orders, gate, StaffCall(monotonic),
                   EntryDetector.from_config(config, monotonic), method, deliver)

        def follow_admin_settings(new_kiosk: Kiosk, change: MenuChange) -> None:
            cfg = admin_config(new_kiosk)
            if (cfg.entry_sequence, cfg.entry_window_s) != (shop.entry.sequence,
                                                            shop.entry.window_s):
                shop.entry = EntryDetector.from_config(cfg, monotonic)

        menu.subscribe(follow_admin_settings)
        server = sync_config.from_kiosk(kiosk)
        if server is not None and server.numbering is not None:
            from .sync.kiosk_sync import KioskSync  # psycopg: only for a shop's kiosks

            orders.use_numbering(server.numbering.after)
            shop.sync = KioskSync(server, orders, menu, shop.staff_call).start()
        return shop

    @property
    def admin(self) -> AdminConfig:
        return admin_config(self.menu.kiosk)

    def on_intent(self, intent: Intent) -> str | None:
        """Feed every intent the customer screens receive. Returns ``"admin"`` when the
        hidden admin sequence completed (a staff call raised only by the sequence's own
        HELPs is acknowledged: the person at the kiosk is staff; a customer's earlier call
        stays open, for the admin screen to show until staff acknowledge it),
        ``"staff_called"`` on HELP, else None."""
        if self.entry.feed(intent):
            call = self.staff_call.state
            if call.active and call.count <= self.entry.sequence.count(Kind.HELP):
                self.staff_call.acknowledge(by="admin")
            return "admin"
        if intent.kind is Kind.HELP:
            self.staff_call.raise_call("help")
            return "staff_called"
        return None

    def check_pin(self, pin: str) -> PinCheck:
        """Slow on purpose (scrypt, ~0.2 s on a Pi 4): call from a worker thread. Picks up
        a PIN set with ``untact-admin set-pin`` while the kiosk was running."""
        self.menu.reload_if_changed()
        return self.pin_gate.check(pin)

    def checkout(self) -> Checkout:
        return Checkout(self.orders, self.payment, self.deliver)

    def close(self) -> None:
        if self.sync is not None:
            self.sync.close()
        self.pin_gate.close()
        self.orders.close()


__all__ = ["Shop"]
