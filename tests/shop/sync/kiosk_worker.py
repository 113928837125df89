"""A kiosk's shop side in its own process, taking orders at a steady rate (fault tests).

    python kiosk_worker.py KIOSK_FILE COUNT INTERVAL_S

Opens the shop as the kiosk does (Shop.open: local SQLite, outbox, forwarder) and places
COUNT orders, one every INTERVAL_S; after each commit it prints the number a customer
would be shown (``shown <local id> <number> <total>``), flushed, so a test that SIGKILLs
it knows exactly which numbers customers saw. Then it waits until the outbox is empty.
"""

from __future__ import annotations

import sys
import time

from untact.shop.service import Shop


def main() -> int:
    kiosk_file, count, interval = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    shop = Shop.open(kiosk_file)
    assert shop.sync is not None
    start = time.monotonic()
    for i in range(count):
        time.sleep(max(0.0, start + i * interval - time.monotonic()))
        total = 4500 + 500 * (i % 3)
        order = shop.orders.place([{"item": "americano", "qty": 1, "price": total}], total, "ko")
        print(f"shown {order.id} {order.number} {order.total}", flush=True)
    while shop.sync.status().pending:
        time.sleep(0.1)
    print("done", flush=True)
    shop.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
