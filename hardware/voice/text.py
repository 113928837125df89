"""Fuzzy matching of recognizer output against what a screen allows, Hangul-aware.

Recognizers mishear, and Korean mishearings are rarely whole syllables: "결제" comes back
as "여제", "두 잔" as "두 장". Comparing syllables would count those as total misses, so
Hangul syllables are decomposed into jamo (initial, vowel, final) and compared letter by
letter; similar-sounding jamo (ㄷ/ㅌ/ㄸ, ㅐ/ㅔ, ...) cost less to swap. Latin text is
compared by letters. Spaces are ignored: Korean spacing is inconsistent ("카페 라테").

Stdlib only, pure functions: the grammar builder, the understander and the tests use it.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

_SBASE, _LCOUNT, _VCOUNT, _TCOUNT = 0xAC00, 19, 21, 28
_NCOUNT = _VCOUNT * _TCOUNT
_INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_VOWELS = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
_FINALS = ["", "ㄱ", "ㄲ", "ㄳ", "ㄴ", "ㄵ", "ㄶ", "ㄷ", "ㄹ", "ㄺ", "ㄻ", "ㄼ", "ㄽ", "ㄾ",
           "ㄿ", "ㅀ", "ㅁ", "ㅂ", "ㅄ", "ㅅ", "ㅆ", "ㅇ", "ㅈ", "ㅊ", "ㅋ", "ㅌ", "ㅍ", "ㅎ"]
# Finals are marked so that a final ㄴ and an initial ㄴ differ a little (cost 0.5 below).
_FINAL_MARK = "\u0304"

# Groups of jamo that listeners and recognizers confuse; a swap inside a group costs 0.5.
_SIMILAR_GROUPS = ["ㄱㄲㅋ", "ㄷㄸㅌ", "ㅂㅃㅍ", "ㅅㅆ", "ㅈㅉㅊ", "ㅐㅔㅒㅖ", "ㅓㅗ", "ㅜㅡ",
                   "ㅚㅙㅞㅟ", "ㅝㅘ", "ㄴㅁㅇ", "aeiouy", "bp", "dt", "gk", "sz", "fv", "mn"]
_GROUP_OF: dict[str, int] = {}
for _i, _group in enumerate(_SIMILAR_GROUPS):
    for _ch in _group:
        _GROUP_OF.setdefault(_ch, _i)


def is_hangul_syllable(ch: str) -> bool:
    return _SBASE <= ord(ch) < _SBASE + _LCOUNT * _NCOUNT


def jamo(text: str) -> str:
    """``text`` as a string of jamo letters: syllables decomposed, spaces and punctuation gone.

    >>> jamo("두 잔")
    'ㄷㅜㅈㅏㄴ̄'
    """
    out: list[str] = []
    for ch in normalize(text):
        if is_hangul_syllable(ch):
            index = ord(ch) - _SBASE
            out.append(_INITIALS[index // _NCOUNT])
            out.append(_VOWELS[(index % _NCOUNT) // _TCOUNT])
            final = _FINALS[index % _TCOUNT]
            if final:
                out.append(final + _FINAL_MARK)
        elif ch.isalnum():
            out.append(ch)
    return "".join(out)


def _units(text: str) -> tuple[str, ...]:
    """Jamo letters as units (a final is one unit: letter + mark)."""
    letters = jamo(text)
    units: list[str] = []
    for ch in letters:
        if ch == _FINAL_MARK and units:
            units[-1] += ch
        else:
            units.append(ch)
    return tuple(units)


def normalize(text: str) -> str:
    """Lower case, NFC, punctuation to spaces, single spaces."""
    text = unicodedata.normalize("NFC", text).lower()
    cleaned = "".join(ch if (ch.isalnum() or ch.isspace()) else " " for ch in text)
    return " ".join(cleaned.split())


def _sub_cost(a: str, b: str) -> float:
    if a == b:
        return 0.0
    a0, b0 = a.rstrip(_FINAL_MARK), b.rstrip(_FINAL_MARK)
    if a0 == b0:
        return 0.5  # same letter, initial vs final position
    ga, gb = _GROUP_OF.get(a0), _GROUP_OF.get(b0)
    if ga is not None and ga == gb:
        return 0.5
    return 1.0


@lru_cache(maxsize=4096)
def _cached_units(text: str) -> tuple[str, ...]:
    return _units(text)


def distance(a: str, b: str, insertion: float = 1.0) -> float:
    """Weighted edit distance between ``a`` and ``b`` on jamo/letters; a letter of ``b``
    that ``a`` lacks costs ``insertion``."""
    x, y = _cached_units(a), _cached_units(b)
    prev = [insertion * j for j in range(len(y) + 1)]
    for i in range(1, len(x) + 1):
        cur = [float(i)] + [0.0] * len(y)
        xi = x[i - 1]
        for j in range(1, len(y) + 1):
            cur[j] = min(prev[j] + 1.0, cur[j - 1] + insertion,
                         prev[j - 1] + _sub_cost(xi, y[j - 1]))
        prev = cur
    return prev[-1]


def similarity(a: str, b: str) -> float:
    """1.0 for the same words, 0.0 for nothing in common (normalised edit distance)."""
    la, lb = len(_cached_units(a)), len(_cached_units(b))
    if max(la, lb) == 0:
        return 1.0 if la == lb else 0.0
    return max(0.0, 1.0 - distance(a, b) / max(la, lb))


def find(pattern: str, text: str) -> tuple[float, int, int]:
    """Best fuzzy occurrence of ``pattern`` inside ``text``.

    Returns (similarity 0..1, start, end) where start/end index ``text``'s jamo units: a
    semi-global alignment, free to skip text before and after the match, so "아아 한 잔"
    contains "아아" perfectly and "아이스 아메리카노 두 자 주세요" contains "두 잔" at 0.9.
    """
    p, t = _cached_units(pattern), _cached_units(text)
    if not p:
        return 0.0, 0, 0
    # dp over text positions; start[j] remembers where the alignment ending at j began.
    prev = [0.0] * (len(t) + 1)
    prev_start = list(range(len(t) + 1))
    for i in range(1, len(p) + 1):
        cur = [float(i)] + [0.0] * len(t)
        cur_start = [0] * (len(t) + 1)
        pi = p[i - 1]
        for j in range(1, len(t) + 1):
            diag = prev[j - 1] + _sub_cost(pi, t[j - 1])
            up = prev[j] + 1.0
            left = cur[j - 1] + 1.0
            best = min(diag, up, left)
            cur[j] = best
            if best == diag:
                cur_start[j] = prev_start[j - 1]
            elif best == up:
                cur_start[j] = prev_start[j]
            else:
                cur_start[j] = cur_start[j - 1]
        prev, prev_start = cur, cur_start
        prev_start[0] = 0
    end = min(range(len(t) + 1), key=lambda j: (prev[j], -j))
    score = max(0.0, 1.0 - prev[end] / len(p))
    return score, prev_start[end], end


def unit_length(text: str) -> int:
    return len(_cached_units(text))


def whole(pattern: str, text: str, insertion: float) -> float:
    """How well ``text`` is ``pattern`` said whole, 0..1: every letter of the pattern must
    be there (a missing or different one costs as in :func:`distance`), while each letter
    ``text`` has beyond it costs only ``insertion``.

    Between :func:`find`, where extra text is free (in "이것 도 무슨 인연인가 요" the
    variant "이것도 무슨" is found whole, as well as the sentence said), and
    :func:`similarity`, where it costs as much as missing text (the words a recognizer
    inserts from background talk sink the sentence said). Normalised by the pattern's
    length.
    """
    length = unit_length(pattern)
    if not length:
        return 0.0
    return max(0.0, 1.0 - distance(pattern, text, insertion) / length)
