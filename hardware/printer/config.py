"""The ``[printer]`` table of the kiosk file: which printer, how it is reached, what it prints.

    [printer]
    kind = "network"             # "network", "serial", "usb" or "none" (the default)
    address = "192.168.0.50:9100"  # network: host:port (port 9100 if left out)
    # device = "/dev/ttyUSB0"    # serial: the port; usb: the usblp device, /dev/usb/lp0
    # baud = 19200               # serial only
    tickets = ["receipt", "kitchen"]   # what each order prints, in this order
    paper_mm = 80                # 80 or 58
    status_queries = true        # ask its state (DLE EOT) and confirm each ticket (GS r); false for a
                                 # printer that answers neither: a ticket then counts once written
    # font = "/usr/share/fonts/truetype/nanum/NanumGothic.ttf"   # Hangul is printed with it

Every mistake is reported as ``file:line: printer.field: message`` (a ConfigError).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from untact.accessibility.config import Table
from untact.shop.tickets import KINDS

from .escpos_render import Paper

KIND_NAMES = ("none", "network", "serial", "usb")
PAPER_DOTS = {80: 576, 58: 384}  # printable dots at 203 dpi
BAUDS = (9600, 19200, 38400, 57600, 115200)
KEYS = ("kind", "address", "device", "baud", "tickets", "paper_mm", "status_queries", "font",
        "timeout_s")


@dataclass(frozen=True)
class PrinterConfig:
    kind: str = "none"
    host: str = ""
    port: int = 9100
    device: str = ""
    baud: int = 19200
    tickets: tuple[str, ...] = KINDS
    paper: Paper = Paper()
    status_queries: bool = True
    timeout_s: float = 3.0  # a printer that says nothing this long is offline

    @property
    def enabled(self) -> bool:
        return self.kind != "none"

    def where(self) -> str:
        """How staff recognise it: "192.168.0.50:9100", "/dev/usb/lp0"."""
        return f"{self.host}:{self.port}" if self.kind == "network" else self.device


def from_table(table: Table) -> PrinterConfig:
    """Parse ``[printer]`` (pass that table itself; an absent one means no printer)."""
    table.unknown_keys(KEYS)
    kind = table.get("kind", str, "none", choices=KIND_NAMES)
    host, port, device = "", 9100, ""
    if kind == "network":
        address = table.get("address", str, max_len=300).strip()
        host, sep, port_text = address.rpartition(":")
        if not sep:
            host, port_text = address, "9100"
        if not host or not port_text.isdigit() or not 0 < int(port_text) < 65536:
            raise table.error("address", f'must be "host:port", e.g. "192.168.0.50:9100"; got {address!r}')
        port = int(port_text)
    elif kind in ("serial", "usb"):
        example = "/dev/usb/lp0" if kind == "usb" else "/dev/ttyUSB0"
        device = table.get("device", str, max_len=300).strip()
        if not device.startswith("/"):
            raise table.error("device", f"must be a device path such as {example}; got {device!r}")
    for key, kinds in (("address", ("network",)), ("device", ("serial", "usb")), ("baud", ("serial",))):
        if table.has(key) and kind not in kinds:
            wanted = " or ".join(f'"{k}"' for k in kinds)
            raise table.error(key, f'is only for kind = {wanted} printers (this one is "{kind}")')
    tickets = table.get("tickets", list, list(KINDS))
    for i, name in enumerate(tickets):
        if name not in KINDS:
            raise table.source.error((*table.path, "tickets", i),
                                     f"must be one of {', '.join(KINDS)}; got {name!r}")
    if not tickets and kind != "none":
        raise table.error("tickets", 'names no ticket (for no printing, kind = "none")')
    if len(set(tickets)) != len(tickets):
        raise table.error("tickets", "names a ticket twice")
    paper_mm = table.get("paper_mm", int, 80, choices=PAPER_DOTS)
    font = table.get("font", str, "", max_len=500)
    if font and not Path(font).is_file():
        raise table.error("font", f"no such font file: {font}")
    return PrinterConfig(
        kind=kind, host=host, port=port, device=device,
        baud=table.get("baud", int, 19200, choices=BAUDS),
        tickets=tuple(tickets),
        paper=Paper(PAPER_DOTS[paper_mm], font),
        status_queries=table.get("status_queries", bool, True),
        timeout_s=table.get("timeout_s", float, 3.0, min=0.2, max=60.0),
    )
