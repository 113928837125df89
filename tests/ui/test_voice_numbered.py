"""Not understood twice on a screen, the kiosk reads its choices out numbered, and a
number said ("이 번", "number two") or the keypad's digit picks one.

End to end on the real kiosk: real recordings of speech the screen cannot mean (a
Korean sentence on an English screen, an English one on a Korean screen) through the
real VAD and recognizers, the dialogue, and the router acting on the chosen button.
"""

from pathlib import Path

import pytest
from untact.accessibility.intents import Kind, simple

pytestmark = [pytest.mark.models, pytest.mark.kiosk]

CAFE = Path(__file__).resolve().parents[2] / "examples" / "cafe.toml"
# Read speech no coffee screen can mean: Korean for English, English for Korean.
NOT_UNDERSTOOD = {"en": "ko_read/ko_eto_pfa00001.wav", "ko": "en/en_goforward.wav"}


@pytest.fixture
def voice_kiosk(tmp_path, recognizers, espeak, testdata):
    from untact.simulator.driver import KioskDriver

    for name in NOT_UNDERSTOOD.values():
        if not (testdata / "speech" / name).is_file():
            pytest.skip(f"real recording {name} not found in {testdata}/speech")
    driver = KioskDriver(CAFE, data_dir=tmp_path / "data", voice_recognizers=recognizers,
                         sim_time=True).start()
    yield driver
    driver.stop()


def to_coffee(k, lang: str, language: str, coffee: str) -> None:
    k.send(simple(Kind.PRESENCE, value=True))
    k.choose(language)
    k.choose(coffee)
    assert k.screen == "items" and k.app.lang == lang


def not_understood_twice(k, lang: str, testdata: Path) -> list[str]:
    """Two utterances the screen cannot mean; the choices' names as read out."""
    before = len(k.spoken)
    for _ in range(2):
        heard = k.say("", wav=testdata / "speech" / NOT_UNDERSTOOD[lang])
        assert [i.name for i in heard] == ["unclear"], heard
    said = k.spoken[before:]
    assert len(said) == 2, said  # asked again once, then the numbered choices
    return said


def second_choice(k, lang: str):
    return [w for w in k.app.targets() if w.enabled][1].accessible_name(lang), \
        [w for w in k.app.targets() if w.enabled][1].payload


def picked(k, payload) -> bool:
    """The second choice was acted on, as SELECT on its button does."""
    kind, value = payload
    if kind == "item":
        return k.screen == "options" and k.app.screen.item == value
    raise AssertionError(f"the second choice is not an item but {payload}")


@pytest.mark.parametrize("lang, language, coffee, again, second, said", [
    ("en", "English", "Coffee", "Sorry, I did not catch that. Please say it again.",
     "2, {name}. ", "number two"),
    ("ko", "한국어", "커피", "잘 못 들었어요. 다시 말씀해 주세요.", "2번 {name}, ", "이 번"),  # "2번"
])
def test_two_misses_then_the_second_number_said_picks_the_second_choice(
        voice_kiosk, testdata, lang, language, coffee, again, second, said):
    k = voice_kiosk
    to_coffee(k, lang, language, coffee)
    name, payload = second_choice(k, lang)
    asked_again, numbered = not_understood_twice(k, lang, testdata)
    assert asked_again == again
    assert second.format(name=name) in numbered and numbered.startswith("1")
    heard = k.say(said, lang)
    assert [(i.kind, i.value) for i in heard] == [(Kind.NUMBER, 2)], heard
    assert picked(k, payload)


def test_the_keypad_digit_picks_a_numbered_choice(voice_kiosk, testdata):
    k = voice_kiosk
    to_coffee(k, "ko", "한국어", "커피")
    name, payload = second_choice(k, "ko")
    not_understood_twice(k, "ko", testdata)
    k.key("2")  # the keypad's digit, through the keyboard device
    assert picked(k, payload)
