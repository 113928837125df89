"""A kiosk process for the crash test: orders by intents, prints the number once shown.

Usage: python kiosk_child.py DATA_DIR   (prints "SHOWN <n>" then keeps running)
"""

import sys
from pathlib import Path

from untact.accessibility.intents import Kind
from untact.simulator.driver import KioskDriver

CAFE = Path(__file__).resolve().parents[2] / "examples" / "cafe.toml"

kiosk = KioskDriver(CAFE, data_dir=sys.argv[1]).start()
print("ORDERS", " ".join(str(o.number) for o in kiosk.store.for_day()), flush=True)
kiosk.send(Kind.SELECT)
kiosk.choose("한국어")
kiosk.choose("커피")
kiosk.choose("아메리카노")
kiosk.choose("담기")
kiosk.choose("주문하기")
kiosk.choose("카운터")
kiosk.wait_until(lambda: kiosk.screen == "done")
kiosk.pump(1)  # the frame with the number has been drawn
print("SHOWN", kiosk.app.sm.get_screen("done").ids.number.text, flush=True)
while True:
    kiosk.pump()
