"""The confirmation dialogue, as the UI will drive it (pure logic)."""

from untact.accessibility.intents import Kind, simple, voice
from untact.hardware.voice.dialogue import OrderLine, VoiceDialogue
from untact.hardware.voice.grammar import Screen

ICED_TWO = {"item": "americano", "quantity": 2, "options": {"temperature": "iced"}}


def test_an_order_is_confirmed_before_it_reaches_the_cart(cafe_menu):
    d = VoiceDialogue(cafe_menu, "ko")
    r = d.handle(voice("아이스 아메리카노 두 잔 주세요", "order", ICED_TWO, 0.9))
    assert r.say == "아이스 아메리카노 두 잔 담을까요?"
    assert r.add_to_cart is None and r.confirming
    assert d.screen(Screen(items=())).confirm  # listen for 네/아니요 now
    r = d.handle(voice("네", "yes", {}, 0.9))
    assert r.add_to_cart == OrderLine("americano", 2,
                                      {"temperature": "iced", "size": "regular", "shot": "none"})
    assert r.say == "담았습니다." and not r.confirming
    assert not d.screen(Screen(items=())).confirm


def test_no_or_back_drops_the_order_and_select_accepts_it(cafe_menu):
    d = VoiceDialogue(cafe_menu, "en")
    r = d.handle(voice("two iced americanos", "order", ICED_TWO, 0.9))
    assert r.say == "Add two iced Americanos?"
    r = d.handle(simple(Kind.BACK, source="keypad"))
    assert r.add_to_cart is None and r.say == "Cancelled." and d.pending is None
    d.handle(voice("one croissant", "order", {"item": "croissant", "quantity": 1}, 0.9))
    r = d.handle(simple(Kind.SELECT, source="keypad"))
    assert r.add_to_cart == OrderLine("croissant", 1, {})


def test_a_new_order_replaces_the_pending_one(cafe_menu):
    d = VoiceDialogue(cafe_menu, "ko")
    d.handle(voice("", "order", ICED_TWO, 0.9))
    r = d.handle(voice("", "order", {"item": "green_tea", "quantity": 1, "options": {}}, 0.9))
    assert r.say == "녹차 한 잔 담을까요?"
    assert d.handle(voice("", "yes", {}, 0.9)).add_to_cart.item == "green_tea"


def test_twice_not_understood_the_choices_are_read_out_numbered_and_a_number_picks(cafe_menu):
    d = VoiceDialogue(cafe_menu, "ko", max_retries=2)
    first = d.handle(voice("음", "unclear", {}, 0.4))
    assert first.say == "잘 못 들었어요. 다시 말씀해 주세요." and not first.number_choices
    second = d.handle(voice("음", "unclear", {}, 0.4))
    assert second.number_choices and not second.say  # the UI knows what is on screen
    r = d.number_choices(["아메리카노", "카페라테", "이전"])
    assert r.say == "1번 아메리카노, 2번 카페라테, 3번 이전. 번호를 말씀하시거나 키패드의 숫자를 눌러 주세요."
    listen = d.screen(Screen(items=None))
    assert listen.numbers == 3 and listen.items == ()  # numbers now, orders after
    assert d.handle(simple(Kind.NUMBER, source="voice", value=2)).choose == "카페라테"
    assert d.numbers == () and d.screen(Screen()).numbers == 0


def test_numbered_choices_in_english_a_wrong_number_reads_them_again(cafe_menu):
    d = VoiceDialogue(cafe_menu, "en")
    d.handle(voice("", "unclear", {}, 0.3))
    assert d.handle(voice("", "unclear", {}, 0.3)).number_choices
    assert d.number_choices(["Americano", "Cafe Latte"]).say == \
        "1, Americano. 2, Cafe Latte. Say the number, or press it on the keypad."
    r = d.handle(simple(Kind.NUMBER, source="keyboard", value=5))
    assert r.say.startswith("There is no number 5. 1, Americano.") and not r.choose
    assert d.handle(simple(Kind.NUMBER, source="keyboard", value=1)).choose == "Americano"


def test_a_new_screen_counts_its_misses_afresh(cafe_menu):
    d = VoiceDialogue(cafe_menu, "ko")
    d.handle(voice("", "unclear", {}, 0.3))
    d.new_screen()
    assert not d.handle(voice("", "unclear", {}, 0.3)).number_choices
    assert d.number_choices([]).say == "죄송해요. 화면의 버튼이나 키패드를 써 주세요."


def test_speech_interrupts_and_other_intents_pass_through(cafe_menu):
    d = VoiceDialogue(cafe_menu, "ko")
    assert d.handle(simple(Kind.STOP_SPEECH, source="voice")).stop_speech
    nxt = simple(Kind.NEXT, source="voice")
    assert d.handle(nxt).forward is nxt
    bad = voice("", "order", {"item": "no_such_item", "quantity": 1}, 0.9)
    assert d.handle(bad).add_to_cart is None and d.pending is None


def test_the_order_is_read_back_with_the_menu_files_counter(cafe_menu):
    d = VoiceDialogue(cafe_menu, "ko")
    r = d.handle(voice("", "order", {"item": "croissant", "quantity": 3}, 0.9))
    assert r.say == "크루아상 세 개 담을까요?"  # bakery: counter = "개" in the file


def test_a_sold_out_item_is_not_taken_until_it_is_back_on_sale(cafe_menu, tmp_path):
    from untact.shop.menu_service import MenuService

    path = tmp_path / "cafe.toml"
    path.write_text(cafe_menu.path.read_text(encoding="utf-8"), encoding="utf-8")
    service = MenuService(path)
    d = VoiceDialogue(service.set_sold_out("green_tea"), "ko")
    tea = voice("", "order", {"item": "green_tea", "quantity": 1}, 0.9)
    r = d.handle(tea)
    assert d.pending is None and r.say.startswith("녹차는 품절입니다.")
    assert r.add_to_cart is None and " 있어요." in r.say  # what else there is
    d.menu = service.set_sold_out("green_tea", False)
    assert d.handle(tea).say == "녹차 한 잔 담을까요?"


def test_an_item_sold_out_while_the_customer_is_asked_is_not_added(cafe_menu, tmp_path):
    from untact.shop.menu_service import MenuService

    path = tmp_path / "cafe.toml"
    path.write_text(cafe_menu.path.read_text(encoding="utf-8"), encoding="utf-8")
    service = MenuService(path)
    d = VoiceDialogue(service.kiosk, "en")
    assert d.handle(voice("", "order", ICED_TWO, 0.9)).confirming
    d.menu = service.set_sold_out("americano")  # staff, at that moment
    r = d.handle(voice("yes", "yes", {}, 0.9))
    assert r.add_to_cart is None and r.say == "Cancelled." and d.pending is None


def test_unsure_between_readings_is_asked_back_and_the_answer_picks_one(cafe_menu):
    d = VoiceDialogue(cafe_menu, "ko")
    unsure = {"best": "order", "slots": {"item": "americano", "quantity": 4},
              "candidates": [{"name": "order", "slots": {"item": "americano", "quantity": 4}},
                             {"name": "order", "slots": {"item": "cafe_latte", "quantity": 4}}]}
    r = d.handle(voice("아메리카노 네 잔", "unclear", unsure, 0.45))
    assert r.say == "아메리카노 네 잔이요, 카페라테 네 잔이요?" and r.confirming
    assert "cafe_latte" in d.screen(Screen(items=("americano",))).items  # can be named
    r = d.handle(voice("카페라테 네 잔", "order", {"item": "cafe_latte", "quantity": 4}, 0.9))
    assert r.say == "카페라테 네 잔 담을까요?" and not d.choices


def test_asked_back_candidates_are_stepped_through_by_keypad_or_gesture(cafe_menu):
    d = VoiceDialogue(cafe_menu, "en")
    unsure = {"candidates": [{"name": "order", "slots": {"item": "americano", "quantity": 1}},
                             {"name": "order", "slots": {"item": "cafe_latte", "quantity": 1}}]}
    assert d.handle(voice("", "unclear", unsure, 0.4)).say == "one Americano or one Cafe Latte?"
    assert d.handle(simple(Kind.NEXT, source="keypad")).say == "one Cafe Latte?"
    r = d.handle(simple(Kind.SELECT, source="camera"))
    assert r.say == "Add one Cafe Latte?" and d.pending.item == "cafe_latte"


def test_an_unsure_reading_with_one_meaning_asks_again(cafe_menu):
    d = VoiceDialogue(cafe_menu, "ko")
    r = d.handle(voice("음", "unclear", {"best": "next", "candidates": []}, 0.4))
    assert r.say == "잘 못 들었어요. 다시 말씀해 주세요." and not d.choices


def test_an_unsure_order_without_a_rival_is_asked_as_its_confirmation(cafe_menu):
    d = VoiceDialogue(cafe_menu, "en")
    unsure = {"best": "order", "slots": {"item": "lemonade", "quantity": 2}, "candidates": []}
    r = d.handle(voice("two lemonades", "unclear", unsure, 0.56))
    assert r.say == "Add two Lemonades?" and r.confirming and r.add_to_cart is None


def test_a_sold_out_item_named_is_answered_with_the_nearest_alternatives(cafe_menu, tmp_path):
    from untact.shop.menu_service import MenuService

    path = tmp_path / "cafe.toml"
    path.write_text(cafe_menu.path.read_text(encoding="utf-8"), encoding="utf-8")
    menu = MenuService(path).set_sold_out("americano")
    others = [it for it in menu.items_in("coffee") if not it.sold_out][:2]
    r = VoiceDialogue(menu, "ko").handle(voice("", "order", {"item": "americano"}, 0.9))
    assert r.say == f"아메리카노는 품절입니다. {others[0].name['ko']}, {others[1].name['ko']} 있어요."
    r = VoiceDialogue(menu, "en").handle(voice("", "order", {"item": "americano"}, 0.9))
    assert r.say == f"Americano is sold out. We have {others[0].name['en']} or {others[1].name['en']}."
