"""What may be said on a screen, generated from the merchant's menu: never written per menu.

Input is the shop's own menu model (:class:`untact.shop.menu.Kiosk`, the one the screens
and the admin screen use), so a name edited or an item put back on sale is heard as soon
as the grammar is rebuilt from the live menu; sold-out items cannot be ordered by voice.
Each item's Korean counter (잔, 개, 그릇...) comes from the kiosk file. From the menu and
the current screen (:class:`Screen`: which commands, which items, whether a yes/no is
expected) the builder makes a :class:`Grammar` per language, which

- lists every phrase (:meth:`Grammar.phrases`) and, for Vosk, whole sentences as the
  text its grammar's bigram model is estimated from (:meth:`Grammar.sentences`),
- writes a JSGF grammar for pocketsphinx (:meth:`Grammar.jsgf`),
- and tells the understander what each spoken form means (commands, items, options,
  quantities), so recognizer output is mapped back to intents and slots.

The built-in lexicon below is the kiosk's own vocabulary (commands, numbers, common
spoken forms of options such as "아이스" for an iced choice), not any one menu.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from untact.shop.menu import COUNTERS, Choice, Kiosk

from .text import normalize

LANGUAGES = ("ko", "en")

# Command name -> spoken forms. Names are the voice intent names; see voice_input for
# which of them become plain intents (NEXT, PREVIOUS, HOME, HELP, REPEAT). "Back" is
# PREVIOUS, as 이전 is: one word per command keeps Korean words apart (뒤로 was heard
# for 처음으로); Kind.BACK stays on the keypad and keys.
COMMANDS: dict[str, dict[str, tuple[str, ...]]] = {
    "next": {"ko": ("다음",), "en": ("next",)},
    "previous": {"ko": ("이전",), "en": ("previous", "back")},
    "home": {"ko": ("처음으로",), "en": ("home", "start over")},
    "pay": {"ko": ("결제",), "en": ("pay", "checkout")},
    "cancel": {"ko": ("취소",), "en": ("cancel",)},
    "help": {"ko": ("도와 주세요", "도와줘", "도움"), "en": ("help",)},
    "repeat": {"ko": ("다시",), "en": ("repeat", "again")},
    "bigger": {"ko": ("크게",), "en": ("bigger",)},
    # Only before a language is chosen (GREETING): a greeting starts the order in its language.
    "hello": {"ko": ("안녕하세요",), "en": ("hello",)},
}
# Few, distinct words on purpose: Vosk's grammar backs off to any word in any order, so
# every extra short word ("가", "해") is one more thing a mishearing can turn into.
ANSWERS: dict[str, dict[str, tuple[str, ...]]] = {
    "yes": {"ko": ("네", "예"), "en": ("yes", "okay")},
    "no": {"ko": ("아니요",), "en": ("no",)},
}
# A numbered choice ("두 번", "number two"), heard only after the screen's choices were
# read out with numbers (Screen.numbers): an answer named "number:2".
KO_SINO = ("일", "이", "삼", "사", "오", "육", "칠", "팔", "구")
MAX_NUMBERED = len(KO_SINO)  # one keypad digit each
NUMBER_ANSWER = "number:"
NAVIGATION = tuple(c for c in COMMANDS if c != "hello")
GREETING = (*NAVIGATION, "hello")  # the attract and language screens

# Korean native numbers as said before a counter (한 잔, 두 개), and alone.
KO_NUMBERS: dict[int, tuple[str, ...]] = {
    1: ("한", "하나"), 2: ("두", "둘"), 3: ("세", "셋"), 4: ("네", "넷"), 5: ("다섯",),
    6: ("여섯",), 7: ("일곱",), 8: ("여덟",), 9: ("아홉",), 10: ("열",),
}
EN_NUMBERS: dict[int, tuple[str, ...]] = {
    1: ("one", "a"), 2: ("two",), 3: ("three",), 4: ("four",), 5: ("five",), 6: ("six",),
    7: ("seven",), 8: ("eight",), 9: ("nine",), 10: ("ten",),
}
CARRIERS = {"ko": ("주세요",), "en": ("please",)}
EN_PREFIXES = ("i want", "i would like", "can i have", "give me")

# Spoken forms of common option choices, keyed by any name of the choice (normalised).
# They add to the choice's own names from the menu; a choice named otherwise still works
# by its own names.
OPTION_SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "iced": {"ko": ("아이스", "차가운"), "en": ("iced", "cold")},
    "hot": {"ko": ("따뜻한", "뜨거운"), "en": ("hot", "warm")},
    "large": {"ko": ("큰 거", "사이즈 업", "큰 사이즈"), "en": ("large", "big")},
    "extra": {"ko": ("샷 추가",), "en": ("extra shot", "add a shot")},
    "vanilla": {"ko": ("바닐라 시럽",), "en": ("vanilla syrup",)},
}
_SYNONYM_KEYS = {
    "차갑게": "iced", "iced": "iced", "따뜻하게": "hot", "hot": "hot",
    "큰 사이즈": "large", "large": "large", "샷 추가": "extra", "add a shot": "extra",
    "바닐라 시럽": "vanilla", "vanilla syrup": "vanilla",
}
# Option forms said before the item ("아이스 아메리카노", "따뜻한 라테", "iced latte"); the
# other forms of OPTION_SYNONYMS follow it ("아메리카노 큰 거", "라테 샷 추가"). A choice's own
# name from the menu may be said on either side.
OPTION_BEFORE = {"ko": {"아이스", "차가운", "따뜻한", "뜨거운", "큰 사이즈"},
                 "en": {"iced", "cold", "hot", "warm", "large", "big"}}
MAX_QUANTITY = 10
VOICE_QUANTITY = 5  # counts up to this are spoken; more is rare and easily misheard


def spoken_choice(choice: Choice, lang: str) -> str:
    """How a choice is said when reading an order back ("아이스", not "차갑게")."""
    for any_lang in LANGUAGES:
        key = _SYNONYM_KEYS.get(normalize(choice.name.get(any_lang, "")))
        if key:
            return OPTION_SYNONYMS[key][lang][0]
    return choice.name.get(lang) or next(iter(choice.name.values()))


def spoken_content(menu: Kiosk | None) -> tuple:
    """Everything of ``menu`` that grammars are built from (names, aliases, options,
    counters, sold out), comparable with ``==``: a price edit leaves it unchanged, so
    recognizers need not rebuild for it."""
    if menu is None:
        return ()
    items = tuple((it.id, it.name, it.aliases, it.options, it.sold_out, it.counter)
                  for it in menu.items)
    return items, menu.options


def menu_counters(menu: Kiosk | None) -> tuple[str, ...]:
    """The Korean counters the menu's items are counted with, in :data:`COUNTERS` order
    (the sample cafe: 잔, 개). Sold-out items count too, so selling out does not change
    which quantities can be said."""
    used = {it.counter for it in menu.items} if menu is not None else set()
    return tuple(c for c in COUNTERS if c in used)


@dataclass(frozen=True)
class Screen:
    """What makes sense on the current screen.

    ``commands``: command names accepted (default all); ``items``: ids that can be ordered
    here (``None`` = every item, ``()`` = no ordering on this screen); ``confirm``: a yes/no
    question is pending, so 네/아니요/yes/no are accepted; ``numbers``: the screen's
    choices were read out numbered 1..numbers, so "두 번" / "number two" are accepted.
    """

    commands: tuple[str, ...] = NAVIGATION
    items: tuple[str, ...] | None = None
    confirm: bool = False
    numbers: int = 0

    def __post_init__(self) -> None:
        unknown = [c for c in self.commands if c not in COMMANDS]
        if unknown:
            raise ValueError(f"unknown voice command(s): {', '.join(unknown)}")


V = TypeVar("V", covariant=True)  # what a spoken form means (Form.value)


@dataclass(frozen=True)
class Form(Generic[V]):
    """A spoken form and what it means: kind in command/answer/item/option/quantity.

    ``value``: the command/answer name or item id (str), the option's (group_id,
    choice_id), the quantity (int), or the phrase itself."""

    text: str
    kind: str
    value: V


@dataclass
class Grammar:
    """Everything that may be said on one screen in one language."""

    lang: str
    commands: list[Form[str]]  # value = command name
    answers: list[Form[str]]  # value = "yes", "no" or a numbered choice (number_answer)
    items: list[Form[str]]  # value = item id
    options: list[Form[tuple[str, str]]]  # value = (group_id, choice_id)
    quantities: list[Form[int]]  # value = the count
    item_options: dict[str, tuple[str, ...]]
    menu: Kiosk | None = None
    extra_phrases: list[str] = field(default_factory=list)

    @property
    def ordering(self) -> bool:
        return bool(self.items)

    def order_phrases(self) -> list[str]:
        """One phrase per item/quantity/option pattern, without listing every combination.

        Recognizers join phrases freely (Vosk backs off to any word order), so "아이스" +
        "아메리카노 두 잔" + "주세요" is covered without its product being listed.
        """
        out: list[str] = []
        qty_by_n: dict[int, list[str]] = {}
        for q in self.quantities:
            qty_by_n.setdefault(q.value, []).append(q.text)
        for f in self.items:
            out.append(f.text)
            if self.lang == "ko":
                counter = self.menu.item(f.value).counter if self.menu else ""
                out += [f"{f.text} {q}" for q in self._ko_quantity_texts(counter)]
            else:
                out += [f"{q} {f.text}" for n, qs in qty_by_n.items() for q in qs[:1] if n <= 3]
        out += [f.text for f in self.options]
        out += [f.text for f in self.quantities if f.value <= 5]
        out += list(CARRIERS[self.lang])
        if self.lang == "en":
            out += list(EN_PREFIXES)
        return out

    def _ko_quantity_texts(self, counter: str) -> list[str]:
        return [q.text for q in self.quantities if q.text.endswith(counter)
                and q.value <= 5]

    def phrases(self) -> list[str]:
        """Every phrase (deduplicated, in a stable order)."""
        out = [f.text for f in self.commands] + [f.text for f in self.answers]
        if self.ordering:
            out += self.order_phrases()
        out += self.extra_phrases
        return list(dict.fromkeys(p for p in out if p))

    def phrase_groups(self) -> list[list[str]]:
        """:meth:`phrases` grouped by meaning: spoken forms of one command, or of one option
        choice, share a group."""
        groups: dict[object, list[str]] = {}
        for f in [*self.commands, *self.answers, *self.options]:
            groups.setdefault((f.kind, f.value), []).append(f.text)
        said = {t for g in groups.values() for t in g}
        for p in self.phrases():
            if p not in said:
                groups.setdefault(("phrase", p), []).append(p)
        return [list(dict.fromkeys(g)) for g in groups.values()]

    def sentences(self, keep=None) -> list[str]:
        """Whole utterances as customers say them, as training text for a statistical
        recognizer grammar (Vosk).

        Vosk (0.3.45) does not loop over the listed phrases: it estimates a bigram language
        model from them (Kaldi's LanguageModelEstimator, discount 0.5). So the list is a
        corpus: word order and how often each word pair occurs decide what is heard. A
        list of fragments ("아메리카노 두 잔", "따뜻한", "큰 거") never shows "따뜻한" before an
        item or "큰 거" after one, and its counters, listed once per item, outweigh every
        option ("따뜻한" came back as "두 잔"). Here every order form is a sentence:
        [before-option] item [quantity counter] [after-option...] [주세요], each word pair
        listed about as often as the others. (Repeating commands to make them likelier
        was measured and did not change accuracy, so each is listed once.)

        ``keep``: the option/command forms a recognizer can say (a form it cannot is left
        out here, see VoskRecognizer.vosk_phrases); ``None`` keeps all.
        """
        def ok(text: str) -> bool:
            return keep is None or text in keep
        out: list[str] = []
        order: list[str] = []
        if self.ordering:
            carrier = CARRIERS[self.lang][0]
            spoken_q: dict[int, list[str]] = {}
            for q in self.quantities:
                if q.value <= VOICE_QUANTITY:
                    spoken_q.setdefault(q.value, []).append(q.text)
            before_set = OPTION_BEFORE[self.lang]
            synonyms = {t for forms in OPTION_SYNONYMS.values() for t in forms[self.lang]}
            for f in self.items:
                item_id = f.value
                groups = self.item_options.get(item_id, ())
                opts = [o for o in self.options if o.value[0] in groups and ok(o.text)]
                before = [o.text for o in opts if o.text in before_set or o.text not in synonyms]
                after = [o.text for o in opts if o.text not in before_set]
                if self.lang == "ko":
                    counter = self.menu.item(item_id).counter if self.menu else ""
                    qty = [q for n in sorted(spoken_q) for q in spoken_q[n] if q.endswith(counter)]
                    x = f.text
                    order += [x, f"{x} {carrier}"]
                    order += [s for q in qty for s in (f"{x} {q}", f"{x} {q} {carrier}")]
                    order += [f"{b} {x}" for b in before]
                    order += [s for a in after for s in (f"{x} {a}", f"{x} {qty[0]} {a} {carrier}")]
                else:
                    qty = [spoken_q[n][0] for n in sorted(spoken_q)]
                    x = f.text
                    order += [x, f"{x} {carrier}"] + [f"{q} {x}" for q in qty]
                    order += [f"{qty[0]} {b} {x}" for b in before]
                    order += [f"{x} with {a}" for a in after]
        for f in [*self.commands, *self.answers]:
            if ok(f.text):
                out.append(f.text)
        out += [p for p in self.extra_phrases if ok(p)]
        return out + order

    def words(self) -> list[str]:
        return sorted({w for p in self.phrases() for w in p.split()})

    def jsgf(self, name: str = "untact") -> str:
        """A JSGF grammar for pocketsphinx: commands | answers | orders, with structure.

        Commands, answers and phrases are alternatives of the top rule itself, not rules
        of their own: pocketsphinx joins rules with null transitions, and a one-syllable
        command reached through them was lost ("pay" came back empty in 2 of 5 voices;
        listed at the top, 5 of 5).
        """
        def alt(forms: Iterable[str]) -> str:
            forms = list(dict.fromkeys(forms))
            return " | ".join(forms) if forms else "<VOID>"

        rules = []
        top = []
        for forms in ([f.text for f in self.commands], [f.text for f in self.answers],
                      list(self.extra_phrases)):
            if forms:
                top.append(alt(forms))
        if self.ordering:
            rules.append(f"<item> = {alt(f.text for f in self.items)};")
            # Up to five by voice: "eight" is too easily heard for "a" (more: buttons).
            spoken = (f.text for f in self.quantities if f.value <= 5)
            rules.append(f"<quantity> = {alt(spoken)};")
            rules.append(f"<prefix> = {alt(EN_PREFIXES)};")
            if self.options:  # an empty alternative (<VOID>) would block the whole rule
                rules.append(f"<option> = {alt(f.text for f in self.options)};")
                rules.append("<order> = [<prefix>] [<quantity>] [<option>] [<option>] <item> "
                             "[with <option>] [please];")
            else:
                rules.append("<order> = [<prefix>] [<quantity>] <item> [please];")
            top.append("<order>")
        body = "\n".join(rules)
        return (f"#JSGF V1.0;\ngrammar {name};\npublic <utterance> = {' | '.join(top) or '<VOID>'};"
                f"\n{body}\n")


def _spoken_forms(text: str) -> list[str]:
    """A name as people say it: the name itself, lower case, without brackets."""
    text = normalize(re.sub(r"\(.*?\)", " ", text))
    return [text] if text else []


def build_grammar(menu: Kiosk | None, screen: Screen, lang: str) -> Grammar:
    """The grammar of ``screen`` in ``lang``, generated from ``menu`` as it is now. Items
    sold out stay in it, so a customer who names one is heard and told so, with what
    else there is (the dialogue never takes their order)."""
    if lang not in LANGUAGES:
        raise ValueError(f"voice input speaks {', '.join(LANGUAGES)}, not {lang!r}")
    commands = [Form(normalize(t), "command", name)
                for name in screen.commands for t in COMMANDS[name][lang]]
    answers = ([Form(normalize(t), "answer", name) for name, forms in ANSWERS.items()
                for t in forms[lang]] if screen.confirm else [])
    answers += [Form(t, "answer", number_answer(n))
                for n in range(1, min(screen.numbers, MAX_NUMBERED) + 1)
                for t in number_forms(n, lang)]
    items: list[Form[str]] = []
    options: list[Form[tuple[str, str]]] = []
    quantities: list[Form[int]] = []
    item_options: dict[str, tuple[str, ...]] = {}
    if menu is not None and screen.items != ():
        wanted = None if screen.items is None else set(screen.items)
        used_groups: set[str] = set()
        for it in menu.items:
            if wanted is not None and it.id not in wanted:
                continue
            forms = _spoken_forms(it.name.get(lang, ""))
            for alias in it.aliases.get(lang, ()):
                forms += _spoken_forms(alias)
            if lang == "en":  # plurals: "two americanos", "three lattes"
                forms += [plural(f) for f in forms]
            for text in dict.fromkeys(forms):
                items.append(Form(text, "item", it.id))
            item_options[it.id] = tuple(g for g in it.options if g in menu.options)
            used_groups.update(item_options[it.id])
        for gid in sorted(used_groups):
            group = menu.options[gid]
            for choice in group.choices:
                forms = []
                for any_lang in LANGUAGES:
                    key = _SYNONYM_KEYS.get(normalize(choice.name.get(any_lang, "")))
                    if key:
                        forms += OPTION_SYNONYMS[key][lang]
                if choice.id == group.default and not forms:
                    continue  # "regular", "no syrup": what happens when nothing is said
                forms += _spoken_forms(choice.name.get(lang, ""))
                for text in dict.fromkeys(forms):
                    options.append(Form(text, "option", (gid, choice.id)))
        if lang == "ko":
            for n, words in KO_NUMBERS.items():
                for counter in menu_counters(menu):
                    quantities.append(Form(f"{words[0]} {counter}", "quantity", n))
        else:
            for n, words in EN_NUMBERS.items():
                for w in words:
                    quantities.append(Form(w, "quantity", n))
    return Grammar(lang, commands, answers, items, options, quantities, item_options, menu)


def number_forms(n: int, lang: str) -> tuple[str, ...]:
    """How a numbered choice is said: "일 번", "두 번"; "number two", "two"."""
    if lang == "ko":
        return (f"{KO_SINO[n - 1]} 번", f"{KO_NUMBERS[n][0]} 번")
    return (f"number {EN_NUMBERS[n][0]}", EN_NUMBERS[n][0])


def number_answer(n: int) -> str:
    return f"{NUMBER_ANSWER}{n}"


def numbered(answer: str) -> int | None:
    """The number of a numbered-choice answer ("number:2" -> 2), else None."""
    if not answer.startswith(NUMBER_ANSWER):
        return None
    digits = answer[len(NUMBER_ANSWER):]
    return int(digits) if digits.isdigit() else None


def phrase_grammar(phrases: Sequence[str], lang: str) -> Grammar:
    """A grammar that is just a list of phrases (used by the real-speech benchmark)."""
    g = Grammar(lang, [], [], [], [], [], {})
    g.extra_phrases = list(dict.fromkeys(normalize(p) for p in phrases if normalize(p)))
    return g


def plural(text: str) -> str:
    words = text.split()
    last = words[-1]
    if last.endswith(("s", "x", "ch", "sh")):
        last += "es"
    elif last.endswith("y") and len(last) > 1 and last[-2] not in "aeiou":
        last = last[:-1] + "ies"
    else:
        last += "s"
    return " ".join(words[:-1] + [last])

