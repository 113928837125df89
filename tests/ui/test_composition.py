"""The composition root decides which devices are real, simulated or off, and which
payment method a kiosk gets: the simulator's card terminal only through its override."""

from __future__ import annotations

from pathlib import Path

import pytest
from untact.accessibility.config import ConfigError
from untact.shop.menu import load_kiosk
from untact.shop.orders import OrderStore
from untact.shop.payment import CounterPayment
from untact.simulator.card_terminal import SimulatedCardTerminal, payment_method
from untact.ui.composition import OFF, KioskComposition, Overrides

CAFE = Path(__file__).resolve().parents[2] / "examples" / "cafe.toml"
CARD = '\n[payment]\nmethod = "simulated_card"\n[payment.simulated_card]\nmode = "decline"\n'
NO_DEVICES = {"voice": OFF, "camera": OFF, "board_ports": OFF, "start": "now"}


@pytest.fixture
def store(tmp_path):
    s = OrderStore(tmp_path / "data")
    yield s
    s.close()


def card_kiosk(tmp_path):
    path = tmp_path / "kiosk.toml"
    path.write_text(CAFE.read_text(encoding="utf-8") + CARD, encoding="utf-8")
    return load_kiosk(path)


def test_only_the_simulators_override_gives_the_simulated_card_terminal(tmp_path, store):
    kiosk = card_kiosk(tmp_path)
    with pytest.raises(ConfigError, match=r"kiosk\.toml:\d+: payment\.method: \"simulated_card\""):
        KioskComposition(kiosk, store, Overrides(**NO_DEVICES))
    sim = KioskComposition(kiosk, store, Overrides(payment=payment_method, **NO_DEVICES))
    try:
        assert isinstance(sim.shop.payment, SimulatedCardTerminal)
        assert sim.shop.payment.config.mode == "decline"
    finally:
        sim.close()


def test_devices_off_are_never_built_and_given_ports_are_used(store):
    kiosk = load_kiosk(CAFE)
    off = KioskComposition(kiosk, store, Overrides(**NO_DEVICES))
    try:
        assert isinstance(off.shop.payment, CounterPayment)
        assert (off.hardware.voice, off.hardware.camera, off.hardware.boards) == (None, None, None)
        assert off.devices.status is off.hardware.status  # what staff see is what runs
    finally:
        off.close()
    ports = KioskComposition(kiosk, store, Overrides(**{**NO_DEVICES, "board_ports": ("/dev/pts/untact-x",)},
                                                     board_scan_s=0.05))
    try:
        link = ports.hardware.boards
        assert link.config.ports == ("/dev/pts/untact-x",) and link.config.scan_s == 0.05
        assert ports.hardware.voice is None and ports.hardware.camera is None
    finally:
        ports.close()
