"""Voice follows the merchant's live menu: an edit made while the kiosk runs (the admin
screen's own calls on the shop's MenuService) is heard at once, without a restart.

Through the real pieces: espeak-ng audio, the real VAD, pocketsphinx restricted to the
grammar built from the live menu, the confirmation dialogue and the real kiosk's cart.
English is used because pocketsphinx hears espeak-ng's English reliably (see make bench);
each step may be said again, at most three times, as in test_voice_ordering.py.
"""

from pathlib import Path

import pytest
from untact.accessibility.intents import Kind, simple
from voice_steps import say_until

pytestmark = [pytest.mark.models, pytest.mark.kiosk]

CAFE = Path(__file__).resolve().parents[2] / "examples" / "cafe.toml"
LEMONADE_ON_SALE = 'name = { ko = "레몬에이드", en = "Lemonade" }\n'


def start_kiosk(tmp_path, recognizers, text: str):
    """A kiosk on its own copy of the sample file: the merchant's edits are saved to it."""
    from untact.simulator.driver import KioskDriver

    path = tmp_path / "cafe.toml"
    path.write_text(text, encoding="utf-8")
    return KioskDriver(path, data_dir=tmp_path / "data", voice_recognizers=recognizers,
                       sim_time=True).start()


@pytest.fixture
def kiosks(tmp_path, recognizers, espeak):
    started = []

    def start(text: str = CAFE.read_text(encoding="utf-8")):
        started.append(start_kiosk(tmp_path, recognizers, text))
        return started[-1]
    yield start
    for k in started:
        k.stop()


def listens_with(k, kiosk) -> None:
    """Wait until voice input has rebuilt its grammars for ``kiosk`` (a worker thread
    does it, so the edit itself returned at once)."""
    k.wait_until(lambda: k.voice.menu is kiosk, timeout=60,
                 what="voice input to listen with the edited menu")


def order_two_by_voice(k, said: str, read_back: str) -> None:
    k.send(simple(Kind.PRESENCE, value=True))
    k.choose("English")
    say_until(k, said, "en", lambda: k.app.overlay.shown == "confirm")
    assert any(read_back in s for s in k.spoken), k.spoken[-3:]
    assert k.app.cart.count() == 0
    say_until(k, "yes", "en", lambda: k.app.cart.count() > 0)


def test_an_item_renamed_while_the_kiosk_runs_is_ordered_by_its_new_name(kiosks):
    k = kiosks()
    renamed = k.app.shop.menu.set_name("lemonade", "en", "Sparkling Water")
    listens_with(k, renamed)
    order_two_by_voice(k, "two sparkling waters", "Add two Sparkling Waters")
    (line,) = k.app.cart.snapshot()
    assert line["item"] == "lemonade" and line["quantity"] == 2
    en_items = {f.text for f in k.voice.input.pipeline.grammar.items}
    assert "sparkling water" in en_items and "lemonade" not in en_items  # the old name is gone


def test_an_item_back_on_sale_is_orderable_by_voice_again_without_a_restart(kiosks):
    sold_out = CAFE.read_text(encoding="utf-8").replace(
        LEMONADE_ON_SALE, LEMONADE_ON_SALE + "sold_out = true\n", 1)
    assert sold_out.count("sold_out = true") == 1
    k = kiosks(sold_out)  # lemonade ran out before the kiosk started
    k.app.staff_mode.set_sold_out("lemonade", False)  # the staff menu page's own action
    listens_with(k, k.app.shop.menu.kiosk)
    order_two_by_voice(k, "two lemonades", "Add two Lemonades")
    (line,) = k.app.cart.snapshot()
    assert line["item"] == "lemonade" and line["quantity"] == 2


def test_a_menu_edit_does_not_wait_for_the_grammars(kiosks):
    """The edit returns at once while voice input rebuilds on its own thread: Korean's
    strict graph of the whole menu is written and a model loaded with it (seconds): the
    rebuild must run on voice's worker, never on the thread that made the edit."""
    import threading

    k = kiosks()
    rebuilt_on = []
    real_set_menu = k.voice.input.set_menu

    def set_menu(kiosk):  # the real rebuild, noting which thread runs it
        rebuilt_on.append(threading.current_thread())
        real_set_menu(kiosk)

    k.voice.input.set_menu = set_menu
    edited = k.app.shop.menu.set_sold_out("croissant")  # changes what can be said
    listens_with(k, edited)
    assert rebuilt_on and threading.current_thread() not in rebuilt_on, rebuilt_on
    assert k.voice.input.pipeline.grammar.menu.item("croissant").sold_out  # heard, refused
