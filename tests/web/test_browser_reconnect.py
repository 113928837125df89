"""Nothing lost when the network drops: the staff page says the connection is lost, says
so when a tap cannot be sent, comes back by itself when the server does, and shows the
order placed meanwhile."""

from __future__ import annotations

import socket

import pytest
from browser import chromium, wait_for
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from untact.web.config import WebConfig
from untact.web.server import StaffWebServer, local_app
from web_helpers import PIN, order


@pytest.fixture
def browser():
    driver = chromium()
    yield driver
    driver.quit()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_staff_page_survives_a_server_outage(shop, browser):
    port = free_port()

    def serve() -> StaffWebServer:
        return StaffWebServer(local_app(shop, WebConfig(host="127.0.0.1", port=port)), "127.0.0.1", port).start()

    waiting = order(shop)
    server = serve()
    try:
        browser.get(f"http://127.0.0.1:{port}/login")
        browser.find_element(By.ID, "pin").send_keys(PIN, Keys.ENTER)
        status = lambda: browser.find_element(By.ID, "connection").text  # noqa: E731
        wait_for(lambda: status() == "실시간 연결됨", what="live")
        server.stop()
        wait_for(lambda: status().startswith("연결이 끊겼습니다"), 15, "the loss said")
        browser.find_element(By.XPATH, f'//button[text()="{waiting.number}번 준비 시작"]').click()
        wait_for(lambda: "전송하지 못했습니다" in browser.find_element(By.ID, "news").text, 10,
                 "a tap that could not be sent is said, not lost silently")
        assert shop.orders.get(waiting.id).status == "new"
        missed = order(shop)  # the kiosk goes on taking orders meanwhile
        server = serve()
        wait_for(lambda: status() == "실시간 연결됨", 30, "the page reconnected by itself")
        wait_for(lambda: browser.find_element(By.CSS_SELECTOR, f'[data-number="{missed.number}"]'), 10,
                 "the order placed during the outage")
    finally:
        server.stop()
