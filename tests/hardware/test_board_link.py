"""The host link end to end: the real firmware on a virtual board, a real pty, the real link.

Each test drives the world in front of the board (a hand, a key, a plug) and checks the
intents the UI would receive, or what the board does on the host's commands.
"""

from __future__ import annotations

import logging
import os
import select
import time
import tty

import pytest
from board_rig import Rig
from untact.accessibility.intents import Kind, simple
from untact.firmware import protocol
from untact.hardware.boards.config import BoardsConfig
from untact.hardware.boards.link import BoardLink


def kinds(intents):
    return [(i.kind, i.value) for i in intents]


def test_gestures_keys_and_jack_become_intents(rig):
    board = rig.board()
    assert rig.connected(board)
    assert board.wait_connected()
    for direction in ("right", "left", "down", "up"):
        board.swipe(direction)
        assert board.wait_for_events(len(board.events) + 1)
    board.push()
    assert board.wait_for_events(5)
    for key in protocol.KEYS:
        board.press(key)
        assert board.wait_for_events(len(board.events) + 1), key
    board.plug_jack(True)
    board.set_presence(True)
    assert board.wait_for_events(16)
    board.plug_jack(False)
    assert board.wait_for_events(17)
    got = rig.drain_until(17)
    assert kinds(got) == [
        (Kind.NEXT, None), (Kind.PREVIOUS, None), (Kind.NEXT, None), (Kind.PREVIOUS, None),
        (Kind.SELECT, None),
        (Kind.PREVIOUS, None), (Kind.NEXT, None), (Kind.PREVIOUS, None), (Kind.NEXT, None),
        (Kind.SELECT, None), (Kind.BACK, None), (Kind.HELP, None), (Kind.VOLUME_UP, None),
        (Kind.VOLUME_DOWN, None),
        (Kind.SPEECH_MODE, True), (Kind.PRESENCE, True), (Kind.SPEECH_MODE, False),
    ]
    assert {i.source for i in got} == {"board:sim-1"}


def test_presence_leaves_after_the_hold_time(rig):
    board = rig.board()
    assert rig.connected(board) and board.wait_connected()
    assert all(p.wait(5) for p in rig.link.set_threshold("leave_ms", 100))
    board.set_presence(True)
    assert board.wait_for_events(1)
    board.set_presence(False)
    fw = board.firmware
    assert board.wait_for_events(2, timeout=5), (
        f"present={fw.presence.present} since={fw.presence._since} now={fw.clock.ms()} "
        f"leave_ms={fw.t.get('leave_ms')} dropped={fw.dropped} host_seen={fw.host_seen} "
        f"events={board.events}")
    assert kinds(rig.drain_until(2)) == [(Kind.PRESENCE, True), (Kind.PRESENCE, False)]


def test_hover_reaches_listeners_and_status_but_is_no_intent(rig):
    board = rig.board()
    heard = []
    rig.link.add_listener(heard.append)
    assert rig.connected(board) and board.wait_connected()
    board.set_distance(180)  # a hand held in the hover zone (a person is there, too)
    assert board.wait_for_events(2, timeout=3)
    assert rig.link.wait_for(lambda st: st and st[0].hand_mm == 180)
    assert sorted((e.name, e.value) for e in heard) == [("hover", "180"), ("presence", "1")]
    assert rig.link.status()[0].hand_mm == 180
    assert kinds(rig.drain_until(1)) == [(Kind.PRESENCE, True)]  # hover itself: no intent


def test_repl_text_and_a_traceback_are_logged_never_events(rig, caplog):
    board = rig.board()
    assert rig.connected(board) and board.wait_connected()
    caplog.set_level(logging.INFO, logger="untact.hardware.boards.link")
    board.inject_noise(b"MicroPython v1.27.0 on 2026-06-02; Raspberry Pi Pico with RP2040\r\n"
                       b"Type \"help()\" for more information.\r\n>>> \r\n"
                       b"Traceback (most recent call last):\r\n"
                       b"  File \"main.py\", line 12, in <module>\r\n"
                       b"OSError: [Errno 110] ETIMEDOUT @E 1 key ok\r\n")
    board.press("ok")  # a real event right after the noise still arrives
    assert board.wait_for_events(1)
    got = rig.drain_until(1)
    assert kinds(got) == [(Kind.SELECT, None)]
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "board sim-1 says: Traceback (most recent call last):" in logged
    assert "board sim-1 says: >>>" in logged
    st = rig.link.status()[0]
    assert st.text_lines >= 5 and st.bad_frames == 1  # '@E 1 key ok' had no CRC


def test_board_reset_mid_frame(rig):
    board = rig.board()
    assert rig.connected(board) and board.wait_connected()
    first_boot = board.boot
    board.inject_noise(b"@E 42 key o")  # the board resets halfway through a frame
    board.reset()
    assert rig.link.wait_for(lambda st: st and st[0].state == "connected"
                             and board.boot != first_boot)
    assert board.wait_connected()
    board.press("back")
    assert board.wait_for_events(1)
    board.press("ok")  # a sentinel: anything the torn frame wrongly made would come first
    assert board.wait_for_events(2)
    got = rig.drain_until(2)
    assert kinds(got) == [(Kind.BACK, None), (Kind.SELECT, None)]
    assert rig.link.status()[0].bad_frames == 1


def test_silent_board_is_lost_and_the_ui_goes_on(rig):
    board = rig.board()
    assert rig.connected(board) and board.wait_connected()
    board.hang()
    t0 = time.monotonic()
    assert rig.lost(board, timeout=3)
    silent_for = time.monotonic() - t0
    assert rig.config.lost_after_s * 0.9 <= silent_for < rig.config.lost_after_s + 1.0
    rig.bus.post(simple(Kind.NEXT))
    assert rig.bus.drain() == 1  # the UI's bus keeps working without the board
    t1 = time.monotonic()
    board.reset()
    assert rig.connected(board, after=t1, timeout=5)


def test_commands_are_acknowledged_and_the_led_survives_a_replug(rig):
    board = rig.board()
    assert rig.connected(board) and board.wait_connected()
    acks = rig.link.set_led(255, 40, 0)
    assert len(acks) == 1 and acks[0].wait(5), acks
    assert board.led == (255, 40, 0)
    assert all(p.wait(5) for p in rig.link.buzz(880, 300))
    assert board.buzzer_hz == 880
    refused = rig.link.set_threshold("push_mm", 5)
    assert not refused[0].wait(5) and refused[0].error == "range"
    assert not rig.link.send_all("dance")[0].wait(5)
    with pytest.raises(ValueError):
        rig.link.set_led(256, 0, 0)
    with pytest.raises(ValueError):
        rig.link.send_all("led 1 2 3")
    board.unplug()
    assert rig.lost(board)
    board.replug(new_name=True)
    assert rig.connected(board)
    deadline = time.monotonic() + 1
    while board.led != (255, 40, 0) and time.monotonic() < deadline:
        time.sleep(0.005)
    assert board.led == (255, 40, 0)  # the staff-call colour came back with the board


def test_thresholds_from_config_reach_the_board(tmp_path):
    rig = Rig(tmp_path / "dev", thresholds={"hover_mm": 120, "push_mm": 70})
    rig.link.start()
    board = rig.board()
    try:
        assert rig.connected(board) and board.wait_connected()
        deadline = time.monotonic() + 1
        while board.firmware.t.get("push_mm") != 70 and time.monotonic() < deadline:
            time.sleep(0.005)
        assert board.firmware.t.get("hover_mm") == 120 and board.firmware.t.get("push_mm") == 70
        board.set_distance(180)  # outside the 120 mm hover zone set by the host
        assert board.wait_for_events(1)  # presence: someone is there ...
        time.sleep(0.6)  # ... longer than hover_ms (400 ms), yet no hover (real time is the behaviour)
        assert [e.name for e in board.events] == ["presence"]
    finally:
        rig.close()


def test_several_boards_at_once(rig):
    boards = [rig.board(f"sim-{n}") for n in range(3)]
    for b in boards:
        assert rig.connected(b)
        assert b.wait_connected()
    for n, b in enumerate(boards):
        for _ in range(n + 1):
            b.press("ok")
            assert b.wait_for_events(len(b.events) + 1)
    got = rig.drain_until(6)
    by_source = {}
    for i in got:
        by_source[i.source] = by_source.get(i.source, 0) + 1
    assert by_source == {"board:sim-0": 1, "board:sim-1": 2, "board:sim-2": 3}
    assert [s.board_id for s in rig.link.status()] == ["sim-0", "sim-1", "sim-2"]
    boards[1].unplug()
    assert rig.lost(boards[1])
    assert rig.link.connected_ids() == ["sim-0", "sim-2"]
    assert len(rig.link.set_led(0, 0, 255)) == 2


def test_one_board_under_two_names_is_opened_once(tmp_path):
    rig = Rig(tmp_path / "dev")
    board = rig.board()
    by_id = tmp_path / "by-id"
    by_id.mkdir()
    os.symlink(board.device, by_id / "usb-MicroPython_Board_in_FS_mode_e6614000-if00")
    ports = (str(by_id / "usb-MicroPython*"), str(tmp_path / "dev" / "ttyACM*"))
    rig.config = BoardsConfig(ports=ports, scan_s=0.02, lost_after_s=1.0)
    rig.link = BoardLink(rig.bus, rig.config)
    rig.link.start()
    try:
        assert rig.link.wait_for(lambda st: st and st[0].state == "connected")
        assert rig.link.status()[0].port.startswith(str(by_id))
        time.sleep(0.1)  # five scans of real time (scan_s 0.02): the ttyACM0 name of the same pty is not opened
        assert len(rig.link._conns) == 1
    finally:
        rig.close()


def test_wrong_protocol_version_and_garbage_ports_never_connect(rig, caplog):
    caplog.set_level(logging.INFO)
    fds = []
    for n, payload in enumerate([
        protocol.encode("H", 0, ["proto=2", "id=future", "fw=9", "boot=1", "caps=led"]),
        os.urandom(3000),
    ]):
        master, slave = os.openpty()
        tty.setraw(slave)
        fds += [master, slave]
        rig.dev.mkdir(parents=True, exist_ok=True)
        os.symlink(os.ttyname(slave), rig.dev / f"ttyACM{90 + n}")
        os.write(master, payload[:1000])
    try:
        for master in fds[::2]:  # the link opened each port: its hello request arrives
            assert select.select([master], [], [], 5)[0], "the link never opened the port"
        for master in fds[::2]:
            try:
                os.write(master, protocol.encode("H", 1, ["proto=2", "id=future", "fw=9",
                                                          "boot=1", "caps=led"]) + os.urandom(200))
            except OSError:
                pass
        rig.wait_for(lambda: any("speaks protocol 2" in r.getMessage() for r in caplog.records),
                     what="the future board's hello to be refused")
        time.sleep(0.3)  # a window of real time: nothing may connect during it (no event to wait for)
        rig.bus.drain()
        assert rig.intents == [] and rig.link.connected_ids() == []
        assert any("speaks protocol 2" in r.getMessage() for r in caplog.records)
    finally:
        for fd in fds:
            os.close(fd)
