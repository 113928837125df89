"""Order numbers unique across a shop's kiosks, also while a kiosk is cut off.

Interleaved numbers: with ``kiosks = 2``, kiosk slot 1 numbers 1, 3, 5, ... and slot 2
numbers 2, 4, 6, ... each day. Why this and not the alternatives:

- It needs no server: a kiosk cut off from the network keeps numbering, and no two kiosks
  can ever pick the same number (different remainders), so nothing has to be renumbered
  afterwards, when the customer already holds the number.
- Numbers stay as short as one shared counter would make them (about twice the day's
  orders of the busier kiosk with two kiosks): easy to read on the board and to hear,
  which matters to elderly customers. Per-kiosk ranges (101.., 201..) overflow on a busy
  day or need four digits; a letter prefix ("A-12") is a second word to hear and is
  read differently in Korean and English.
- Server-issued numbers would need a second, offline numbering anyway.

The one rule for the merchant: every kiosk of the shop has the same ``kiosks`` and its own
``slot`` (a change takes effect cleanly from the next day). The server's
``UNIQUE (day, number)`` refuses a clash, so a misconfigured kiosk is seen at once.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_KIOSKS = 9


@dataclass(frozen=True)
class Numbering:
    slot: int = 1  # 1..kiosks
    kiosks: int = 1

    def after(self, last: int) -> int:
        """The first number above ``last`` that belongs to this slot."""
        return last + (self.slot - last - 1) % self.kiosks + 1


__all__ = ["MAX_KIOSKS", "Numbering"]
