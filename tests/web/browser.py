"""A real browser for the web tests: Debian's chromium driven by chromium-driver (Selenium),
headless, and the accessibility checks run inside it."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest

CHROMIUM, DRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
AXE_DEFAULT = Path(__file__).resolve().parents[2] / ".venv" / "axe-core-4.10.3" / "package" / "axe.min.js"


def chromium():
    if not (shutil.which(CHROMIUM) and shutil.which(DRIVER)):
        pytest.skip("needs Debian's chromium and chromium-driver (make setup installs them)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1000,1400", "--autoplay-policy=no-user-gesture-required",
                "--lang=ko"):
        options.add_argument(arg)
    return webdriver.Chrome(service=Service(DRIVER), options=options)


def wait_for(condition: Callable[[], object], timeout: float = 10.0, what: str = "") -> object:
    """Poll ``condition`` until it returns something true, or fail naming ``what``."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = condition()
        except Exception:  # the page may be mid-swap (stale element): look again
            value = None
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.02)


def axe_violations(driver) -> list[str]:
    """axe-core's WCAG 2.x A/AA (2.2 included) violations on the current page, one line each."""
    path = Path(os.environ.get("UNTACT_AXE", AXE_DEFAULT))
    if not path.is_file():
        pytest.skip(f"axe-core not found at {path} (make test fetches it with npm)")
    driver.execute_script(path.read_text(encoding="utf-8"))
    result = driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})
           .then(r => done(r.violations.map(v => v.id + ': ' + v.help + ' @ ' + v.nodes.map(n => n.target.join(' ')).join(', '))))
           .catch(e => done(['axe failed: ' + e]));
    """)
    return list(result)


def tab_reaches_every_control(driver, limit: int = 400) -> list[str]:
    """Controls (links, buttons, inputs) the Tab key never reaches, as text."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    count = driver.execute_script("""
        const controls = Array.from(document.querySelectorAll(
            'a[href], button, input:not([type=hidden]), select, textarea')).filter(e => !e.hidden);
        controls.forEach((e, i) => e.dataset.tabcheck = i);
        document.activeElement && document.activeElement.blur();
        return controls.length;""")
    reached: set[str] = set()
    for _ in range(min(limit, 3 * count + 5)):
        ActionChains(driver).send_keys(Keys.TAB).perform()
        mark = driver.execute_script("return document.activeElement.dataset.tabcheck")
        if mark is not None:
            reached.add(mark)
        if len(reached) == count:
            break
    return driver.execute_script("""
        return Array.from(document.querySelectorAll('[data-tabcheck]'))
            .filter(e => !arguments[0].includes(e.dataset.tabcheck)).map(e => e.outerHTML.slice(0, 100));""",
                                 sorted(reached))
