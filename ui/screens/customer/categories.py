"""The menu's categories (coffee, tea, ...), and the way to the cart."""

from __future__ import annotations

from ..base import KioskScreen
from .navbar import fill_navbar


class CategoriesScreen(KioskScreen):
    back_to = "language"

    def refresh(self) -> None:
        kiosk = self.ctx.kiosk
        self.ids.title.text = self.title()
        self.ids.summary.text = self.summary()
        grid = self.ids.grid
        grid.clear_widgets()
        for cat in kiosk.categories:
            grid.add_widget(self.button(cat.name, payload=("category", cat.id)))
        fill_navbar(self, self.ids.nav, back=True, cart=True)

    def orderable_by_voice(self):
        return None  # any item of the menu

    def title(self) -> str:
        return self.t("categories.title")

    def summary(self) -> str:
        return self.t("categories.summary", count=len(self.ctx.kiosk.categories))

    def on_activate(self, widget) -> None:
        kind, value = widget.payload
        if kind == "category":
            self.ctx.go("items", category=value, page=0)
        else:
            self.ctx.nav_action(kind, self)
