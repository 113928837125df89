"""The voice dialogue: an order heard is confirmed before it reaches the cart.

Pure logic (no Kivy, no audio): the UI passes every intent it receives to
:meth:`VoiceDialogue.handle` and does what the returned :class:`Reply` says: speak
``say``, add ``add_to_cart`` to the cart, stop the kiosk's speech, pass ``forward`` on
to the screen as usual, and tell voice input to listen for :meth:`VoiceDialogue.screen`.

    customer: "아이스 아메리카노 두 잔 주세요"   -> say "아이스 아메리카노 두 잔 담을까요?"
    customer: "네" (or SELECT on any device)   -> add_to_cart, say "담았습니다."
    customer: "아니요" (or BACK)                -> nothing added, say "취소했습니다."

An order heard while another waits for its answer replaces it (the customer corrected
themselves). An order for a sold-out item is not taken (``menu`` is the live menu: the session
sets it on every change). Low confidence ("unclear") asks again; after ``max_retries``
in a row the dialogue suggests the buttons instead of asking forever.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from untact.accessibility.intents import Intent, Kind
from untact.shop.menu import Kiosk

from .grammar import EN_NUMBERS, KO_NUMBERS, Screen, spoken_choice


@dataclass(frozen=True)
class OrderLine:
    """What goes into the cart: item id, quantity, and a choice for every option group."""

    item: str
    quantity: int
    options: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Reply:
    say: str = ""
    add_to_cart: OrderLine | None = None
    forward: Intent | None = None
    stop_speech: bool = False
    confirming: bool = False  # a yes/no answer is now expected


TEXTS = {
    "ko": {
        "confirm": "{order} 담을까요?",
        "added": "담았습니다.",
        "cancelled": "취소했습니다.",
        "again": "잘 못 들었어요. 다시 말씀해 주세요.",
        "buttons": "죄송해요. 화면의 버튼이나 키패드를 써 주세요.",
        "unavailable": "{item}에는 그 선택이 없어요.",
    },
    "en": {
        "confirm": "Add {order}?",
        "added": "Added.",
        "cancelled": "Cancelled.",
        "again": "Sorry, I did not catch that. Please say it again.",
        "buttons": "Sorry. Please use the buttons or the keypad.",
        "unavailable": "{item} does not have that choice.",
    },
}


class VoiceDialogue:
    """The confirmation dialogue for spoken orders (one per customer session)."""

    def __init__(self, menu: Kiosk, lang: str = "ko", max_retries: int = 2) -> None:
        self.menu = menu
        self.lang = lang
        self.max_retries = max_retries
        self.pending: OrderLine | None = None
        self._retries = 0

    def reset(self) -> None:
        """A new customer (presence left and came back): forget everything."""
        self.pending = None
        self._retries = 0

    def set_language(self, lang: str) -> None:
        self.lang = lang

    def screen(self, base: Screen | None = None) -> Screen:
        """What voice input should listen for now: ``base`` plus yes/no while confirming."""
        base = base or Screen()
        return Screen(base.commands, base.items, base.confirm or self.pending is not None)

    def handle(self, intent: Intent) -> Reply:
        text = TEXTS[self.lang]
        if intent.kind is Kind.STOP_SPEECH and intent.source == "voice":
            return Reply(stop_speech=True, confirming=self.pending is not None)
        name = intent.name if intent.kind is Kind.VOICE else ""
        if name == "order":
            line = self.order_line(intent.slots)
            if line is None:
                return self._again()
            self.pending = line
            self._retries = 0
            return Reply(say=text["confirm"].format(order=self.describe(line)), confirming=True)
        if name == "unclear":
            return self._again()
        if self.pending is not None and not self._on_sale(self.pending.item):
            # Sold out (or removed) by staff while the customer was being asked.
            self.pending = None
            return Reply(say=text["cancelled"])
        if self.pending is not None:
            if name == "yes" or intent.kind is Kind.SELECT:
                line, self.pending = self.pending, None
                return Reply(say=text["added"], add_to_cart=line)
            if name in ("no", "cancel") or intent.kind is Kind.BACK:
                self.pending = None
                return Reply(say=text["cancelled"])
            if intent.kind is Kind.REPEAT:
                return Reply(say=text["confirm"].format(order=self.describe(self.pending)),
                             confirming=True)
        self._retries = 0
        return Reply(forward=intent, confirming=self.pending is not None)

    def _on_sale(self, item_id: str) -> bool:
        try:
            return not self.menu.item(item_id).sold_out
        except KeyError:
            return False

    def _again(self) -> Reply:
        self._retries += 1
        key = "buttons" if self._retries > self.max_retries else "again"
        if key == "buttons":
            self._retries = 0
        return Reply(say=TEXTS[self.lang][key], confirming=self.pending is not None)

    def order_line(self, slots: Mapping[str, Any]) -> OrderLine | None:
        """Slots of a voice order as a cart line, every option group filled (defaults)."""
        try:
            item = self.menu.item(str(slots.get("item", "")))
        except KeyError:
            return None
        if item.sold_out:
            return None
        quantity = slots.get("quantity", 1)
        if not isinstance(quantity, int) or not 1 <= quantity <= 99:
            return None
        said = dict(slots.get("options", {}) or {})
        options = {}
        for gid in item.options:
            group = self.menu.options.get(gid)
            if group is None:
                continue
            choice = said.get(gid, group.default)
            if all(c.id != choice for c in group.choices):
                choice = group.default
            options[gid] = choice
        return OrderLine(item.id, quantity, options)

    def describe(self, line: OrderLine) -> str:
        """"아이스 아메리카노 두 잔" / "two iced Americanos": how the order is read back."""
        item = self.menu.item(line.item)
        words = []
        for gid, choice_id in line.options.items():
            group = self.menu.options[gid]
            if choice_id == group.default:
                continue
            choice = next(c for c in group.choices if c.id == choice_id)
            words.append(spoken_choice(choice, self.lang))
        name = item.name.get(self.lang) or next(iter(item.name.values()))
        n = line.quantity
        if self.lang == "ko":
            count = KO_NUMBERS.get(n, (str(n),))[0]
            return " ".join([*words, name, f"{count} {item.counter}"])
        count = EN_NUMBERS.get(n, (str(n),))[0]
        if n > 1 and not name.endswith("s"):
            name += "s"
        return " ".join([count, *[w.lower() for w in words], name])
