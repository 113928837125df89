"""검증기준 2-2's other way, the merchant's choice: no time limit. The real kiosk on the
sample cafe with ``time_limit = false``, in simulated time: a customer who takes an hour
is never warned or reset, every customer screen says there is no limit (in the
customer's language), and the customer walking away (the real firmware's presence
sensor on a virtual board) still ends the session for the next one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from untact.accessibility.intents import Kind
from untact.accessibility.phrases import timeout_warning
from untact.accessibility.session_timer import TimerState

pytestmark = pytest.mark.kiosk

CAFE = Path(__file__).resolve().parents[2] / "examples" / "cafe.toml"
IDLE_S = 3600.0  # thirty times the sample cafe's limit


def no_limit_cafe(folder: Path) -> Path:
    """The sample cafe with its ``[accessibility.session]`` table saying no time limit."""
    text = CAFE.read_text(encoding="utf-8")
    table = re.compile(r"^\[accessibility\.session\]\n(?:(?!\[)[^\n]*\n)*", re.M)
    assert table.search(text), "the sample cafe has no [accessibility.session] table"
    path = folder / "cafe.toml"
    path.write_text(table.sub("[accessibility.session]\ntime_limit = false\n\n", text, count=1),
                    encoding="utf-8")
    return path


def add_croissant(k, words: tuple[str, ...], bar_says: str) -> None:
    """Keypad only, from the language screen to the cart; the bar on every screen."""
    for word in words:
        k.choose(word)
        assert k.app.time_left.text == bar_says, (k.screen, k.app.time_left.text)
    assert k.screen == "cart" and [ln.item.id for ln in k.app.cart.lines] == ["croissant"]


def warned(k) -> bool:
    """Whether the kiosk spoke its time-out warning (in either language)."""
    after_number = [timeout_warning(7, lang).split("7", 1)[1] for lang in ("ko", "en")]
    return any(text in said for said in k.spoken for text in after_number)


def test_no_time_limit_never_warns_or_resets_a_slow_customer_and_says_so(tmp_path):
    from untact.simulator.driver import KioskDriver

    k = KioskDriver(no_limit_cafe(tmp_path), data_dir=tmp_path / "data", sim_time=True).start()
    try:
        bar = k.app.time_left
        assert k.screen == "attract" and bar.text == ""  # no session, nothing to say
        k.send(Kind.SELECT)
        assert k.screen == "language" and bar.text == "시간 제한 없음"
        x, y = bar.to_window(*bar.pos)
        assert bar.opacity == 1 and bar.width > 0 and 0 <= y < k.app.area.height
        add_croissant(k, ("English", "Bakery", "Croissant", "Add to cart"), "No time limit")
        k.advance(IDLE_S, step=2.0)
        assert k.screen == "cart" and [ln.item.id for ln in k.app.cart.lines] == ["croissant"]
        assert not k.app.overlay.shown and not warned(k)
        assert k.app.frame.timer.state is TimerState.RUNNING and bar.text == "No time limit"
        k.choose("Order more")  # still the same customer: the kiosk answers as before
        assert k.screen == "categories" and bar.text == "No time limit"
    finally:
        k.stop()


def test_no_time_limit_session_ends_when_the_presence_sensor_sees_nobody(tmp_path):
    from untact.simulator.driver import KioskDriver

    k = KioskDriver(no_limit_cafe(tmp_path), data_dir=tmp_path / "data", sim_time=True,
                    boards=1).start()
    try:
        k.board_action("approach", {})  # the board's PIR sees a person: the kiosk wakes
        assert k.screen == "language"
        add_croissant(k, ("한국어", "베이커리", "크루아상", "담기"), "시간 제한 없음")
        k.advance(IDLE_S / 2, step=2.0)  # standing there, thinking: nothing happens
        assert k.screen == "cart" and k.app.cart.lines and not warned(k)
        k.board_action("leave", {}, timeout=15)  # nobody in front for the board's leave_ms
        k.wait_until(lambda: k.screen == "attract", what="the attract screen")
        assert not k.app.cart.lines and k.app.time_left.text == ""
        assert k.app.frame.timer.state is TimerState.IDLE
    finally:
        k.stop()


@pytest.mark.parametrize("no_limit, way", [
    (False, "time limit with the remaining time shown on 2 of 2 screens with a session; "
            "warned 30 s ahead, extendable 20 times"),
    (True, "no time limit (the merchant's choice): never warned or reset; the bar says so on "
           "2 of 2 screens with a session"),
])
def test_conformance_report_says_which_way_the_kiosk_meets_2_2(tmp_path, no_limit, way):
    """The audit's renderer describes the real kiosk's screens; item 2-2 passes either way
    and its figures say which way, from what the screens showed."""
    from untact.accessibility.audit.checks import load_rules, run_checks
    from untact.accessibility.audit.conformance import build, load_items
    from untact.simulator.audit_renderer import describe
    from untact.simulator.driver import KioskDriver

    config = no_limit_cafe(tmp_path) if no_limit else CAFE
    k = KioskDriver(config, data_dir=tmp_path / "data", sim_time=True).start()
    try:
        screens = []
        for step in (None, Kind.SELECT, "한국어"):  # attract (no session), language, categories
            if step is Kind.SELECT:
                k.send(step)
            elif step is not None:
                k.choose(step)
            shot = k.screenshot(tmp_path / f"{k.screen}.png")
            screens.append(describe(k, k.screen, "standard", shot))
    finally:
        k.stop()
    assert [s.name for s in screens] == ["attract", "language", "categories"]
    rules = load_rules()
    findings = run_checks(screens, rules)
    assert [f for f in findings if f.rule == "timing"] == []
    rows = build(load_items(), screens, findings, [], rules, CAFE.parents[1])
    item = next(r for r in rows if r["id"] == "2-2")
    assert item["result"] == "pass"
    assert item["figures"]["timing"] == {"kiosk file": way}
