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
        self.ids.summary.text = self.summary()
        self.ids.choices.clear_widgets()
        for lang in ctx.kiosk.languages:
            b = self.button(f"lang.{lang}", payload=("lang", lang), selected=(lang == ctx.lang), role="radio")
            self.ids.choices.add_widget(b)
        fill_navbar(self, self.ids.nav, back=True)
        self.fit_head()

    # Before a language is chosen, say it in every language the shop offers.
    def title(self) -> str:
        return " / ".join(t("language.title", lang) for lang in self.ctx.kiosk.languages)

    def summary(self) -> str:
        return " / ".join(t("language.summary", lang) for lang in self.ctx.kiosk.languages)

    def on_activate(self, widget) -> None:
        kind, value = widget.payload
        if kind == "lang":
            self.ctx.set_language(value)
            self.ctx.go("categories")
        else:
            self.ctx.nav_action(kind, self)
