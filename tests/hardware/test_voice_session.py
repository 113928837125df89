"""The voice session follows the shop's live menu (MenuService) while subscribed."""

import shutil
import time

from untact.accessibility.bus import InputBus
from untact.hardware.voice.config import VoiceConfig
from untact.hardware.voice.session import VoiceSession
from untact.shop.menu_service import MenuService


def eventually(condition, timeout=30.0):
    """Poll ``condition`` (the rebuild runs on the session's worker thread)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_the_session_follows_the_live_menu_until_it_is_closed(cafe_menu, sphinx_en, tmp_path):
    path = tmp_path / "cafe.toml"
    shutil.copy(cafe_menu.path, path)
    service = MenuService(path)
    session = VoiceSession(InputBus(), VoiceConfig(), service, "en",
                           source_factory=lambda: iter(()), recognizers={"en": sphinx_en})
    assert session.start().on and session.menu is service.kiosk

    renamed = service.set_name("lemonade", "en", "Sparkling Water")
    assert session.dialogue.menu is renamed  # read back with the new name at once
    eventually(lambda: session.menu is renamed)
    items = {f.text: f.value for f in session.input.pipeline.grammar.items}
    assert items.get("sparkling waters") == "lemonade" and "lemonade" not in items

    session.close()  # unsubscribes: a closed session no longer rebuilds anything
    service.set_sold_out("lemonade")
    assert session.dialogue.menu is renamed and session.menu is renamed
