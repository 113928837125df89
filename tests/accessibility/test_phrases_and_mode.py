from untact.accessibility import phrases
from untact.accessibility.intents import Kind, simple, voice
from untact.accessibility.intents import dwell as dwell_intent
from untact.accessibility.phrases import WidgetDescription, describe, format_price
from untact.accessibility.speech_mode import Action, SpeechMode


def test_prices_as_people_say_them():
    assert format_price(4500, "ko") == "4,500원"
    assert format_price(4500, "en") == "4,500 won"
    assert format_price(12000000, "ko") == "12,000,000원"
    assert format_price(-500, "en") == "-500 won"


def test_focus_phrase_is_label_value_role_state():
    w = WidgetDescription({"ko": "아이스 아메리카노", "en": "Iced Americano"}, "button", 4500)
    assert describe(w, "ko") == "아이스 아메리카노, 4,500원, 버튼"
    assert describe(w, "en") == "Iced Americano, 4,500 won, button"
    t = WidgetDescription({"ko": "큰 사이즈", "en": "Large"}, "radio", states=("selected",),
                          index=2, total=2)
    assert describe(t, "ko") == "큰 사이즈, 선택 단추, 선택됨, 2개 중 2번째"
    assert describe(t, "en") == "Large, radio button, selected, 2 of 2"
    sold = WidgetDescription({"ko": "스콘", "en": "Scone"}, states=("sold_out", "disabled"))
    assert describe(sold, "en") == "Scone, button, sold out, unavailable"


def test_screen_entry_says_title_summary_and_how_to_move():
    ko = phrases.screen_entry("메뉴", "커피 8개", "ko")
    assert ko.startswith("메뉴 화면. 커피 8개.") and "다음과 이전으로" in ko
    en = phrases.screen_entry("Menu", "8 coffees", "en")
    assert en.startswith("Menu screen. 8 coffees.") and "next and previous" in en
    assert "합계 9,000원" in phrases.item_added("아메리카노", 2, 9000, "ko")
    assert "Total 9,000 won" in phrases.item_added("Americano", 2, 9000, "en")


def test_speech_mode_switches_on_without_sight_and_never_reads_and_acts_at_once():
    m = SpeechMode()
    assert m.decide(dwell_intent(0.5, 0.5)) is Action.ACT  # sighted: dwell acts
    assert m.decide(simple(Kind.SPEECH_MODE, "jack", True)) is Action.MODE_ON  # earphone
    assert m.on
    assert m.decide(dwell_intent(0.5, 0.5)) is Action.READ  # now dwell only reads
    assert m.decide(simple(Kind.SELECT)) is Action.ACT
    assert m.decide(simple(Kind.NEXT)) is Action.MOVE
    assert m.decide(simple(Kind.REPEAT)) is Action.REPEAT
    assert m.decide(simple(Kind.STOP_SPEECH)) is Action.SILENCE
    assert m.decide(simple(Kind.PRESENCE, value=False)) is Action.PASS and not m.on
    assert m.decide(simple(Kind.HELP, "keypad")) is Action.MODE_ON
    m.reset()
    assert m.decide(voice("도움말", "help")) is Action.MODE_ON
