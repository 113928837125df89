"""Digital inputs: the PIR presence sensor, the tactile keypad and the earphone-jack switch.

Each takes its machine.Pin objects as arguments, already configured by main.py.
"""

try:
    from untact.firmware.gestures import Debouncer
except ImportError:
    from gestures import Debouncer


class Switch:
    """A plain digital input (the PIR's output); ``active()`` hides the polarity."""

    def __init__(self, pin, active_low=False):
        self.pin = pin
        self.active_low = active_low

    def active(self):
        v = self.pin.value()
        return (not v) if self.active_low else bool(v)


class Keypad:
    """Tactile keys to ground with pull-ups; debounced, one event per press.

    ``pins`` maps key names (protocol.KEYS) to Pin objects.
    """

    def __init__(self, pins, thresholds):
        self.pins = pins
        self.debouncers = {}
        for name in pins:
            self.debouncers[name] = Debouncer(thresholds, False)

    def poll(self, now):
        """Names of the keys that became pressed since the last poll."""
        pressed = []
        for name in self.pins:
            level = not self.pins[name].value()
            if self.debouncers[name].update(now, level) is True:
                pressed.append(name)
        return pressed

    def held(self):
        return [name for name in self.pins if self.debouncers[name].stable]


class JackDetect:
    """The earphone socket's detect switch; debounced; ``poll`` returns True/False on change."""

    def __init__(self, pin, thresholds, inserted_low=True):
        self.switch = Switch(pin, inserted_low)
        self.debouncer = Debouncer(thresholds, self.switch.active())

    def inserted(self):
        return self.debouncer.stable

    def poll(self, now):
        return self.debouncer.update(now, self.switch.active())
