"""Grammars generated from the merchant's menu and the screen, for both recognizers."""

import pytest
from untact.hardware.voice.grammar import NAVIGATION, Screen, build_grammar, phrase_grammar
from untact.shop.menu import COUNTERS, load_kiosk

# A shop that is not the sample cafe: its categories are counted otherwise, by the file.
SNACK_BAR = """
[shop]
name = { ko = "분식집", en = "Snack Bar" }
languages = ["ko", "en"]

[options.spicy]
name = { ko = "맵기", en = "Spiciness" }
default = "mild"
choices = [
  { id = "mild", name = { ko = "순한 맛", en = "Mild" } },
  { id = "hot", name = { ko = "매운 맛", en = "Spicy" } },
]

[[categories]]
id = "soup"
name = { ko = "국물", en = "Soup" }
counter = "그릇"

[[categories]]
id = "dessert"
name = { ko = "디저트", en = "Dessert" }
counter = "조각"

[[categories]]
id = "snacks"
name = { ko = "분식", en = "Snacks" }

[[items]]
id = "bibimbap"
category = "soup"
name = { ko = "비빔밥", en = "Bibimbap" }
price = 8000
options = ["spicy"]
aliases = { ko = ["비빔"] }

[[items]]
id = "cake"
category = "dessert"
name = { ko = "케이크", en = "Cake" }
price = 5000

[[items]]
id = "sikhye"
category = "dessert"
name = { ko = "식혜", en = "Sikhye" }
price = 3000
counter = "병"

[[items]]
id = "tteokbokki"
category = "snacks"
name = { ko = "떡볶이", en = "Tteokbokki" }
price = 4000
counter = "인분"

[[items]]
id = "kimbap"
category = "snacks"
name = { ko = "김밥", en = "Kimbap" }
price = 3500
"""


@pytest.fixture
def snack_bar(tmp_path):
    path = tmp_path / "snack_bar.toml"
    path.write_text(SNACK_BAR, encoding="utf-8")
    return load_kiosk(path)


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


def test_a_different_menu_gives_a_different_grammar(snack_bar):
    g = build_grammar(snack_bar, Screen(items=("bibimbap",)), "ko")
    assert {f.text for f in g.items} == {"비빔밥", "비빔"}
    assert {f.text for f in g.options} == {"매운 맛"}
    assert "아메리카노" not in " ".join(g.phrases())
    en = build_grammar(snack_bar, Screen(items=("bibimbap",)), "en")
    assert {f.text for f in en.items} == {"bibimbap", "bibimbaps"}


def test_korean_counters_come_from_the_kiosk_file(snack_bar):
    """Soup by the bowl and dessert by the slice, as the file says: not the sample's cups."""
    g = build_grammar(snack_bar, Screen(), "ko")
    phrases, sentences = g.phrases(), g.sentences()
    for said in ("비빔밥 두 그릇", "케이크 두 조각", "식혜 두 병", "떡볶이 두 인분", "김밥 두 개"):
        assert said in phrases and said in sentences, said
    assert "비빔밥 한 그릇 매운 맛 주세요" in sentences
    assert not any(p.endswith(" 잔") for p in phrases)  # nothing here is counted in cups
    assert "케이크 두 개" not in phrases and "비빔밥 두 조각" not in sentences
    assert {f.text for f in g.quantities if f.value == 2} == {
        "두 개", "두 그릇", "두 인분", "두 조각", "두 병"}


def test_the_sample_cafe_counts_drinks_in_cups_and_bakery_by_the_piece(cafe_menu):
    g = build_grammar(cafe_menu, Screen(), "ko")
    assert {f.text for f in g.quantities if f.value == 3} == {"세 잔", "세 개"}
    assert "녹차 세 잔" in g.phrases() and "녹차 세 개" not in g.phrases()
    assert "크림치즈 베이글 세 개" in g.phrases() and "크림치즈 베이글 세 잔" not in g.phrases()


def test_sold_out_items_are_still_heard_by_name(cafe_menu, tmp_path):
    """So the customer who names one is told it is sold out (the dialogue refuses it)."""
    from untact.shop.menu_service import MenuService

    path = tmp_path / "cafe.toml"
    path.write_text(cafe_menu.path.read_text(encoding="utf-8"), encoding="utf-8")
    service = MenuService(path)
    sold_out = service.set_sold_out("lemonade")
    assert "lemonade" in {f.value for f in build_grammar(sold_out, Screen(), "en").items}


def test_every_counter_a_menu_may_use_is_a_word_of_the_korean_model(vosk_ko):
    """A counter the recognizer cannot say could never be heard: the kiosk file only
    accepts these (shop/menu.py refuses others with a located error)."""
    assert [c for c in COUNTERS if not vosk_ko.knows(c)] == []


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


@pytest.mark.models
def test_numbered_choices_are_heard_only_when_read_out_in_words_each_model_knows(
        cafe_menu, vosk_ko, sphinx_en):
    """A number is an answer only on the turn after the choices were read out numbered:
    "일 번"/"두 번" and "number two"/"two", up to the numbers read, each in known words."""
    from untact.hardware.voice.grammar import numbered

    assert not [f for f in build_grammar(cafe_menu, Screen(items=()), "ko").answers
                if numbered(f.value)]
    ko = build_grammar(cafe_menu, Screen(items=(), numbers=3), "ko")
    said = {f.text: numbered(f.value) for f in ko.answers if numbered(f.value)}
    assert said == {"일 번": 1, "한 번": 1, "이 번": 2, "두 번": 2, "삼 번": 3, "세 번": 3}
    phrases, dropped = vosk_ko.vosk_phrases(ko)
    assert set(said) <= set(phrases) and not set(said) & set(dropped)
    en = build_grammar(cafe_menu, Screen(items=(), numbers=2), "en")
    assert {f.text: numbered(f.value) for f in en.answers if numbered(f.value)} == \
        {"number one": 1, "one": 1, "number two": 2, "two": 2}
    sphinx_en.set_grammar(en)
    assert "number two" in sphinx_en.jsgf(en) and not {"number", "two"} & set(sphinx_en.dropped)
