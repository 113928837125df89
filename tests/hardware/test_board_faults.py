"""What the merchant must be able to see of a faulty board: garbage on its line counted
and warned about while it lasts, and nothing it still sends acted on once it is lost."""

from __future__ import annotations

import logging
import re
import threading
import time

from untact.firmware import protocol
from untact.hardware.devices import board_faults_text

LINK_LOG = "untact.hardware.boards.link"


def fault_warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records
            if r.name == LINK_LOG and r.levelno == logging.WARNING and "damaged frames" in r.getMessage()]


def reported(warnings: list[str]) -> int:
    return sum(int(re.search(r"(\d+) damaged frames", w).group(1)) for w in warnings)


def test_garbage_is_counted_and_warned_about_at_the_default_level_while_it_lasts(rig, caplog):
    rig.link.fault_report_s = 0.4  # a minute on a kiosk
    board = rig.board()
    assert rig.connected(board) and board.wait_connected()
    caplog.set_level(logging.WARNING)  # the kiosk's default: info and debug are not shown
    garbage = b"@E 1 key ok\r\nTraceback (most recent call last):\r\n"  # no CRC; REPL text
    sent = 0
    until = time.monotonic() + 1.5
    while time.monotonic() < until:  # a loose cable for a second and a half
        board.inject_noise(garbage)
        sent += 1
        time.sleep(0.05)  # pacing the garbage, not waiting for a result
    assert rig.link.wait_for(lambda st: st[0].bad_frames == sent and st[0].text_lines >= sent)
    during = fault_warnings(caplog)
    assert 2 <= len(during) <= 5, during  # about one per period, not one per frame
    assert all(w.startswith("board sim-1 on ") for w in during)
    deadline = time.monotonic() + 3
    while reported(fault_warnings(caplog)) < sent and time.monotonic() < deadline:
        time.sleep(0.05)  # the rest comes in the next report
    assert reported(fault_warnings(caplog)) == sent  # every damaged frame in one warning
    settled = len(fault_warnings(caplog))
    time.sleep(3 * rig.link.fault_report_s)  # quiet line: the warnings stop
    later = fault_warnings(caplog)[settled:]
    assert later == []
    assert board_faults_text(rig.link.status()) == \
        f"sim-1: {sent} damaged frames, {rig.link.status()[0].text_lines} stray text lines"


def test_no_event_is_posted_after_the_board_is_reported_lost(rig):
    """A hard unplug while the reader is busy: pyserial's ReaderThread.stop() waits 2 s
    for it, then the link reports the board lost; the frames the reader still holds must
    not reach the kiosk after that."""
    board = rig.board()
    assert rig.connected(board) and board.wait_connected()
    busy, release = threading.Event(), threading.Event()

    def slow_listener(_event) -> None:  # the reader thread is held on the first event
        if not busy.is_set():
            busy.set()
            release.wait(15)

    rig.link.add_listener(slow_listener)
    base = (rig.link.last_seq_of(board.board_id, board.boot) or 0) + 1000
    keys = ("ok", "back", "next")
    board.inject_noise(b"".join(protocol.encode(protocol.K_EVENT, (base + i) % protocol.SEQ_MOD,
                                                ["key", k]) for i, k in enumerate(keys)))
    assert busy.wait(5), "the first event did not reach the listener"
    board.unplug(drain=False)
    assert rig.lost(board, timeout=10)
    posted_before_lost = rig.bus.drain()
    release.set()
    readers = [t for t in threading.enumerate() if t.name.startswith("board-reader")]
    for t in readers:
        t.join(5)
    assert not any(t.is_alive() for t in readers)
    assert posted_before_lost == 1  # the first key, posted before the listener was called
    assert rig.bus.drain() == 0, "events were posted after the board was reported lost"
