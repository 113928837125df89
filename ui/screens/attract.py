"""The screen the kiosk rests on: it invites a customer in by every modality."""

from __future__ import annotations

from ..strings import t
from .base import KioskScreen


class AttractScreen(KioskScreen):
    def refresh(self) -> None:
        self.ids.title.text = self.title()
        self.ids.summary.text = self.summary()
        self.ids.actions.clear_widgets()
        labels = {lang: t("attract.start", lang) for lang in self.app.kiosk.languages}
        self.ids.actions.add_widget(self.button(labels, variant="primary",
                                                text=" / ".join(labels.values())))

    def title(self) -> str:
        return self.t("attract.welcome", shop=self.app.kiosk.shop_name[self.app.lang])

    def summary(self) -> str:
        # The customer has not chosen a language yet: invite them in every one.
        return "\n".join(t("attract.hint", lang) for lang in self.app.kiosk.languages)

    def on_activate(self, widget) -> None:
        self.app.go("language" if len(self.app.kiosk.languages) > 1 else "categories")
