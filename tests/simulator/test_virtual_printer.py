"""The virtual printer's decoder: what python-escpos writes comes back as the lines,
sizes, images and cuts that were meant, however the bytes are split in transit; status
queries are answered as a real printer would; unknown commands are recorded."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from escpos.printer import Dummy
from PIL import Image, ImageDraw
from untact.accessibility.config import ConfigError
from untact.shop.menu import load_kiosk
from untact.simulator.cli import _printer
from untact.simulator.virtual_printer import EscposDecoder, Raster, VirtualPrinter


def sample_bytes() -> tuple[bytes, Image.Image]:
    img = Image.new("L", (64, 20), 255)
    ImageDraw.Draw(img).rectangle((3, 4, 40, 15), fill=0)
    p = Dummy()
    p.hw("INIT")
    p.set(align="center", bold=True, custom_size=True, width=6, height=6)
    p.text("17\n")
    p.set(normal_textsize=True, align="left", bold=False)
    p.text("Total   4,500 won\n")
    p.image(img, impl="bitImageRaster")
    p.cut()
    p.text("second\n")
    p.cut(mode="PART")
    return bytes(p.output), img


def decode(data: bytes, chunk: int, state: str = "online"):
    tickets = []
    d = EscposDecoder(lambda: state, tickets.append)
    replies = b"".join(d.feed(data[i:i + chunk]) for i in range(0, len(data), chunk))
    return tickets, replies, d.unknown


def test_decodes_text_sizes_images_and_cuts_however_split():
    data, img = sample_bytes()
    for chunk in (1, 3, 7, len(data)):
        tickets, replies, unknown = decode(data, chunk)
        assert unknown == [] and replies == b""
        assert [t.texts() for t in tickets] == [["17", "Total   4,500 won"], ["second"]]
        first = tickets[0].lines
        assert (first[0].width, first[0].height, first[0].bold, first[0].align) == (6, 6, True, "center")
        assert (first[1].width, first[1].bold, first[1].align) == (1, False, "left")
        (raster,) = tickets[0].rasters()
        assert raster == Raster.from_image(img) and raster.dots() == 38 * 12


def test_answers_status_queries_and_drops_data_without_paper():
    query = b"\x10\x04\x01\x10\x04\x02\x10\x04\x04"
    assert decode(query, 1)[1] == bytes([0x12, 0x12, 0x12])
    tickets, replies, _ = decode(query + sample_bytes()[0] + b"\x1dr\x01", 5, state="out_of_paper")
    assert replies == bytes([0x1A, 0x32, 0x72]) and tickets == []  # no GS r answer either
    assert decode(b"\x1dr\x01", 1)[1] == b"\x00"


def test_records_unknown_commands():
    assert decode(b"\x1b\x7f\x1d\x7f\x01", 1)[2] == [b"\x1b\x7f", b"\x1d\x7f", b"\x01"]


def test_offline_refuses_connections_and_online_takes_them_again():
    printer = VirtualPrinter.tcp()
    host, port = printer.address.split(":")
    try:
        printer.set_state("offline")
        try:
            socket.create_connection((host, int(port)), timeout=1).close()
            refused = False
        except ConnectionRefusedError:
            refused = True
        assert refused
        printer.set_state("online")
        with socket.create_connection((host, int(port)), timeout=1) as s:
            s.sendall(sample_bytes()[0])
            assert len(printer.wait_for(2, timeout_s=5)) == 2
    finally:
        printer.close()


def test_untact_sim_prints_to_a_virtual_printer_on_the_files_paper(tmp_path):
    """`untact-sim` (default --printer virtual) swaps the file's printer for a virtual
    one, keeping its paper and tickets; --printer off: none; a bad [printer] is refused."""
    cafe = Path(__file__).resolve().parents[2] / "examples" / "cafe.toml"
    path = tmp_path / "kiosk.toml"
    path.write_text(cafe.read_text(encoding="utf-8") + '\n[printer]\nkind = "usb"\ndevice = "/dev/usb/lp0"\n'
                    'paper_mm = 58\ntickets = ["kitchen"]\n', encoding="utf-8")
    printer, config = _printer("virtual", load_kiosk(path))
    try:
        assert (config.kind, f"{config.host}:{config.port}") == ("network", printer.address)
        assert (config.paper.width_dots, config.tickets) == (384, ("kitchen",))
    finally:
        printer.close()
    assert _printer("off", load_kiosk(path)) == (None, "off")
    assert _printer("file", load_kiosk(path)) == (None, None)
    path.write_text(path.read_text(encoding="utf-8").replace("paper_mm = 58", "paper_mm = 57"), encoding="utf-8")
    with pytest.raises(ConfigError, match="printer.paper_mm"):
        _printer("virtual", load_kiosk(path))
