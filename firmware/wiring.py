"""Which Pico pin goes where (GPxx numbers). The same table is in README.md."""

I2C_ID = 0
I2C_SDA = 4
I2C_SCL = 5
I2C_FREQ = 400000
PIR = 6
GESTURE_INT = 7  # APDS-9960 INT: wired for later use, polled today
JACK_DETECT = 8  # earphone socket's detect switch: to GND when a plug is in
TOF_XSHUT = 9  # VL53L0X shutdown: held high
KEYS = {
    "up": 10,
    "down": 11,
    "left": 12,
    "right": 13,
    "ok": 14,
    "back": 15,
    "help": 16,
    "vol_up": 17,
    "vol_down": 18,
}
LED_RED = 19
LED_GREEN = 20
LED_BLUE = 21
BUZZER = 22
