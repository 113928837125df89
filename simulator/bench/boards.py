"""Sensor boards: event-to-intent latency through Kivy, and protocol decoding speed.

board_event_to_intent_p50/p99_ms: a VirtualBoard (the real firmware) over a real pty
sends key events at 100 per second; each is timed from the moment the firmware made the
event to the moment a subscriber on Kivy's main thread receives the intent (a minimal
real Kivy App, offscreen, the bus attached with attach_bus_to_kivy). Reference in the same
run: the same events timed only up to the link's reader thread (board_event_to_link_*),
which shows what waiting for Kivy's next frame adds. Target: p99 under 20 ms.

protocol_decode_frames_per_s: CPython decoding a recorded-like stream of frames in
64-byte reads; reference: the frames per second a 115200-baud line can carry at all
(8N1: 11520 bytes/s) for the same frames. Target: at least 50x the line rate.

The Kivy part runs in a child process (Kivy's window and clock are per process).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from . import metric, percentile

if TYPE_CHECKING:
    from untact.accessibility.intents import Intent

EVENTS = 600
RATE_HZ = 100
KEYS = ("right", "left", "down", "up", "ok", "back", "help", "vol_up", "vol_down")


def run():
    yield from decode_speed()
    yield from latency_in_child()


def decode_speed():
    from untact.firmware import protocol

    frames = []
    for i in range(2000):
        frames.append(protocol.encode("E", i % 65536, ["key", KEYS[i % len(KEYS)]]))
        if i % 10 == 0:
            frames.append(protocol.encode("B", i % 65536))
        if i % 50 == 0:
            frames.append(protocol.encode("E", i % 65536, ["swipe", "right"]))
    stream = b"".join(frames)
    chunks = [stream[i:i + 64] for i in range(0, len(stream), 64)]
    rates = []
    for _ in range(7):
        d = protocol.Decoder()
        t0 = time.perf_counter()
        for c in chunks:
            d.feed(c)
        dt = time.perf_counter() - t0
        assert d.frames == len(frames) and d.bad == 0
        rates.append(len(frames) / dt)
    rates.sort()
    line_rate = (115200 / 10) / (len(stream) / len(frames))
    decode = rates[len(rates) // 2]
    yield metric("protocol_decode_frames_per_s", decode, "frames/s",
                 reference_line_rate_frames_per_s=round(line_rate, 1),
                 times_line_rate=round(decode / line_rate, 1),
                 mean_frame_bytes=round(len(stream) / len(frames), 1), runs=len(rates))
    yield metric("protocol_line_rate_115200_frames_per_s", line_rate, "frames/s")


def latency_in_child():
    env = dict(os.environ)
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    env.setdefault("KIVY_NO_ARGS", "1")
    env.setdefault("KIVY_NO_CONSOLELOG", "1")
    for clock in ("default", "interrupt"):
        env["KIVY_CLOCK"] = clock
        proc = subprocess.run([sys.executable, "-m", "untact.simulator.bench.boards", "--child"],
                              capture_output=True, text=True, timeout=120, env=env)
        if proc.returncode != 0:
            raise RuntimeError(f"latency child failed: {proc.stderr.strip()[-800:]}")
        result = json.loads(proc.stdout.strip().splitlines()[-1])
        suffix = "" if clock == "default" else "_interrupt_clock"
        to_ui, to_link = result["to_ui_ms"], result["to_link_ms"]
        for q in (50, 99):
            yield metric(f"board_event_to_intent_p{q}_ms{suffix}", percentile(to_ui, q), "ms",
                         reference=f"board_event_to_link_p{q}_ms{suffix}", events=len(to_ui),
                         rate_hz=RATE_HZ, kivy_clock=clock)
            yield metric(f"board_event_to_link_p{q}_ms{suffix}", percentile(to_link, q), "ms",
                         events=len(to_link))


def child() -> None:
    """Run a real Kivy App offscreen and time board events to intents on its main thread."""
    from kivy.app import App
    from kivy.clock import Clock
    from kivy.uix.widget import Widget
    from untact.accessibility.bus import InputBus
    from untact.accessibility.kivy_adapter import attach_bus_to_kivy
    from untact.hardware.boards.config import BoardsConfig
    from untact.hardware.boards.link import BoardLink

    from ..virtual_board import VirtualBoard

    main_thread = threading.get_ident()
    bus = InputBus(maxlen=10_000)
    delivered: list[tuple[float, Intent]] = []
    at_link: list[float] = []
    tmp = Path(tempfile.mkdtemp(prefix="untact-bench-"))
    board = VirtualBoard("bench-1", link_dir=tmp, loop_ms=1)
    board.world.key_hold_s = 0.006
    link = BoardLink(bus, BoardsConfig(ports=(str(tmp / "ttyACM*"),), scan_s=0.02,
                                       thresholds={"debounce_ms": 3}))
    link.add_listener(lambda ev: at_link.append(ev.received))
    done = threading.Event()

    class Probe(App):
        def build(self):
            return Widget()

        def on_start(self):
            attach_bus_to_kivy(bus)
            bus.subscribe(self.on_intent)
            Clock.schedule_once(lambda _dt: self.stop(), 60)
            threading.Thread(target=drive, daemon=True).start()

        def on_intent(self, intent):
            assert threading.get_ident() == main_thread
            delivered.append((time.perf_counter(), intent))
            if len(delivered) >= EVENTS:
                self.stop()

    def drive():
        board.start()
        link.start()
        if not link.wait_for(lambda st: bool(st) and st[0].state == "connected", 5):
            raise RuntimeError("virtual board did not connect")
        board.wait_connected()
        time.sleep(0.2)  # thresholds pushed on connect are applied
        t_next = time.perf_counter()
        for i in range(EVENTS):
            board.press(KEYS[i % len(KEYS)])
            t_next += 1 / RATE_HZ
            delay = t_next - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
        done.set()

    try:
        Probe().run()
    finally:
        link.stop()
        board.stop()
    sent = board.events
    n = min(len(sent), len(delivered), len(at_link))
    if n < EVENTS * 0.95:
        raise RuntimeError(f"only {len(delivered)} of {len(sent)} events reached the UI")
    from untact.hardware.boards.intents import event_to_intent

    for i in range(n):  # the i-th intent is the i-th event's, or the timing means nothing
        want = event_to_intent(sent[i].name, str(sent[i].value), "bench-1")
        if want is None or want.kind != delivered[i][1].kind:
            raise RuntimeError(f"event {i} ({sent[i].name} {sent[i].value}) does not match "
                               f"intent {delivered[i][1]}")
    to_ui = [(delivered[i][0] - sent[i].created) * 1000 for i in range(n)]
    to_link = [(at_link[i] - sent[i].created) * 1000 for i in range(n)]
    print(json.dumps({"to_ui_ms": to_ui, "to_link_ms": to_link}))


if __name__ == "__main__" and "--child" in sys.argv:
    child()
