"""Grammars generated from the merchant's menu and the screen, for both recognizers."""

import pytest
from untact.hardware.voice_grammar import (
    Choice,
    MenuItem,
    OptionGroup,
    Screen,
    VoiceMenu,
    build_grammar,
    phrase_grammar,
)


def test_items_aliases_and_options_come_from_the_menu(cafe_menu):
    g = build_grammar(cafe_menu, Screen(), "ko")
    forms = {f.text: f.value for f in g.items}
    assert forms["아메리카노"] == "americano"
    assert forms["아아"] == "americano"  # the menu's alias
    assert forms["라떼"] == "cafe_latte"
    options = {f.text: f.value for f in g.options}
    assert options["아이스"] == ("temperature", "iced")  # spoken form of "차갑게"
    assert options["큰 거"] == ("size", "large")
    assert options["샷 추가"] == ("shot", "extra")
    assert "보통" not in options  # default choices are what happens when nothing is said
    phrases = g.phrases()
    assert "다음" in phrases and "결제" in phrases
    assert "아메리카노 두 잔" in phrases and "크루아상 두 개" in phrases
    assert "네" not in phrases  # no yes/no unless a confirmation is pending


def test_a_different_menu_gives_a_different_grammar():
    menu = VoiceMenu(
        items=(MenuItem("bibimbap", {"ko": "비빔밥", "en": "Bibimbap"}, {"ko": ("비빔",)},
                        ("spicy",), counter_ko="그릇"),),
        options={"spicy": OptionGroup("spicy", (
            Choice("mild", {"ko": ["순한 맛"], "en": ["Mild"]}),
            Choice("hot", {"ko": ["매운 맛"], "en": ["Spicy"]})), default="mild")},
    )
    g = build_grammar(menu, Screen(), "ko")
    assert {f.text for f in g.items} == {"비빔밥", "비빔"}
    assert {f.text for f in g.options} == {"매운 맛"}
    assert "아메리카노" not in " ".join(g.phrases())
    en = build_grammar(menu, Screen(), "en")
    assert {f.text for f in en.items} == {"bibimbap", "bibimbaps"}


def test_the_screen_restricts_what_is_listened_for(cafe_menu):
    nav = build_grammar(cafe_menu, Screen(commands=("next", "home"), items=()), "en")
    assert nav.phrases() == ["next", "home", "start over"]
    confirm = build_grammar(cafe_menu, Screen(commands=(), items=(), confirm=True), "ko")
    assert set(confirm.phrases()) == {"네", "예", "아니요"}
    tea = build_grammar(cafe_menu, Screen(items=("green_tea",)), "ko")
    assert {f.value for f in tea.items} == {"green_tea"}
    with pytest.raises(ValueError):
        Screen(commands=("fly",))
    with pytest.raises(ValueError):
        build_grammar(cafe_menu, Screen(), "fr")


def test_jsgf_is_accepted_by_pocketsphinx(cafe_menu, sphinx_en):
    g = build_grammar(cafe_menu, Screen(confirm=True), "en")
    sphinx_en.set_grammar(g)  # raises on a JSGF pocketsphinx cannot compile
    text = sphinx_en.jsgf(g)
    assert "<order> =" in text and "americanos" in text
    # not in the dictionary: pronounced from espeak-ng's phonemes, and reported
    assert "macchiato" in sphinx_en.guessed and "caramel macchiato" in text
    # a menu without options must still give a usable order rule (no <VOID> option)
    bakery = build_grammar(cafe_menu, Screen(items=("croissant",)), "en")
    assert "<VOID>" not in sphinx_en.jsgf(bakery)


def test_vosk_gets_unknown_words_split_into_known_pieces(cafe_menu, vosk_ko):
    phrases = vosk_ko.vosk_phrases(build_grammar(cafe_menu, Screen(), "ko"))
    words = {w for p in phrases for w in p.split()}
    assert all(vosk_ko.knows(w) for w in words)
    assert "도와" not in words and "주세요" in words
    assert vosk_ko.dropped == ["도와 주세요"] and "도와줘" in words  # help is still sayable


def test_phrase_grammar_for_a_folder_of_transcripts():
    g = phrase_grammar(["Go forward ten meters.", "ten of clubs", "ten of clubs"], "en")
    assert g.phrases() == ["go forward ten meters", "ten of clubs"]
