"""Checkout: pay with the kiosk's payment method; the order is stored before its number
is shown. A declined, timed-out or cancelled card payment places no order: the screen
says so and what to do, and the customer can try again."""

from __future__ import annotations

from untact.shop.cart import won

from ...widgets import FitGrid
from ..base import KioskScreen
from .navbar import fill_navbar


class CheckoutScreen(KioskScreen):
    back_to = "cart"
    saving: bool = False  # a checkout is in flight (card terminal waiting, or saving)
    failed: bool = False  # the order could not be saved
    message: str = ""  # what happened to the last attempt (declined, timed out, ...)

    def on_params(self) -> None:
        self.saving = self.failed = False
        self.message = ""

    def refresh(self) -> None:
        ctx = self.ctx
        self.ids.title.text = self.title()
        methods = FitGrid(max_cols=1)
        if self.saving and ctx.checkout.card_payment:
            methods.add_widget(self.button("checkout.cancel_payment", variant="primary",
                                           payload=("cancel_payment", None)))
        else:
            key = "checkout.card" if ctx.checkout.card_payment else "checkout.counter"
            label: str | dict[str, str] = key
            if self.message and not self.failed:
                label = {lang: f"{self._t(key, lang)} · {self._t('checkout.try_again', lang)}"
                         for lang in ctx.kiosk.languages}
            methods.add_widget(self.button(label, variant="primary", payload=("pay", None),
                                           disabled=self.saving))
        fill_navbar(self, self.ids.nav, back=not self.saving)
        self.lay_out_rows([methods])

    @staticmethod
    def _t(key: str, lang: str) -> str:
        from untact.ui.strings import t

        return t(key, lang)

    def title(self) -> str:
        return self.t("checkout.title")

    def summary(self) -> str:
        if self.failed:
            return self.message or self.t("checkout.failed")
        cart = self.ctx.cart
        total = won(cart.total(), self.ctx.lang)
        if self.saving:
            if self.ctx.checkout.card_payment:
                return self.t("checkout.card_wait", total=total)
            return self.t("checkout.saving")
        if self.message:
            return self.message
        return self.t("checkout.summary", count=cart.count(), total=total)

    def on_activate(self, widget) -> None:
        kind, _ = widget.payload
        if kind in ("pay", "counter") and not self.saving:
            self.ctx.checkout.place_order()
        elif kind == "cancel_payment":
            self.ctx.checkout.cancel_payment()
        else:
            self.ctx.nav_action(kind, self)

    def on_back(self) -> bool:
        if self.saving:  # a payment or an order is in flight: going back now could lose it
            return True
        return super().on_back()
