"""Language choice: Korean first (the default), each name written in its own language."""

from __future__ import annotations

from kivy.app import App

from ..strings import t
from .base import KioskScreen


class LanguageScreen(KioskScreen):
    back_to = "attract"

    def refresh(self) -> None:
        app = App.get_running_app()
        self.ids.title.text = self.title()
        self.ids.summary.text = self.summary()
        self.ids.choices.clear_widgets()
        for lang in app.kiosk.languages:
            b = self.button(f"lang.{lang}", payload=lang, selected=(lang == app.lang), role="radio",
                            size_hint_y=None, height=app.px_per_mm * 30 * app.target_scale)
            self.ids.choices.add_widget(b)
        self.ids.nav.clear_widgets()
        self.ids.nav.add_widget(self.button("nav.back", variant="nav"))

    # Before a language is chosen, say it in every language the shop offers.
    def title(self) -> str:
        return " / ".join(t("language.title", lang) for lang in self.app.kiosk.languages)

    def summary(self) -> str:
        return " / ".join(t("language.summary", lang) for lang in self.app.kiosk.languages)

    def on_activate(self, widget) -> None:
        if widget.payload is None:
            self.on_back()
            return
        self.app.set_language(widget.payload)
        self.app.go("categories")
