"""Checkout: choose how to pay, then the order is stored before its number is shown."""

from __future__ import annotations

from ..cart import won
from .base import KioskScreen
from .navbar import fill_navbar


class CheckoutScreen(KioskScreen):
    back_to = "cart"
    saving: bool = False
    failed: bool = False

    def on_params(self) -> None:
        self.saving = self.failed = False

    def refresh(self) -> None:
        app = self.app
        self.ids.title.text = self.title()
        self.ids.summary.text = self.summary()
        methods = self.ids.methods
        methods.clear_widgets()
        methods.add_widget(self.button("checkout.counter", variant="primary", payload=("counter", None),
                                       disabled=self.saving, size_hint_y=None,
                                       height=app.px_per_mm * 30 * app.target_scale))
        fill_navbar(self, self.ids.nav, back=True)

    def title(self) -> str:
        return self.t("checkout.title")

    def summary(self) -> str:
        if self.failed:
            return self.t("checkout.failed")
        if self.saving:
            return self.t("checkout.saving")
        cart = self.app.cart
        return self.t("checkout.summary", count=cart.count(), total=won(cart.total(), self.app.lang))

    def on_activate(self, widget) -> None:
        kind, _ = widget.payload
        if kind == "counter" and not self.saving:
            self.saving, self.failed = True, False
            self.app.place_order(payment="counter")
        else:
            self.app.nav_action(kind, self)

    def on_back(self) -> bool:
        if self.saving:  # the order is being committed: going back now could lose it
            return True
        return super().on_back()
