"""Virtual sensor boards wired to the kiosk: the real firmware on real pseudo-terminals,
found and opened by the real host link, as the simulator and scenarios use them."""

from __future__ import annotations

import tempfile
from pathlib import Path

from untact.accessibility.intents import Kind

from .virtual_board import VirtualBoard

# What a scenario's device steps do to a board; each returns the intent kinds it should
# produce on the kiosk (None: a cable or firmware action, checked through the link).
ACTIONS = {
    "swipe": lambda b, a: b.swipe(a["direction"]),
    "push": lambda b, a: b.push(),
    "press": lambda b, a: b.press(a["button"]),
    "hover": lambda b, a: b.set_distance(int(a["distance_mm"])),
    "approach": lambda b, a: b.set_presence(True),
    "leave": lambda b, a: b.set_presence(False),
    "plug_earphone": lambda b, a: b.plug_jack(True),
    "unplug_earphone": lambda b, a: b.plug_jack(False),
    "line_noise": lambda b, a: b.inject_noise(a["text"].encode()),
}


class VirtualBoards:
    """``count`` boards in a private device folder; ``ports`` is what the link scans."""

    def __init__(self, count: int = 1) -> None:
        self._tmp = tempfile.TemporaryDirectory(prefix="untact-boards-")
        self.dir = Path(self._tmp.name)
        self.boards = [VirtualBoard(f"sim-{i + 1}", link_dir=self.dir) for i in range(count)]
        self.ports = (VirtualBoard.ports_pattern(self.dir),)

    def start(self) -> VirtualBoards:
        for b in self.boards:
            b.start()
        return self

    def board(self, index: int = 0) -> VirtualBoard:
        if not 0 <= index < len(self.boards):
            raise AssertionError(f"there is no board {index} (the scenario has {len(self.boards)})")
        return self.boards[index]

    def stop(self) -> None:
        for b in self.boards:
            b.stop()
        self._tmp.cleanup()


EXPECTED_KIND = {"swipe": None, "push": Kind.SELECT, "press": None, "approach": Kind.PRESENCE,
                 "leave": Kind.PRESENCE, "plug_earphone": Kind.SPEECH_MODE,
                 "unplug_earphone": Kind.SPEECH_MODE}
