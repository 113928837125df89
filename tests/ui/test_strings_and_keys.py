import string

from untact.accessibility.intents import Kind
from untact.shop.cart import won
from untact.ui.keyboard import KEYMAP, intent_for_key
from untact.ui.strings import STRINGS


def test_every_string_exists_in_every_language_with_the_same_fields():
    for key, texts in STRINGS.items():
        assert set(texts) == {"ko", "en"}, key
        fields = {lang: {f for _, f, _, _ in string.Formatter().parse(t) if f} for lang, t in texts.items()}
        assert fields["ko"] == fields["en"], key


def test_prices_read_as_people_expect():
    assert won(4500) == "4,500원" and won(4500, "en") == "4,500 won" and won(0) == "0원"


def test_keyboard_reaches_every_navigation_intent():
    reached = {intent_for_key(k).kind for k in KEYMAP}
    for kind in (Kind.NEXT, Kind.PREVIOUS, Kind.SELECT, Kind.BACK, Kind.HOME, Kind.HELP, Kind.REPEAT):
        assert kind in reached
    assert intent_for_key("tab", shift=True).kind is Kind.PREVIOUS
    assert intent_for_key("q") is None
