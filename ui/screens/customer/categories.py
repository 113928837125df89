"""The menu's categories (coffee, tea, ...), and the way to the cart."""

from __future__ import annotations

from ..base import KioskScreen
from .navbar import fill_navbar


class CategoriesScreen(KioskScreen):
    back_to = "language"

    def refresh(self) -> None:
        kiosk = self.ctx.kiosk
        self.ids.title.text = self.title()
        fill_navbar(self, self.ids.nav, back=True, cart=True)
        self.lay_out_rows(self.button_rows([self.button(cat.name, payload=("category", cat.id))
                                            for cat in kiosk.categories]))

    def orderable_by_voice(self):
        return None  # any item of the menu

    def title(self) -> str:
        return self.t("categories.title")

    def summary(self) -> str:
        return self.t("categories.summary", count=len(self.ctx.kiosk.categories)) + self.page_note()

    def on_activate(self, widget) -> None:
        kind, value = widget.payload
        if kind == "category":
            self.ctx.go("items", category=value, page=0)
        elif kind == "page":
            self.turn_page(value)
        else:
            self.ctx.nav_action(kind, self)
