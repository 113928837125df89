"""Finding sensor boards: by USB identity ("auto") or by configured paths and globs.

Configured entries may be exact paths (/dev/ttyACM0), stable names
(/dev/serial/by-id/usb-MicroPython_Board_in_FS_mode_e6614...-if00) or globs
(/dev/serial/by-id/usb-MicroPython*). Symlinks are resolved so one board reached by two
names is opened once.
"""

from __future__ import annotations

import glob
import os
from dataclasses import dataclass


@dataclass(frozen=True)
class PortInfo:
    path: str  # the name to open (kept as configured, e.g. a by-id link)
    real: str  # the device it resolves to (/dev/ttyACM0): identity for de-duplication


def find_ports(spec: str | tuple[str, ...] | list[str], usb_vid: int) -> list[PortInfo]:
    found: list[PortInfo] = []
    seen: set[str] = set()

    def add(path: str) -> None:
        real = os.path.realpath(path)
        if real not in seen and os.path.exists(real):
            seen.add(real)
            found.append(PortInfo(path, real))

    if spec == "auto":
        from serial.tools import list_ports

        for info in list_ports.comports():
            if info.vid == usb_vid:
                add(info.device)
        return found
    for pattern in spec:
        if glob.has_magic(pattern):
            for path in sorted(glob.glob(pattern)):
                add(path)
        elif os.path.exists(pattern):
            add(pattern)
    return found
