"""The merchant's side in the real kiosk (KioskDriver): the hidden admin entry and PIN,
the lockout, sold out applied live, a refused menu edit, the staff call, card payment
outcomes, and a screenshot of every admin screen."""

from __future__ import annotations

import re
import sqlite3
import tomllib
from pathlib import Path

import pytest
from untact.accessibility.intents import Kind
from untact.shop.menu_service import MenuEditRefused
from untact.shop.staff_access import hash_pin

CAFE = Path(__file__).resolve().parents[2] / "examples" / "cafe.toml"
PIN = "4826"
FAST = {"n": 2**10, "r": 8, "p": 1}  # cheap scrypt costs: the real ones are tested elsewhere
ENTRY = [Kind.BACK, Kind.BACK, Kind.BACK, Kind.BACK, Kind.HOME]


def kiosk_file(tmp_path, payment: str = "", entry: str = '"back", "back", "back", "back", "home"'):
    """A temp copy of the cafe with an admin PIN, few attempts and a card terminal."""
    path = tmp_path / "kiosk.toml"
    text = CAFE.read_text(encoding="utf-8") + f"""
[admin]
pin_hash = "{hash_pin(PIN, **FAST)}"
max_attempts = 3
lockout_minutes = 2
entry_sequence = [{entry}]
entry_window_s = 30
{payment}
"""
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def make_kiosk(tmp_path):
    from untact.simulator.driver import KioskDriver

    drivers = []

    def make(**kw):
        driver = KioskDriver(kiosk_file(tmp_path, **kw), data_dir=tmp_path / "data").start()
        drivers.append(driver)
        return driver

    yield make
    for d in drivers:
        d.stop()


def summary(kiosk) -> str:
    return kiosk.app.screen.ids.summary.text


def enter_admin(kiosk) -> None:
    kiosk.send(*ENTRY)
    assert kiosk.screen == "admin_pin"


def type_pin(kiosk, pin: str, by_keyboard: bool = False) -> None:
    """Digits as on-screen KioskButtons chosen with NEXT/SELECT (or keyboard digits)."""
    for digit in pin:
        kiosk.key(digit) if by_keyboard else kiosk.choose(digit)
    kiosk.choose({"ko": "확인", "en": "OK"}[kiosk.app.lang])
    pin_screen = kiosk.app.sm.get_screen("admin_pin")
    kiosk.wait_until(lambda: not pin_screen.checking, what="the PIN check")


def start_order(kiosk, item: str = "아메리카노") -> None:
    kiosk.send(Kind.SELECT)
    kiosk.choose("한국어")
    kiosk.choose("커피")
    kiosk.choose(item)
    kiosk.choose("담기")
    kiosk.choose("주문하기")
    assert kiosk.screen == "checkout"


@pytest.mark.kiosk
def test_admin_pin_wrong_right_and_lockout(make_kiosk):
    kiosk = make_kiosk()
    customer_screens = ["attract", "language", "categories", "items", "options", "cart",
                        "checkout", "done", "access"]
    for name in customer_screens:  # no button on a customer screen leads into admin
        assert not any("admin" in str(getattr(w, "payload", "")) for w in
                       kiosk.app.sm.get_screen(name).walk(restrict=True))
    enter_admin(kiosk)
    type_pin(kiosk, "1111", by_keyboard=True)
    assert kiosk.screen == "admin_pin" and "2번 더" in summary(kiosk)
    assert any("2번 더" in s for s in kiosk.spoken)
    type_pin(kiosk, PIN)
    assert kiosk.screen == "admin"
    kiosk.choose("관리자 모드 끝내기")
    assert kiosk.screen == "attract"

    enter_admin(kiosk)
    for left in ("2번 더", "1번 더"):
        type_pin(kiosk, "9999")
        assert left in summary(kiosk)
    type_pin(kiosk, "9999")
    assert "2분 후에" in summary(kiosk)
    type_pin(kiosk, PIN)  # the right PIN is not even checked while locked out
    assert kiosk.screen == "admin_pin" and "분 후에" in summary(kiosk)


@pytest.mark.kiosk
def test_admin_closes_itself_when_idle(make_kiosk):
    kiosk = make_kiosk()
    enter_admin(kiosk)
    type_pin(kiosk, PIN)
    assert kiosk.screen == "admin"
    kiosk.app.admin_deadline = kiosk.app.now() - 1  # as if idle_exit_s had passed
    kiosk.pump(20)
    kiosk.wait_until(lambda: kiosk.screen == "attract", what="the idle exit")


@pytest.mark.kiosk
def test_sold_out_in_admin_is_live_on_the_customer_screen(make_kiosk):
    kiosk = make_kiosk()
    enter_admin(kiosk)
    type_pin(kiosk, PIN)
    kiosk.choose("품절 설정")
    assert kiosk.screen == "admin_menu"
    kiosk.choose("아메리카노: 판매 중")
    assert kiosk.focused == "아메리카노: 품절"
    data = tomllib.loads(kiosk.app.shop.menu.path.read_text(encoding="utf-8"))
    assert next(i for i in data["items"] if i["id"] == "americano")["sold_out"] is True
    kiosk.send(Kind.HOME)  # leaves admin mode
    assert kiosk.screen == "attract"

    kiosk.send(Kind.SELECT)
    kiosk.choose("한국어")
    kiosk.choose("커피")
    items = kiosk.app.sm.get_screen("items")

    def americano():
        return next(w for w in items.walk(restrict=True) if getattr(w, "payload", None)
                    and "americano" in str(w.payload))

    assert americano().disabled and "품절" in americano().spoken_value
    kiosk.app.shop.menu.set_sold_out("americano", False)  # from the console, while shown
    kiosk.wait_until(lambda: not americano().disabled, what="americano back on sale")


@pytest.mark.kiosk
def test_a_bad_menu_edit_is_refused_and_the_menu_keeps_running(make_kiosk):
    kiosk = make_kiosk()
    kiosk.send(Kind.SELECT)
    kiosk.choose("한국어")
    kiosk.choose("커피")
    before = kiosk.app.shop.menu.path.read_bytes()
    with pytest.raises(MenuEditRefused):
        kiosk.app.shop.menu.set_price("americano", -500)
    kiosk.pump(5)
    assert kiosk.app.kiosk.item("americano").price == 4500
    assert kiosk.app.shop.menu.path.read_bytes() == before
    kiosk.choose("아메리카노")
    kiosk.choose("담기")
    assert kiosk.app.cart.total() == 4500 and kiosk.screen == "cart"


@pytest.mark.kiosk
def test_staff_call_from_help_reaches_admin_and_is_acknowledged(make_kiosk):
    kiosk = make_kiosk()
    board = []
    kiosk.app.staff_call.subscribe(board.append)  # what the board's LED/buzzer sender gets
    kiosk.send(Kind.SELECT)
    kiosk.choose("한국어")
    kiosk.send(Kind.HELP)
    assert kiosk.app.staff_call.active and board[-1].active
    assert any("직원을 불렀습니다" in s for s in kiosk.spoken)
    kiosk.choose("닫기")
    enter_admin(kiosk)
    type_pin(kiosk, PIN)
    assert kiosk.screen == "admin" and kiosk.app.staff_call.active
    banner = [w.text for w in kiosk.app.screen.ids.staff.walk(restrict=True) if hasattr(w, "text")]
    assert any("직원 호출" in text for text in banner)
    kiosk.choose("호출 확인")
    assert not kiosk.app.staff_call.active and board[-1].by == "admin"
    assert not kiosk.app.screen.ids.staff.children


@pytest.mark.kiosk
def test_default_entry_is_five_helps_and_acknowledges_its_own_call(make_kiosk):
    kiosk = make_kiosk(entry='"help", "help", "help", "help", "help"')
    kiosk.send(*[Kind.HELP] * 5)
    assert kiosk.screen == "admin_pin" and not kiosk.app.staff_call.active


CARD = """
[payment]
method = "simulated_card"
[payment.simulated_card]
mode = "script"
script = ["decline", "approve"]
tap_s = 0.2
"""


@pytest.mark.kiosk
def test_card_decline_then_approval(make_kiosk):
    kiosk = make_kiosk(payment=CARD)
    start_order(kiosk)
    kiosk.choose("카드로 결제")
    kiosk.wait_until(lambda: not kiosk.app.saving, what="the card terminal")
    assert kiosk.screen == "checkout" and "승인되지 않았습니다" in summary(kiosk)
    assert any("승인되지 않았습니다" in s for s in kiosk.spoken)
    db = sqlite3.connect(kiosk.store.path)
    assert db.execute("SELECT COUNT(*) FROM orders").fetchone() == (0,)
    assert kiosk.app.cart.count() == 1

    kiosk.choose("다시 결제하기")
    kiosk.wait_until(lambda: kiosk.screen == "done", what="the order number")
    shown = kiosk.app.sm.get_screen("done").ids.number.text
    rows = db.execute("SELECT number, paid, payment, total FROM orders").fetchall()
    assert rows == [(int(shown), 1, "card-sim", 4500)]
    assert "결제가 완료" in summary(kiosk)


@pytest.mark.kiosk
def test_card_cancel_while_waiting(make_kiosk):
    kiosk = make_kiosk(payment=CARD.replace("tap_s = 0.2", "tap_s = 60"))
    start_order(kiosk)
    kiosk.choose("카드로 결제")
    assert kiosk.app.saving and "카드를 대 주세요" in summary(kiosk)
    kiosk.send(Kind.BACK)  # going back while the terminal waits could lose a payment
    assert kiosk.screen == "checkout"
    kiosk.choose("결제 취소")
    kiosk.wait_until(lambda: not kiosk.app.saving, timeout=5, what="the cancelled payment")
    assert "결제를 취소했습니다" in summary(kiosk)
    assert any("결제를 취소했습니다" in s for s in kiosk.spoken)
    assert kiosk.store.for_day() == []
    kiosk.send(Kind.BACK)
    assert kiosk.screen == "cart" and kiosk.app.cart.count() == 1


@pytest.mark.kiosk
def test_every_admin_screen_rendered(make_kiosk, output_dir):
    kiosk = make_kiosk()
    start_order(kiosk)
    kiosk.choose("카운터")
    kiosk.wait_until(lambda: kiosk.screen == "done")
    kiosk.key("enter")
    enter_admin(kiosk)
    kiosk.key("1")
    kiosk.screenshot(output_dir / "admin_pin.png")
    kiosk.choose("지우기")
    assert kiosk.app.screen.pin == ""
    type_pin(kiosk, PIN)
    kiosk.app.staff_call.raise_call("help")  # e.g. the board's button: banner shown
    kiosk.pump(3)
    kiosk.screenshot(output_dir / "admin.png")
    kiosk.choose("오늘 주문 CSV 내보내기")
    assert "주문 1건" in kiosk.app.screen.export_message
    exported = list(kiosk.app.export_folder()[0].glob("*.csv"))
    assert len(exported) == 1 and "4500" in exported[0].read_text(encoding="utf-8")
    for name, button in (("admin_orders", "오늘 주문 목록"), ("admin_queue", "주문 대기열"),
                         ("admin_menu", "품절 설정")):
        kiosk.choose(button)
        assert kiosk.screen == name
        kiosk.screenshot(output_dir / f"{name}.png")
        kiosk.choose("관리자 처음")
    kiosk.choose("오늘 주문 목록")
    assert "1번" in " ".join(w.text for w in kiosk.app.screen.ids.content.walk(restrict=True)
                            if hasattr(w, "text"))
    kiosk.choose("관리자 처음")
    kiosk.choose("주문 대기열")
    kiosk.choose("1번 준비 시작")
    assert kiosk.store.for_day()[0].status == "preparing"
    kiosk.choose("1번 준비 완료")
    assert kiosk.store.for_day()[0].status == "ready"
    kiosk.choose("1번 수령 완료")
    assert kiosk.store.for_day()[0].status == "collected"
    assert "기다리는 주문이 없습니다" in summary(kiosk)


@pytest.mark.kiosk
def test_systemd_ready_watchdog_and_stopping(tmp_path, monkeypatch):
    """READY once the attract screen is up, WATCHDOG from the Kivy clock, STOPPING on stop,
    through a real unix datagram socket bound as systemd binds it."""
    import os
    import socket

    from untact.simulator.driver import KioskDriver

    path = tmp_path / "notify.sock"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(path))
    sock.settimeout(5)
    monkeypatch.setenv("NOTIFY_SOCKET", str(path))
    monkeypatch.setenv("WATCHDOG_USEC", "200000")  # ping every 0.1 s
    monkeypatch.setenv("WATCHDOG_PID", str(os.getpid()))
    kiosk = KioskDriver(kiosk_file(tmp_path), data_dir=tmp_path / "data").start()
    try:
        kiosk.wait_until(lambda: kiosk.app._ready_sent, what="READY")
        assert sock.recv(4096).startswith(b"READY=1")
        sock.setblocking(False)
        got: list[bytes] = []

        def pinged() -> bool:
            try:
                got.append(sock.recv(4096))
            except BlockingIOError:
                pass
            return b"WATCHDOG=1" in got

        kiosk.wait_until(pinged, timeout=5, what="a watchdog ping")
    finally:
        kiosk.stop()
    sock.settimeout(5)
    sock.setblocking(True)
    while (message := sock.recv(4096)) == b"WATCHDOG=1":
        pass
    assert message == b"STOPPING=1"
    sock.close()


def test_check_config_validates_admin_and_payment(tmp_path):
    import subprocess
    import sys

    path = kiosk_file(tmp_path, payment='[payment]\nmethod = "bitcoin"\n')
    r = subprocess.run([sys.executable, "-m", "untact.ui.cli", "--check-config", str(path)],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and "method" in r.stderr and "bitcoin" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    # The simulator's card terminal is valid configuration, but not for a real kiosk:
    # untact-kiosk says so in one line naming the file, line and field.
    card = subprocess.run([sys.executable, "-m", "untact.ui.cli", "--check-config",
                           str(kiosk_file(tmp_path, payment=CARD))],
                          capture_output=True, text=True, timeout=60)
    assert card.returncode == 2
    assert re.fullmatch(r'untact-kiosk: .*kiosk\.toml:\d+: payment\.method: "simulated_card" is '
                        r"the simulator's card terminal.*\n", card.stderr), card.stderr
    ok = subprocess.run([sys.executable, "-m", "untact.ui.cli", "--check-config",
                         str(kiosk_file(tmp_path, payment='[payment]\nmethod = "counter"\n'))],
                        capture_output=True, text=True, timeout=60)
    assert ok.returncode == 0, ok.stderr


@pytest.mark.kiosk
def test_export_to_the_configured_folder_reports_a_missing_one(make_kiosk, tmp_path):
    stick = tmp_path / "usb"
    kiosk = make_kiosk(payment=f'export_folder = "{stick}"')  # still inside [admin]
    start_order(kiosk)
    kiosk.choose("카운터")
    kiosk.wait_until(lambda: kiosk.screen == "done")
    kiosk.key("enter")
    enter_admin(kiosk)
    type_pin(kiosk, PIN)
    kiosk.choose("오늘 주문 CSV 내보내기")
    assert "내보내지 못했습니다" in kiosk.app.screen.export_message and not stick.exists()
    stick.mkdir()  # the stick is plugged in: the same export now writes the order
    kiosk.choose("오늘 주문 CSV 내보내기")
    assert "주문 1건" in kiosk.app.screen.export_message
    assert len(list(stick.glob("*.csv"))) == 1
