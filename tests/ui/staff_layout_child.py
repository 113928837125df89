"""A kiosk process at one supported display for the staff layout tests: a Kivy window
keeps the size it was opened with, so each display gets a process of its own.

Usage: python staff_layout_child.py DISPLAY SCENARIO WORK_DIR OUTPUT_DIR
Prints one JSON object: what the scenario saw (findings, pages turned, orders listed).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from test_admin_mode import ENTRY, PIN, kiosk_file
from untact.accessibility.audit.checks import run_checks
from untact.accessibility.audit.displays import with_display
from untact.accessibility.display import SUPPORTED_DISPLAYS
from untact.accessibility.intents import Kind, simple
from untact.simulator.audit_renderer import describe
from untact.simulator.driver import KioskDriver

# The audit's checks that a page can fail by itself (magnification compares profiles).
PAGE_RULES = {"layout", "target_size", "target_spacing", "text_size", "reach", "visual_height",
              "focus_order", "labels"}


class Walk:
    """A staff member on the keypad: NEXT to a button, SELECT; every page audited."""

    def __init__(self, kiosk: KioskDriver, shots: Path) -> None:
        self.kiosk, self.shots, self.findings = kiosk, shots, []

    def audit_page(self) -> None:
        app = self.kiosk.app
        shot = self.kiosk.screenshot(self.shots / f"{app.sm.current}-{len(self.kiosk.spoken)}.png")
        info = describe(self.kiosk, app.sm.current, app.profile_name, shot)
        self.findings += [f"{app.sm.current}: [{f.rule}] {f.message}"
                          for f in run_checks([info], only=PAGE_RULES)]

    def shown(self) -> list[str]:
        return [w.text for w in self.kiosk.app.targets() if w.enabled]

    def can_turn(self, step: int) -> bool:
        return any(w.payload == ("page", step) for w in self.kiosk.app.targets() if w.enabled)

    def turn(self, step: int) -> None:
        self.kiosk.focus_on(lambda w: w.payload == ("page", step), what=f"page {step:+d}")
        self.kiosk.send(Kind.SELECT)

    def every_page(self) -> None:
        """Audit this page and each after it."""
        self.audit_page()
        while self.can_turn(1):
            self.turn(1)
            self.audit_page()

    def choose(self, text: str) -> None:
        """Page forward, then back, until a button reading ``text`` is shown; choose it."""
        for step in (1, -1):
            for _ in range(40):
                self.audit_page()
                if text in self.shown():
                    self.kiosk.choose(text)
                    return
                if not self.can_turn(step):
                    break
                self.turn(step)
        raise AssertionError(f"{text!r} is on no page of {self.kiosk.screen}")


def pin(kiosk: KioskDriver, walk: Walk) -> dict:
    """Low vision (everything x2), earphones in: the PIN by keypad intents; every page
    of the staff home with a staff call up; the call acknowledged; the queue."""
    kiosk.send(*ENTRY)
    kiosk.app.set_profile("low_vision")
    kiosk.send(simple(Kind.SPEECH_MODE, "board", True))
    before = len(kiosk.spoken)
    for digit in PIN:
        walk.choose(digit)
    typed = kiosk.app.screen.pin
    walk.choose("확인")
    pin_screen = kiosk.app.sm.get_screen("admin_pin")
    kiosk.wait_until(lambda: not pin_screen.checking, what="the PIN check")
    entered = kiosk.screen
    kiosk.app.staff_call.raise_call("help")  # a customer pressed HELP: the banner is up
    kiosk.pump(3)
    walk.every_page()
    walk.choose("호출 확인")
    acknowledged = not kiosk.app.staff_call.active
    walk.choose("주문 대기열")
    walk.audit_page()
    return {"typed": typed, "entered": entered, "then": kiosk.screen, "acknowledged": acknowledged,
            "turns": [s for s in kiosk.spoken[before:] if re.fullmatch(r"\d+/\d+쪽", s)]}


def orders(kiosk: KioskDriver, walk: Walk) -> dict:
    """Forty orders, text x1.5: the order list, page by page."""
    for _ in range(40):
        kiosk.store.place([{"item": "americano", "name": {"ko": "아메리카노", "en": "Americano"},
                            "quantity": 1, "unit_price": 4500}], 4500, "ko")
    kiosk.send(*ENTRY)
    for digit in PIN:
        kiosk.key(digit)
    kiosk.choose("확인")
    pin_screen = kiosk.app.sm.get_screen("admin_pin")
    kiosk.wait_until(lambda: not pin_screen.checking, what="the PIN check")
    kiosk.app.set_profile("elderly")
    kiosk.app.go("admin_orders", page=0)
    seen: list[str] = []
    for _ in range(100):
        walk.audit_page()
        seen += [w.text.split("번")[0] for w in kiosk.app.screen.ids.content.walk(restrict=True)
                 if getattr(w, "text", "").split("번")[0].isdigit()]
        if not walk.can_turn(1):
            break
        walk.turn(1)
    return {"seen": seen}


def main(display: str, scenario: str, work: Path, out: Path) -> None:
    path = kiosk_file(work)
    path.write_text(with_display(path.read_text(encoding="utf-8"), SUPPORTED_DISPLAYS[display]),
                    encoding="utf-8")
    kiosk = KioskDriver(path, data_dir=work / "data", scale=1.0).start()
    try:
        walk = Walk(kiosk, out)
        result = {"pin": pin, "orders": orders}[scenario](kiosk, walk)
    finally:
        kiosk.stop()
    print(json.dumps({**result, "findings": walk.findings}, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]))
