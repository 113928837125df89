"""The customer's cart: lines of an item with chosen options and a quantity."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .menu import Item, Kiosk

MAX_QUANTITY = 20  # per line: a kiosk order of 21 americanos is a mistake worth a question
MAX_LINES = 30


def won(amount: int, lang: str = "ko") -> str:
    """Prices as people expect to read them: 4,500원 / 4,500 won."""
    return f"{amount:,}원" if lang == "ko" else f"{amount:,} won"


@dataclass
class CartLine:
    item: Item
    choices: dict[str, str]  # option group id -> choice id
    quantity: int = 1

    def unit_price(self, kiosk: Kiosk) -> int:
        return self.item.price + sum(kiosk.options[g].choice(c).price for g, c in self.choices.items())

    def total(self, kiosk: Kiosk) -> int:
        return self.unit_price(kiosk) * self.quantity

    def describe(self, kiosk: Kiosk, lang: str) -> str:
        """Name plus the options that differ from the default, e.g. "아메리카노 (차갑게, 큰 사이즈)"."""
        parts = [kiosk.options[g].choice(c).name[lang] for g, c in self.choices.items()
                 if c != kiosk.options[g].default]
        name = self.item.name[lang]
        return f"{name} ({', '.join(parts)})" if parts else name

    def key(self) -> tuple[str, tuple[tuple[str, str], ...]]:
        return (self.item.id, tuple(sorted(self.choices.items())))


@dataclass
class Cart:
    kiosk: Kiosk
    lines: list[CartLine] = field(default_factory=list)

    def add(self, item: Item, choices: dict[str, str] | None = None, quantity: int = 1) -> CartLine:
        """Add an item; the same item with the same options adds to its line."""
        if item.sold_out:
            raise ValueError(f"{item.id} is sold out")
        full = {g: self.kiosk.options[g].default for g in item.options}
        for g, c in (choices or {}).items():
            if g not in full:
                raise ValueError(f"{item.id} has no option {g!r}")
            self.kiosk.options[g].choice(c)  # KeyError for an unknown choice
            full[g] = c
        line = CartLine(item, full, 0)
        for existing in self.lines:
            if existing.key() == line.key():
                line = existing
                break
        else:
            if len(self.lines) >= MAX_LINES:
                raise ValueError("the cart is full")
            self.lines.append(line)
        line.quantity = min(MAX_QUANTITY, line.quantity + max(1, quantity))
        return line

    def set_quantity(self, line: CartLine, quantity: int) -> None:
        if quantity <= 0:
            self.lines.remove(line)
        else:
            line.quantity = min(MAX_QUANTITY, quantity)

    def total(self) -> int:
        return sum(line.total(self.kiosk) for line in self.lines)

    def count(self) -> int:
        return sum(line.quantity for line in self.lines)

    def clear(self) -> None:
        self.lines.clear()

    def snapshot(self) -> list[dict[str, Any]]:
        """What is stored with an order: enough to make and audit it without the menu."""
        return [{"item": ln.item.id, "name": dict(ln.item.name), "choices": dict(ln.choices),
                 "quantity": ln.quantity, "unit_price": ln.unit_price(self.kiosk)}
                for ln in self.lines]
