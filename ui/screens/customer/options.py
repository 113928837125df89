"""Options of one item (hot/iced, size, extra shot) with their price changes, and quantity."""

from __future__ import annotations

from kivy.factory import Factory
from kivy.uix.widget import Widget
from untact.shop.cart import CartLine, won
from untact.ui.strings import t

from ...widgets import FitGrid, FitStack
from ..base import KioskScreen
from .navbar import fill_navbar


class OptionsScreen(KioskScreen):
    back_to = "items"
    item: str = ""
    choices: dict[str, str]
    quantity: int = 1

    def on_params(self) -> None:
        """A new item: start from its defaults."""
        item = self.ctx.kiosk.item(self.item)
        self.choices = {g: self.ctx.kiosk.options[g].default for g in item.options}
        self.quantity = 1
        self.page = 0

    def _line(self) -> CartLine:
        return CartLine(self.ctx.kiosk.item(self.item), dict(self.choices), self.quantity)

    def refresh(self) -> None:
        ctx, kiosk = self.ctx, self.ctx.kiosk
        item = kiosk.item(self.item)
        self.ids.title.text = self.title()
        rows: list[Widget] = []
        for gid in item.options:
            group = kiosk.options[gid]
            block = FitStack()
            block.add_widget(Factory.ScreenSummary(text=group.name[ctx.lang], halign="left"))
            choices = []
            for choice in group.choices:
                labels = {}
                for lang in kiosk.languages:
                    extra = f" +{won(choice.price, lang)}" if choice.price else ""
                    labels[lang] = f"{choice.name[lang]}{extra}"
                selected = self.choices[gid] == choice.id
                # The state is shown by a mark as well as by colour (WCAG 1.4.1).
                choices.append(self.button(labels, variant="choice", payload=("choice", (gid, choice.id)),
                                           selected=selected, role="radio",
                                           text=("● " if selected else "○ ") + labels[ctx.lang]))
            grid = FitGrid(max_cols=1 if ctx.style.linear_order else len(choices))
            for b in choices:
                grid.add_widget(b)
            block.add_widget(grid)
            rows.append(block)
        quantity = FitGrid(max_cols=3)
        quantity.add_widget(self.button("options.less", payload=("qty", -1), disabled=self.quantity <= 1))
        quantity.add_widget(Factory.ScreenSummary(text=self.t("options.quantity", n=self.quantity)))
        quantity.add_widget(self.button("options.more", payload=("qty", +1)))
        total = self._line().total(kiosk)
        add = FitGrid(max_cols=1)
        add.add_widget(self.button({lang: t("options.add", lang, price=won(total, lang))
                                    for lang in kiosk.languages}, variant="primary", payload=("add", None)))
        fill_navbar(self, self.ids.nav, back=True, cart=False)
        self.lay_out_rows([*rows, quantity, add])

    def orderable_by_voice(self):
        return (self.item,)

    def title(self) -> str:
        return self.t("options.title", item=self.ctx.kiosk.item(self.item).name[self.ctx.lang])

    def summary(self) -> str:
        return self.t("options.summary") + self.page_note()

    def on_activate(self, widget) -> None:
        kind, value = widget.payload
        if kind == "choice":
            gid, cid = value
            self.choices[gid] = cid
            self.ctx.rebuild(keep_focus=True)
        elif kind == "qty":
            self.quantity = max(1, min(20, self.quantity + value))
            self.ctx.rebuild(keep_focus=True)
        elif kind == "page":
            self.turn_page(value)
        elif kind == "add":
            self.ctx.add_to_cart(self.item, self.choices, self.quantity)
        else:
            self.ctx.nav_action(kind, self)
