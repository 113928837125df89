"""The merchant's screens: the day's totals, the order list, the queue, sold out, export.

Reached only through the hidden entry sequence and the PIN (never from a customer
screen). They are KioskScreens like every other, so staff use them with the same keypad,
gesture, voice or touch; they share one layout (``admin.kv``): a title, a summary, the
staff-call banner with its acknowledge button, the content, and the admin bar.
"""

from __future__ import annotations

import datetime as dt
import logging
import math

from kivy.uix.boxlayout import BoxLayout
from kivy.uix.label import Label
from untact.shop.cart import won
from untact.shop.export import describe_lines
from untact.shop.menu_service import MenuEditRefused

from ..base import KioskScreen

log = logging.getLogger(__name__)
_NEXT_STATUS = {"new": "preparing", "preparing": "ready", "ready": "collected"}


class AdminScreen(KioskScreen):
    back_to: str | None = "admin"
    #: (payload, string key) of the bar at the bottom
    BAR = (("home", "admin.home"), ("exit", "admin.exit"))

    def refresh(self) -> None:
        ctx = self.ctx
        self.ids.title.text = self.title()
        self.ids.summary.text = self.summary()
        staff = self.ids.staff
        staff.clear_widgets()
        call = ctx.staff_call
        if call.active:
            staff.height = ctx.style.px_per_mm * 22 * ctx.style.target_scale
            staff.add_widget(self.label(self.t("admin.staff_call",
                                               seconds=round(call.waiting_s())), 0.6))
            staff.add_widget(self.button("admin.acknowledge", variant="primary",
                                         payload=("acknowledge", None), size_hint_x=0.4))
        else:
            staff.height = 0
        content = self.ids.content
        content.clear_widgets()
        self.fill(content)
        content.add_widget(Label(size_hint_y=1))
        nav = self.ids.nav
        nav.clear_widgets()
        for payload, key in self.BAR:
            if payload == "home" and self.name == "admin":
                continue
            nav.add_widget(self.button(key, variant="nav", payload=(payload, None)))

    def fill(self, content) -> None:
        """Add this screen's rows to ``content``."""

    def label(self, text: str, size_hint_x: float = 1.0) -> Label:
        style = self.ctx.style
        label = Label(text=text, color=style.theme["fg"], halign="left", valign="middle",
                      font_size=style.px_per_mm * 10 * style.text_scale, size_hint_x=size_hint_x)
        label.bind(size=lambda w, s: setattr(w, "text_size", s))
        return label

    def row(self) -> BoxLayout:
        style = self.ctx.style
        return BoxLayout(spacing=style.px_per_mm * 3, size_hint_y=None,
                         height=style.px_per_mm * 20 * style.target_scale)

    def on_activate(self, widget) -> None:
        kind, value = widget.payload
        ctx = self.ctx
        if kind == "acknowledge":
            ctx.staff_call.acknowledge(by="admin")
            ctx.rebuild()
        elif kind == "home":
            ctx.go("admin")
        elif kind == "exit":
            ctx.staff.exit_admin()
        else:
            self.act(kind, value)

    def act(self, kind: str, value) -> None:
        """A button of this screen's own content."""


class AdminHomeScreen(AdminScreen):
    back_to = None
    export_message: str = ""

    def on_params(self) -> None:
        self.export_message = ""

    def title(self) -> str:
        return self.t("admin.title")

    def summary(self) -> str:
        s = self.ctx.staff.orders.summary()
        lang = self.ctx.lang
        return self.t("admin.summary", count=s.count, total=won(s.total, lang),
                      paid=won(s.paid_total, lang), unpaid=won(s.unpaid_total, lang),
                      new=s.by_status.get("new", 0), preparing=s.by_status.get("preparing", 0),
                      ready=s.by_status.get("ready", 0), collected=s.by_status.get("collected", 0))

    def fill(self, content) -> None:
        for screen, key in (("admin_orders", "admin.orders"), ("admin_queue", "admin.queue"),
                            ("admin_menu", "admin.menu"), ("admin_devices", "admin.devices")):
            row = self.row()
            row.add_widget(self.button(key, payload=("open", screen)))
            content.add_widget(row)
        row = self.row()
        row.add_widget(self.button("admin.export", variant="primary", payload=("export", None)))
        content.add_widget(row)
        if self.export_message:
            result = self.row()
            result.add_widget(self.label(self.export_message))
            content.add_widget(result)

    def act(self, kind: str, value) -> None:
        ctx = self.ctx
        if kind == "open":
            ctx.go(value, page=0)
        elif kind == "export":
            folder, default = ctx.staff.export_folder()
            try:
                if default:
                    folder.mkdir(parents=True, exist_ok=True)
                result = ctx.staff.export_day(dt.date.today(), folder, ctx.lang)
            except (OSError, ValueError) as exc:
                log.warning("export failed: %s", exc)
                self.export_message = self.t("admin.export.failed", reason=exc)
            else:
                self.export_message = f"{result.describe(ctx.lang)} ({folder})"
            ctx.rebuild(keep_focus=True)
            ctx.announce(self.export_message, urgent=True)

    def on_back(self) -> bool:
        self.ctx.staff.exit_admin()
        return True


class _Paged(AdminScreen):
    page: int = 0

    def per_page(self) -> int:
        return max(3, int(self.ctx.style.items_per_page) - 2)

    def pages(self, count: int) -> int:
        return max(1, math.ceil(count / self.per_page()))

    def page_buttons(self, content, count: int) -> None:
        if self.pages(count) <= 1:
            return
        row = self.row()
        row.add_widget(self.button("nav.prev_page", payload=("page", -1), disabled=self.page == 0))
        row.add_widget(self.button("nav.next_page", payload=("page", 1),
                                   disabled=self.page >= self.pages(count) - 1))
        content.add_widget(row)

    def act(self, kind: str, value) -> None:
        if kind == "page":
            self.page = max(0, self.page + value)
            self.ctx.rebuild(keep_focus=True)
        else:
            self.act_row(kind, value)

    def act_row(self, kind: str, value) -> None:
        pass


class AdminOrdersScreen(_Paged):
    """Today's orders, newest first, a page at a time (a busy day has thousands)."""

    def title(self) -> str:
        return self.t("admin.orders")

    def summary(self) -> str:
        s = self.ctx.staff.orders.summary()
        return self.t("admin.orders.summary", count=s.count, total=won(s.total, self.ctx.lang),
                      page=self.page + 1, pages=self.pages(s.count))

    def fill(self, content) -> None:
        ctx, lang = self.ctx, self.ctx.lang
        count = ctx.staff.orders.summary().count
        self.page = min(self.page, self.pages(count) - 1)
        for order in ctx.staff.orders.page(offset=self.page * self.per_page(), limit=self.per_page()):
            row = self.row()
            row.height = ctx.style.px_per_mm * 12 * ctx.style.text_scale
            row.add_widget(self.label(self.t(
                "admin.orders.row", number=order.number, time=order.created_at[11:16],
                total=won(order.total, lang), payment=order.payment,
                paid=self.t("admin.paid" if order.paid else "admin.unpaid"),
                status=self.t(f"admin.status.{order.status}"))))
            content.add_widget(row)
        self.page_buttons(content, count)


class AdminQueueScreen(_Paged):
    """Orders not yet collected, oldest first, each with the button for its next status."""

    def title(self) -> str:
        return self.t("admin.queue")

    def summary(self) -> str:
        count = len(self.ctx.staff.orders.queue())
        return self.t("admin.queue.summary", count=count) if count else self.t("admin.queue.empty")

    def fill(self, content) -> None:
        ctx = self.ctx
        queue = ctx.staff.orders.queue()
        self.page = min(self.page, self.pages(len(queue)) - 1)
        start = self.page * self.per_page()
        for order in queue[start:start + self.per_page()]:
            row = self.row()
            items = describe_lines(order.lines, ctx.lang)
            row.add_widget(self.label(self.t("admin.queue.row", number=order.number, items=items)
                                      + f" ({self.t(f'admin.status.{order.status}')})", 0.6))
            nxt = _NEXT_STATUS[order.status]
            row.add_widget(self.button(f"admin.queue.to_{nxt}", payload=("status", (order.id, nxt)),
                                       fmt={"number": order.number}, size_hint_x=0.4))
            content.add_widget(row)
        self.page_buttons(content, len(queue))

    def act_row(self, kind: str, value) -> None:
        if kind == "status":
            order_id, status = value
            try:
                self.ctx.staff.set_order_status(order_id, status)
            except ValueError as exc:  # changed meanwhile (another admin tool)
                log.warning("status not changed: %s", exc)
            self.ctx.rebuild(keep_focus=True)


class AdminMenuScreen(_Paged):
    """Sold out and back on sale, per item: the customer screens follow at once."""

    message: str = ""

    def on_params(self) -> None:
        self.message = ""

    def title(self) -> str:
        return self.t("admin.menu")

    def summary(self) -> str:
        items = self.ctx.kiosk.items
        text = self.t("admin.menu.summary", page=self.page + 1, pages=self.pages(len(items)))
        return f"{self.message}\n{text}" if self.message else text

    def fill(self, content) -> None:
        ctx = self.ctx
        items = ctx.kiosk.items
        self.page = min(self.page, self.pages(len(items)) - 1)
        start = self.page * self.per_page()
        for item in items[start:start + self.per_page()]:
            row = self.row()
            key = "admin.menu.sold_out" if item.sold_out else "admin.menu.on_sale"
            labels = {lang: self.t_in(key, lang, name=item.name[lang])
                      for lang in ctx.kiosk.languages}
            row.add_widget(self.button(labels, variant="normal" if item.sold_out else "primary",
                                       payload=("sold_out", item.id)))
            content.add_widget(row)
        self.page_buttons(content, len(items))

    @staticmethod
    def t_in(key: str, lang: str, **fmt) -> str:
        from untact.ui.strings import t

        return t(key, lang, **fmt)

    def act_row(self, kind: str, value) -> None:
        ctx = self.ctx
        if kind != "sold_out":
            return
        item = ctx.kiosk.item(value)
        try:
            ctx.staff.set_sold_out(item.id, not item.sold_out)
            self.message = ""
        except (MenuEditRefused, OSError) as exc:
            self.message = self.t("admin.menu.refused", reason=exc)
            ctx.announce(self.message, urgent=True)
        ctx.rebuild(keep_focus=True)
