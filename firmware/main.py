"""The sensor board's program: build the devices from the wiring table, then loop.

MicroPython runs this file after boot.py. ``main()`` takes ``machine``, the serial
``port`` and the ``clock`` as arguments so the simulator can run this same file on CPython
with a fake machine and a pseudo-terminal (untact.simulator.virtual_board). A sensor that
does not answer on the bus is left out and the board carries on with the rest.
"""

import time

try:
    from untact.firmware import board, gestures, wiring
    from untact.firmware.apds9960 import APDS9960
    from untact.firmware.inputs import JackDetect, Keypad, Switch
    from untact.firmware.outputs import Buzzer, StatusLed
    from untact.firmware.vl53l0x import VL53L0X
except ImportError:
    import board
    import gestures
    import wiring
    from apds9960 import APDS9960
    from inputs import JackDetect, Keypad, Switch
    from outputs import Buzzer, StatusLed
    from vl53l0x import VL53L0X


class TicksClock:
    """Milliseconds since start as a growing int, built from MicroPython's wrapping ticks."""

    def __init__(self):
        self.last = time.ticks_ms()  # type: ignore[attr-defined]
        self.total = 0

    def ms(self):
        now = time.ticks_ms()  # type: ignore[attr-defined]
        self.total += time.ticks_diff(now, self.last)  # type: ignore[attr-defined]
        self.last = now
        return self.total

    def sleep_ms(self, ms):
        time.sleep_ms(ms)  # type: ignore[attr-defined]


def board_id_from(machine):
    try:
        uid = machine.unique_id()
        return "pico-" + "".join("%02x" % b for b in uid[-4:])
    except Exception:
        return "pico-unknown"


def boot_nonce():
    try:
        import os

        raw = os.urandom(4)
    except Exception:
        raw = bytes((time.ticks_ms() & 0xFF,))  # type: ignore
    return "".join("%02x" % b for b in raw)


def build(machine, port, clock, board_id=None, boot=None, on_event=None):
    """Every device on its pins, wrapped in a Board; absent sensors become None."""
    Pin = machine.Pin
    t = gestures.Thresholds()
    xshut = Pin(wiring.TOF_XSHUT, Pin.OUT)
    xshut.value(1)
    i2c = machine.I2C(wiring.I2C_ID, scl=Pin(wiring.I2C_SCL), sda=Pin(wiring.I2C_SDA),
                      freq=wiring.I2C_FREQ)
    tof = None
    gesture = None
    try:
        tof = VL53L0X(i2c)
    except OSError:
        pass
    try:
        gesture = APDS9960(i2c)
    except OSError:
        pass
    pir = Switch(Pin(wiring.PIR, Pin.IN, Pin.PULL_DOWN))
    keys = {}
    for name in wiring.KEYS:
        keys[name] = Pin(wiring.KEYS[name], Pin.IN, Pin.PULL_UP)
    keypad = Keypad(keys, t)
    jack = JackDetect(Pin(wiring.JACK_DETECT, Pin.IN, Pin.PULL_UP), t)

    def pwm(n):
        return machine.PWM(Pin(n))

    led = StatusLed(pwm(wiring.LED_RED), pwm(wiring.LED_GREEN), pwm(wiring.LED_BLUE))
    buzzer = Buzzer(pwm(wiring.BUZZER))
    return board.Board(port, clock, board_id or board_id_from(machine), boot or boot_nonce(),
                       t, tof=tof, gesture=gesture, pir=pir, keypad=keypad, jack=jack,
                       led=led, buzzer=buzzer, on_event=on_event)


def main(machine=None, port=None, clock=None, should_stop=None, loop_ms=2, board_id=None,
         boot=None, on_event=None):
    if machine is None:
        import machine
    if port is None:
        from usb_port import StdioPort

        port = StdioPort()
    if clock is None:
        clock = TicksClock()
    b = build(machine, port, clock, board_id, boot, on_event)
    b.run(should_stop, loop_ms)
    return b


if __name__ == "__main__":
    main()
