"""One kiosk's shop side in its own process, taking orders at a steady rate.

    python -m untact.simulator.shop_load KIOSK_FILE COUNT INTERVAL_S [--wait-for-go]

Opens the shop as a kiosk does (Shop.open: its SQLite, the outbox, the forwarder to the
shop server; the receipt printer of the file's ``[printer]``, as the kiosk's composition
attaches it) and places COUNT orders, one every INTERVAL_S (0: as fast as it can). After
each commit it prints the number a customer would be shown (``shown <local id> <number>
<total>``), flushed, so a fault test that SIGKILLs it knows exactly which numbers
customers saw. Then it waits until the outbox is empty and every ticket printed (for
what it has of these) and prints ``done``.
``--wait-for-go``: print ``ready`` once open and start on a line on stdin (benches start
several together). Used by tests/shop/sync and simulator/bench/shop_sync.py.
"""

from __future__ import annotations

import sys
import time

from untact.hardware.printer.service import PrintService
from untact.shop.service import Shop


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    kiosk_file, count, interval = args[0], int(args[1]), float(args[2])
    shop = Shop.open(kiosk_file)  # without [shop.server]: a kiosk alone, SQLite only
    printer = PrintService.for_shop(shop)
    if printer is not None:
        printer.start()
    if "--wait-for-go" in args:
        print("ready", flush=True)
        sys.stdin.readline()
    start = time.monotonic()
    for i in range(count):
        time.sleep(max(0.0, start + i * interval - time.monotonic()))
        total = 4500 + 500 * (i % 3)
        line = {"item": "americano", "name": {"ko": "아메리카노", "en": "Americano"}, "choices": {},
                "quantity": 1, "unit_price": total}  # as the kiosk's checkout stores it
        order = shop.orders.place([line], total, "ko")
        if shop.sync is not None:
            shop.sync.wake()
        print(f"shown {order.id} {order.number} {order.total}", flush=True)
    while ((shop.sync is not None and shop.sync.status().pending)
           or (printer is not None and printer.queue.waiting())):
        time.sleep(0.05)
    print("done", flush=True)
    if printer is not None:
        printer.stop()
    shop.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
