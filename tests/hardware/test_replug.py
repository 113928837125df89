"""100 unplug/replug cycles over real pseudo-terminals, half of them under a new name.

Each cycle: the link must have the board back within 2 s; the board sends events while
connected; then the cable is pulled. At the end every event the firmware sent is an intent
exactly once, in order: none lost, none duplicated.
"""

from __future__ import annotations

import time

from untact.hardware.board_intents import event_to_intent

CYCLES = 100
KEYS = ("ok", "right", "left")


def test_hundred_replugs_lose_and_repeat_nothing(rig):
    board = rig.board()
    reconnect_s = []
    names = []
    for cycle in range(CYCLES):
        t0 = time.monotonic()
        if cycle:
            board.replug(new_name=cycle % 2 == 1)
        assert rig.connected(board, after=t0, timeout=2.0), f"cycle {cycle}: not back in 2 s"
        reconnect_s.append(time.monotonic() - t0)
        names.append((board.port, board.device))
        assert board.wait_connected(), f"cycle {cycle}: board does not hear the host"
        sent_before = len(board.events)
        for key in KEYS[: 1 + cycle % 3]:
            board.press(key)
        assert board.wait_for_events(sent_before + 1 + cycle % 3), f"cycle {cycle}"
        assert board.wait_idle()  # fingers off the keys before the cable goes
        board.unplug(drain=True)
        assert rig.lost(board), f"cycle {cycle}: unplug not noticed"
    sent = [event_to_intent(e.name, str(e.value), board.board_id) for e in board.events]
    got = rig.drain_until(len(sent), timeout=5)
    assert len(sent) == sum(1 + c % 3 for c in range(CYCLES))
    assert [(i.kind, i.value) for i in got] == [(i.kind, i.value) for i in sent]
    assert max(reconnect_s) < 2.0
    pairs = zip(names, names[1:], strict=False)
    renamed = sum(1 for a, b in pairs if a[0] != b[0] and a[1] != b[1])
    assert renamed >= CYCLES // 2 - 1  # it really came back under other names (tty and pts)
    print(f"reconnect median {sorted(reconnect_s)[CYCLES // 2] * 1000:.0f} ms, "
          f"max {max(reconnect_s) * 1000:.0f} ms over {CYCLES} replugs")
