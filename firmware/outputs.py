"""Outputs: the RGB status LED and the buzzer, each on PWM channels passed in."""


class StatusLed:
    """A common-cathode RGB LED on three PWM outputs; colour as 0..255 per channel."""

    def __init__(self, red, green, blue):
        self.channels = (red, green, blue)
        self.colour = (0, 0, 0)
        for ch in self.channels:
            ch.freq(1000)
        self.set(0, 0, 0)

    def set(self, r, g, b):
        self.colour = (r, g, b)
        for ch, v in zip(self.channels, self.colour):
            ch.duty_u16(v * 257)


class Buzzer:
    """A passive buzzer on one PWM output; ``beep`` starts a tone, ``update`` ends it.

    Non-blocking: the main loop calls update(now) every pass.
    """

    def __init__(self, pwm):
        self.pwm = pwm
        self.until = None
        self.hz = 0
        self.pwm.duty_u16(0)

    def beep(self, now, hz, ms):
        self.hz = hz
        self.pwm.freq(hz)
        self.pwm.duty_u16(32768)
        self.until = now + ms

    def update(self, now):
        if self.until is not None and now >= self.until:
            self.pwm.duty_u16(0)
            self.until = None
            self.hz = 0

    def sounding(self):
        return self.until is not None
