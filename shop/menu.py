"""The merchant's kiosk file: shop, display, options and menu, validated on load.

A wrong file never reaches the screens: :func:`load_kiosk` raises
:class:`~untact.accessibility.config.ConfigError` naming the file, line and field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from untact.accessibility.config import ConfigError, Source, Table
from untact.accessibility.display import Display
from untact.accessibility.settings import AccessibilityConfig

SUPPORTED_LANGUAGES = ("ko", "en")
MAX_ITEMS = 2000
MAX_PRICE = 10_000_000
_ID_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789_-")
# Korean counters a menu may use (the word after a count: 아메리카노 두 잔, 비빔밥 한 그릇).
# Voice input hears and says exactly these, so each is a word the Korean speech model
# knows (tests/hardware/test_voice_grammar.py checks it): a counter outside the list is
# a config error, not an item that silently cannot be counted by voice.
COUNTERS = ("잔", "개", "그릇", "인분", "조각", "병", "컵", "캔", "접시", "봉지", "세트", "팩",
            "마리")
# 개 is the generic counter for things: right or acceptable for any food, where 잔 (cups)
# would be wrong for everything but drinks.
DEFAULT_COUNTER = "개"


@dataclass(frozen=True)
class Choice:
    id: str
    name: dict[str, str]
    price: int  # added to the item's price, in won


@dataclass(frozen=True)
class OptionGroup:
    id: str
    name: dict[str, str]
    choices: tuple[Choice, ...]
    default: str

    def choice(self, choice_id: str) -> Choice:
        for c in self.choices:
            if c.id == choice_id:
                return c
        raise KeyError(choice_id)


@dataclass
class Item:
    id: str
    category: str
    name: dict[str, str]
    price: int
    options: tuple[str, ...] = ()
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    sold_out: bool = False
    counter: str = DEFAULT_COUNTER  # how it is counted in Korean (one of COUNTERS)


@dataclass(frozen=True)
class Category:
    id: str
    name: dict[str, str]
    counter: str = DEFAULT_COUNTER  # its items' counter unless an item says otherwise


@dataclass
class Kiosk:
    """Everything a merchant configures, as loaded from one file."""

    path: Path
    shop_name: dict[str, str]
    languages: tuple[str, ...]
    data_folder: Path
    display: Display
    accessibility: AccessibilityConfig
    options: dict[str, OptionGroup]
    categories: list[Category]
    items: list[Item]
    source: Source
    # [shop] start_fresh_if_damaged: a damaged orders database is set aside for a new one
    # (shop/order_database.py) instead of stopping the kiosk.
    start_fresh_if_damaged: bool = False

    def item(self, item_id: str) -> Item:
        for it in self.items:
            if it.id == item_id:
                return it
        raise KeyError(item_id)

    def items_in(self, category_id: str) -> list[Item]:
        return [it for it in self.items if it.category == category_id]

    def section(self, *names: str) -> Table:
        """A raw table of the file (e.g. ``section("devices", "boards")``) for device
        modules to parse with their own ``from_table``."""
        table = self.source.root()
        for n in names:
            table = table.table(n)
        return table


def _check_id(table: Table, key: str = "id") -> str:
    value: str = table.get(key, str, max_len=40)
    if not value or not set(value) <= _ID_CHARS:
        raise table.error(key, f"must be lower-case letters, digits, '_' or '-', not {value!r}")
    return value


def _price(table: Table, key: str, default: object = ...) -> int:
    value: int = table.get(key, int, default)
    if value < 0 or value > MAX_PRICE:
        raise table.error(key, f"must be a whole number of won from 0 to {MAX_PRICE:,}, not {value}")
    return value


def _counter(table: Table, default: str) -> str:
    value: str = table.get("counter", str, default, max_len=10)
    if value not in COUNTERS:
        raise table.error("counter", f"unknown Korean counter {value!r} "
                                     f"(supported: {', '.join(COUNTERS)})")
    return value


def load_kiosk(path: str | Path) -> Kiosk:
    """Load and validate a kiosk file; raise ConfigError on the first problem found."""
    src = Source.load(path)
    root = src.root()
    root.unknown_keys({"shop", "display", "options", "categories", "items", "devices",
                       "accessibility", "admin", "payment", "printer",
                       "staff_web"})

    shop = root.table("shop", required=True)
    shop.unknown_keys({"name", "languages", "data_folder", "start_fresh_if_damaged", "server"})
    languages = shop.get("languages", list, ["ko", "en"])
    if not languages:
        raise shop.error("languages", "must name at least one language")
    for i, lang in enumerate(languages):
        if lang not in SUPPORTED_LANGUAGES:
            raise src.error(("shop", "languages", i),
                            f"unsupported language {lang!r} (supported: {', '.join(SUPPORTED_LANGUAGES)})")
    if len(set(languages)) != len(languages):
        raise shop.error("languages", "names a language twice")
    languages = tuple(languages)
    shop_name = shop.text_by_language("name", languages)
    data_folder = Path(shop.get("data_folder", str, "data", max_len=500))
    if not data_folder.is_absolute():
        data_folder = src.path.resolve().parent / data_folder
    start_fresh_if_damaged = shop.get("start_fresh_if_damaged", bool, False)

    accessibility = AccessibilityConfig.from_table(root)  # [display] and [accessibility]

    options: dict[str, OptionGroup] = {}
    opt_root = root.table("options")
    for gid in opt_root.data:
        group = opt_root.table(gid)
        if not set(gid) <= _ID_CHARS:
            raise opt_root.error(gid, "option group ids must be lower-case letters, digits, '_' or '-'")
        group.unknown_keys({"name", "choices", "default"})
        choices = []
        seen: set[str] = set()
        for ct in group.tables("choices", required=True):
            ct.unknown_keys({"id", "name", "price"})
            cid = _check_id(ct)
            if cid in seen:
                raise ct.error("id", f"duplicate choice id {cid!r} in option {gid!r}")
            seen.add(cid)
            choices.append(Choice(cid, ct.text_by_language("name", languages), _price(ct, "price", 0)))
        if not choices:
            raise group.error("choices", "must list at least one choice")
        default = group.get("default", str, choices[0].id)
        if default not in seen:
            raise group.error("default", f"names no choice of this option: {default!r}")
        options[gid] = OptionGroup(gid, group.text_by_language("name", languages), tuple(choices), default)

    categories: list[Category] = []
    for ct in root.tables("categories", required=True):
        ct.unknown_keys({"id", "name", "counter"})
        cid = _check_id(ct)
        if any(c.id == cid for c in categories):
            raise ct.error("id", f"duplicate category id {cid!r}")
        categories.append(Category(cid, ct.text_by_language("name", languages),
                                   _counter(ct, DEFAULT_COUNTER)))
    if not categories:
        raise root.error("categories", "must list at least one category")

    items: list[Item] = []
    item_tables = root.tables("items", required=True)
    if len(item_tables) > MAX_ITEMS:
        raise root.error("items", f"lists {len(item_tables)} items; at most {MAX_ITEMS} are supported")
    seen_items: set[str] = set()
    for it in item_tables:
        it.unknown_keys({"id", "category", "name", "price", "options", "aliases", "sold_out",
                         "counter"})
        iid = _check_id(it)
        if iid in seen_items:
            raise it.error("id", f"duplicate item id {iid!r}")
        seen_items.add(iid)
        cat = it.get("category", str)
        category = next((c for c in categories if c.id == cat), None)
        if category is None:
            raise it.error("category", f"names no category: {cat!r}")
        opts = it.get("options", list, [])
        for j, o in enumerate(opts):
            if not isinstance(o, str) or o not in options:
                defined = ", ".join(options) or "none"
                raise src.error((*it.path, "options", j), f"unknown option {o!r} (defined: {defined})")
        aliases: dict[str, tuple[str, ...]] = {}
        at = it.table("aliases")
        at.unknown_keys(languages)
        for lang in languages:
            words = at.get(lang, list, [])
            for j, w in enumerate(words):
                if not isinstance(w, str) or not w.strip() or len(w) > 60:
                    raise src.error((*at.path, lang, j), "must be non-empty text of at most 60 characters")
            aliases[lang] = tuple(w.strip() for w in words)
        items.append(Item(iid, cat, it.text_by_language("name", languages), _price(it, "price"),
                          tuple(opts), aliases, it.get("sold_out", bool, False),
                          _counter(it, category.counter)))
    if not items:
        raise root.error("items", "must list at least one item")
    for c in categories:
        if not any(i.category == c.id for i in items):
            raise src.error(("categories", categories.index(c), "id"), f"category {c.id!r} has no items")

    return Kiosk(src.path, shop_name, languages, data_folder, accessibility.display, accessibility,
                 options, categories, items, src, start_fresh_if_damaged)


__all__ = ["COUNTERS", "DEFAULT_COUNTER", "Kiosk", "Item", "Category", "OptionGroup", "Choice",
           "Display", "ConfigError", "load_kiosk"]
