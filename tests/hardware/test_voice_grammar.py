"""Grammars generated from the merchant's menu and the screen, for both recognizers."""

import pytest
from untact.hardware.voice.grammar import (
    NAVIGATION,
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


@pytest.mark.models
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


@pytest.mark.models
def test_vosk_gets_unknown_words_split_into_known_pieces(cafe_menu, vosk_ko):
    phrases, dropped = vosk_ko.vosk_phrases(build_grammar(cafe_menu, Screen(), "ko"))
    words = {w for p in phrases for w in p.split()}
    assert all(vosk_ko.knows(w) for w in words)
    assert "도와" not in words and "주세요" in words
    assert "도와줘" in words  # help is still sayable
    # forms that would need one-syllable pieces are left out when another form says it
    assert sorted(dropped) == ["도와 주세요", "따뜻하게"] and "따뜻한" in words
    assert "게" not in words  # "따뜻하 게" would put a counter-like word in every order


def test_phrase_grammar_for_a_folder_of_transcripts():
    g = phrase_grammar(["Go forward ten meters.", "ten of clubs", "ten of clubs"], "en")
    assert g.phrases() == ["go forward ten meters", "ten of clubs"]


def test_vosk_gets_whole_order_sentences_not_fragments(cafe_menu):
    """Vosk estimates a bigram model from its list: options must be seen next to items."""
    g = build_grammar(cafe_menu, Screen(NAVIGATION, ("americano", "croissant")), "ko")
    sentences = g.sentences()
    assert "따뜻한 아메리카노" in sentences and "아이스 아메리카노" in sentences
    assert "아메리카노 큰 거" in sentences and "아메리카노 한 잔 샷 추가 주세요" in sentences
    assert "아메리카노 두 잔 주세요" in sentences and "크루아상 세 개" in sentences
    assert "큰 거 크루아상" not in " ".join(sentences)  # croissants have no size
    assert sentences.count("다음") == 1
    kept = g.sentences(keep={"다음", "아이스"})
    assert "따뜻한 아메리카노" not in kept and "아이스 아메리카노" in kept and "이전" not in kept


@pytest.mark.models
def test_complete_sentences_of_a_jsgf_grammar(cafe_menu, sphinx_en):
    from untact.hardware.voice.recognizers import _sentence_pattern

    g = build_grammar(cafe_menu, Screen(NAVIGATION, ("americano", "cafe_latte")), "en")
    complete = _sentence_pattern(sphinx_en.jsgf(g))
    for text in ("pay", "checkout", "two iced americanos please", "a large latte with extra shot",
                 "i want a latte"):
        assert complete(text), text
    for text in ("", "two cold", "a add a", "two iced americano with"):
        assert not complete(text), text
