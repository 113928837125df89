"""Issue 14's walk, in a real browser: a customer orders at a headless kiosk; the order
reaches the staff page (signed in with the admin PIN, by keyboard); staff mark it
preparing, then ready, one tap each; the ready board shows it and calls it once, and
does not call it again after a reload; the counter's printer printed the order's
receipt and kitchen ticket exactly once each. The pages pass axe-core's WCAG 2.2 AA rules and
the Tab key reaches every control.

The staff server runs inside the kiosk's process over the kiosk's own shop (the
one-kiosk set-up), so sold out set on the staff page reaches the customer screens."""

from __future__ import annotations

import time
import urllib.request

import pytest
from browser import axe_violations, chromium, tab_reaches_every_control, wait_for
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from untact.accessibility.intents import Kind
from untact.shop.tickets import tickets_for
from web_helpers import PIN, kiosk_file

pytestmark = pytest.mark.kiosk


@pytest.fixture
def kiosk(tmp_path, printer):
    """The cafe with its receipt printer on the network (a virtual one on a real port)."""
    from untact.simulator.driver import KioskDriver

    driver = KioskDriver(kiosk_file(tmp_path, printer.address), data_dir=tmp_path / "data").start()
    yield driver
    driver.stop()


@pytest.fixture
def staff_server(kiosk):
    """Started as ``untact-kiosk`` starts it for ``[staff_web]`` (stopped with the kiosk)."""
    kiosk.composition.start_staff_web()
    assert kiosk.composition.hardware.status["staff_web"] == "on"
    return kiosk.composition.staff_web


@pytest.fixture
def browser():
    driver = chromium()
    yield driver
    driver.quit()


def order_lemonade(kiosk) -> None:
    kiosk.send(Kind.SELECT)
    for label in ("한국어", "음료", "레몬에이드", "큰 사이즈", "담기", "주문하기", "카운터"):
        kiosk.choose(label)
    kiosk.wait_until(lambda: kiosk.screen == "done" and kiosk.store.for_day(), what="the order")


def test_order_from_kiosk_to_staff_page_to_ready_board(kiosk, staff_server, browser, printer, output_dir):
    base = f"http://127.0.0.1:{staff_server.port}"
    browser.get(f"{base}/board")
    board = browser.current_window_handle
    browser.find_element(By.ID, "sound").click()  # a TV's one click that allows sound
    assert axe_violations(browser) == []

    browser.switch_to.new_window("tab")
    staff = browser.current_window_handle
    browser.get(f"{base}/staff")
    assert browser.current_url.endswith("/login")
    assert axe_violations(browser) == []
    pin = browser.switch_to.active_element  # autofocused: typed and sent by keyboard only
    assert pin.get_attribute("id") == "pin"
    pin.send_keys(PIN, Keys.ENTER)
    wait_for(lambda: browser.current_url.endswith("/staff"), what="the staff page")
    wait_for(lambda: browser.find_element(By.ID, "connection").text == "실시간 연결됨",
             what="the live connection")

    order_lemonade(kiosk)
    committed = time.monotonic()
    card = wait_for(lambda: browser.find_element(By.CSS_SELECTOR, '[data-number="1"]'), 10,
                    "order 1 on the staff page")
    reached_s = time.monotonic() - committed
    assert "레몬에이드" in card.text and "신규" in card.text
    print(f"order on the staff page {reached_s * 1000:.0f} ms after the kiosk committed it")
    assert axe_violations(browser) == []
    assert tab_reaches_every_control(browser) == []
    browser.save_screenshot(str(output_dir / "web-staff.png"))

    # The counter's printer: the order as taken, its receipt and kitchen ticket once each.
    (placed,) = kiosk.store.for_day()
    printer.wait_for(2, timeout_s=20)
    paper = kiosk.composition.printer.config.paper
    assert [printer.copies_of(t, paper) for t in tickets_for(placed, kiosk.app.shop.menu.kiosk)] == [1, 1]
    assert len(printer.tickets) == 2 and printer.unknown == []

    browser.find_element(By.XPATH, '//button[text()="1번 준비 시작"]').click()
    wait_for(lambda: "준비 중" in browser.find_element(By.CSS_SELECTOR, '[data-number="1"] .status').text,
             what="preparing")
    button = browser.find_element(By.XPATH, '//button[text()="1번 준비 완료"]')
    button.send_keys(Keys.ENTER)  # the keyboard works as well as a tap
    wait_for(lambda: kiosk.store.for_day()[0].status == "ready", what="ready in SQLite")

    browser.switch_to.window(board)
    wait_for(lambda: [li.text for li in browser.find_elements(By.CSS_SELECTOR, "#ready li")] == ["1"],
             what="1 on the board's ready list")
    assert browser.find_elements(By.CSS_SELECTOR, "#preparing li") == []
    wait_for(lambda: "1번 고객님, 주문하신 메뉴가 준비되었습니다" in
             browser.find_element(By.ID, "announcement").text, what="the call")
    assert browser.execute_script("return document.body.dataset.called") == "1"
    browser.save_screenshot(str(output_dir / "web-board.png"))
    with urllib.request.urlopen(f"{base}/board/call/1.wav?lang=ko", timeout=30) as r:
        assert r.read(4) == b"RIFF"  # the spoken call, synthesised on the server

    browser.refresh()  # a reload (or a second screen) does not call number 1 again
    wait_for(lambda: browser.execute_script("return document.body.dataset.updates"),
             what="the board's first event after a reload")
    assert [li.text for li in browser.find_elements(By.CSS_SELECTOR, "#ready li")] == ["1"]
    assert browser.find_element(By.ID, "announcement").text == ""
    assert browser.execute_script("return document.body.dataset.called") is None

    browser.switch_to.window(staff)
    browser.find_element(By.XPATH, '//button[text()="1번 수령 완료"]').click()
    wait_for(lambda: "기다리는 주문이 없습니다" in browser.find_element(By.ID, "live").text,
             what="the queue emptied")
    browser.switch_to.window(board)
    wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, "#ready li") == [], what="board cleared")


def test_axe_finds_what_it_should(staff_server, browser):
    """The checks can fail: a page with an unlabelled field and faint text has violations."""
    browser.get(f"http://127.0.0.1:{staff_server.port}/board")
    browser.execute_script("""document.getElementById('main').insertAdjacentHTML('beforeend',
        '<input id="bad"><p style="color:#777;background:#888">faint</p><button id="nokey" tabindex="-1">x</button>');""")
    found = " ".join(axe_violations(browser))
    assert "label" in found and "color-contrast" in found
    assert any("nokey" in m for m in tab_reaches_every_control(browser))


def test_sold_out_on_the_staff_page_reaches_the_kiosk_and_english_works(kiosk, staff_server, browser):
    base = f"http://127.0.0.1:{staff_server.port}"
    browser.get(f"{base}/login")
    browser.find_element(By.LINK_TEXT, "English").click()
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    browser.find_element(By.ID, "pin").send_keys(PIN, Keys.ENTER)
    wait_for(lambda: browser.current_url.endswith("/staff"), what="the staff page")
    assert axe_violations(browser) == []
    browser.find_element(By.ID, "item-lemonade").click()
    wait_for(lambda: kiosk.composition.shop.menu.kiosk.item("lemonade").sold_out, what="sold out")
    wait_for(lambda: "Put Lemonade back on sale" in browser.find_element(By.ID, "item-lemonade").text,
             what="the button after the change")
    devices = browser.find_element(By.CSS_SELECTOR, ".devices").text
    assert "Sensor boards" in devices and "Camera" in devices and "Microphone" in devices
