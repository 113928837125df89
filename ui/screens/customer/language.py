"""Language choice: Korean first (the default), each name written in its own language."""

from __future__ import annotations

from untact.ui.strings import t

from ..base import KioskScreen
from .navbar import fill_navbar


class LanguageScreen(KioskScreen):
    back_to = "attract"

    def refresh(self) -> None:
        ctx = self.ctx
        self.ids.title.text = self.title()
        fill_navbar(self, self.ids.nav, back=True)
        self.lay_out_rows(self.button_rows(
            [self.button(f"lang.{lang}", payload=("lang", lang), selected=(lang == ctx.lang), role="radio")
             for lang in ctx.kiosk.languages], 1))

    # Before a language is chosen, say it in every language the shop offers.
    def title(self) -> str:
        return " / ".join(t("language.title", lang) for lang in self.ctx.kiosk.languages)

    def summary(self) -> str:
        return " / ".join(t("language.summary", lang) for lang in self.ctx.kiosk.languages) \
            + self.page_note()

    def on_activate(self, widget) -> None:
        kind, value = widget.payload
        if kind == "lang":
            self.ctx.set_language(value)
            self.ctx.go("categories")
        elif kind == "page":
            self.turn_page(value)
        else:
            self.ctx.nav_action(kind, self)
