"""A kiosk's orders and printer for the printer tests: the sample cafe's menu, a real
SQLite orders store in a temporary folder, the real print service, a virtual printer."""

from __future__ import annotations

from pathlib import Path

from untact.hardware.printer.config import PrinterConfig
from untact.hardware.printer.escpos_render import Paper
from untact.hardware.printer.service import PrintService
from untact.shop.cart import Cart
from untact.shop.menu import Kiosk, load_kiosk
from untact.shop.orders import Order, OrderStore
from untact.shop.tickets import Ticket, tickets_for
from untact.simulator.virtual_printer import PrintedTicket, VirtualPrinter

CAFE = Path(__file__).resolve().parents[3] / "examples" / "cafe.toml"


def cafe() -> Kiosk:
    return load_kiosk(CAFE)


def network_config(address: str, **kw) -> PrinterConfig:
    host, _, port = address.rpartition(":")
    return PrinterConfig(kind="network", host=host, port=int(port), paper=Paper(384),
                         timeout_s=1.0, **kw)


def two_lines_cart(kiosk: Kiosk) -> Cart:
    """Two large iced americanos and one more item, as a customer would order them."""
    cart = Cart(kiosk)
    cart.add(kiosk.item("americano"), {"size": "large", "temperature": "iced"}, quantity=2)
    other = next(it for it in kiosk.items if it.id != "americano" and not it.sold_out)
    cart.add(other)
    return cart


def place(store: OrderStore, kiosk: Kiosk) -> Order:
    cart = two_lines_cart(kiosk)
    return store.place(cart.snapshot(), cart.total(), "en")


def service(kiosk: Kiosk, store: OrderStore, config: PrinterConfig) -> PrintService:
    return PrintService(config, store, lambda: kiosk, idle_check_s=0.2)


def assert_printed_as(printed: PrintedTicket, ticket: Ticket, paper: Paper) -> None:
    """Every line as the ticket says (see PrintedTicket.differences), and ink on each image."""
    assert printed.differences(ticket, paper) == [], printed.render_text()
    assert all(r.dots() > 50 for r in printed.rasters())


def assert_each_printed_once(printer: VirtualPrinter, orders: list[Order], kiosk: Kiosk,
                             paper: Paper) -> None:
    """Every ticket of every order came out exactly once, and nothing else did."""
    expected = [t for o in orders for t in tickets_for(o, kiosk)]
    assert len(printer.tickets) == len(expected), [p.texts() for p in printer.tickets]
    for want in expected:
        assert printer.copies_of(want, paper) == 1, (want.kind, want.number)
