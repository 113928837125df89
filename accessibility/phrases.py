"""What the kiosk says: widget descriptions and screen entries turned into speech text.

A blind customer hears a focused widget as label, value, role and state, in that order,
the most useful word first ("아이스 아메리카노, 4,500원, 버튼"), and hears on entering a
screen its title, a one-line summary and how to move. Pure functions, Korean and
English; unknown languages fall back to English words so nothing is ever silent.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

LANGUAGES = ("ko", "en")

ROLES: dict[str, dict[str, str]] = {
    "button": {"ko": "버튼", "en": "button"},
    "toggle": {"ko": "전환 버튼", "en": "toggle button"},
    "checkbox": {"ko": "확인란", "en": "checkbox"},
    "radio": {"ko": "선택 단추", "en": "radio button"},
    "slider": {"ko": "조절 막대", "en": "slider"},
    "tab": {"ko": "탭", "en": "tab"},
    "link": {"ko": "링크", "en": "link"},
    "heading": {"ko": "제목", "en": "heading"},
    "list_item": {"ko": "목록 항목", "en": "list item"},
    "text": {"ko": "", "en": ""},
    "image": {"ko": "그림", "en": "image"},
    "input": {"ko": "입력 칸", "en": "input"},
}

STATES: dict[str, dict[str, str]] = {
    "selected": {"ko": "선택됨", "en": "selected"},
    "not_selected": {"ko": "선택 안 됨", "en": "not selected"},
    "checked": {"ko": "선택됨", "en": "checked"},
    "unchecked": {"ko": "선택 안 됨", "en": "not checked"},
    "on": {"ko": "켜짐", "en": "on"},
    "off": {"ko": "꺼짐", "en": "off"},
    "disabled": {"ko": "사용할 수 없음", "en": "unavailable"},
    "sold_out": {"ko": "품절", "en": "sold out"},
    "expanded": {"ko": "펼쳐짐", "en": "expanded"},
    "collapsed": {"ko": "접힘", "en": "collapsed"},
}

HOW_TO_MOVE = {
    "ko": "다음과 이전으로 움직이고, 선택으로 고릅니다. 도움말은 도움 키를 누르세요.",
    "en": "Use next and previous to move, and select to choose. For help, press the help key.",
}
HOW_TO_MOVE_SHORT = {"ko": "다음, 이전, 선택으로 조작합니다.",
                     "en": "Use next, previous and select."}


def _lang(lang: str) -> str:
    return lang if lang in LANGUAGES else "en"


def format_number(n: int) -> str:
    return f"{n:,}"


def format_price(won: int, lang: str = "ko") -> str:
    """4500 -> "4,500원" (ko) or "4,500 won" (en); negative prices are discounts."""
    if not isinstance(won, int) or isinstance(won, bool):
        raise TypeError(f"price must be a whole number of won, not {won!r}")
    sign = "-" if won < 0 else ""
    return f"{sign}{abs(won):,}원" if _lang(lang) == "ko" else f"{sign}{abs(won):,} won"


def format_count(n: int, lang: str = "ko", unit_ko: str = "개", unit_en: str = "item") -> str:
    if _lang(lang) == "ko":
        return f"{n}{unit_ko}"
    return f"{n} {unit_en}" + ("" if n == 1 else "s")


def position(index: int, total: int, lang: str = "ko") -> str:
    """1-based ``index`` of ``total``: "8개 중 3번째" / "3 of 8"."""
    return f"{total}개 중 {index}번째" if _lang(lang) == "ko" else f"{index} of {total}"


@dataclass(frozen=True)
class WidgetDescription:
    """What a screen reader needs to know about one widget.

    ``labels`` maps language to label text; ``value`` is either text per language or a
    price in won (int); ``states`` are keys of :data:`STATES` (or free text).
    """

    labels: Mapping[str, str]
    role: str = "button"
    value: Mapping[str, str] | int | None = None
    states: tuple[str, ...] = ()
    index: int | None = None  # 1-based position in its group, for "3 of 8"
    total: int | None = None
    hint: Mapping[str, str] = field(default_factory=dict)


def _pick(texts: Mapping[str, str], lang: str) -> str:
    return texts.get(lang) or texts.get("en") or next(iter(texts.values()), "")


def describe(widget: WidgetDescription, lang: str = "ko", with_hint: bool = False) -> str:
    """Label, value, role, state (and position) joined as one spoken line."""
    lang_ = _lang(lang)
    parts = [_pick(widget.labels, lang).strip()]
    if isinstance(widget.value, int) and not isinstance(widget.value, bool):
        parts.append(format_price(widget.value, lang_))
    elif isinstance(widget.value, Mapping) and widget.value:
        parts.append(_pick(widget.value, lang).strip())
    role = ROLES.get(widget.role, {}).get(lang_, widget.role)
    parts.append(role)
    for state in widget.states:
        parts.append(STATES.get(state, {}).get(lang_, state))
    if widget.index is not None and widget.total:
        parts.append(position(widget.index, widget.total, lang_))
    if with_hint and widget.hint:
        parts.append(_pick(widget.hint, lang))
    return ", ".join(p for p in parts if p)


def screen_entry(title: str, summary: str = "", lang: str = "ko", short: bool = False) -> str:
    """Entering a screen: "<title>. <summary>. <how to move>"."""
    lang_ = _lang(lang)
    how = (HOW_TO_MOVE_SHORT if short else HOW_TO_MOVE)[lang_]
    if lang_ == "ko":
        head = title.strip() if title.strip().endswith("화면") else f"{title.strip()} 화면"
    else:
        head = f"{title.strip()} screen" if "screen" not in title.lower() else title.strip()
    parts = [head]
    if summary.strip():
        parts.append(summary.strip())
    parts.append(how)
    return " ".join(p if p.endswith((".", "?", "!")) else p + "." for p in parts)


def item_added(name: str, quantity: int, total_won: int, lang: str = "ko") -> str:
    if _lang(lang) == "ko":
        return f"{name} {quantity}개를 담았습니다. 합계 {format_price(total_won, 'ko')}."
    return (f"Added {quantity} {name}. Total {format_price(total_won, 'en')}.")


def item_removed(name: str, total_won: int, lang: str = "ko") -> str:
    if _lang(lang) == "ko":
        return f"{name}을(를) 뺐습니다. 합계 {format_price(total_won, 'ko')}."
    return f"Removed {name}. Total {format_price(total_won, 'en')}."


def total(total_won: int, count: int, lang: str = "ko") -> str:
    if _lang(lang) == "ko":
        return f"모두 {count}개, 합계 {format_price(total_won, 'ko')}."
    return f"{format_count(count, 'en')}, total {format_price(total_won, 'en')}."


def timeout_warning(seconds: int, lang: str = "ko") -> str:
    if _lang(lang) == "ko":
        return f"{seconds}초 뒤에 처음 화면으로 돌아갑니다. 계속하려면 아무 키나 누르세요."
    return (f"Returning to the start in {seconds} seconds. "
            "To continue, press any key.")


def volume_level(index: int, count: int, db: float, lang: str = "ko") -> str:
    if _lang(lang) == "ko":
        return f"음량 {index + 1}단계, {count}단계 중."
    return f"Volume {index + 1} of {count}."


def rate_level(index: int, count: int, lang: str = "ko") -> str:
    if _lang(lang) == "ko":
        return f"말하기 속도 {index + 1}단계, {count}단계 중."
    return f"Speech rate {index + 1} of {count}."


def speech_mode_on(lang: str = "ko") -> str:
    if _lang(lang) == "ko":
        return "음성 안내를 시작합니다. " + HOW_TO_MOVE["ko"]
    return "Speech guidance is on. " + HOW_TO_MOVE["en"]
