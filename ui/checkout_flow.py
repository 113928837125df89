"""Paying, as the customer sees it: the checkout screen's states and the order number.

The shop's Checkout takes the payment and commits the order off the main thread; this
part starts it with the cart, shows "waiting for the card" or "saving", and on the
answer shows the number (only once committed), or says why not and calls staff when
the kiosk itself failed. The checkout screen only starts and cancels.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from untact.accessibility.frame import AccessibilityFrame
from untact.shop.cart import Cart
from untact.shop.checkout import CheckoutOutcome, CheckoutStatus
from untact.shop.orders import Order
from untact.shop.service import Shop

if TYPE_CHECKING:
    from .app import KioskApp

log = logging.getLogger(__name__)


class CheckoutFlow:
    def __init__(self, app: KioskApp, shop: Shop, cart: Cart, frame: AccessibilityFrame) -> None:
        self._app = app  # the checkout screen and navigation
        self._shop = shop  # its payment method and staff call
        self._checkout = shop.checkout()
        self._cart = cart
        self._frame = frame
        self.saving = False  # an order is being committed; its number is not shown yet
        self.order_listeners: list[Callable[[Order], None]] = []  # e.g. staff screen, recorder

    @property
    def card_payment(self) -> bool:
        return bool(self._shop.payment.settles_now)

    def place_order(self) -> None:
        """Take the payment with the method the kiosk file's ``[payment]`` names, then
        commit the order, all off the main thread; show its number only once committed."""
        if self._checkout.busy:
            return
        app = self._app
        lines, total, lang = self._cart.snapshot(), self._cart.total(), app.lang
        screen = app.sm.get_screen("checkout")
        screen.saving, screen.failed, screen.message = True, False, ""
        self.saving = True
        try:
            self._checkout.start(lines, total, lang, self._done)
        except (RuntimeError, ValueError):
            log.exception("checkout could not start")
            self.saving = screen.saving = False
            return
        app.rebuild()
        self._frame.announce(screen.summary())

    def cancel_payment(self) -> None:
        """The customer pressed cancel while the card terminal waits."""
        self._checkout.cancel()

    def _done(self, outcome: CheckoutOutcome) -> None:
        """The checkout's answer, on the main thread."""
        app = self._app
        self.saving = False
        screen = app.sm.get_screen("checkout")
        screen.saving = False
        if outcome.status is CheckoutStatus.ORDERED:
            order = outcome.order
            assert order is not None, "an ORDERED outcome carries its order"
            self._cart.clear()
            app.go("done", order=order)
            for listener in list(self.order_listeners):
                listener(order)
            return
        if outcome.call_staff:
            log.error("checkout failed: %s", outcome.error)
            self._shop.staff_call.raise_call("checkout_error")
        screen.failed = outcome.status is CheckoutStatus.ERROR
        screen.message = outcome.message(app.lang)
        if app.sm.current == "checkout":
            app.rebuild()
        self._frame.announce(screen.message, urgent=True)

    def finish(self, within_s: float = 10) -> None:
        """Shutting down: a card terminal waiting for a card stops waiting, and an order
        being committed is finished, not dropped."""
        self._checkout.cancel()
        deadline = time.monotonic() + within_s
        while self._checkout.busy and time.monotonic() < deadline:
            time.sleep(0.02)
