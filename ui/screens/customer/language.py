"""Language choice: Korean first (the default), each name written in its own language."""

from __future__ import annotations

from kivy.app import App
from untact.ui.strings import t

from ..base import KioskScreen
from .navbar import fill_navbar


class LanguageScreen(KioskScreen):
    back_to = "attract"

    def refresh(self) -> None:
        app = App.get_running_app()
        self.ids.title.text = self.title()
        self.ids.summary.text = self.summary()
        self.ids.choices.clear_widgets()
        for lang in app.kiosk.languages:
            b = self.button(f"lang.{lang}", payload=("lang", lang), selected=(lang == app.lang), role="radio",
                            size_hint_y=None, height=app.px_per_mm * 30 * app.target_scale)
            self.ids.choices.add_widget(b)
        fill_navbar(self, self.ids.nav, back=True)

    # Before a language is chosen, say it in every language the shop offers.
    def title(self) -> str:
        return " / ".join(t("language.title", lang) for lang in self.app.kiosk.languages)

    def summary(self) -> str:
        return " / ".join(t("language.summary", lang) for lang in self.app.kiosk.languages)

    def on_activate(self, widget) -> None:
        kind, value = widget.payload
        if kind == "lang":
            self.app.set_language(value)
            self.app.go("categories")
        else:
            self.app.nav_action(kind, self)
