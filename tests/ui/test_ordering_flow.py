"""The whole ordering flow in the real app: by keyboard alone, in both languages, with a
screenshot of every screen and a check that no character renders as a missing-glyph box."""

import sqlite3
from pathlib import Path

import pytest
from untact.accessibility.intents import Kind

pytestmark = pytest.mark.kiosk

SCREENS_IN_FLOW = ["attract", "language", "categories", "items", "options", "cart", "checkout", "done"]
# (the accessibility settings screen, "access", is visited from the done screen at the end)


def press_until(kiosk, text, key="right", limit=40):
    """Press ``key`` until the focused widget's label contains ``text``, then Enter."""
    for _ in range(limit):
        if kiosk.focused and text in kiosk.focused:
            kiosk.key("enter")
            return
        kiosk.key(key)
    raise AssertionError(f"{text!r} never got focus on {kiosk.screen}; last focus {kiosk.focused!r}")


def test_whole_order_by_keyboard_alone(kiosk):
    assert kiosk.screen == "attract"
    kiosk.key("enter")
    assert kiosk.screen == "language"
    press_until(kiosk, "한국어")
    press_until(kiosk, "커피")
    assert kiosk.screen == "items"
    press_until(kiosk, "아메리카노")
    assert kiosk.screen == "options"
    press_until(kiosk, "차갑게")
    press_until(kiosk, "큰 사이즈")
    press_until(kiosk, "하나 더")
    press_until(kiosk, "담기")
    assert kiosk.screen == "cart"
    assert "10,000원" in kiosk.app.sm.get_screen("cart").ids.summary.text  # (4,500 + 500) x 2
    kiosk.key("backspace")  # back to the categories, cart kept
    assert kiosk.screen == "categories"
    press_until(kiosk, "베이커리")
    press_until(kiosk, "크루아상")
    press_until(kiosk, "담기")
    press_until(kiosk, "주문하기")
    assert kiosk.screen == "checkout"
    press_until(kiosk, "카운터")
    kiosk.wait_until(lambda: kiosk.screen == "done", what="the order number")
    shown = kiosk.app.sm.get_screen("done").ids.number.text

    rows = sqlite3.connect(kiosk.store.path).execute("SELECT number, total, lines_json FROM orders").fetchall()
    assert len(rows) == 1
    number, total, lines = rows[0]
    assert str(number) == shown == "1"
    assert total == 10_000 + 3_800
    assert '"temperature": "iced"' in lines and '"size": "large"' in lines and '"croissant"' in lines
    assert kiosk.spoken == []  # a sighted customer's kiosk stays quiet until asked to speak
    kiosk.key("enter")  # finish: the next customer starts clean
    assert kiosk.screen == "attract" and kiosk.app.cart.count() == 0


def test_english_order_by_intents_with_back_and_home(kiosk):
    kiosk.send(Kind.SELECT)
    kiosk.choose("English")
    assert kiosk.app.lang == "en" and kiosk.screen == "categories"
    kiosk.choose("Tea")
    kiosk.choose("Citron")
    kiosk.send(Kind.BACK)  # changed my mind
    assert kiosk.screen == "items"
    kiosk.choose("Green Tea")
    kiosk.choose("Iced")
    kiosk.choose("Add to cart")
    assert "4,500 won" in kiosk.app.sm.get_screen("cart").ids.summary.text
    kiosk.send(Kind.HOME)
    assert kiosk.screen == "categories" and kiosk.app.cart.count() == 1
    kiosk.choose("Cart")
    kiosk.choose("Place order")
    kiosk.choose("Pay at the counter")
    kiosk.wait_until(lambda: kiosk.screen == "done")
    order = kiosk.store.for_day()[0]
    assert order.language == "en" and order.total == 4500 and not order.paid


def test_sold_out_items_cannot_be_chosen(kiosk):
    kiosk.kiosk.item("croissant").sold_out = True
    kiosk.send(Kind.SELECT)
    kiosk.choose("한국어")
    kiosk.choose("베이커리")
    labels = [w.text for w in kiosk.app.focus.targets if not w.enabled]
    assert any("크루아상" in t and "품절" in t for t in labels)
    for _ in range(len(kiosk.app.focus.targets) + 1):  # focus never lands on it
        assert "크루아상" not in (kiosk.focused or "")
        kiosk.send(Kind.NEXT, frames=1)


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_every_screen_rendered_in_both_languages(kiosk, lang, output_dir):
    """Walk the flow, save a PNG of each screen, and check every character on it has a
    real glyph in the registered font (Hangul in the default Roboto renders as boxes)."""
    shots = output_dir / "screens"
    seen = set()
    chars: set[str] = set()

    def capture():
        name = kiosk.screen
        kiosk.screenshot(shots / f"{lang}_{SCREENS_IN_FLOW.index(name)}_{name}.png")
        seen.add(name)
        chars.update(label_text(kiosk))

    capture()
    kiosk.send(Kind.SELECT)
    capture()
    kiosk.choose("한국어" if lang == "ko" else "English")
    capture()
    kiosk.send(Kind.SELECT)
    capture()
    kiosk.send(Kind.SELECT)
    capture()
    kiosk.choose("담기" if lang == "ko" else "Add to cart")
    capture()
    kiosk.choose("주문하기" if lang == "ko" else "Place order")
    capture()
    kiosk.choose("카운터" if lang == "ko" else "counter")
    kiosk.wait_until(lambda: kiosk.screen == "done")
    capture()
    kiosk.send(Kind.HELP)
    chars.update(label_text(kiosk))  # the help overlay
    kiosk.send(Kind.BACK)
    kiosk.choose("화면·음성" if lang == "ko" else "Access")
    assert kiosk.screen == "access"
    kiosk.screenshot(shots / f"{lang}_8_access.png")
    chars.update(label_text(kiosk))
    assert seen == set(SCREENS_IN_FLOW)
    assert all((shots / f"{lang}_{i}_{n}.png").stat().st_size > 5000 for i, n in enumerate(SCREENS_IN_FLOW))
    if lang == "ko":
        assert any("\uac00" <= c <= "\ud7a3" for c in chars)  # Hangul was on screen
    assert missing_glyphs(chars) == set()


def label_text(kiosk) -> str:
    from kivy.uix.label import Label

    return "".join(w.text for w in kiosk.app.root.walk() if isinstance(w, Label) and w.opacity > 0)


def missing_glyphs(chars) -> set:
    """Characters the default font draws as its missing-glyph box (.notdef)."""
    from kivy.core.text import Label as CoreLabel

    def pixels(c):
        label = CoreLabel(text=c, font_size=40)
        label.refresh()
        return label.texture.pixels

    notdef = pixels("\ue000")  # private use: no font has it
    return {c for c in chars if not c.isspace() and pixels(c) == notdef}


def test_the_missing_glyph_check_can_fail(kiosk):
    assert missing_glyphs({"\ue001", "가", "A"}) == {"\ue001"}


def test_profile_change_recolours_the_screen_and_an_open_overlay(kiosk):
    """Buttons take their colours from the theme when built; a profile chosen while the
    help overlay is up must recolour the overlay's buttons as well as the screen's."""
    from untact.ui.theme import button_colours
    from untact.ui.widgets import KioskButton

    kiosk.key("enter")
    kiosk.send(Kind.HELP)
    app = kiosk.app
    assert app.overlay.shown
    before = app.theme["bg"]
    app.set_profile("low_vision")
    kiosk.pump(2)
    assert app.theme["bg"] != before
    buttons = [w for root in (app.overlay, app.screen) for w in root.walk(restrict=True)
               if isinstance(w, KioskButton)]
    assert any(w in app.overlay.walk(restrict=True) for w in buttons)
    for w in buttons:
        bg, fg = button_colours(w.variant, w.selected, w.disabled, app.theme)
        assert (tuple(w.bg_colour), tuple(w.fg_colour)) == (tuple(bg), tuple(fg)), w.text


def test_attract_screen_offers_only_the_inputs_that_work(kiosk):
    """Devices start after the first frame and can fail: the attract screen invites the
    customer by what works now and says what is off, in both languages, as it changes."""
    app = kiosk.app
    summary = app.sm.get_screen("attract").ids.summary
    assert summary.text.splitlines() == ["아무 버튼이나 누르세요", "Press any button"]  # none set up
    app.device_status.update(camera="starting", voice="voice input is off: no microphone")
    kiosk.advance(0.5)
    assert "화면 앞에 손을 대거나 아무 버튼이나 누르세요" in summary.text
    assert "Voice ordering is off just now" in summary.text and "말씀" not in summary.text
    app.device_status.update(camera="camera is off: no camera at /dev/video0", voice="on")
    kiosk.advance(0.5)
    assert "Speak or press any button" in summary.text
    assert "지금은 카메라 손짓을 쓸 수 없습니다" in summary.text
    app.device_status.update(camera="tracking", boards="1 connected (b1)")
    kiosk.advance(0.5)
    assert summary.text.splitlines() == ["화면 앞에 손을 대거나, 말씀하시거나, 아무 버튼이나 누르세요",
                                         "Hold up your hand, speak, or press any button"]


def test_devices_screen_says_each_state_in_the_kiosk_language(kiosk):
    app = kiosk.app
    app.device_status.update(camera="tracking", voice="voice input is off: no microphone",
                             boards="2 connected (b1, b2)")
    app.go("admin_devices")
    screen = app.screen
    assert [screen.status_line(d) for d in ("camera", "voice", "boards")] == [
        "카메라: 손을 찾는 중 (켜짐)", "음성 인식: 꺼짐. 원인: voice input is off: no microphone",
        "센서 보드: 2개 연결됨 (b1, b2)"]
    app.device_status.pop("boards")
    assert screen.status_line("boards") == "센서 보드: 설정되지 않음"
    app.device_status["staff_web"] = "on"
    assert screen.status_line("staff_web") == "직원 웹 페이지: 켜짐"
    app.go("admin")


def test_remaining_time_is_on_every_customer_screen(tmp_path):
    """검증기준 2-2: the time limit's remaining time is on the screen all the time (not
    only in the warning), counts down, and is gone when no session runs."""
    import re

    from untact.simulator.driver import KioskDriver

    cafe = Path(__file__).resolve().parents[2] / "examples" / "cafe.toml"
    kiosk = KioskDriver(cafe, data_dir=tmp_path / "data", sim_time=True).start()
    try:
        bar = kiosk.app.time_left
        assert kiosk.screen == "attract" and bar.text == ""  # no session: no limit runs
        kiosk.key("enter")
        seen = {}
        for name in ("language", "categories", "items", "options", "cart", "checkout"):
            if kiosk.screen != name:
                kiosk.app.go(name, **({"category": "coffee", "page": 0} if name == "items" else
                                      {"item": "americano"} if name == "options" else {}))
            kiosk.pump(2)
            assert re.fullmatch(r"남은 시간 \d+:\d\d", bar.text), (name, bar.text)
            x, y = bar.to_window(*bar.pos)
            assert bar.opacity == 1 and bar.width > 0 and 0 <= y < kiosk.app.area.height
            seen[name] = bar.text
        before = bar.text
        kiosk.advance(10)
        assert bar.text != before  # it counts down
    finally:
        kiosk.stop()
