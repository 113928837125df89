"""What a customer's receipt and a kitchen ticket say, as data: pure, bilingual, from an Order.

A ticket is a list of lines, each with a size and an alignment, and nothing about the
printer: ``hardware/printer`` turns it into ESC/POS bytes, the simulator's virtual printer
turns the bytes back. Both languages are printed (Korean first) whatever language the
customer ordered in: staff read Korean, the customer may not. The order number is the
one line printed huge, alone, in digits, so it can be read from across the counter.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from .cart import won
from .menu import Kiosk
from .orders import Order

Size = Literal["normal", "large", "huge"]
Align = Literal["left", "center", "right"]
KINDS = ("receipt", "kitchen")

PAYMENT_NAMES = {
    "counter": ("카운터 결제", "pay at the counter"),
    "simulated_card": ("카드 (모의)", "card (simulated)"),
    "card": ("카드", "card"),
}


@dataclass(frozen=True)
class TicketLine:
    """One printed line; ``right`` is printed flush right on the same line (a price)."""

    text: str
    size: Size = "normal"
    align: Align = "left"
    bold: bool = False
    right: str = ""


@dataclass(frozen=True)
class Ticket:
    kind: str  # one of KINDS
    order_id: int
    number: int
    lines: tuple[TicketLine, ...]

    def text(self) -> str:
        """The ticket as plain text, one line each (for logs and the simulator's panel)."""
        return "\n".join(f"{ln.text}  {ln.right}".rstrip() if ln.right else ln.text
                         for ln in self.lines)


RULE = TicketLine("-" * 32, align="center")


def option_lines(order_line: dict[str, object], kiosk: Kiosk, all_choices: bool = True) -> list[TicketLine]:
    """"  + 크기: 큰 사이즈 / Size: Large" for each chosen option (``all_choices=False``: only
    those that differ from the option's default, as the customer chose them). A choice no
    longer in the menu prints its id: the order is printed as it was taken."""
    out = []
    choices = order_line.get("choices") or {}
    assert isinstance(choices, dict)
    for group_id, choice_id in choices.items():
        group = kiosk.options.get(group_id)
        choice = next((c for c in group.choices if c.id == choice_id), None) if group else None
        if group is None or choice is None:
            out.append(TicketLine(f"  + {group_id}: {choice_id}"))
            continue
        if not all_choices and choice_id == group.default:
            continue
        ko = f"{group.name.get('ko', group_id)}: {choice.name.get('ko', choice_id)}"
        en = f"{group.name.get('en', group_id)}: {choice.name.get('en', choice_id)}"
        out.append(TicketLine(f"  + {ko} / {en}" if ko != en else f"  + {ko}"))
    return out


def _names(order_line: dict[str, object]) -> tuple[str, str]:
    names = order_line.get("name") or {}
    assert isinstance(names, dict)
    item = str(order_line.get("item", "?"))
    return str(names.get("ko", item)), str(names.get("en", names.get("ko", item)))


def _time(order: Order) -> str:
    return order.created_at.replace("T", " ")[:16]  # 2026-12-02 07:31


def receipt(order: Order, kiosk: Kiosk) -> Ticket:
    """The customer's slip: shop, the number huge, items with options and prices, total,
    time and payment."""
    shop_ko = kiosk.shop_name.get("ko", "")
    shop_en = kiosk.shop_name.get("en", shop_ko)
    lines = [TicketLine(shop_ko, "large", "center", bold=True)]
    if shop_en != shop_ko:
        lines.append(TicketLine(shop_en, align="center"))
    lines += [RULE, TicketLine("주문 번호 / Order number", align="center"),
              TicketLine(str(order.number), "huge", "center", bold=True), RULE]
    for ln in order.lines:
        ko, en = _names(ln)
        qty = int(str(ln.get("quantity", 1)))
        price = int(str(ln.get("unit_price", 0))) * qty
        if en != ko:  # the English line carries the price, so the printer prints it as text
            lines += [TicketLine(ko, bold=True), TicketLine(f"  {en} x{qty}", right=won(price, "en"))]
        else:
            lines.append(TicketLine(f"{ko} x{qty}", bold=True, right=won(price, "en")))
        lines += option_lines(ln, kiosk, all_choices=False)  # the kitchen's ticket has them all
    pay_ko, pay_en = PAYMENT_NAMES.get(order.payment, (order.payment, order.payment))
    paid = ("결제 완료", "paid") if order.paid else ("미결제", "not paid yet")
    lines += [RULE,
              TicketLine("합계 / Total", "large", bold=True),
              TicketLine(won(order.total, "en"), "large", "right", bold=True),
              TicketLine(f"결제 / Payment: {pay_ko} / {pay_en}"),
              TicketLine(f"{paid[0]} / {paid[1]}", bold=True),
              TicketLine(f"시각 / Time: {_time(order)}"),
              RULE,
              TicketLine("감사합니다 / Thank you", align="center")]
    return Ticket("receipt", order.id, order.number, tuple(lines))


def kitchen_ticket(order: Order, kiosk: Kiosk) -> Ticket:
    """What the kitchen makes: the number, each item large with its quantity, options."""
    lines = [TicketLine("주방 / Kitchen", align="center", bold=True),
             TicketLine(str(order.number), "huge", "center", bold=True),
             TicketLine(f"시각 / Time: {_time(order)}", align="center"), RULE]
    for ln in order.lines:
        ko, en = _names(ln)
        qty = int(str(ln.get("quantity", 1)))
        lines.append(TicketLine(f"{qty} x {ko}", "large", bold=True))
        if en != ko:
            lines.append(TicketLine(f"    {en}"))
        lines += option_lines(ln, kiosk)
    lines += [RULE, TicketLine("결제 완료 / paid" if order.paid else "미결제 / not paid yet",
                               align="center")]
    return Ticket("kitchen", order.id, order.number, tuple(lines))


def tickets_for(order: Order, kiosk: Kiosk, kinds: Iterable[str] = KINDS) -> list[Ticket]:
    makers = {"receipt": receipt, "kitchen": kitchen_ticket}
    return [makers[k](order, kiosk) for k in kinds]


__all__ = ["KINDS", "Ticket", "TicketLine", "kitchen_ticket", "receipt", "tickets_for"]
