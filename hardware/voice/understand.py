"""From recognizer text to what the customer meant: a command, a yes/no, or an order.

Recognizers restricted to a screen's grammar still join words from different phrases
and mishear ("추가 처음으로", "아이스 아메리카노 두 개 한 주세요"), so nothing here expects
an exact phrase. Each known spoken form is searched fuzzily in the text (on jamo, see
``voice_text``); an order needs an item, and takes a quantity and options around it; a
command needs most of the utterance to be that command. The score says how well the
text is explained; times the recognizer's own posterior for that text, summed over the
n-best readings that mean the same, it becomes the intent's confidence. Readings that
share the belief between different meanings are kept as ``candidates``, so the kiosk
can ask back ("아메리카노요, 카페라테요?") instead of guessing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from untact.shop.menu import COUNTERS

from .grammar import EN_NUMBERS, KO_NUMBERS, MAX_QUANTITY, Form, Grammar
from .text import find, normalize, unit_length, whole

ITEM_MIN_SCORE = 0.72
OPTION_MIN_SCORE = 0.8
COMMAND_MIN_SCORE = 0.55
# A whole sentence (a phrase form) heard with words around it: each extra letter costs
# this much of a missing one. Recognizers restricted to a few sentences still insert
# words, most of all from background talk (babble); at 0 any sentence inside the text
# matches fully, so a shorter variant wins ("예전에도 이번" in "예전에도 이번 습니까"). Chosen
# leave-one-speaker-out on the real recordings (untact-bench-voice ko_read, K=5, clean
# and 10 dB): 0.2 on every fold, of 0, 0.1, 0.2, 0.3, 0.5 and 1.
PHRASE_INSERTION_COST = 0.2
CANDIDATE_SHARE = 0.25  # a meaning with this share of the best one's belief is a candidate
MAX_CANDIDATES = 3

_KO_NUMBER_OF = {w: n for n, ws in KO_NUMBERS.items() for w in ws}
_KO_ALONE = {"하나": 1, "둘": 2, "셋": 3, "넷": 4}
_EN_NUMBER_OF = {w: n for n, ws in EN_NUMBERS.items() for w in ws}
_DIGITS = re.compile(rf"^(\d{{1,2}})({'|'.join(COUNTERS)})?$")
# Counters any menu may use, and as recognizers tend to return them (잔 is often heard
# as 장 or 잠).
_KO_COUNTER_LIKE = set(COUNTERS) | {"장", "잠", "게"}


@dataclass(frozen=True)
class Understanding:
    """What an utterance meant. ``name`` is "" when nothing was understood."""

    name: str
    slots: Mapping[str, Any] = field(default_factory=dict)
    confidence: float = 0.0
    text: str = ""
    candidates: tuple[Understanding, ...] = ()  # the best first, when more than one meaning

    def key(self) -> tuple:
        return (self.name, _freeze(self.slots))


NOTHING = Understanding("", {}, 0.0, "")


def _freeze(value: Any) -> Any:
    if isinstance(value, Mapping):
        return tuple(sorted((k, _freeze(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return tuple(_freeze(v) for v in value)
    return value


def understand(grammar: Grammar, text: str, recognizer_confidence: float = 1.0) -> Understanding:
    """The best reading of one recognizer hypothesis ``text`` under ``grammar``; its
    confidence is how well the text is explained times ``recognizer_confidence``."""
    text = normalize(text)
    total = unit_length(text)
    if total == 0:
        return NOTHING
    best = NOTHING
    for form in [*grammar.commands, *grammar.answers, *_phrase_forms(grammar)]:
        if form.kind == "phrase":  # a sentence to be said whole
            value = whole(form.text, text, PHRASE_INSERTION_COST)
        else:
            score, start, end = find(form.text, text)
            coverage = min(1.0, unit_length(form.text) / total)
            # Between equally good matches the one said first wins: the word loop tends
            # to add a stray word after the command ("취소 이전"), rarely before it.
            value = score * (0.6 + 0.4 * coverage) - 0.15 * start / total
        if value > best.confidence:
            name = "phrase" if form.kind == "phrase" else str(form.value)
            slots = {"text": form.text} if form.kind == "phrase" else {}
            best = Understanding(name, slots, value, text)
    if grammar.ordering:
        order = _understand_order(grammar, text, total)
        if order.confidence > best.confidence:
            best = order
    if best.confidence < COMMAND_MIN_SCORE:
        return Understanding("", {}, best.confidence, text)
    factor = max(0.0, min(1.0, recognizer_confidence))
    return Understanding(best.name, best.slots, round(min(1.0, best.confidence) * factor, 4), text)


def understand_nbest(grammar: Grammar, hypotheses: Sequence[tuple[str, float]]) -> Understanding:
    """Best reading over a recognizer's n-best list [(text, posterior), ...].

    Each meaning's confidence is the belief the recognizer put in the readings that mean
    it, each weighed by how well it is explained: "아메리카노 두 잔" at 0.5 and "아메리카노 두
    잔 주세요" at 0.3 make one order at about 0.8; "아메리카노" 0.5 against "카페라테" 0.4
    make two candidates and no confident one.
    """
    mass: dict[tuple, float] = {}
    first: dict[tuple, Understanding] = {}
    for text, conf in hypotheses:
        u = understand(grammar, text, conf)
        if not u.name:
            continue
        mass[u.key()] = mass.get(u.key(), 0.0) + u.confidence
        if u.key() not in first or u.confidence > first[u.key()].confidence:
            first[u.key()] = u
    top = normalize(hypotheses[0][0]) if hypotheses else ""
    if not mass:
        return Understanding("", {}, 0.0, top)
    ranked = sorted(mass, key=lambda k: -mass[k])
    best = mass[ranked[0]]
    found = [Understanding(first[k].name, first[k].slots, round(min(1.0, mass[k]), 4),
                           first[k].text) for k in ranked]
    candidates = tuple(u for u in found[:MAX_CANDIDATES] if u.confidence >= CANDIDATE_SHARE * best)
    return Understanding(found[0].name, found[0].slots, found[0].confidence, top,
                         candidates if len(candidates) > 1 else ())


def _phrase_forms(grammar: Grammar) -> list[Form[str]]:
    return [Form(p, "phrase", p) for p in grammar.extra_phrases]


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    """True when more than a third of ``span`` is already explained by another match.

    Fuzzy matches can reach a letter or two into their neighbours ("카페라테" found in
    "따뜻한 라떼" starts inside "따뜻한"), so a small overlap is tolerated; "핫" inside
    "핫초코" is not.
    """
    length = max(1, span[1] - span[0])
    return any(min(span[1], e) - max(span[0], s) > length / 3 for s, e in taken)


def _understand_order(grammar: Grammar, text: str, total: int) -> Understanding:
    best_item: tuple[float, float, Form[str], tuple[int, int]] | None = None
    for form in grammar.items:
        score, start, end = find(form.text, text)
        if score < ITEM_MIN_SCORE:
            continue
        # Short forms ("아아", "라테") match by chance more often: prefer longer ones.
        rank = score - 0.5 / max(1, unit_length(form.text))
        if best_item is None or rank > best_item[0]:
            best_item = (rank, score, form, (start, end))
    if best_item is None:
        return NOTHING
    _, item_score, item_form, item_span = best_item
    item_id = item_form.value
    taken = [item_span]
    covered = item_span[1] - item_span[0]
    allowed_groups = set(grammar.item_options.get(item_id, ()))
    options: dict[str, str] = {}
    option_scores: dict[str, float] = {}
    for option in sorted(grammar.options, key=lambda f: -unit_length(f.text)):
        group, choice = option.value
        score, start, end = find(option.text, text)
        if score < OPTION_MIN_SCORE or unit_length(option.text) < 2:
            continue
        if _overlaps((start, end), taken) or group not in allowed_groups:
            continue
        if score > option_scores.get(group, 0.0):
            options[group] = choice
            option_scores[group] = score
            taken.append((start, end))
            covered += end - start
    quantity, qty_units = _quantity(grammar.lang, text, item_span)
    covered += qty_units
    for carrier in ("주세요", "담아", "please", "i want", "i would like", "can i have",
                    "give me", "with"):
        score, start, end = find(carrier, text)
        if score >= 0.8 and not _overlaps((start, end), taken):
            covered += end - start
            taken.append((start, end))
    coverage = min(1.0, covered / total)
    confidence = item_score * (0.7 + 0.3 * coverage)
    slots = {"item": item_id, "quantity": quantity, "options": options}
    return Understanding("order", slots, confidence, text)


def _quantity(lang: str, text: str, item_span: tuple[int, int]) -> tuple[int, int]:
    """(quantity, how many jamo units it took); 1 when none is said.

    Korean says the count after the thing ("아메리카노 두 잔"), English before it ("two
    americanos"): a count on that side of the item is preferred, one on the other side
    is taken only when there is none (a stray number from a mishearing is more often on
    the wrong side).
    """
    tokens = text.split()
    offsets, at = [], 0
    for tok in tokens:
        offsets.append(at)
        at += unit_length(tok)
    found: list[tuple[int, int, int]] = []  # (position, quantity, units)
    for i, tok in enumerate(tokens):
        start, end = offsets[i], offsets[i] + unit_length(tok)
        if start < item_span[1] and item_span[0] < end:
            continue  # part of the item's name
        q = _token_quantity(lang, tok, tokens[i + 1] if i + 1 < len(tokens) else "")
        if q is not None:
            found.append((start, q[0], q[1]))
    if not found:
        return 1, 0
    after = [f for f in found if f[0] >= item_span[1]]
    before = [f for f in found if f[0] < item_span[0]]
    if lang == "ko":
        pick = after[0] if after else before[-1]
    else:
        pick = before[-1] if before else after[0]
    return pick[1], pick[2]


def _token_quantity(lang: str, tok: str, nxt: str) -> tuple[int, int] | None:
    m = _DIGITS.match(tok)
    if m:
        return _clamp(int(m.group(1))), unit_length(tok)
    if lang == "ko":
        if tok in _KO_NUMBER_OF and nxt in _KO_COUNTER_LIKE:
            return _clamp(_KO_NUMBER_OF[tok]), unit_length(tok + nxt)
        if tok in _KO_ALONE:
            return _KO_ALONE[tok], unit_length(tok)
        for counter in _KO_COUNTER_LIKE:  # joined: "두잔"
            if tok.endswith(counter) and tok[:-1] in _KO_NUMBER_OF:
                return _clamp(_KO_NUMBER_OF[tok[:-1]]), unit_length(tok)
    elif tok in _EN_NUMBER_OF:
        return _clamp(_EN_NUMBER_OF[tok]), unit_length(tok)
    return None


def _clamp(n: int) -> int:
    return max(1, min(MAX_QUANTITY, n))
