"""The cart: what the customer has chosen, quantities, total, and the way to pay."""

from __future__ import annotations

from kivy.uix.boxlayout import BoxLayout
from kivy.uix.label import Label
from untact.shop.cart import won
from untact.ui.strings import t

from ..base import KioskScreen
from .navbar import fill_navbar


class CartScreen(KioskScreen):
    back_to = "categories"

    def refresh(self) -> None:
        ctx, kiosk, cart, style = self.ctx, self.ctx.kiosk, self.ctx.cart, self.ctx.style
        self.ids.title.text = self.title()
        self.ids.summary.text = self.summary()
        lines = self.ids.lines
        lines.clear_widgets()
        for i, line in enumerate(cart.lines[: style.items_per_page]):
            row = BoxLayout(spacing=style.px_per_mm * 3, size_hint_y=None,
                            height=style.px_per_mm * 22 * style.target_scale)
            text = t("cart.line", ctx.lang, name=line.describe(kiosk, ctx.lang), qty=line.quantity,
                     price=won(line.total(kiosk), ctx.lang))
            label = Label(text=text, color=style.theme["fg"],
                          font_size=style.px_per_mm * 10 * style.text_scale,
                          halign="left", valign="middle", size_hint_x=0.56)
            label.bind(size=lambda w, s: setattr(w, "text_size", s))
            row.add_widget(label)
            names = {lang: line.describe(kiosk, lang) for lang in kiosk.languages}
            row.add_widget(self.button({lang: t("cart.less", lang, name=names[lang]) for lang in names},
                                       payload=("less", i), size_hint_x=0.22, text="-"))
            row.add_widget(self.button({lang: t("cart.more", lang, name=names[lang]) for lang in names},
                                       payload=("more", i), size_hint_x=0.22, text="+"))
            lines.add_widget(row)
        lines.add_widget(Label(size_hint_y=1))
        actions = self.ids.actions
        actions.clear_widgets()
        actions.add_widget(self.button("cart.order_more", payload=("more_items", None)))
        actions.add_widget(self.button("cart.checkout", variant="primary", payload=("checkout", None),
                                       disabled=cart.count() == 0))
        fill_navbar(self, self.ids.nav, back=True)
        self.ids.nav.add_widget(self.button("cart.cancel", variant="nav", payload=("cancel", None)))

    def orderable_by_voice(self):
        return None  # any item of the menu

    def title(self) -> str:
        return self.t("cart.title")

    def summary(self) -> str:
        cart = self.ctx.cart
        if not cart.count():
            return self.t("cart.empty")
        return self.t("cart.summary", count=cart.count(), total=won(cart.total(), self.ctx.lang))

    def on_activate(self, widget) -> None:
        kind, value = widget.payload
        cart = self.ctx.cart
        if kind in ("less", "more"):
            line = cart.lines[value]
            cart.set_quantity(line, line.quantity + (1 if kind == "more" else -1))
            self.ctx.cart_changed()
            self.ctx.rebuild(keep_focus=True)
        elif kind == "more_items":
            self.ctx.go("categories")
        elif kind == "checkout":
            self.ctx.go("checkout")
        elif kind == "cancel":
            self.ctx.end_session()
        else:
            self.ctx.nav_action(kind, self)
