"""Runs before main.py on every power-up (MicroPython convention).

Keep it tiny: a mistake here stops the board before USB is usable. It only frees memory;
the USB serial and the REPL stay enabled, so `make flash` (mpremote) can always get in.
"""

import gc

gc.collect()
