"""The order number, shown large only after the order is committed to the database."""

from __future__ import annotations

from .base import KioskScreen


class DoneScreen(KioskScreen):
    back_to = None
    order = None

    def refresh(self) -> None:
        self.ids.title.text = self.title()
        self.ids.number.text = str(self.order.number) if self.order else ""
        self.ids.summary.text = self.summary()
        self.ids.actions.clear_widgets()
        self.ids.actions.add_widget(self.button("done.finish", variant="primary", payload=("finish", None)))

    def title(self) -> str:
        return self.t("done.title")

    def summary(self) -> str:
        return self.t("done.summary", number=self.order.number if self.order else "")

    def on_activate(self, widget) -> None:
        self.app.end_session()

    def on_back(self) -> bool:
        self.app.end_session()
        return True
