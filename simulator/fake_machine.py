"""A FAKE of MicroPython's ``machine`` module, for running the real firmware on CPython.

This is a mock by necessity: a laptop has no Pico pins. It fakes only what the firmware
touches (Pin, I2C, PWM, unique_id) and, behind the I2C bus, the two sensors' registers as
their datasheets describe them, so the real drivers (firmware/vl53l0x.py,
firmware/apds9960.py) run unchanged. :class:`FakeWorld` is what a person does in front of
the board (hand distance, swipes, presence, keys, earphones); the simulator drives it.
Each virtual board has its own FakeMachine: nothing here is module-global.
"""

from __future__ import annotations

import collections
import errno
import threading
import time

from untact.firmware import wiring

SWIPE_FRAMES = 12


class FakeWorld:
    """The physical world around one board; every setter is thread-safe."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.distance: int | None = None  # mm from the sensor to the hand/person; None = nothing
        self.distance_script: collections.deque[int | None] = collections.deque()
        self.pir = False
        self.jack_inserted = False
        self.keys_down: dict[str, collections.deque[list]] = {}  # name -> queued presses
        self.key_hold_s = 0.03
        self.gesture_fifo: collections.deque[tuple[int, int, int, int]] = collections.deque()
        self.led = (0, 0, 0)
        self.buzzer_hz = 0
        self.i2c_broken = False  # a loose sensor cable: every I2C transfer fails

    def set_distance(self, mm: int | None) -> None:
        with self.lock:
            self.distance_script.clear()
            self.distance = mm

    def script_distance(self, samples: list[int | None], then: int | None) -> None:
        """Deliver ``samples`` one per sensor reading, then stay at ``then``."""
        with self.lock:
            self.distance_script.extend(samples)
            self.distance_script.append(then)

    def next_distance(self) -> tuple[bool, int | None]:
        """(new sample?, mm) for the fake ToF: scripted samples first, else the level."""
        with self.lock:
            if self.distance_script:
                value = self.distance_script.popleft()
                if not self.distance_script:
                    self.distance = value
                return True, value
            return True, self.distance

    def press(self, key: str) -> None:
        """Queue one press of ``key``; presses of one key follow each other in order."""
        with self.lock:
            self.keys_down.setdefault(key, collections.deque()).append([0.0, 0, 0])

    def key_level(self, key: str) -> int:
        """Pin level for a key (pull-up: 0 while pressed). Each press is held down, then
        released, each until the firmware has read it for key_hold_s and at least 3 times,
        so a busy machine cannot make the firmware miss one."""
        with self.lock:
            presses = self.keys_down.get(key)
            if not presses:
                return 1
            state = presses[0]  # [phase start, reads in phase, phase: 0 down / 1 up]
            now = time.monotonic()
            if state[1] == 0:
                state[0] = now
            state[1] += 1
            level = state[2]
            if state[1] >= 3 and now - state[0] >= self.key_hold_s:
                if state[2] == 0:
                    state[:] = [0.0, 0, 1]
                else:
                    presses.popleft()
            return level

    def idle(self) -> bool:
        """Nothing queued: every press released, swipe and push scripts played out."""
        with self.lock:
            return (not any(self.keys_down.values()) and not self.gesture_fifo
                    and not self.distance_script)

    def swipe(self, direction: str) -> None:
        """A hand passing over the APDS-9960 toward ``direction``'s photodiode."""
        frames = []
        for i in range(SWIPE_FRAMES):
            x = i / (SWIPE_FRAMES - 1)
            a, b = int(20 + 200 * (1 - x)), int(20 + 200 * x)  # from one side to the other
            if direction == "right":
                frames.append((110, 110, a, b))
            elif direction == "left":
                frames.append((110, 110, b, a))
            elif direction == "down":
                frames.append((a, b, 110, 110))
            elif direction == "up":
                frames.append((b, a, 110, 110))
            else:
                raise ValueError(f"swipe must be left, right, up or down, not {direction!r}")
        with self.lock:
            self.gesture_fifo.extend(frames)


class FakeVL53L0X:
    """Register-level fake of the VL53L0X: model id, stop variable, continuous ranging."""

    def __init__(self, world: FakeWorld) -> None:
        self.world = world
        self.regs = bytearray(256)
        self.regs[0xC0] = 0xEE
        self.regs[0x91] = 0x3C
        self.ready = False
        self.range_mm = 8190

    def read(self, reg: int, n: int) -> bytes:
        if reg == 0x13:
            if self.regs[0x00] & 0x02 and not self.ready:
                fresh, mm = self.world.next_distance()
                if fresh:
                    self.range_mm = 8190 if mm is None else max(0, min(8190, int(mm)))
                    self.ready = True
            return bytes([0x07 if self.ready else 0x00])
        if reg == 0x1E and n == 2:
            return bytes([self.range_mm >> 8, self.range_mm & 0xFF])
        return bytes(self.regs[reg:reg + n])

    def write(self, reg: int, data: bytes) -> None:
        if reg == 0x0B and data and data[0] & 0x01:
            self.ready = False
            return
        self.regs[reg:reg + len(data)] = data


class FakeAPDS9960:
    """Register-level fake of the APDS-9960 gesture FIFO (GSTATUS, GFLVL, GFIFO)."""

    def __init__(self, world: FakeWorld) -> None:
        self.world = world
        self.regs = bytearray(256)
        self.regs[0x92] = 0xAB

    def read(self, reg: int, n: int) -> bytes:
        w = self.world
        with w.lock:
            level = min(32, len(w.gesture_fifo))
            if reg == 0xAF:
                return bytes([0x01 if level else 0x00])
            if reg == 0xAE:
                return bytes([level])
            if reg == 0xAB:
                return bytes([0x01 if level else 0x00])
            if reg == 0x9C:
                return bytes([200 if level else 0])
            if reg == 0xFC:
                out = bytearray()
                for _ in range(min(level, n // 4)):
                    out.extend(w.gesture_fifo.popleft())
                return bytes(out)
        return bytes(self.regs[reg:reg + n])

    def write(self, reg: int, data: bytes) -> None:
        self.regs[reg:reg + len(data)] = data


class FakeMachine:
    """What ``import machine`` gives the firmware, bound to one board's FakeWorld."""

    def __init__(self, world: FakeWorld, uid: bytes = b"\xe6\x61\x40\x00\x00\x00\x00\x01") -> None:
        self.world = world
        self.uid = uid
        devices: dict[int, FakeVL53L0X | FakeAPDS9960] = {0x29: FakeVL53L0X(world),
                                                         0x39: FakeAPDS9960(world)}
        key_by_pin = {pin: name for name, pin in wiring.KEYS.items()}
        pwm_by_pin: dict[int, int] = {}

        class Pin:
            IN, OUT, PULL_UP, PULL_DOWN = 0, 1, 1, 2

            def __init__(self, n: int, mode: int = -1, pull: int = -1) -> None:
                self.n, self.mode, self.out = n, mode, 0

            def value(self, v: int | None = None) -> int | None:
                if v is not None:
                    self.out = 1 if v else 0
                    return None
                if self.n in key_by_pin:
                    return world.key_level(key_by_pin[self.n])
                if self.n == wiring.PIR:
                    return 1 if world.pir else 0
                if self.n == wiring.JACK_DETECT:
                    return 0 if world.jack_inserted else 1  # switch to GND when inserted
                return self.out

        class I2C:
            def __init__(self, bus_id: int, scl: Pin | None = None, sda: Pin | None = None,
                         freq: int = 400_000) -> None:
                self.bus_id = bus_id

            def scan(self) -> list[int]:
                return sorted(devices)

            def readfrom_mem(self, addr: int, reg: int, n: int) -> bytes:
                if addr not in devices or world.i2c_broken:
                    raise OSError(errno.ENODEV, "no device at address")
                return devices[addr].read(reg, n)

            def writeto_mem(self, addr: int, reg: int, data: bytes) -> None:
                if addr not in devices or world.i2c_broken:
                    raise OSError(errno.ENODEV, "no device at address")
                devices[addr].write(reg, bytes(data))

        class PWM:
            def __init__(self, pin: Pin) -> None:
                self.n = pin.n
                self._freq = 1000

            def freq(self, hz: int | None = None) -> int | None:
                if hz is None:
                    return self._freq
                self._freq = hz
                return None

            def duty_u16(self, duty: int) -> None:
                pwm_by_pin[self.n] = duty
                with world.lock:
                    red, green, blue = (round(pwm_by_pin.get(p, 0) / 257) for p in
                                        (wiring.LED_RED, wiring.LED_GREEN, wiring.LED_BLUE))
                    world.led = (red, green, blue)
                    if self.n == wiring.BUZZER:
                        world.buzzer_hz = self._freq if duty else 0

        self.Pin, self.I2C, self.PWM = Pin, I2C, PWM

    def unique_id(self) -> bytes:
        return self.uid
