"""Generated spoken command sets: what a customer might say, with what it must mean.

Used by the voice tests and ``make bench`` (bench/voice.py). Each :class:`Case` is a
phrase, the screen it is said on, and the expected intent name and slots. The audio is
made in memory by espeak-ng at several voices, rates and pitches (:data:`VARIANTS`);
nothing is written to disk.

Orders are generated from the menu (its items, names, aliases and options), so the set
follows the merchant's file; the order *patterns* (how Koreans and English speakers
phrase an order) are the kiosk's own.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from untact.hardware.voice.grammar import NAVIGATION, Screen, plural
from untact.shop.menu import Kiosk

# (espeak-ng voice variant, words per minute, pitch 0..99)
VARIANTS: tuple[tuple[str, int, int], ...] = (
    ("", 150, 50), ("f3", 140, 60), ("m3", 165, 40), ("f1", 130, 70), ("m1", 175, 45),
)

KO_COMMANDS = {"next": "다음", "previous": "이전", "home": "처음으로",
               "pay": "결제", "cancel": "취소", "help": "도와 주세요", "repeat": "다시",
               "bigger": "크게"}
EN_COMMANDS = {"next": "next", "previous": "previous", "previous2": "back", "home": "home",
               "home2": "start over", "pay": "pay", "pay2": "checkout", "cancel": "cancel",
               "help": "help", "repeat": "repeat", "repeat2": "again", "bigger": "bigger"}
ANSWERS = {"ko": {"yes": "네", "no": "아니요"}, "en": {"yes": "yes", "no": "no"}}


@dataclass(frozen=True)
class Case:
    lang: str
    text: str
    screen: Screen
    name: str
    slots: Mapping[str, Any] = field(default_factory=dict)
    form: str = ""  # which command or order form this case stands for


def navigation_cases(lang: str) -> list[Case]:
    table = KO_COMMANDS if lang == "ko" else EN_COMMANDS
    screen = Screen(commands=NAVIGATION, items=())
    out = [Case(lang, text, screen, name.rstrip("2"), {}, f"command:{name.rstrip('2')}")
           for name, text in table.items()]
    confirm = Screen(commands=NAVIGATION, items=(), confirm=True)
    out += [Case(lang, text, confirm, name, {}, f"answer:{name}")
            for name, text in ANSWERS[lang].items()]
    return out


def menu_command_cases(menu: Kiosk, lang: str) -> list[Case]:
    """Every command said on a menu screen, where the grammar also holds every order of
    its items: a large grammar, where short commands ("pay") are easily lost."""
    table = KO_COMMANDS if lang == "ko" else EN_COMMANDS
    screen = _category_screen(menu, menu.categories[0].id) if menu.categories else Screen()
    return [Case(lang, text, screen, name.rstrip("2"), {}, f"menu-command:{name.rstrip('2')}")
            for name, text in table.items()]


def _category_screen(menu: Kiosk, category: str) -> Screen:
    return Screen(commands=NAVIGATION, items=tuple(it.id for it in menu.items_in(category)))


def order_cases(menu: Kiosk, lang: str) -> list[Case]:
    """Orders naming the menu's items on sale, in the forms the issue lists, on their
    category's screen."""
    out: list[Case] = []
    ko_counts = {1: "한", 2: "두", 3: "세"}
    en_counts = {1: "one", 2: "two", 3: "three"}
    for n, item in enumerate(it for it in menu.items if not it.sold_out):
        screen = _category_screen(menu, item.category)
        q = 1 + n % 3
        groups = set(item.options)
        name_ko, name_en = item.name.get("ko", ""), item.name.get("en", "")
        if lang == "ko":
            counter = item.counter
            out.append(Case(lang, f"{name_ko} {ko_counts[q]} {counter} 주세요", screen, "order",
                            {"item": item.id, "quantity": q, "options": {}}, "order:item+qty"))
            if "temperature" in groups:
                out.append(Case(lang, f"아이스 {name_ko} {ko_counts[q]} {counter}", screen, "order",
                                {"item": item.id, "quantity": q,
                                 "options": {"temperature": "iced"}}, "order:iced"))
                out.append(Case(lang, f"따뜻한 {name_ko} 한 {counter}", screen, "order",
                                {"item": item.id, "quantity": 1,
                                 "options": {"temperature": "hot"}}, "order:hot"))
            if "size" in groups:
                out.append(Case(lang, f"{name_ko} 큰 거", screen, "order",
                                {"item": item.id, "quantity": 1, "options": {"size": "large"}},
                                "order:large"))
            if "shot" in groups:
                out.append(Case(lang, f"{name_ko} 샷 추가", screen, "order",
                                {"item": item.id, "quantity": 1, "options": {"shot": "extra"}},
                                "order:shot"))
            for alias in item.aliases.get("ko", ())[:1]:
                out.append(Case(lang, f"{alias} 두 {counter}", screen, "order",
                                {"item": item.id, "quantity": 2, "options": {}}, "order:alias"))
        else:
            said = plural(name_en.lower()) if q > 1 else name_en.lower()
            out.append(Case(lang, f"{en_counts[q]} {said} please", screen, "order",
                            {"item": item.id, "quantity": q, "options": {}}, "order:item+qty"))
            if "temperature" in groups:
                out.append(Case(lang, f"two iced {plural(name_en.lower())}", screen, "order",
                                {"item": item.id, "quantity": 2,
                                 "options": {"temperature": "iced"}}, "order:iced"))
            if "size" in groups and "shot" in groups:
                out.append(Case(lang, f"a large {name_en.lower()} with extra shot", screen,
                                "order", {"item": item.id, "quantity": 1,
                                          "options": {"size": "large", "shot": "extra"}},
                                "order:large+shot"))
            for alias in item.aliases.get("en", ())[:1]:
                out.append(Case(lang, f"one {alias}", screen, "order",
                                {"item": item.id, "quantity": 1, "options": {}}, "order:alias"))
    return out


def command_set(menu: Kiosk, lang: str) -> list[Case]:
    return navigation_cases(lang) + menu_command_cases(menu, lang) + order_cases(menu, lang)


def variants(count: int | None = None) -> Iterator[tuple[str, int, int]]:
    yield from VARIANTS[:count]


def matches(case: Case, name: str, slots: Mapping[str, Any]) -> bool:
    """Intent and every slot right (options compared as given, not with defaults)."""
    if name != case.name:
        return False
    if case.name != "order":
        return True
    return (slots.get("item") == case.slots.get("item")
            and slots.get("quantity") == case.slots.get("quantity")
            and dict(slots.get("options", {})) == dict(case.slots.get("options", {})))
