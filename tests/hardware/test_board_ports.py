"""Finding boards: by USB vendor id ("auto"), by paths and globs, one board opened once."""

from __future__ import annotations

import os
from types import SimpleNamespace

from untact.hardware.boards.config import PICO_VID
from untact.hardware.boards.ports import find_ports


def test_auto_keeps_only_picos(monkeypatch, tmp_path):
    # FAKE of pyserial's USB listing: this machine has no USB boards to list.
    devs = {name: tmp_path / name for name in ("ttyACM0", "ttyACM1", "ttyUSB0")}
    for p in devs.values():
        p.touch()
    listing = [SimpleNamespace(device=str(devs["ttyACM0"]), vid=PICO_VID),
               SimpleNamespace(device=str(devs["ttyUSB0"]), vid=0x0403),  # an FTDI cable
               SimpleNamespace(device=str(devs["ttyACM1"]), vid=PICO_VID),
               SimpleNamespace(device="/dev/ttyS0", vid=None)]
    from serial.tools import list_ports

    monkeypatch.setattr(list_ports, "comports", lambda: listing)
    found = find_ports("auto", PICO_VID)
    assert [p.path for p in found] == [str(devs["ttyACM0"]), str(devs["ttyACM1"])]


def test_paths_globs_and_links_to_the_same_device(tmp_path):
    dev = tmp_path / "ttyACM3"
    dev.touch()
    by_id = tmp_path / "by-id"
    by_id.mkdir()
    os.symlink(dev, by_id / "usb-MicroPython_Board_in_FS_mode_e6614104-if00")
    found = find_ports([str(by_id / "usb-MicroPython*"), str(dev), str(tmp_path / "nope"),
                        str(tmp_path / "ttyXYZ*")], PICO_VID)
    assert len(found) == 1
    assert found[0].path.startswith(str(by_id)) and found[0].real == str(dev)
