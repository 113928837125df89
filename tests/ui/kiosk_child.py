"""A kiosk process for the crash test: orders by intents, prints the number once shown.

Usage: python kiosk_child.py DATA_DIR   (prints "SHOWN <n>" then keeps running)
"""

import sys
from pathlib import Path

from untact.simulator.driver import KioskDriver

CAFE = Path(__file__).resolve().parents[2] / "examples" / "cafe.toml"

kiosk = KioskDriver(CAFE, data_dir=sys.argv[1]).start()
print("ORDERS", " ".join(str(o.number) for o in kiosk.store.for_day()), flush=True)
shown = kiosk.order("커피", "아메리카노")
kiosk.pump(1)  # the frame with the number has been drawn
print("SHOWN", shown, flush=True)
while True:
    kiosk.pump()
