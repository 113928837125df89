"""A test rig: virtual boards (the real firmware on real pseudo-terminals) and a host link."""

from __future__ import annotations

import time

from untact.accessibility.bus import InputBus
from untact.hardware.boards.config import BoardsConfig
from untact.hardware.boards.link import BoardLink
from untact.simulator.virtual_board import VirtualBoard


class Rig:
    """Boards in ``dev`` (as ttyACM<n> names), a link watching them, a bus collecting intents."""

    def __init__(self, dev, **config):
        self.dev = dev
        self.bus = InputBus(maxlen=100_000)
        self.intents = []
        self.bus.subscribe(self.intents.append)
        cfg = dict(ports=(str(dev / "ttyACM*"),), scan_s=0.02, lost_after_s=1.0,
                   heartbeat_s=0.2, handshake_s=1.0, command_timeout_s=0.5,
                   thresholds={"debounce_ms": 5})
        cfg.update(config)
        self.config = BoardsConfig(**cfg)
        self.link = BoardLink(self.bus, self.config)
        self.boards: list[VirtualBoard] = []

    def board(self, board_id="sim-1", start=True) -> VirtualBoard:
        b = VirtualBoard(board_id, link_dir=self.dev)
        self.boards.append(b)
        return b.start() if start else b

    def connected(self, board: VirtualBoard, after: float = 0.0, timeout: float = 5.0) -> bool:
        """The link has the board connected on its current port since ``after``."""
        return self.link.wait_for(
            lambda st: any(s.board_id == board.board_id and s.state == "connected"
                           and s.port == board.port and s.since >= after for s in st), timeout)

    def lost(self, board: VirtualBoard, timeout: float = 5.0) -> bool:
        return self.link.wait_for(
            lambda st: any(s.board_id == board.board_id and s.state == "lost" for s in st),
            timeout)

    def drain_until(self, count: int, timeout: float = 5.0) -> list:
        """Drain the bus (as the UI thread would) until ``count`` intents arrived (bounded)."""
        deadline = time.monotonic() + timeout
        while len(self.intents) < count and time.monotonic() < deadline:
            self.bus.drain()
            time.sleep(0.002)
        self.bus.drain()
        return self.intents

    def wait_for(self, condition, timeout: float = 5.0, what: str = "") -> None:
        """Drain the bus (as the UI thread would) until ``condition()`` holds (bounded)."""
        deadline = time.monotonic() + timeout
        while True:
            self.bus.drain()
            if condition():
                return
            assert time.monotonic() < deadline, f"timed out waiting for {what or condition}"
            time.sleep(0.002)

    def close(self):
        self.link.stop()
        for b in self.boards:
            b.stop()
            assert b.crashed is None, f"firmware crashed: {b.crashed!r}"
