"""100 unplug/replug cycles over real pseudo-terminals, half of them under a new name.

Each cycle: the link must have the board back within 2 s; the board sends events while
connected; then the cable is pulled. Every event the firmware sent while connected must
reach the UI exactly once, in order, before the link reports the board lost.

Every 5th cycle the cable is pulled at once, with frames possibly still in the kernel's
pty buffers (as a real USB unplug can cut them): those may be missing, or arrive late
(the old port's reader may still be handing them over when the board is back), but are
never duplicated, reordered among themselves or corrupted.
"""

from __future__ import annotations

import time

import pytest
from untact.hardware.boards.intents import event_to_intent

CYCLES = 100
KEYS = ("ok", "right", "left")


def interleaves(got: list, old: list, new: list) -> int | None:
    """How many of ``old`` are in ``got`` when ``got`` is every one of ``new`` merged with
    a prefix of ``old``, each in its own order, nothing repeated; else None."""
    states = {(0, 0)}
    for item in got:
        states = {nxt for i, j in states
                  for nxt, ok in (((i + 1, j), i < len(old) and old[i] == item),
                                  ((i, j + 1), j < len(new) and new[j] == item)) if ok}
        if not states:
            return None
    done = [i for i, j in states if j == len(new)]
    return max(done) if done else None


@pytest.mark.slow  # a hundred cycles of real ptys: about 10 s, too long for the edit loop
def test_hundred_replugs_lose_and_repeat_nothing(rig):
    board = rig.board()
    reconnect_s = []
    names = []
    seen = 0
    cut_short = 0
    # A hard-cut cycle: (index of its first intent, what it sent). Its events may be cut,
    # or still arrive late from the old port's reader, even after the board is back; they
    # are settled with the next cycle's: every new event, plus a prefix of the old, each in
    # order, never repeated.
    late = None

    def kinds(events) -> list:
        return [(i.kind, i.value) for i in (event_to_intent(e.name, str(e.value), board.board_id)
                                           for e in events)]

    for cycle in range(CYCLES):
        t0 = time.monotonic()
        if cycle:
            board.replug(new_name=cycle % 2 == 1)
        after = t0 if cycle else 0.0  # the first connection may predate t0
        assert rig.connected(board, after=after, timeout=2.0), f"cycle {cycle}: not back in 2 s"
        reconnect_s.append(time.monotonic() - t0)
        names.append((board.port, board.device))
        assert board.wait_connected(), f"cycle {cycle}: board does not hear the host"
        boot = board.boot
        hard = cycle % 5 == 4
        for key in KEYS[: 1 + cycle % 3]:
            board.press(key)
        assert board.wait_for_events(len(board.events) + 1 + cycle % 3), f"cycle {cycle}"
        sent_kinds = kinds(board.events_of_boot(boot))
        if hard:
            board.unplug(drain=False)
        else:
            assert board.wait_idle()  # fingers off the keys ...
            if late is None:  # ... and what the board sent has arrived
                want = seen + len(sent_kinds)
                assert len(rig.drain_until(want)) == want, f"cycle {cycle}: events lost"
            else:
                start, old = late
                rig.wait_for(lambda start=start, old=old, new=sent_kinds: interleaves(
                    [(i.kind, i.value) for i in rig.intents[start:]], old, new) is not None,
                             what=f"cycle {cycle}: its events after the hard cut's")
            board.unplug(drain=True)
        assert rig.lost(board), f"cycle {cycle}: unplug not noticed"
        rig.bus.drain()  # the link posts a board's last events before it reports it lost
        if hard:
            got = [(i.kind, i.value) for i in rig.intents[seen:]]
            assert got == sent_kinds[: len(got)], f"cycle {cycle}: {got} vs {sent_kinds}"
            late = (seen, sent_kinds)
            continue
        if late is not None:
            start, old = late
            got = [(i.kind, i.value) for i in rig.intents[start:]]
            arrived = interleaves(got, old, sent_kinds)
            assert arrived is not None, f"cycle {cycle}: {got} is not {sent_kinds} with a prefix of {old}"
            cut_short += len(old) - arrived
            late = None
        else:
            got = [(i.kind, i.value) for i in rig.intents[seen:]]
            assert got == sent_kinds, f"cycle {cycle}: {got} vs {sent_kinds}"
        seen = len(rig.intents)
    if late is not None:  # the last cycle was a hard cut: settle it without a next cycle
        board.replug()
        assert rig.connected(board, timeout=2.0)
        rig.bus.drain()
        start, old = late
        got = [(i.kind, i.value) for i in rig.intents[start:]]
        arrived = interleaves(got, old, [])
        assert arrived is not None, f"last cycle: {got} is not a prefix of {old}"
        cut_short += len(old) - arrived
        seen = len(rig.intents)
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
