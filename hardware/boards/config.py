"""Settings of the host link to the sensor boards: the ``[devices.boards]`` table.

    [devices.boards]
    ports = "auto"              # or a list of paths/globs: ["/dev/serial/by-id/usb-*Pico*"]
    heartbeat_s = 0.5           # host -> board heartbeat interval
    lost_after_s = 1.5          # a board silent this long is lost (it beats every 0.5 s)
    scan_s = 0.25               # how often to look for boards (plug-in, replug)
    baud = 115200
    [devices.boards.thresholds] # pushed to every board when it connects
    push_mm = 50
    hover_mm = 250

Threshold names and ranges are the firmware's own (firmware/gestures.py LIMITS), so a value
the board would refuse is refused here, with the file and line.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from untact.accessibility.config import Table
from untact.firmware.gestures import LIMITS

PICO_VID = 0x2E8A  # Raspberry Pi: the Pico's USB vendor id under MicroPython


@dataclass(frozen=True)
class BoardsConfig:
    ports: str | tuple[str, ...] = "auto"
    heartbeat_s: float = 0.5
    lost_after_s: float = 1.5
    scan_s: float = 0.25
    baud: int = 115200
    handshake_s: float = 3.0  # give up on a port that says no hello this long (retried later)
    command_timeout_s: float = 0.3  # resend an unacknowledged command after this ...
    command_tries: int = 3  # ... this many times in all
    thresholds: Mapping[str, int] = field(default_factory=dict)
    usb_vid: int = PICO_VID

    def __post_init__(self) -> None:
        object.__setattr__(self, "thresholds", MappingProxyType(dict(self.thresholds)))
        if not isinstance(self.ports, str):
            object.__setattr__(self, "ports", tuple(self.ports))


KEYS = ("ports", "heartbeat_s", "lost_after_s", "scan_s", "baud", "handshake_s",
        "command_timeout_s", "command_tries", "thresholds")


def from_table(table: Table) -> BoardsConfig:
    """Parse the ``[devices.boards]`` table (pass that table itself); defaults for every field."""
    table.unknown_keys(KEYS)
    ports: str | tuple[str, ...] = "auto"
    if table.has("ports"):
        raw = table.get("ports", (str, list))
        if isinstance(raw, str):
            if raw != "auto":
                raise table.error("ports", 'must be "auto" or a list of port paths, '
                                  f'e.g. ["/dev/ttyACM0"]; got {raw!r}')
        else:
            if not raw:
                raise table.error("ports", 'is an empty list (use "auto" to find boards by USB id)')
            if len(raw) > 16:
                raise table.error("ports", f"lists {len(raw)} ports; at most 16")
            for i, p in enumerate(raw):
                if not isinstance(p, str) or not p.strip() or len(p) > 300:
                    raise table.source.error((*table.path, "ports", i),
                                             "must be a port path such as /dev/ttyACM0")
            ports = tuple(p.strip() for p in raw)
    heartbeat = table.get("heartbeat_s", float, 0.5, min=0.05, max=10.0)
    lost = table.get("lost_after_s", float, 1.5, min=1.0, max=60.0)
    if lost <= heartbeat:
        raise table.error("lost_after_s", f"must be longer than heartbeat_s ({heartbeat:g})")
    thresholds: dict[str, int] = {}
    sub = table.table("thresholds")
    sub.unknown_keys(LIMITS)
    for key, (_default, lo, hi) in LIMITS.items():
        if sub.has(key):
            thresholds[key] = sub.get(key, int, min=lo, max=hi)
    return BoardsConfig(
        ports=ports,
        heartbeat_s=heartbeat,
        lost_after_s=lost,
        scan_s=table.get("scan_s", float, 0.25, min=0.02, max=10.0),
        baud=table.get("baud", int, 115200, choices=(9600, 19200, 38400, 57600, 115200,
                                                      230400, 460800, 921600)),
        handshake_s=table.get("handshake_s", float, 3.0, min=0.2, max=60.0),
        command_timeout_s=table.get("command_timeout_s", float, 0.3, min=0.02, max=10.0),
        command_tries=table.get("command_tries", int, 3, min=1, max=10),
        thresholds=thresholds,
    )
