"""100 unplug/replug cycles over real pseudo-terminals, half of them under a new name.

Each cycle: the link must have the board back within 2 s; the board sends events while
connected; then the cable is pulled. Every event the firmware sent while connected must
reach the UI exactly once, in order, before the link reports the board lost.

Every 5th cycle the cable is pulled at once, with frames possibly still in the kernel's
pty buffers (as a real USB unplug can cut them): those may be missing at the end, but
never duplicated, reordered or corrupted.
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
    seen = 0
    cut_short = 0
    late = None  # (first index, kinds sent) of a cycle whose cable was pulled at once

    def settle_hard_cut() -> None:
        """Events of a hard-cut cycle may still arrive until the old port's reader ends;
        once the board is back, what arrived must be an in-order prefix of what was sent,
        never more and never repeated."""
        nonlocal seen, cut_short, late
        rig.bus.drain()
        start, sent_kinds = late
        got = [(i.kind, i.value) for i in rig.intents[start:]]
        assert got == sent_kinds[: len(got)], f"hard cut: {got} vs {sent_kinds}"
        cut_short += len(sent_kinds) - len(got)
        seen, late = len(rig.intents), None

    for cycle in range(CYCLES):
        t0 = time.monotonic()
        if cycle:
            board.replug(new_name=cycle % 2 == 1)
        after = t0 if cycle else 0.0  # the first connection may predate t0
        assert rig.connected(board, after=after, timeout=2.0), f"cycle {cycle}: not back in 2 s"
        reconnect_s.append(time.monotonic() - t0)
        names.append((board.port, board.device))
        assert board.wait_connected(), f"cycle {cycle}: board does not hear the host"
        if late is not None:
            settle_hard_cut()
        boot = board.boot
        hard = cycle % 5 == 4
        for key in KEYS[: 1 + cycle % 3]:
            board.press(key)
        assert board.wait_for_events(len(board.events) + 1 + cycle % 3), f"cycle {cycle}"
        if hard:
            board.unplug(drain=False)
        else:
            assert board.wait_idle()  # fingers off the keys ...
            want = seen + 1 + cycle % 3  # ... and what the board sent has arrived
            assert len(rig.drain_until(want)) == want, f"cycle {cycle}: events lost"
            board.unplug(drain=True)
        assert rig.lost(board), f"cycle {cycle}: unplug not noticed"
        rig.bus.drain()  # the link posts a board's last events before it reports it lost
        got = [(i.kind, i.value) for i in rig.intents[seen:]]
        sent = [event_to_intent(e.name, str(e.value), board.board_id)
                for e in board.events_of_boot(boot)]
        sent_kinds = [(i.kind, i.value) for i in sent]
        if hard:
            assert got == sent_kinds[: len(got)], f"cycle {cycle}: {got} vs {sent_kinds}"
            late = (seen, sent_kinds)  # settled once the board is back (or at the end)
            continue
        assert got == sent_kinds, f"cycle {cycle}: {got} vs {sent_kinds}"
        seen = len(rig.intents)
    if late is not None:
        board.replug()
        assert rig.connected(board, timeout=2.0)
        settle_hard_cut()
    total_sent = len(board.events)
    assert total_sent == sum(1 + c % 3 for c in range(CYCLES))
    assert seen == total_sent - cut_short
    assert max(reconnect_s) < 2.0
    pairs = zip(names, names[1:], strict=False)
    renamed = sum(1 for a, b in pairs if a[0] != b[0] and a[1] != b[1])
    assert renamed >= CYCLES // 2 - 1  # it really came back under other names (tty and pts)
    print(f"reconnect median {sorted(reconnect_s)[CYCLES // 2] * 1000:.0f} ms, "
          f"max {max(reconnect_s) * 1000:.0f} ms over {CYCLES} replugs; "
          f"{cut_short} events cut by hard unplugs")
