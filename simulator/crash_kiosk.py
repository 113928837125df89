"""A real kiosk that takes one order through checkout and waits to be killed.

For the crash test (tests/ui/test_kiosk_crash.py): many of these run, each the real
:class:`~untact.ui.app.KioskApp` with its real screens in its own offscreen window, on
the real store in a shared data folder, paying the kiosk file's way (pay at the counter,
or the simulated card terminal), driven by intents through the
:class:`~untact.simulator.driver.KioskDriver`. The test SIGKILLs each at a random moment
of its checkout.

What the child tells the test goes over a ``multiprocessing`` pipe, one ``send_bytes``
per message: a single write(2) of less than PIPE_BUF bytes, so a kill can lose a message
but never leave half of one, and nothing waits in a buffer of the dead process:

    PAY {json}          just before the pay intent: the cart, total and language, the
                        CPU time this kiosk took to get there and the time (monotonic,
                        the same clock in every process)
    SHOWN day number t  the moment the done screen's number label is set (the number
                        is on screen from the next frame: shown, as far as a customer
                        could have seen it)
    ERROR text          the kiosk could not get there (the test fails)

After the number it idles until it is killed (or its parent is gone).
"""

from __future__ import annotations

import json
import os
import time
import traceback
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from untact.accessibility.intents import Kind

from .driver import KioskDriver

#: bounds, so a child never outlives a broken test
REACH_CHECKOUT_S = 60.0
SHOW_NUMBER_S = 30.0
IDLE_S = 60.0


def order_and_wait(kiosk_file: str, data_dir: str, steps: list[list[str]],
                   report: Connection) -> None:
    """Run ``steps`` on a fresh kiosk, then idle. Steps: ``["select"]``, ``["home"]``,
    ``["choose", text]`` (focus the widget whose label contains text and select it) and,
    last, ``["pay", text]`` (focus the pay button, report PAY, select it)."""
    try:
        kiosk = KioskDriver(kiosk_file, data_dir=data_dir, render=False, speech=False).start()
        done = kiosk.app.sm.get_screen("done")
        shown: list[str] = []

        def on_number(_label, text: str) -> None:
            if text and not shown:
                shown.append(text)
                report.send_bytes(f"SHOWN {done.order.day} {text} {time.monotonic()}".encode())

        done.ids.number.bind(text=on_number)
        deadline = time.monotonic() + REACH_CHECKOUT_S
        for step in steps:
            if time.monotonic() > deadline:
                raise TimeoutError(f"not at checkout after {REACH_CHECKOUT_S:.0f} s")
            if step[0] == "select":
                kiosk.send(Kind.SELECT)
            elif step[0] == "home":
                kiosk.send(Kind.HOME)
            elif step[0] == "choose":
                kiosk.choose(step[1])
            elif step[0] == "pay":
                if kiosk.screen != "checkout":
                    raise AssertionError(f"pay step on the {kiosk.screen!r} screen")
                def has_text(w: Any, text: str = step[1]) -> bool:
                    return text in w.text

                kiosk.focus_on(has_text, what=repr(step[1]))
                app = kiosk.app
                report.send_bytes(b"PAY " + json.dumps({
                    "lines": app.cart.snapshot(), "total": app.cart.total(),
                    "language": app.lang, "cpu_s": time.process_time(), "t": time.monotonic()},
                    ensure_ascii=False).encode())
                kiosk.send(Kind.SELECT, frames=1)
            else:
                raise ValueError(f"unknown step {step!r}")
        kiosk.wait_until(lambda: bool(shown), timeout=SHOW_NUMBER_S, what="the order number")
    except BaseException:
        report.send_bytes(b"ERROR " + traceback.format_exc()[-3000:].encode())
        raise
    parent = os.getppid()
    end = time.monotonic() + IDLE_S
    while time.monotonic() < end and os.getppid() == parent:
        time.sleep(0.05)  # the number is up; the test kills us whenever it planned to


def restart_and_report(kiosk_file: str, data_dir: str, report: Connection) -> None:
    """Start the kiosk as ``untact-kiosk`` does (validate the file, open the store, run
    the app's own loop, through the composition root; the simulator's card terminal
    pays); once the attract screen is up, report what the kiosk found (STARTED {json})
    and stop. A corrupt database or a kiosk that cannot start reports
    ERROR or nothing, and exits non-zero."""
    try:
        from kivy.clock import Clock
        from untact.shop.menu_service import validate_kiosk
        from untact.ui.composition import Overrides, run_kiosk

        from .card_terminal import payment_method

        kiosk = validate_kiosk(kiosk_file)
        give_up = time.monotonic() + REACH_CHECKOUT_S

        def configure(app) -> None:
            def check(_dt) -> None:
                sm = getattr(app, "sm", None)
                if sm is not None and sm.current == "attract":
                    store = app.shop.orders
                    report.send_bytes(b"STARTED " + json.dumps({
                        "today": [[o.day, o.number] for o in store.for_day()],
                        "unresolved": len(store.unresolved_payments())}).encode())
                    app.stop()
                elif time.monotonic() > give_up:
                    report.send_bytes(b"ERROR the attract screen never came up")
                    app.stop()
                else:
                    Clock.schedule_once(check, 0.05)

            Clock.schedule_once(check, 0)

        # untact-kiosk's start-up path, but paying with the simulator's card terminal.
        status = run_kiosk(kiosk, Path(data_dir), fullscreen=False, scale=0.5, configure_app=configure,
                           overrides=Overrides(payment=payment_method))
        if status != 0:
            raise RuntimeError(f"run_kiosk returned {status}")
    except BaseException:
        report.send_bytes(b"ERROR " + traceback.format_exc()[-3000:].encode())
        raise
