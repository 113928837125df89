"""APDS-9960 gesture and proximity sensor on I2C (address 0x39).

Takes the I2C bus as an argument. The sensor's gesture engine starts by itself when a
hand comes closer than the enter threshold and fills a 32-entry FIFO with datasets of the
four photodiodes (up, down, left, right). ``read_datasets()`` empties the FIFO without
blocking; the swipe is decided on the board by gestures.SwipeDetector from those raw
datasets, so its thresholds can be changed from the host.
"""

ADDRESS = 0x39
IDS = (0xAB, 0xA8, 0x9C)  # APDS-9960 and its common clones

REG_ENABLE = 0x80
REG_PPULSE = 0x8E
REG_CONTROL = 0x8F
REG_ID = 0x92
REG_PDATA = 0x9C
REG_GPENTH = 0xA0
REG_GEXTH = 0xA1
REG_GCONF1 = 0xA2
REG_GCONF2 = 0xA3
REG_GPULSE = 0xA6
REG_GCONF4 = 0xAB
REG_GFLVL = 0xAE
REG_GSTATUS = 0xAF
REG_GFIFO_U = 0xFC

ENABLE_PON = 0x01
ENABLE_PEN = 0x04
ENABLE_GEN = 0x40


class APDS9960:
    def __init__(self, i2c, address=ADDRESS):
        self.i2c = i2c
        self.address = address
        if self._read(REG_ID) not in IDS:
            raise OSError("APDS-9960 not found at 0x%02X" % address)
        self._write(REG_ENABLE, 0x00)
        self._write(REG_PPULSE, 0x89)  # 16 us, 10 pulses
        self._write(REG_CONTROL, 0x05)  # 4x proximity gain, 100 mA LED
        self._write(REG_GPENTH, 40)  # gesture engine starts when proximity > 40 ...
        self._write(REG_GEXTH, 30)  # ... and stops below 30
        self._write(REG_GCONF1, 0x40)  # FIFO interrupt after 4 datasets
        self._write(REG_GCONF2, 0x41)  # 4x gesture gain, 100 mA, 2.8 ms between datasets
        self._write(REG_GPULSE, 0xC9)  # 32 us, 10 pulses
        self._write(REG_ENABLE, ENABLE_PON | ENABLE_PEN | ENABLE_GEN)

    def proximity(self):
        """0 (nothing) .. 255 (very close)."""
        return self._read(REG_PDATA)

    def gesture_active(self):
        """True while the gesture engine runs (a hand is over the sensor)."""
        return bool(self._read(REG_GCONF4) & 0x01)

    def read_datasets(self):
        """All datasets waiting in the FIFO as (up, down, left, right) tuples; [] if none."""
        if not self._read(REG_GSTATUS) & 0x01:
            return []
        level = self._read(REG_GFLVL)
        if level <= 0:
            return []
        if level > 32:
            level = 32
        raw = self.i2c.readfrom_mem(self.address, REG_GFIFO_U, 4 * level)
        out = []
        for i in range(0, len(raw) - 3, 4):
            out.append((raw[i], raw[i + 1], raw[i + 2], raw[i + 3]))
        return out

    def _read(self, reg):
        return self.i2c.readfrom_mem(self.address, reg, 1)[0]

    def _write(self, reg, value):
        self.i2c.writeto_mem(self.address, reg, bytes((value & 0xFF,)))
