"""The order number, shown large only after the order is committed to the database."""

from __future__ import annotations

from ..base import KioskScreen


class DoneScreen(KioskScreen):
    back_to = None
    order = None

    def refresh(self) -> None:
        self.ids.title.text = self.title()
        self.ids.number.text = str(self.order.number) if self.order else ""
        self.ids.summary.text = self.summary()
        self.ids.actions.clear_widgets()
        self.ids.actions.add_widget(self.button("done.finish", variant="primary", payload=("finish", None)))
        self.ids.actions.add_widget(self.button("nav.access", variant="nav", payload=("access", None)))
        self.fit_head()

    def title(self) -> str:
        return self.t("done.title")

    def summary(self) -> str:
        paid = self.order is not None and self.order.paid
        return self.t("done.summary_paid" if paid else "done.summary",
                      number=self.order.number if self.order else "")

    def on_activate(self, widget) -> None:
        if widget.payload[0] == "access":
            self.ctx.nav_action("access", self)
        else:
            self.ctx.end_session()

    def on_back(self) -> bool:
        self.ctx.end_session()
        return True
