"""The staff screens on the smallest supported screens (issue #15): every page of them
passes the audit's layout and target checks, and a page too small for all of a screen is
paged with buttons any modality can choose, the new position spoken.

Real kiosks (KioskDriver) with the sample cafe at a supported display's resolution; the
pages are described by the audit's own renderer and checked by its own rules."""

from __future__ import annotations

import re

import pytest
from test_admin_mode import ENTRY, PIN, kiosk_file
from untact.accessibility.intents import Kind, simple

# The audit's checks that a page can fail by itself (magnification compares profiles).
PAGE_RULES = {"layout", "target_size", "target_spacing", "text_size", "reach", "visual_height",
              "focus_order", "labels"}


@pytest.fixture
def kiosk_at(tmp_path):
    """A kiosk (admin PIN set) on one of the supported displays, its window that size."""
    from kivy.core.window import Window
    from untact.accessibility.audit.displays import with_display
    from untact.accessibility.display import SUPPORTED_DISPLAYS
    from untact.simulator.driver import KioskDriver

    drivers, before = [], tuple(Window.size)

    def make(display: str) -> KioskDriver:
        path = kiosk_file(tmp_path)
        d = SUPPORTED_DISPLAYS[display]
        path.write_text(with_display(path.read_text(encoding="utf-8"), d), encoding="utf-8")
        Window.size = d.resolution  # the driver only ever grows the window
        driver = KioskDriver(path, data_dir=tmp_path / "data", scale=1.0).start()
        drivers.append(driver)
        return driver

    yield make
    for driver in drivers:
        driver.stop()
    Window.size = before


def page_findings(kiosk, output_dir, tag: str) -> list[str]:
    """The audit's findings on the page shown now, as the audit words them."""
    from untact.accessibility.audit.checks import run_checks
    from untact.simulator.audit_renderer import describe

    app = kiosk.app
    shot = kiosk.screenshot(output_dir / "staff-layout" / f"{tag}.png")
    info = describe(kiosk, app.sm.current, app.profile_name, shot)
    return [f"{tag}: [{f.rule}] {f.message}" for f in run_checks([info], only=PAGE_RULES)]


def shown_buttons(kiosk) -> list[str]:
    return [w.text for w in kiosk.app.targets() if w.enabled]


def can_turn(kiosk, step: int) -> bool:
    return any(w.payload == ("page", step) for w in kiosk.app.targets() if w.enabled)


def turn(kiosk, step: int) -> None:
    """The next (1) or previous (-1) page button, reached by NEXT and chosen by SELECT."""
    kiosk.focus_on(lambda w: w.payload == ("page", step), what=f"page {step:+d}")
    kiosk.send(Kind.SELECT)


def choose_on_some_page(kiosk, text: str, output_dir, tag: str, findings: list[str]) -> None:
    """Page forward (then back) with the page buttons, by NEXT and SELECT as a keypad
    user does, until a button reading ``text`` is shown; choose it. Every page shown is
    audited on the way."""
    for step in (1, -1):
        for _ in range(12):
            findings += page_findings(kiosk, output_dir, f"{tag}-{len(findings)}-{len(kiosk.spoken)}")
            if text in shown_buttons(kiosk):
                kiosk.choose(text)
                return
            if not can_turn(kiosk, step):
                break
            turn(kiosk, step)
    raise AssertionError(f"{text!r} is on no page of {kiosk.screen}")


@pytest.mark.kiosk
def test_low_vision_pin_on_the_7in_screen_pages_and_every_page_passes(kiosk_at, output_dir):
    """800 x 480 (86 mm high) with everything doubled: the PIN pad cannot be one page.
    Typed by keypad intents alone across its pages, it lets staff in; every page passes."""
    kiosk = kiosk_at("pi-touch-7in")
    kiosk.send(*ENTRY)
    assert kiosk.screen == "admin_pin"
    kiosk.app.set_profile("low_vision")
    kiosk.send(simple(Kind.SPEECH_MODE, "board", True))  # earphones in: speech on
    findings: list[str] = []
    spoken_before = len(kiosk.spoken)
    for digit in PIN:
        choose_on_some_page(kiosk, digit, output_dir, "pin", findings)
    assert kiosk.app.screen.pin == PIN
    assert findings == []
    turns = [s for s in kiosk.spoken[spoken_before:] if re.fullmatch(r"\d+/\d+쪽", s)]
    assert len(turns) >= 3  # every turn says where it went
    choose_on_some_page(kiosk, "확인", output_dir, "pin", findings)
    pin_screen = kiosk.app.sm.get_screen("admin_pin")
    kiosk.wait_until(lambda: not pin_screen.checking, what="the PIN check")
    assert kiosk.screen == "admin"
    choose_on_some_page(kiosk, "주문 대기열", output_dir, "admin", findings)
    assert kiosk.screen == "admin_queue"
    findings += page_findings(kiosk, output_dir, "queue")
    assert findings == []


@pytest.mark.kiosk
def test_a_long_order_list_pages_through_every_order_on_the_7in_portrait_screen(
        kiosk_at, output_dir):
    """Forty orders on the 88 mm wide Pi display, text x1.5: the list pages by what
    fits (the title and summary on the first page only); turning pages reaches every
    order once, and every page passes."""
    kiosk = kiosk_at("pi-touch2-7in")
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
    kiosk.app.go("admin_orders", page=0)  # the home page's buttons are tested above
    findings: list[str] = []
    seen: list[str] = []
    for page in range(100):
        findings += page_findings(kiosk, output_dir, f"orders-{page}")
        seen += [w.text.split("번")[0] for w in kiosk.app.screen.ids.content.walk(restrict=True)
                 if getattr(w, "text", "").split("번")[0].isdigit()]
        if not can_turn(kiosk, 1):
            break
        turn(kiosk, 1)
    assert sorted(seen, key=int) == [str(n) for n in range(1, 41)]
    assert findings == []
