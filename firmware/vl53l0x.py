"""VL53L0X time-of-flight distance sensor on I2C (default address 0x29).

The driver takes the I2C bus as an argument (no module globals). It runs the sensor in
continuous back-to-back mode and reads without blocking: ``read_mm()`` returns a new
distance when the sensor has one, else None, so the main loop never waits on it.

Init is ST's documented minimum (2V8 I/O, standard I2C mode, the stop variable, new-sample
interrupt, continuous start). ST's full tuning table and SPAD/reference calibration are not
applied: ranges are a little noisier than with ST's API, which the gesture thresholds absorb.
"""

ADDRESS = 0x29
MODEL_ID = 0xEE
OUT_OF_RANGE = 8190  # the sensor's own "nothing seen" value

REG_SYSRANGE_START = 0x00
REG_SYSTEM_INTERRUPT_CONFIG_GPIO = 0x0A
REG_SYSTEM_INTERRUPT_CLEAR = 0x0B
REG_RESULT_INTERRUPT_STATUS = 0x13
REG_RESULT_RANGE_MM = 0x1E  # RESULT_RANGE_STATUS + 10: two bytes, big-endian
REG_I2C_MODE = 0x88
REG_VHV_CONFIG_PAD = 0x89
REG_MODEL_ID = 0xC0


class VL53L0X:
    def __init__(self, i2c, address=ADDRESS):
        self.i2c = i2c
        self.address = address
        if self._read(REG_MODEL_ID) != MODEL_ID:
            raise OSError("VL53L0X not found at 0x%02X" % address)
        self._write(REG_VHV_CONFIG_PAD, self._read(REG_VHV_CONFIG_PAD) | 0x01)  # 2V8 I/O
        self._write(REG_I2C_MODE, 0x00)
        self._write(0x80, 0x01)
        self._write(0xFF, 0x01)
        self._write(0x00, 0x00)
        self.stop_variable = self._read(0x91)
        self._write(0x00, 0x01)
        self._write(0xFF, 0x00)
        self._write(0x80, 0x00)
        self._write(REG_SYSTEM_INTERRUPT_CONFIG_GPIO, 0x04)  # interrupt on new sample
        self._write(REG_SYSTEM_INTERRUPT_CLEAR, 0x01)
        self.start()

    def start(self):
        """Continuous back-to-back ranging."""
        for reg, val in ((0x80, 0x01), (0xFF, 0x01), (0x00, 0x00), (0x91, self.stop_variable),
                         (0x00, 0x01), (0xFF, 0x00), (0x80, 0x00)):
            self._write(reg, val)
        self._write(REG_SYSRANGE_START, 0x02)

    def read_mm(self):
        """The newest distance in mm (OUT_OF_RANGE when nothing is seen), or None if none is new."""
        if self._read(REG_RESULT_INTERRUPT_STATUS) & 0x07 == 0:
            return None
        data = self.i2c.readfrom_mem(self.address, REG_RESULT_RANGE_MM, 2)
        self._write(REG_SYSTEM_INTERRUPT_CLEAR, 0x01)
        mm = (data[0] << 8) | data[1]
        return OUT_OF_RANGE if mm >= OUT_OF_RANGE else mm

    def _read(self, reg):
        return self.i2c.readfrom_mem(self.address, reg, 1)[0]

    def _write(self, reg, value):
        self.i2c.writeto_mem(self.address, reg, bytes((value & 0xFF,)))
