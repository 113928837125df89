"""Receipts and kitchen tickets end to end: a real orders database, the real print
service, and a virtual ESC/POS printer on a real TCP socket or pseudo-terminal that
decodes the bytes back. Nothing is lost or printed twice when the printer is off, out of
paper or unplugged, nor across a kiosk killed mid-outage."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from dataclasses import replace

import pytest
from printer_rig import (
    assert_each_printed_once,
    assert_printed_as,
    cafe,
    network_config,
    place,
    service,
    two_lines_cart,
)
from untact.hardware.printer.config import PrinterConfig
from untact.hardware.printer.escpos_render import Paper
from untact.hardware.printer.service import as_reprint
from untact.shop.orders import OrderStore
from untact.shop.tickets import tickets_for
from untact.simulator.virtual_printer import VirtualPrinter


def wait_until(cond, timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while not cond():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout_s} s: {what}")
        time.sleep(0.01)


def test_an_order_prints_its_receipt_and_kitchen_ticket(tmp_path, printer):
    kiosk = cafe()
    store = OrderStore(tmp_path)
    config = network_config(printer.address)
    svc = service(kiosk, store, config)
    svc.start()
    try:
        order = place(store, kiosk)
        receipt, kitchen = printer.wait_for(2, timeout_s=10)
        want_receipt, want_kitchen = tickets_for(order, kiosk)
        assert_printed_as(receipt, want_receipt, config.paper)
        assert_printed_as(kitchen, want_kitchen, config.paper)
        # and the comparison can tell: another ticket, or one Hangul line changed, differs
        assert receipt.differences(want_kitchen, config.paper)
        changed = [ln if ln.text != "아메리카노" else replace(ln, text="아메리카누") for ln in want_receipt.lines]
        assert receipt.differences(replace(want_receipt, lines=tuple(changed)), config.paper) == [
            f"line {[ln.text for ln in changed].index('아메리카누')}: the image is not '아메리카누'"]
        # the number is the huge line, as digits the printer itself scales
        huge = [ln for ln in receipt.lines if ln.raster is None and ln.width == 6]
        assert [ln.text.strip() for ln in huge] == [str(order.number)]
        assert f"{order.total:,} won" in "\n".join(receipt.texts())
        assert printer.unknown == []
        wait_until(lambda: store_jobs(store, order.id) == [("receipt", "printed", 1),
                                                           ("kitchen", "printed", 1)], 5, "jobs printed")
        assert svc.status.state == "online" and svc.status.waiting == 0
    finally:
        svc.stop()
        store.close()


def store_jobs(store: OrderStore, order_id: int):
    with store._lock:  # the test reads the table directly: what is on disk
        return [tuple(r) for r in store._db.execute(
            "SELECT ticket, state, attempts FROM print_jobs WHERE order_id = ? ORDER BY id", (order_id,))]


def test_out_of_paper_is_shown_and_tickets_wait_until_it_is_refilled(tmp_path, printer):
    kiosk = cafe()
    store = OrderStore(tmp_path)
    svc = service(kiosk, store, network_config(printer.address))
    seen: list[str] = []
    svc.subscribe(lambda st: seen.append(st.summary()))
    printer.set_state("out_of_paper")
    svc.start()
    try:
        wait_until(lambda: svc.status.state == "out of paper", 5, "out of paper shown")
        orders = [place(store, kiosk) for _ in range(3)]
        wait_until(lambda: svc.status.waiting == 6, 15, "six tickets waiting")
        assert "out of paper, 6 waiting" in seen
        assert printer.tickets == []
        printer.set_state("online")
        printer.wait_for(6, timeout_s=30)
        wait_until(lambda: svc.status.summary() == "online", 5, "back online, nothing waiting")
        assert_each_printed_once(printer, orders, kiosk, Paper(384))
    finally:
        svc.stop()
        store.close()


def test_a_ticket_taken_but_not_confirmed_before_the_printer_went_off_prints_again_marked_reprint(
        tmp_path, printer):
    """The printer is switched off the moment it has cut the receipt, before it answers
    the GS r after it: the kiosk cannot know the receipt came out, so it prints it again
    headed REPRINT once the printer is back (a duplicate is visible, nothing missing)."""
    kiosk = cafe()
    store = OrderStore(tmp_path)
    printer.subscribe(lambda t: printer.set_state("offline") if len(printer.tickets) == 1 else None)
    svc = service(kiosk, store, network_config(printer.address))
    svc.start()
    try:
        order = place(store, kiosk)
        printer.wait_for(1, timeout_s=10)
        wait_until(lambda: svc.status.state != "online", 10, "the printer seen off")
        printer.set_state("online")
        printer.wait_for(3, timeout_s=30)
        receipt, kitchen = tickets_for(order, kiosk)
        paper = Paper(384)
        assert [printer.copies_of(t, paper) for t in (receipt, as_reprint(receipt), kitchen)] == [1, 1, 1]
        assert len(printer.tickets) == 3
    finally:
        svc.stop()
        store.close()


CHILD = textwrap.dedent("""
    import sys, time
    sys.path.insert(0, {here!r})
    from printer_rig import cafe, network_config, place, service
    from untact.shop.orders import OrderStore
    kiosk = cafe()
    store = OrderStore({folder!r})
    svc = service(kiosk, store, network_config({address!r}))
    svc.start()
    for _ in range({n}):
        place(store, kiosk)
    print("placed", flush=True)
    time.sleep(600)
""")


def test_printer_off_and_kiosk_killed_then_every_ticket_prints_once(tmp_path, printer):
    """The printer is switched off; a kiosk process takes 5 orders and is killed with
    SIGKILL; a new kiosk starts on the same folder; the printer comes back: each of the
    10 tickets is printed exactly once."""
    printer.set_state("offline")
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD.format(here=os.path.dirname(__file__), folder=str(tmp_path),
                                            address=printer.address, n=5)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "placed"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    kiosk = cafe()
    store = OrderStore(tmp_path)
    svc = service(kiosk, store, network_config(printer.address))
    states: list[str] = []
    svc.subscribe(lambda st: states.append(st.state))
    svc.start()
    try:
        wait_until(lambda: svc.status.state == "offline" and svc.status.waiting == 10, 10,
                   "offline with 10 waiting")
        printer.set_state("online")
        printer.wait_for(10, timeout_s=30)
        wait_until(lambda: svc.status.waiting == 0, 10, "queue empty")
        # one more idle check: nothing more may come out
        checks = printer.connections
        wait_until(lambda: printer.connections >= checks + 2, 10, "two more status checks")
        orders = store.for_day()
        assert [o.number for o in orders] == [1, 2, 3, 4, 5]
        assert_each_printed_once(printer, orders, kiosk, Paper(384))
        assert states[-1] == "online" and "offline" in states
    finally:
        svc.stop()
        store.close()


@pytest.mark.parametrize("kind", ["serial", "usb"])
def test_a_device_printer_unplugged_and_plugged_back(tmp_path, kind):
    """A serial port (pyserial) or the usblp device file (plain reads and writes): both
    are a character device, here a pseudo-terminal behind a stable name."""
    kiosk = cafe()
    printer = VirtualPrinter.pty(tmp_path)
    store = OrderStore(tmp_path / "data")
    config = PrinterConfig(kind=kind, device=printer.device, baud=115200, paper=Paper(384),
                           timeout_s=1.0)
    svc = service(kiosk, store, config)
    svc.start()
    try:
        wait_until(lambda: svc.status.state == "online", 5, "online")
        printer.unplug()
        wait_until(lambda: svc.status.state == "unplugged", 5, "unplugged shown")
        order = place(store, kiosk)
        wait_until(lambda: svc.status.waiting == 2, 5, "two waiting")
        printer.plug()
        receipt, kitchen = printer.wait_for(2, timeout_s=30)
        want = tickets_for(order, kiosk)
        assert_printed_as(receipt, want[0], config.paper)
        assert_printed_as(kitchen, want[1], config.paper)
    finally:
        svc.stop()
        store.close()
        printer.close()


def test_an_order_rolled_back_queues_no_ticket(tmp_path, printer):
    """The jobs are written in the order's transaction: a failure after them undoes both."""
    kiosk = cafe()
    store = OrderStore(tmp_path)
    svc = service(kiosk, store, network_config(printer.address))

    def fail(db, order_id):
        raise RuntimeError("disk full")
    store.on_placed(fail)
    with pytest.raises(RuntimeError):
        place(store, kiosk)
    assert store.for_day() == [] and svc.queue.waiting() == 0
    svc.queue.close()
    store.close()


def test_the_ui_thread_never_waits_on_an_unreachable_printer(tmp_path):
    """Placing an order with a printer that never answers (a black-hole address) takes
    no longer than without one."""
    kiosk = cafe()
    store = OrderStore(tmp_path)
    # 10.255.255.1: not routed, connect() hangs until its timeout
    svc = service(kiosk, store, PrinterConfig(kind="network", host="10.255.255.1", port=9100,
                                              paper=Paper(384), timeout_s=3.0))
    svc.start()
    try:
        t0 = time.monotonic()
        place(store, kiosk)
        assert time.monotonic() - t0 < 1.0
        assert svc.queue.waiting() == 2
    finally:
        svc.stop(timeout_s=0.1)
        store.close()


def test_a_ticket_left_sending_by_a_dead_kiosk_is_printed_again_marked_reprint(tmp_path, printer):
    """The one window: a kiosk died after claiming a ticket, before the printer's answer.
    Nobody knows whether it came out, so it prints again, headed REPRINT; the other
    ticket of the order prints once, unmarked."""
    from untact.hardware.printer.queue import PrintQueue

    kiosk = cafe()
    store = OrderStore(tmp_path)
    queue = PrintQueue(store.path, ("receipt", "kitchen"))
    store.on_placed(queue.enqueue_in)
    order = place(store, kiosk)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    job = queue.claim(f"{os.uname().nodename}:{dead.pid}:0")
    assert job is not None and job.ticket == "receipt"
    queue.close()
    svc = service(kiosk, store, network_config(printer.address))
    svc.start()
    try:
        receipt, kitchen = printer.wait_for(2, timeout_s=10)  # in the order they were queued
        want_receipt, want_kitchen = tickets_for(order, kiosk)
        reprint = svc.ticket(_reprinted(order.id))
        assert reprint.lines[0].text == "재출력 / REPRINT" and reprint.lines[1:] == want_receipt.lines
        assert_printed_as(receipt, reprint, Paper(384))
        assert_printed_as(kitchen, want_kitchen, Paper(384))
        wait_until(lambda: svc.status.waiting == 0, 5, "nothing left")
        assert len(printer.tickets) == 2
    finally:
        svc.stop()
        store.close()


def _reprinted(order_id: int):
    from untact.hardware.printer.queue import Job

    return Job(0, order_id, "receipt", reprint=True, attempts=1)


def test_two_kiosks_on_one_database_and_one_printer_print_each_ticket_once(tmp_path, printer):
    """Two kiosks (each its own connection and print worker) share the orders folder and
    the kitchen's printer; orders taken on both while the printer is off come out once."""
    kiosk = cafe()
    stores = [OrderStore(tmp_path), OrderStore(tmp_path)]
    services = [service(kiosk, s, network_config(printer.address)) for s in stores]
    printer.set_state("offline")
    for svc in services:
        svc.start()
    try:
        for i in range(6):
            place(stores[i % 2], kiosk)
        wait_until(lambda: all(svc.status.state == "offline" for svc in services), 10, "both see it off")
        printer.set_state("online")
        printer.wait_for(12, timeout_s=30)
        wait_until(lambda: all(svc.status.waiting == 0 for svc in services), 10, "queue empty")
        checks = printer.connections
        wait_until(lambda: printer.connections >= checks + 2, 10, "more status checks")
        orders = stores[0].for_day()
        assert [o.number for o in orders] == [1, 2, 3, 4, 5, 6]
        assert_each_printed_once(printer, orders, kiosk, Paper(384))
    finally:
        for svc in services:
            svc.stop()
        for s in stores:
            s.close()


def test_a_printer_without_status_answers_still_prints(tmp_path, printer):
    """status_queries = false: no DLE EOT or GS r is sent; a ticket counts once written."""
    kiosk = cafe()
    store = OrderStore(tmp_path)
    svc = service(kiosk, store, network_config(printer.address, status_queries=False))
    svc.start()
    try:
        order = place(store, kiosk)
        printer.wait_for(2, timeout_s=10)
        wait_until(lambda: svc.status.waiting == 0, 5, "marked printed")
        assert_each_printed_once(printer, [order], kiosk, Paper(384))
    finally:
        svc.stop()
        store.close()


def test_card_payments_queue_tickets_only_when_approved_and_only_once(tmp_path):
    """A card order is placed by closing its payment journal: approved queues its tickets
    in that transaction, declined queues none, finishing twice queues nothing more."""
    from untact.hardware.printer.queue import PrintQueue

    kiosk = cafe()
    store = OrderStore(tmp_path)
    queue = PrintQueue(store.path, ("receipt", "kitchen"))
    store.on_placed(queue.enqueue_in)
    cart = two_lines_cart(kiosk)
    declined = store.begin_payment("card", cart.total(), cart.snapshot(), "ko")
    assert store.finish_payment(declined, "declined") is None
    assert queue.waiting() == 0
    approved = store.begin_payment("card", cart.total(), cart.snapshot(), "ko")
    order = store.finish_payment(approved, "approved", "ref-1")
    store.finish_payment(approved, "approved", "ref-1")
    assert queue.jobs(order.id) == [("receipt", "queued", 0), ("kitchen", "queued", 0)]
    assert queue.waiting() == 2
    queue.close()
    store.close()


def test_a_ticket_that_cannot_be_made_is_set_aside_and_the_next_ones_print(tmp_path, printer):
    """An order whose stored lines are unreadable (a hand-edited database) must not hold
    up every order after it."""
    kiosk = cafe()
    store = OrderStore(tmp_path)
    svc = service(kiosk, store, network_config(printer.address))
    broken = place(store, kiosk)
    with store._lock:  # damage the stored order, as a bad hand edit would
        store._db.execute("UPDATE orders SET lines_json = '[{\"quantity\": \"many\"}]' WHERE id = ?",
                          (broken.id,))
    good = place(store, kiosk)
    svc.start()
    try:
        printer.wait_for(2, timeout_s=10)
        wait_until(lambda: svc.status.waiting == 0, 5, "nothing waiting")
        assert_each_printed_once(printer, [good], kiosk, Paper(384))
        assert [state for _, state, _ in store_jobs(store, broken.id)] == ["failed", "failed"]
    finally:
        svc.stop()
        store.close()
