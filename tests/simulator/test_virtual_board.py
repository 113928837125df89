"""The virtual board: the real firmware/main.py, a fake machine, a real pty."""

from __future__ import annotations

import os
import time

import pytest
import serial
from untact.firmware import main as firmware_main
from untact.firmware import protocol
from untact.simulator.virtual_board import VirtualBoard


def read_frames(ser, decoder, until, timeout=2.0):
    """Items from the port until ``until(items)`` holds (bounded)."""
    items = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not until(items):
        items += decoder.feed(ser.read(ser.in_waiting or 1))
    return items


@pytest.fixture
def board(tmp_path):
    b = VirtualBoard("vb-1", link_dir=tmp_path).start()
    yield b
    b.stop()
    assert b.crashed is None


def test_it_runs_the_flashed_main_py(board):
    assert firmware_main.__file__.endswith(os.path.join("firmware", "main.py"))
    assert board.firmware is not None and board.firmware.caps() == [
        "tof", "gesture", "pir", "keys", "jack", "led", "buzzer"]


def test_it_is_a_serial_port_that_announces_and_answers(board):
    assert os.path.realpath(board.port) == board.device and board.device.startswith("/dev/pts/")
    with serial.Serial(board.port, 115200, timeout=0.05) as ser:
        d = protocol.Decoder()
        hello = read_frames(ser, d, lambda it: any(getattr(i, "kind", "") == "H" for i in it))
        kv = [i for i in hello if isinstance(i, protocol.Frame)][0].kv()
        assert kv["id"] == "vb-1" and kv["proto"] == "1" and kv["boot"] == board.boot
        ser.write(protocol.encode("Q", 0) + protocol.encode("C", 1, ["buzz", "440", "100"]))
        acks = read_frames(ser, d, lambda it: any(getattr(i, "kind", "") == "A" for i in it))
        assert [i.args for i in acks if isinstance(i, protocol.Frame) and i.kind == "A"] == [
            ["1", "ok"]]
        assert board.buzzer_hz == 440


def test_a_failing_sensor_is_reported_as_text_and_the_board_carries_on(board):
    with serial.Serial(board.port, 115200, timeout=0.05) as ser:
        d = protocol.Decoder()
        ser.write(protocol.encode("Q", 0))
        read_frames(ser, d, lambda it: any(getattr(i, "kind", "") == "H" for i in it))
        board.world.i2c_broken = True
        text = read_frames(ser, d, lambda it: any(getattr(i, "reason", "") == "text" for i in it))
        assert any(b"untact board error: tof OSError" in i.data for i in text
                   if isinstance(i, protocol.Junk))
        board.press("help")  # the keys still work while the sensor cable is loose
        ev = read_frames(ser, d, lambda it: any(getattr(i, "kind", "") == "E" for i in it))
        assert [i.args for i in ev if isinstance(i, protocol.Frame) and i.kind == "E"] == [
            ["key", "help"]]
        board.world.i2c_broken = False


def test_unplug_and_replug_under_a_new_name(board):
    first = (board.port, board.device)
    board.unplug()
    assert not board.plugged and not os.path.exists(first[0])
    with pytest.raises(RuntimeError):
        board.inject_noise(b"x")
    board.replug(new_name=True)
    assert board.plugged and board.port != first[0] and board.device != first[1]
    board.replug(new_name=True)  # while plugged, too
    assert len(set(board.boots)) == 3


def test_bad_inputs_are_refused(board):
    with pytest.raises(ValueError):
        board.press("enter")
    with pytest.raises(ValueError):
        board.swipe("sideways")
