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
sets it on every change). Speech not understood ("unclear") asks again; the
``max_retries``-th time in a row on a screen the screen's choices are read out with
numbers instead of asking forever, and a number said or a keypad digit picks one
(Kind.NUMBER from either):

    customer: (not understood, twice)        -> number_choices: the UI hands over the
                                                screen's choices, say "1번 아메리카노,
                                                2번 카페라테, ... 번호를 말씀하시거나 ..."
    customer: "두 번" (or the keypad's 2)      -> choose "카페라테": the UI acts on it

When the recognizer hesitated between two or three readings, the dialogue asks back
with them instead of guessing:

    customer: (unsure: 아메리카노 0.5, 카페라테 0.4)  -> say "아메리카노요, 카페라테요?"
    customer: "카페라테" (or NEXT to hear the next one read, SELECT/네 to take it)
                                               -> say "카페라테 한 잔 담을까요?"

An unsure order with no rival reading is simply asked as its confirmation. An item
sold out, named by the customer, is answered "아이스티는 품절입니다. 레몬에이드, 유자차
있어요." (the nearest alternatives: on sale, same category).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from untact.accessibility.intents import Intent, Kind
from untact.shop.menu import Kiosk

from .grammar import ANSWERS, COMMANDS, EN_NUMBERS, KO_NUMBERS, MAX_NUMBERED, Screen, spoken_choice
from .input import PLAIN_KINDS


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
    number_choices: bool = False  # read the screen's choices out numbered: call
    # VoiceDialogue.number_choices with their names (the UI knows what is on screen)
    choose: str = ""  # act on the screen's choice of this name (picked by its number)


TEXTS = {
    "ko": {
        "confirm": "{order} 담을까요?",
        "added": "담았습니다.",
        "cancelled": "취소했습니다.",
        "again": "잘 못 들었어요. 다시 말씀해 주세요.",
        "numbered": "{choices}. 번호를 말씀하시거나 키패드의 숫자를 눌러 주세요.",
        "number": "{n}번 {name}",
        "numbers_joined": ", ",
        "no_number": "{n}번은 없어요. ",
        "buttons": "죄송해요. 화면의 버튼이나 키패드를 써 주세요.",
        "unavailable": "{item}에는 그 선택이 없어요.",
        "which": "{choices}?",
        "or": ", ",
        "sold_out": "{item}{topic} 품절입니다.",
        "instead": " {items} 있어요.",
    },
    "en": {
        "confirm": "Add {order}?",
        "added": "Added.",
        "cancelled": "Cancelled.",
        "again": "Sorry, I did not catch that. Please say it again.",
        "numbered": "{choices}. Say the number, or press it on the keypad.",
        "number": "{n}, {name}",
        "numbers_joined": ". ",
        "no_number": "There is no number {n}. ",
        "buttons": "Sorry. Please use the buttons or the keypad.",
        "unavailable": "{item} does not have that choice.",
        "which": "{choices}?",
        "or": " or ",
        "sold_out": "{item} is sold out.",
        "instead": " We have {items}.",
    },
}


class VoiceDialogue:
    """The confirmation dialogue for spoken orders (one per customer session)."""

    def __init__(self, menu: Kiosk, lang: str = "ko", max_retries: int = 2) -> None:
        self.menu = menu
        self.lang = lang
        self.max_retries = max_retries
        self.pending: OrderLine | None = None
        self.choices: list[tuple[str, Mapping[str, Any]]] = []  # asked back: (name, slots)
        self._choice_at = 0  # the one read last: what SELECT or 네 takes
        self.numbers: tuple[str, ...] = ()  # the screen's choices, read out numbered
        self._retries = 0

    def reset(self) -> None:
        """A new customer (presence left and came back): forget everything."""
        self.pending = None
        self.choices = []
        self.new_screen()

    def new_screen(self) -> None:
        """Another screen: its misses count afresh, the numbers read out are gone."""
        self.numbers = ()
        self._retries = 0

    def set_language(self, lang: str) -> None:
        self.lang = lang

    def screen(self, base: Screen | None = None) -> Screen:
        """What voice input should listen for now: ``base`` plus yes/no while confirming."""
        base = base or Screen()
        items = base.items
        asked = [str(slots.get("item")) for name, slots in self.choices if name == "order"]
        if items is not None and asked:  # the candidates can be named in the answer
            items = tuple(dict.fromkeys([*items, *asked]))
        if self.numbers:  # the customer was asked for a number: orders wait for it
            items = ()
        return Screen(base.commands, items,
                      base.confirm or self.pending is not None or bool(self.choices),
                      numbers=len(self.numbers))

    def number_choices(self, names: list[str]) -> Reply:
        """Read ``names`` (the screen's choices, in reading order) out numbered; a number
        said or pressed then picks one. Without any, point to the buttons."""
        text = TEXTS[self.lang]
        self.numbers = tuple(n for n in names if n)[:MAX_NUMBERED]
        if not self.numbers:
            return Reply(say=text["buttons"], confirming=self.pending is not None)
        return Reply(say=self._numbered(), confirming=self.pending is not None)

    def _numbered(self) -> str:
        text = TEXTS[self.lang]
        said = text["numbers_joined"].join(text["number"].format(n=i, name=name)
                                           for i, name in enumerate(self.numbers, 1))
        return text["numbered"].format(choices=said)

    def handle(self, intent: Intent) -> Reply:
        text = TEXTS[self.lang]
        if intent.kind is Kind.STOP_SPEECH and intent.source == "voice":
            return Reply(stop_speech=True, confirming=self.pending is not None)
        name = intent.name if intent.kind is Kind.VOICE else ""
        if intent.kind is Kind.NUMBER and self.numbers:
            return self._pick_number(intent.value)
        if self.choices:
            picked = self._pick(intent, name)
            if picked is not None:
                return picked
        if name == "order":
            line = self.order_line(intent.slots)
            if line is None:
                return self._sold_out(intent.slots) or self._again()
            self.pending = line
            self._retries = 0
            return Reply(say=text["confirm"].format(order=self.describe(line)), confirming=True)
        if name == "unclear":
            candidates = intent.slots.get("candidates") or []
            line = self.order_line(intent.slots.get("slots") or {}) \
                if intent.slots.get("best") == "order" and len(candidates) < 2 else None
            if line is not None:  # one order, not sure: its confirmation is the question
                self.pending, self._retries = line, 0
                return Reply(say=text["confirm"].format(order=self.describe(line)),
                             confirming=True)
            return self._ask_back(candidates)
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
        if name:  # something else understood: the numbers are done with
            self.numbers = ()
        return Reply(forward=intent, confirming=self.pending is not None)

    def _pick_number(self, n: object) -> Reply:
        if isinstance(n, int) and 1 <= n <= len(self.numbers):
            chosen, self.numbers, self._retries = self.numbers[n - 1], (), 0
            return Reply(choose=chosen, confirming=self.pending is not None)
        said = TEXTS[self.lang]["no_number"].format(n=n) + self._numbered()
        return Reply(say=said, confirming=self.pending is not None)

    def _ask_back(self, candidates: list) -> Reply:
        """Name the readings the recognizer hesitated between; else ask again."""
        choices: list[tuple[str, Mapping[str, Any]]] = [
            (str(c.get("name", "")), dict(c.get("slots", {}))) for c in candidates]
        choices = [(n, sl) for n, sl in choices
                   if n and (n != "order" or self.order_line(sl) is not None)]
        if len(choices) < 2:
            self.choices = []
            return self._again()
        self.choices, self._choice_at = choices, 0
        text = TEXTS[self.lang]
        said = text["or"].join(self._polite(self._describe_choice(c)) for c in choices)
        return Reply(say=text["which"].format(choices=said), confirming=True)

    def _pick(self, intent: Intent, name: str) -> Reply | None:
        """The answer to an asked-back question (None: not an answer; handle it as usual)."""
        choices = self.choices
        chosen: tuple[str, Mapping[str, Any]] | None = None
        if intent.kind is Kind.NEXT or intent.kind is Kind.PREVIOUS:  # keypad, gesture
            step = 1 if intent.kind is Kind.NEXT else -1
            self._choice_at = (self._choice_at + step) % len(choices)
            return Reply(say=self._polite(self._describe_choice(choices[self._choice_at])) + "?",
                         confirming=True)
        if name == "yes" or intent.kind is Kind.SELECT:
            chosen = choices[self._choice_at]
        elif name in ("no", "cancel") or intent.kind is Kind.BACK:
            self.choices = []
            return Reply(say=TEXTS[self.lang]["cancelled"])
        elif name == "order":
            said = intent.slots.get("item")
            chosen = next((c for c in choices if c[0] == "order" and c[1].get("item") == said
                           and c[1].get("quantity") == intent.slots.get("quantity")), None) \
                or next((c for c in choices if c[0] == "order" and c[1].get("item") == said), None)
        elif name and name != "unclear":
            chosen = next((c for c in choices if c[0] == name), None)
        self.choices = []
        if chosen is None:
            return None
        if chosen[0] == "order":
            return self.handle(Intent(Kind.VOICE, name="order", slots=chosen[1],
                                      source="voice"))
        kind = PLAIN_KINDS.get(chosen[0], Kind.VOICE)
        return Reply(forward=Intent(kind, name=chosen[0], source="voice"))

    def _describe_choice(self, choice: tuple[str, Mapping[str, Any]]) -> str:
        name, slots = choice
        if name == "order":
            line = self.order_line(slots)
            if line is not None:
                return self.describe(line)
        forms = COMMANDS.get(name) or ANSWERS.get(name) or {}
        return (forms.get(self.lang) or (name,))[0]

    def _polite(self, words: str) -> str:
        """"아메리카노요", "두 잔이요": Korean 요 after a vowel, 이요 after a consonant."""
        if self.lang != "ko" or not words:
            return words
        last = words[-1]
        final = 0xAC00 <= ord(last) <= 0xD7A3 and (ord(last) - 0xAC00) % 28 != 0
        return words + ("이요" if final else "요")

    def _sold_out(self, slots: Mapping[str, Any]) -> Reply | None:
        """"아이스티는 품절입니다. 레몬에이드, 유자차 있어요.": a sold-out item named by the
        customer, and the nearest alternatives (on sale, in its category); None if the
        item is on sale or unknown."""
        try:
            item = self.menu.item(str(slots.get("item", "")))
        except KeyError:
            return None
        if not item.sold_out:
            return None
        text = TEXTS[self.lang]
        name = item.name.get(self.lang) or next(iter(item.name.values()))
        say = text["sold_out"].format(item=name, topic=_topic(name))
        others = [it for it in self.menu.items_in(item.category) if not it.sold_out][:2]
        if others:
            names = [it.name.get(self.lang) or next(iter(it.name.values())) for it in others]
            say += text["instead"].format(items=text["or"].join(names))
        return Reply(say=say, confirming=self.pending is not None)

    def _on_sale(self, item_id: str) -> bool:
        try:
            return not self.menu.item(item_id).sold_out
        except KeyError:
            return False

    def _again(self) -> Reply:
        """Not understood: ask again; the ``max_retries``-th time in a row, number the
        screen's choices (asked again while they are numbered: read them again)."""
        self._retries += 1
        confirming = self.pending is not None
        if self.numbers:
            return Reply(say=self._numbered(), confirming=confirming)
        if self._retries >= self.max_retries:
            self._retries = 0
            return Reply(number_choices=True, confirming=confirming)
        return Reply(say=TEXTS[self.lang]["again"], confirming=confirming)

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


def _topic(word: str) -> str:
    """Korean topic particle: 는 after a vowel, 은 after a consonant."""
    last = word[-1:] or "a"
    final = 0xAC00 <= ord(last) <= 0xD7A3 and (ord(last) - 0xAC00) % 28 != 0
    return "은" if final else "는"
