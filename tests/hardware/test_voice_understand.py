"""Understanding recognizer text, including the ways recognizers get it wrong."""

from untact.hardware.voice.grammar import Screen, build_grammar, phrase_grammar
from untact.hardware.voice.understand import understand, understand_nbest


def order(u):
    return (u.name, u.slots.get("item"), u.slots.get("quantity"), dict(u.slots.get("options", {})))


def test_korean_orders_with_counters_options_and_aliases(cafe_menu):
    g = build_grammar(cafe_menu, Screen(), "ko")
    assert order(understand(g, "아이스 아메리카노 두 잔 주세요")) == \
        ("order", "americano", 2, {"temperature": "iced"})
    assert order(understand(g, "아아 세 잔")) == ("order", "americano", 3, {})
    assert order(understand(g, "따뜻한 라떼 한 잔 샷 추가")) == \
        ("order", "cafe_latte", 1, {"temperature": "hot", "shot": "extra"})
    assert order(understand(g, "바닐라 라테 큰 거")) == \
        ("order", "vanilla_latte", 1, {"size": "large"})
    assert order(understand(g, "크루아상 두 개")) == ("order", "croissant", 2, {})
    assert order(understand(g, "디카페인 아메리카노 사이즈 업")) == \
        ("order", "decaf_americano", 1, {"size": "large"})


def test_misheard_and_run_together_words_still_understood(cafe_menu):
    g = build_grammar(cafe_menu, Screen(), "ko")
    # "잔" heard as "장", spacing lost, a stray word from another phrase inserted
    assert order(understand(g, "아이스 아메리까노 두장 주세요")) == \
        ("order", "americano", 2, {"temperature": "iced"})
    assert understand(g, "추가 처음으로").name == "home"
    assert understand(g, "도 와 주세요").name == "help"


def test_options_an_item_does_not_have_are_dropped(cafe_menu):
    g = build_grammar(cafe_menu, Screen(), "ko")
    u = understand(g, "아이스 크루아상 한 개")  # croissants have no temperature
    assert order(u) == ("order", "croissant", 1, {})
    # "핫" inside "핫초코" is the item, not the hot option
    assert order(understand(g, "핫초코 두 잔")) == ("order", "hot_chocolate", 2, {})


def test_english_orders_and_commands(cafe_menu):
    g = build_grammar(cafe_menu, Screen(confirm=True), "en")
    assert order(understand(g, "two iced americanos please")) == \
        ("order", "americano", 2, {"temperature": "iced"})
    assert order(understand(g, "a large latte with extra shot")) == \
        ("order", "cafe_latte", 1, {"size": "large", "shot": "extra"})
    assert order(understand(g, "one black coffee")) == ("order", "americano", 1, {})
    assert order(understand(g, "three vanilla lattes")) == ("order", "vanilla_latte", 3, {})
    for text, name in [("next", "next"), ("back", "previous"), ("start over", "home"),
                       ("checkout", "pay"), ("again", "repeat"), ("yes", "yes"), ("no", "no")]:
        assert understand(g, text).name == name, text


def test_navigation_words_in_both_languages():
    ko = build_grammar(None, Screen(confirm=True), "ko")
    for text, name in [("다음", "next"), ("이전", "previous"), ("처음으로", "home"),
                       ("결제", "pay"), ("취소", "cancel"), ("도와 주세요", "help"),
                       ("다시", "repeat"), ("크게", "bigger"), ("네", "yes"), ("아니요", "no")]:
        u = understand(ko, text)
        assert (u.name, u.confidence >= 0.95) == (name, True), text


def test_nothing_understood_from_unrelated_words(cafe_menu):
    g = build_grammar(cafe_menu, Screen(), "ko")
    assert understand(g, "").name == ""
    assert understand(g, "강남 너무 비싸").name == ""
    assert understand_nbest(g, []).name == ""


def test_nbest_prefers_the_reading_hypotheses_agree_on(cafe_menu):
    g = build_grammar(cafe_menu, Screen(), "ko")
    u = understand_nbest(g, [("아메리카노 잔 주세요", 1.0), ("아메리카노 두 잔 주세요", 1.0),
                             ("아메리카노 두 잔", 1.0)])
    assert order(u)[:3] == ("order", "americano", 2)


def test_phrase_grammar_picks_the_phrase():
    g = phrase_grammar(["ten of clubs", "five five", "go forward ten meters"], "en")
    u = understand(g, "go forward ten meter")
    assert (u.name, u.slots["text"]) == ("phrase", "go forward ten meters")


def test_a_stray_command_after_the_one_said_does_not_win():
    g = build_grammar(None, Screen(), "ko")
    assert understand(g, "취소 이전").name == "cancel"
    assert understand(g, "이전 취소").name == "previous"



def test_a_sentence_heard_with_an_extra_word_is_not_taken_for_a_shorter_one():
    """Vosk's reading of a real "이것도 인연인가요?" with babble 10 dB below (test data
    ko_read pfa00011, on the bench's screen of it and five one-word variants): a word of
    the babble inserted. "이것도 무슨" is found in it whole, but leaves "인연인가요"
    unexplained; the sentence said is all there, with "무슨" beside it."""
    grammar = phrase_grammar(["이것도 인연인가요", "그만큼 인연인가요", "이것도 같아요",
                              "이것도 무슨", "이것도 안", "제가 인연인가요"], "ko")
    u = understand_nbest(grammar, [("이것 도 무슨 인연인가 요", 1.0)])
    assert u.slots["text"] == "이것도 인연인가요" and u.confidence >= 0.6, u
