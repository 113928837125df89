"""``[printer]`` in the kiosk file: defaults, each kind, and located one-line errors
(``untact-kiosk --check-config`` exits 2 naming file, line and field)."""

from __future__ import annotations

from pathlib import Path

import pytest
from untact.accessibility.config import ConfigError
from untact.hardware.printer.config import from_table
from untact.shop.menu import load_kiosk
from untact.ui.cli import main as kiosk_cli

CAFE = Path(__file__).resolve().parents[3] / "examples" / "cafe.toml"


def config_of(tmp_path, section: str):
    path = tmp_path / "kiosk.toml"
    path.write_text(CAFE.read_text(encoding="utf-8") + "\n[printer]\n" + section, encoding="utf-8")
    return from_table(load_kiosk(path).section("printer")), path


def test_no_printer_section_means_no_printer():
    assert not from_table(load_kiosk(CAFE).section("printer")).enabled


def test_each_kind(tmp_path):
    net, _ = config_of(tmp_path, 'kind = "network"\naddress = "192.168.0.50"\npaper_mm = 58\n')
    assert (net.host, net.port, net.paper.width_dots, net.tickets) == ("192.168.0.50", 9100, 384,
                                                                        ("receipt", "kitchen"))
    ser, _ = config_of(tmp_path, 'kind = "serial"\ndevice = "/dev/ttyUSB0"\nbaud = 9600\ntickets = ["kitchen"]\n')
    assert (ser.device, ser.baud, ser.tickets, ser.paper.width_dots) == ("/dev/ttyUSB0", 9600, ("kitchen",), 576)
    usb, _ = config_of(tmp_path, 'kind = "usb"\ndevice = "/dev/usb/lp0"\nstatus_queries = false\n')
    assert usb.where() == "/dev/usb/lp0" and not usb.status_queries


@pytest.mark.parametrize("section, field, message", [
    ('kind = "bluetooth"\n', "printer.kind", "must be one of none, network, serial, usb"),
    ('kind = "network"\n', "printer.address", "is missing"),
    ('kind = "network"\naddress = "printer:http"\n', "printer.address", 'must be "host:port"'),
    ('kind = "serial"\ndevice = "COM3"\n', "printer.device", "must be a device path"),
    ('kind = "usb"\ndevice = "/dev/usb/lp0"\nbaud = 9600\n', "printer.baud", 'only for kind = "serial"'),
    ('kind = "network"\naddress = "10.0.0.9:9100"\ntickets = ["receipt", "menu"]\n', "printer.tickets[1]",
     "must be one of receipt, kitchen"),
    ('kind = "network"\naddress = "10.0.0.9:9100"\ntickets = []\n', "printer.tickets", "names no ticket"),
    ('kind = "network"\naddress = "10.0.0.9:9100"\npaper_mm = 76\n', "printer.paper_mm", "must be one of 80, 58"),
    ('kind = "network"\naddress = "10.0.0.9:9100"\nprot = 9100\n', "printer.prot", "unknown field"),
])
def test_a_mistake_is_one_located_line(tmp_path, section, field, message):
    with pytest.raises(ConfigError) as err:
        config_of(tmp_path, section)
    text = str(err.value)
    assert err.value.field == field and message in text
    lines = (CAFE.read_text(encoding="utf-8") + "\n[printer]\n" + section).splitlines()
    assert err.value.line is not None and field.split(".")[1].split("[")[0] in lines[err.value.line - 1] \
        or lines[err.value.line - 1] == "[printer]"


def test_check_config_exits_2_with_the_line(tmp_path, capsys):
    _, path = config_of(tmp_path, 'kind = "network"\naddress = "10.0.0.9:9100"\n')
    assert kiosk_cli(["--check-config", str(path)]) == 0
    path.write_text(path.read_text(encoding="utf-8").replace('"10.0.0.9:9100"', '"10.0.0.9:99999"'),
                    encoding="utf-8")
    assert kiosk_cli(["--check-config", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "kiosk.toml:" in err and "printer.address" in err


def test_the_commented_example_in_cafe_toml_is_valid(tmp_path):
    """examples/cafe.toml shows a [printer] block, commented out: uncommented, it loads."""
    text = CAFE.read_text(encoding="utf-8")
    block = text[text.index("# [printer]"):]
    lines = [ln[2:] for ln in block.splitlines() if ln.startswith("# ") and not ln.startswith("# #")]
    path = tmp_path / "kiosk.toml"
    path.write_text(text + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
    config = from_table(load_kiosk(path).section("printer"))
    assert (config.kind, config.host, config.port, config.paper.width_dots) == ("network", "192.168.0.50", 9100, 576)
