"""The merchant's screens: the day's totals, the order list, the queue, sold out, export.

Reached only through the hidden entry sequence and the PIN (never from a customer
screen). They are KioskScreens like every other, so staff use them with the same keypad,
gesture, voice or touch; they share one layout (``pages.kv``, filled by ``layout.py``): a
title, a summary, the staff-call banner with its acknowledge button, the content, and the
admin bar, on as many pages as the display and the profile need.
"""

from __future__ import annotations

import datetime as dt
import logging
import math

from kivy.uix.boxlayout import BoxLayout
from untact.shop.cart import won
from untact.shop.export import describe_lines
from untact.shop.menu_service import MenuEditRefused

from ...widgets import KioskButton
from .layout import Metrics, Row, StaffScreen

log = logging.getLogger(__name__)
_NEXT_STATUS = {"new": "preparing", "preparing": "ready", "ready": "collected"}


class AdminScreen(StaffScreen):
    back_to: str | None = "admin"
    #: (payload, string key) of the bar at the bottom
    BAR = (("home", "admin.home"), ("exit", "admin.exit"))

    def refresh(self) -> None:
        self.lay_out()
        self.ids["title"], self.ids["summary"] = self._title, self._summary
        banner = self._banner.parent if self._banner is not None else None
        self.ids["staff"] = banner if banner is not None and banner is not self.ids.content \
            else BoxLayout()

    def rows(self, m: Metrics) -> list[Row]:
        return self.head(m, first=True) + self.fill(m)

    def head(self, m: Metrics, first: bool) -> list[Row]:
        """Title and summary (on a list's first page only), and the staff call."""
        self._title = self.text(self.title(), m, heading=True, halign="center")
        self._summary = self.text(self.summary(), m, halign="center")
        rows: list[Row] = [[(self._title, 1.0)], [(self._summary, 1.0)]] if first else []
        call = self.ctx.staff_call
        self._banner = None
        if call.active:
            self._banner = self.text(self.t("admin.staff_call", seconds=round(call.waiting_s())), m)
            rows.append([(self._banner, 0.6),
                         (self.button("admin.acknowledge", variant="primary",
                                      payload=("acknowledge", None)), 0.4)])
        return rows

    def nav_buttons(self) -> list[KioskButton]:
        out = []
        for payload, key in self.BAR:
            if payload == "home" and self.name == "admin":
                continue
            b = self.button(key, variant="nav", payload=(payload, None))
            if payload == "exit":
                b.short_text = self.t("admin.exit.short")
            out.append(b)
        return out

    def fill(self, m: Metrics) -> list[Row]:
        """This screen's rows under its title, summary and staff call."""
        return []

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
        elif kind == "page":
            self.turn(value)
        else:
            self.act(kind, value)

    def turn(self, step: int) -> None:
        self.turn_page(step)

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

    def fill(self, m: Metrics) -> list[Row]:
        rows: list[Row] = [
            [(self.button(key, payload=("open", screen)), 1.0)]
            for screen, key in (("admin_orders", "admin.orders"), ("admin_queue", "admin.queue"),
                                ("admin_menu", "admin.menu"), ("admin_devices", "admin.devices"))]
        rows.append([(self.button("admin.export", variant="primary", payload=("export", None)),
                      1.0)])
        for (b, _), key in zip((rows[3][0], rows[4][0]), ("admin.devices", "admin.export"),
                               strict=True):  # where the full label would not fit a page
            b.short_text = self.t(f"{key}.short")
        if self.export_message:
            rows.append([(self.text(self.export_message, m), 1.0)])
        return rows

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
    """A list a page at a time, as many rows as the screen holds (measured from a row
    of the list), never more than the profile's items per page. The title and summary
    are on the first page only (each page turn says where it is), so every later page
    is rows; a row too high for a small screen's page is shown in parts, and the page
    buttons go through the parts, then the pages."""

    page: int = 0
    _first: int = 0  # rows on the first page, under the title and summary
    _per_page: int = 0  # rows on every later page

    def count(self) -> int:
        return 0

    def sample(self, m: Metrics) -> Row | None:
        """A row like this list's, to measure how many fit a page."""
        return None

    def per_page(self) -> int:
        return self._per_page or max(3, int(self.ctx.style.items_per_page) - 2)

    def first(self) -> int:
        return self._first if self._per_page else self.per_page()

    def pages(self, count: int) -> int:
        return 1 + max(0, math.ceil((count - self.first()) / self.per_page()))

    def window(self) -> tuple[int, int]:
        """(offset, limit) of this page's rows."""
        if self.page == 0:
            return 0, self.first()
        return self.first() + (self.page - 1) * self.per_page(), self.per_page()

    def more_before(self) -> bool:
        return self.page > 0

    def more_after(self) -> bool:
        return self.page < self.pages(self.count()) - 1

    def rows(self, m: Metrics) -> list[Row]:
        self._first, self._per_page = self.rows_that_fit(m)
        self.page = max(0, min(self.page, self.pages(self.count()) - 1))
        return self.head(m, first=self.page == 0) + self.fill(m)

    def rows_that_fit(self, m: Metrics) -> tuple[int, int]:
        """(rows under the title and summary, rows on a later page)."""
        most = max(1, int(self.ctx.style.items_per_page))
        sample = self.sample(m)
        if sample is None:
            return most, most
        screen_w, screen_h = self.available()
        width, height = screen_w - 2 * m.pad, self.room(screen_h, m)
        nav: Row = [(b, 1.0) for b in self.nav_buttons()]
        bar = self.bar_height(self.bar_options(nav, width, m)[0][0], width, m)
        heads = [self.measure(r, width, m) + m.gap for r in self.head(m, first=True)]
        banner = sum(heads[2:])  # the staff call, on every page
        row = self.measure(sample, width, m) + m.gap

        def fitting(room: float) -> int:
            return max(0, min(most, math.floor((room + m.gap) / row)))

        return fitting(height - bar - sum(heads)), max(1, fitting(height - bar - banner))

    def turn(self, step: int) -> None:
        if self.turn_page(step):
            return
        page = self.page + step
        if not 0 <= page < self.pages(self.count()):
            return
        self.page = page
        self.flow_page = 0 if step > 0 else 1 << 30  # back: the last part of that page
        self.ctx.rebuild(keep_focus=True)
        self.announce_page()

    def announce_page(self) -> None:
        pages = self.pages(self.count())
        if self.flow_pages == 1:
            self.ctx.announce(self.t("page.position", page=self.page + 1, pages=pages))
        else:
            self.ctx.announce(self.t("staff.part", page=self.page + 1, pages=pages,
                                     part=self.flow_page + 1, parts=self.flow_pages))

    def act(self, kind: str, value) -> None:
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

    def count(self) -> int:
        return self.ctx.staff.orders.summary().count

    def row_of(self, order, m: Metrics) -> Row:
        lang = self.ctx.lang
        return [(self.text(self.t(
            "admin.orders.row", number=order.number, time=order.created_at[11:16],
            total=won(order.total, lang), payment=order.payment,
            paid=self.t("admin.paid" if order.paid else "admin.unpaid"),
            status=self.t(f"admin.status.{order.status}")), m), 1.0)]

    def sample(self, m: Metrics) -> Row | None:
        first = self.ctx.staff.orders.page(offset=0, limit=1)
        return self.row_of(first[0], m) if first else None

    def fill(self, m: Metrics) -> list[Row]:
        offset, limit = self.window()
        orders = self.ctx.staff.orders.page(offset=offset, limit=limit) if limit else []
        return [self.row_of(order, m) for order in orders]


class AdminQueueScreen(_Paged):
    """Orders not yet collected, oldest first, each with the button for its next status."""

    def title(self) -> str:
        return self.t("admin.queue")

    def summary(self) -> str:
        count = len(self.ctx.staff.orders.queue())
        return self.t("admin.queue.summary", count=count) if count else self.t("admin.queue.empty")

    def count(self) -> int:
        return len(self.ctx.staff.orders.queue())

    def row_of(self, order, m: Metrics) -> Row:
        items = describe_lines(order.lines, self.ctx.lang)
        nxt = _NEXT_STATUS[order.status]
        return [(self.text(self.t("admin.queue.row", number=order.number, items=items)
                           + f" ({self.t(f'admin.status.{order.status}')})", m), 0.6),
                (self.button(f"admin.queue.to_{nxt}", payload=("status", (order.id, nxt)),
                             fmt={"number": order.number}), 0.4)]

    def sample(self, m: Metrics) -> Row | None:
        queue = self.ctx.staff.orders.queue()
        return self.row_of(queue[0], m) if queue else None

    def fill(self, m: Metrics) -> list[Row]:
        start, limit = self.window()
        return [self.row_of(order, m)
                for order in self.ctx.staff.orders.queue()[start:start + limit]]

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

    def count(self) -> int:
        return len(self.ctx.kiosk.items)

    def row_of(self, item) -> Row:
        key = "admin.menu.sold_out" if item.sold_out else "admin.menu.on_sale"
        labels = {lang: self.t_in(key, lang, name=item.name[lang])
                  for lang in self.ctx.kiosk.languages}
        return [(self.button(labels, variant="normal" if item.sold_out else "primary",
                             payload=("sold_out", item.id)), 1.0)]

    def sample(self, m: Metrics) -> Row | None:
        items = self.ctx.kiosk.items
        return self.row_of(max(items, key=lambda i: len(i.name[self.ctx.lang]))) if items else None

    def fill(self, m: Metrics) -> list[Row]:
        start, limit = self.window()
        return [self.row_of(item) for item in self.ctx.kiosk.items[start:start + limit]]

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
