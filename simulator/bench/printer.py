"""Printer benchmarks, each beside a reference measured in the same run.

- ``printer_render_receipt_ms``: the sample cafe's receipt (two items, options) as ESC/POS
  bytes on 80 mm paper, Hangul lines drawn as raster images; reference
  ``printer_render_receipt_text_only_ms``, the same receipt with every line sent as
  text (what a Korean code page would cost): the difference is the raster's price.
  ``printer_receipt_kb`` / ``..._text_only_kb``: the bytes sent.
- ``printer_order_commit_ms``: ``OrderStore.place`` with the print queue attached (the
  tickets are inserted in the order's transaction; the checkout waits for this);
  reference ``printer_order_commit_without_queue_ms`` on the same disk.
- ``printer_tickets_per_s``: orders placed at once, their tickets printed by the real
  worker (status query, render, GS r confirmation, mark printed) to the virtual printer
  over TCP; reference ``printer_tickets_per_s_raw_socket``: the same rendered bytes
  written on one connection without queue or confirmation.
"""

from __future__ import annotations

import socket
import tempfile
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from untact.hardware.printer.config import PrinterConfig
from untact.hardware.printer.escpos_render import Paper, render
from untact.hardware.printer.service import PrintService
from untact.shop.cart import Cart
from untact.shop.menu import load_kiosk
from untact.shop.orders import OrderStore
from untact.shop.tickets import TicketLine, receipt, tickets_for

from ..virtual_printer import VirtualPrinter
from . import median, metric, times_ms

REPO = Path(__file__).resolve().parents[2]
ORDERS = 20


def _cart(kiosk):
    cart = Cart(kiosk)
    cart.add(kiosk.item("americano"), {"size": "large", "temperature": "iced"}, quantity=2)
    cart.add(kiosk.item("cafe_latte"))
    return cart



def run() -> Iterator[dict]:
    kiosk = load_kiosk(REPO / "examples" / "cafe.toml")
    cart = _cart(kiosk)
    paper = Paper(576)
    with tempfile.TemporaryDirectory() as tmp:
        plain = OrderStore(Path(tmp) / "plain")
        store = OrderStore(Path(tmp) / "queued")
        order = plain.place(cart.snapshot(), cart.total(), "ko")
        ticket = receipt(order, kiosk)
        ascii_ticket = replace(ticket, lines=tuple(
            TicketLine("".join(c if c < "\x7f" else "?" for c in ln.text), ln.size, ln.align, ln.bold,
                       ln.right) for ln in ticket.lines))
        yield metric("printer_render_receipt_ms", median(times_ms(lambda: render(ticket, paper), 30)), "ms",
                     reference="printer_render_receipt_text_only_ms")
        yield metric("printer_render_receipt_text_only_ms",
                     median(times_ms(lambda: render(ascii_ticket, paper), 30)), "ms")
        yield metric("printer_receipt_kb", len(render(ticket, paper)) / 1024, "KB")
        yield metric("printer_receipt_text_only_kb", len(render(ascii_ticket, paper)) / 1024, "KB")

        printer = VirtualPrinter.tcp()
        host, _, port = printer.address.rpartition(":")
        config = PrinterConfig(kind="network", host=host, port=int(port), paper=paper)
        service = PrintService(config, store, lambda: kiosk)
        with_queue, without = [], []
        for _ in range(20):  # interleaved: the shared disk's fsync time drifts
            with_queue += times_ms(lambda: store.place(cart.snapshot(), cart.total(), "ko"), 1)
            without += times_ms(lambda: plain.place(cart.snapshot(), cart.total(), "ko"), 1)
        yield metric("printer_order_commit_ms", median(with_queue), "ms",
                     reference="printer_order_commit_without_queue_ms")
        yield metric("printer_order_commit_without_queue_ms", median(without), "ms")

        already = store.for_day()
        t0 = time.perf_counter()
        service.start()  # the orders above are queued: 2 tickets each
        printer.wait_for(2 * len(already), timeout_s=120)
        per_s = 2 * len(already) / (time.perf_counter() - t0)
        service.stop()
        yield metric("printer_tickets_per_s", per_s, "tickets/s",
                     reference="printer_tickets_per_s_raw_socket", tickets=2 * len(already))

        data = [render(t, paper) for o in already for t in tickets_for(o, kiosk)]
        count = len(printer.tickets)
        t0 = time.perf_counter()
        with socket.create_connection((host, int(port))) as conn:
            for chunk in data:
                conn.sendall(chunk)
            printer.wait_for(count + len(data), timeout_s=120)
        yield metric("printer_tickets_per_s_raw_socket", len(data) / (time.perf_counter() - t0),
                     "tickets/s")
        printer.close()
        plain.close()
        store.close()
