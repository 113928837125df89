"""The cart: what the customer has chosen, quantities, total, and the way to pay."""

from __future__ import annotations

from kivy.factory import Factory
from untact.shop.cart import won
from untact.ui.strings import t

from ...widgets import FitGrid, FitStack
from ..base import KioskScreen
from .navbar import fill_navbar


class CartScreen(KioskScreen):
    back_to = "categories"

    def refresh(self) -> None:
        ctx, kiosk, cart = self.ctx, self.ctx.kiosk, self.ctx.cart
        self.ids.title.text = self.title()
        rows = []
        for i, line in enumerate(cart.lines):
            # The line above its two buttons: beside them, a narrow screen squeezed the
            # buttons under 12 mm or the line into a letter a line.
            row = FitStack()
            text = t("cart.line", ctx.lang, name=line.describe(kiosk, ctx.lang), qty=line.quantity,
                     price=won(line.total(kiosk), ctx.lang))
            row.add_widget(Factory.ScreenSummary(text=text, halign="left"))
            names = {lang: line.describe(kiosk, lang) for lang in kiosk.languages}
            buttons = FitGrid(max_cols=2)
            buttons.add_widget(self.button({lang: t("cart.less", lang, name=names[lang]) for lang in names},
                                           payload=("less", i), text="-"))
            buttons.add_widget(self.button({lang: t("cart.more", lang, name=names[lang]) for lang in names},
                                           payload=("more", i), text="+"))
            row.add_widget(buttons)
            rows.append(row)
        actions = self.ids.actions
        actions.clear_widgets()
        actions.add_widget(self.button("cart.order_more", payload=("more_items", None)))
        actions.add_widget(self.button("cart.checkout", variant="primary", payload=("checkout", None),
                                       disabled=cart.count() == 0))
        fill_navbar(self, self.ids.nav, back=True)
        self.ids.nav.add_widget(self.button("cart.cancel", variant="nav", payload=("cancel", None)))
        self.lay_out_rows(rows)

    def orderable_by_voice(self):
        return None  # any item of the menu

    def title(self) -> str:
        return self.t("cart.title")

    def summary(self) -> str:
        cart = self.ctx.cart
        if not cart.count():
            return self.t("cart.empty")
        return self.t("cart.summary", count=cart.count(), total=won(cart.total(), self.ctx.lang)) \
            + self.page_note()

    def on_activate(self, widget) -> None:
        kind, value = widget.payload
        cart = self.ctx.cart
        if kind in ("less", "more"):
            line = cart.lines[value]
            cart.set_quantity(line, line.quantity + (1 if kind == "more" else -1))
            self.ctx.cart_changed()
            self.ctx.rebuild(keep_focus=True)
        elif kind == "page":
            self.turn_page(value)
        elif kind == "more_items":
            self.ctx.go("categories")
        elif kind == "checkout":
            self.ctx.go("checkout")
        elif kind == "cancel":
            self.ctx.end_session()
        else:
            self.ctx.nav_action(kind, self)
