"""The items of one category, a page at a time (fewer per page for elderly customers)."""

from __future__ import annotations

import math

from untact.shop.cart import won
from untact.ui.strings import t

from ..base import KioskScreen
from .navbar import fill_navbar


class ItemsScreen(KioskScreen):
    back_to = "categories"
    category: str = ""

    def _items(self):
        return self.ctx.kiosk.items_in(self.category)

    def refresh(self) -> None:
        ctx = self.ctx
        self.ids.title.text = self.title()
        buttons = []
        for item in self._items():
            labels = {lang: item.name[lang] for lang in ctx.kiosk.languages}
            values = {lang: t("item.sold_out", lang) if item.sold_out else won(item.price, lang)
                      for lang in ctx.kiosk.languages}
            b = self.button(labels, payload=("item", item.id), spoken_value=values[ctx.lang],
                            disabled=item.sold_out)
            b.text = f"{item.name[ctx.lang]}\n{values[ctx.lang]}"
            buttons.append(b)
        fill_navbar(self, self.ids.nav, back=True, cart=True)
        cols = self.columns()
        self.lay_out_rows(self.button_rows(buttons, cols),
                          most=max(1, math.ceil(ctx.style.items_per_page / cols)))

    def orderable_by_voice(self):
        return tuple(i.id for i in self._items() if not i.sold_out)

    def title(self) -> str:
        cat = next(c for c in self.ctx.kiosk.categories if c.id == self.category)
        return cat.name[self.ctx.lang]

    def summary(self) -> str:
        return self.t("items.summary", count=len(self._items()), page=self.page + 1, pages=self.page_count)

    def on_activate(self, widget) -> None:
        kind, value = widget.payload
        if kind == "item":
            self.ctx.go("options", item=value)
        elif kind == "page":
            self.turn_page(value)
        else:
            self.ctx.nav_action(kind, self)
