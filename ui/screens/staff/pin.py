"""The admin PIN: digits on screen as KioskButtons, so any modality can enter it.

The check is scrypt (slow on purpose): it runs on a worker thread and its answer comes
back on Kivy's main thread. A wrong PIN says how many tries are left; a lockout says for
how many minutes.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from kivy.clock import Clock
from kivy.uix.widget import Widget

from ...widgets import KioskButton
from .layout import Metrics, Row, StaffScreen, chunks, columns_that_fit

if TYPE_CHECKING:
    from untact.shop.staff_access import PinCheck

MAX_DIGITS = 12
KEYPAD = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "delete", "0", "ok")


class AdminPinScreen(StaffScreen):
    back_to = None
    pin: str = ""
    message: str = ""
    checking: bool = False

    def on_params(self) -> None:
        self.pin, self.message, self.checking = "", "", False

    def refresh(self) -> None:
        self.lay_out()
        self.ids["summary"] = self._summary

    def rows(self, m: Metrics) -> list[Row]:
        """Title, summary, the dots entered, then the keys: three columns (a phone's
        pad) where the whole screen fits one page so, else the columns that make it
        lowest (a long label like 지우기 may wrap in a narrow key)."""
        self._summary = self.text(self.summary(), m, halign="center")
        entered = self.text("●" * len(self.pin) if self.pin else " ", m, halign="center",
                            font=m.font * (1.0 if m.small else 1.4))
        head: list[Row] = [self.heading(m), [(self._summary, 1.0)], [(entered, 1.0)]]
        width = self.available()[0] - 2 * m.pad
        keys = self.keys()
        options = [head + self.key_rows(keys, c) for c in (3, 4, 6, 12)
                   if c * m.control + (c - 1) * m.gap <= width] or [head + self.key_rows(
                       keys, columns_that_fit(width, m.control, m.gap))]
        one = next((rows for rows in options if self.one_page(rows, m)), None)
        return one or min(options, key=lambda rows: sum(self.measure(r, width, m) for r in rows))

    def keys(self) -> list[KioskButton]:
        ctx = self.ctx
        out = []
        for key in KEYPAD:
            if key.isdigit():
                labels = {lang: key for lang in ctx.kiosk.languages}
                out.append(self.button(labels, payload=("digit", key), disabled=self.checking))
            else:
                out.append(self.button(f"admin.pin.{key}",
                                       variant="primary" if key == "ok" else "normal",
                                       payload=(key, None), disabled=self.checking))
        return out

    @staticmethod
    def key_rows(keys: list[KioskButton], cols: int) -> list[Row]:
        rows: list[Row] = []
        for part in chunks(keys, cols):
            row: Row = [(k, 1.0) for k in part]
            row += [(Widget(size_hint_y=None, height=0), 1.0)] * (cols - len(part))
            rows.append(row)
        return rows

    def nav_buttons(self) -> list[KioskButton]:
        b = self.button("admin.exit", variant="nav", payload=("exit", None))
        b.short_text = self.t("admin.exit.short")
        return [b]

    def title(self) -> str:
        return self.t("admin.pin.title")

    def summary(self) -> str:
        if self.checking:
            return self.t("admin.pin.checking")
        return self.message or self.t("admin.pin.summary")

    def type_digit(self, digit: str) -> None:
        """A digit from the on-screen keypad or the keyboard."""
        if self.checking or len(self.pin) >= MAX_DIGITS:
            return
        self.pin += digit
        self.ctx.rebuild(keep_focus=True)

    def on_activate(self, widget) -> None:
        kind, value = widget.payload
        if kind == "digit":
            self.type_digit(value)
        elif kind == "delete" and not self.checking:
            self.pin = self.pin[:-1]
            self.ctx.rebuild(keep_focus=True)
        elif kind == "ok" and not self.checking:
            self.submit()
        elif kind == "exit":
            self.ctx.staff.exit_admin()
        elif kind == "page":
            self.turn_page(value)

    def submit(self) -> None:
        pin, self.pin, self.checking = self.pin, "", True
        self.ctx.rebuild(keep_focus=True)
        staff = self.ctx.staff

        def check() -> None:
            result: PinCheck | Exception
            try:
                result = staff.check_pin(pin)
            except Exception as exc:  # a bad PIN format (e.g. too short) is a wrong PIN
                result = exc
            Clock.schedule_once(lambda _dt: self._checked(result), 0)

        threading.Thread(target=check, name="admin-pin", daemon=True).start()

    def _checked(self, result) -> None:
        self.checking = False
        ctx = self.ctx
        if ctx.current_screen.name != self.name:
            return  # the admin left (idle exit) while the PIN was being checked
        if isinstance(result, Exception):
            self.message = str(result)
        elif result.ok:
            ctx.go("admin")
            return
        else:
            self.message = result.message(ctx.lang)
        ctx.rebuild(keep_focus=True)
        ctx.announce(self.message, urgent=True)

    def on_back(self) -> bool:
        self.ctx.staff.exit_admin()
        return True
