"""The printer's worker thread: prints queued tickets, retries with backoff, reports health.

Nothing waits on it: orders queue their tickets in their own transaction
(``attach``), and this thread prints them when the printer can take them. Each cycle
connects, asks the printer's state (DLE EOT), prints every queued ticket, and after each
one asks ``GS r 1``, which the printer answers only once it has processed the bytes
before it: a ticket is marked printed after that answer, never merely after writing.
A printer that is off, out of paper or unplugged is asked again after 0.5, 1, 2 ... 10 s.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from untact.shop.menu import Kiosk
from untact.shop.orders import Order, OrderStore
from untact.shop.tickets import Ticket, TicketLine, tickets_for

if TYPE_CHECKING:
    from untact.shop.service import Shop

from .config import PrinterConfig, from_table
from .escpos_render import FontMissing, render
from .queue import Job, PrintQueue, worker_token
from .status import OFFLINE, ONLINE, PrinterHealth, PrinterStatus, query_status
from .transports import PrinterUnavailable, Transport, open_transport

log = logging.getLogger(__name__)

CONFIRM = b"\x1dr\x01"  # GS r 1: answered in turn, after the ticket before it is processed
REPRINT = TicketLine("재출력 / REPRINT", "large", "center", bold=True)
BACKOFF_S = (0.5, 1.0, 2.0, 4.0, 8.0, 10.0)
IDLE_CHECK_S = 5.0  # how often an idle printer's state is asked (staff see a fault this soon)


class PrintService:
    def __init__(self, config: PrinterConfig, store: OrderStore, kiosk: Callable[[], Kiosk],
                 idle_check_s: float = IDLE_CHECK_S) -> None:
        self.config = config
        self.queue = PrintQueue(store.path, config.tickets)
        self.health = PrinterHealth()
        self._store, self._kiosk = store, kiosk
        self._idle_check_s = idle_check_s
        self._token = worker_token()
        self._wake = threading.Event()
        self._stopping = False
        self._faults = 0
        self._thread: threading.Thread | None = None
        store.on_placed(self._enqueue)

    @classmethod
    def for_shop(cls, shop: Shop, config: PrinterConfig | None = None) -> PrintService | None:
        """The printer of ``shop``'s kiosk file (its ``[printer]``, or ``config`` in its
        place), attached to the shop's orders (not started); None when there is none.
        Made before any order is placed: each order queues its tickets as it commits."""
        config = from_table(shop.menu.kiosk.section("printer")) if config is None else config
        return cls(config, shop.orders, lambda: shop.menu.kiosk) if config.enabled else None

    def _enqueue(self, db, order_id: int) -> None:  # in the order's transaction
        self.queue.enqueue_in(db, order_id)
        self._wake.set()  # the claim waits for the order's commit (BEGIN IMMEDIATE)

    def subscribe(self, fn: Callable[[PrinterStatus], None]) -> Callable[[], None]:
        return self.health.subscribe(fn)

    @property
    def status(self) -> PrinterStatus:
        return self.health.current

    def start(self) -> None:
        self.health.update(waiting=self.queue.waiting())
        self._thread = threading.Thread(target=self._run, name="printer", daemon=True)
        self._thread.start()

    def stop(self, timeout_s: float = 10.0) -> None:
        self._stopping = True
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout_s)  # the thread closes the queue as it ends
        else:
            self.queue.close()

    # -- the worker ----------------------------------------------------------------------
    def _run(self) -> None:
        try:
            self._loop()
        finally:
            self.queue.close()

    def _loop(self) -> None:
        while not self._stopping:
            delay = self._cycle()
            if self._faults:  # a fault: wait out the backoff, new orders just queue
                deadline = time.monotonic() + delay
                while not self._stopping and time.monotonic() < deadline:
                    self._wake.wait(deadline - time.monotonic())
                    self._wake.clear()
            else:
                self._wake.wait(delay)
                self._wake.clear()

    def _cycle(self) -> float:
        """One connection: state, then every queued ticket. Returns the seconds to wait."""
        transport: Transport | None = None
        try:
            transport = open_transport(self.config)
            if self.config.status_queries:
                state, detail, paper_low = query_status(transport, self.config.timeout_s)
            else:
                state, detail, paper_low = ONLINE, "", False
            self.health.update(state=state, detail=detail, paper_low=paper_low,
                               waiting=self.queue.waiting())
            if state != ONLINE:
                return self._fault()
            while not self._stopping:
                job = self.queue.claim(self._token)
                if job is None:
                    break
                self._print(transport, job)
                self.health.update(printed=self.health.current.printed + 1,
                                   waiting=self.queue.waiting())
        except PrinterUnavailable as exc:
            self.health.update(state=exc.state, detail=str(exc), waiting=self.queue.waiting())
            return self._fault()
        except Exception as exc:  # a bug or a bad ticket must not end the thread
            log.exception("printing failed")
            self.health.update(state=OFFLINE, detail=f"cannot print: {exc}")
            return self._fault()
        finally:
            if transport is not None:
                transport.close()
        self._faults = 0
        return self._idle_check_s

    def _fault(self) -> float:
        delay = BACKOFF_S[min(self._faults, len(BACKOFF_S) - 1)]
        self._faults += 1
        return delay

    def _print(self, transport: Transport, job: Job) -> None:
        try:
            data = render(self.ticket(job), self.config.paper)
        except FontMissing as exc:  # the kiosk's fault, not the ticket's: tried again later
            self.queue.release(job, self._token, str(exc))
            raise
        except Exception as exc:  # this ticket cannot be made (e.g. its order is gone):
            log.exception("ticket %s of order %s cannot be printed", job.ticket, job.order_id)
            self.queue.fail(job, self._token, f"{type(exc).__name__}: {exc}")
            return  # set aside, so it does not hold up the tickets after it
        try:
            transport.write(data)
            if self.config.status_queries:
                transport.write(CONFIRM)
                # the printer answers once the ticket is printed: allow for a slow line
                if not transport.read(1, self.config.timeout_s + len(data) / 2000):
                    raise PrinterUnavailable(OFFLINE, "the printer did not confirm the ticket")
        except BaseException as exc:  # the printer may have printed it before it failed
            self.queue.release(job, self._token, str(exc), maybe_printed=True)
            raise
        self.queue.mark_printed(job, self._token)

    def ticket(self, job: Job) -> Ticket:
        order: Order = self._store.get(job.order_id)
        (ticket,) = tickets_for(order, self._kiosk(), (job.ticket,))
        return as_reprint(ticket) if job.reprint else ticket


def as_reprint(ticket: Ticket) -> Ticket:
    """A ticket that may have come out already, printed again under a visible heading."""
    return replace(ticket, lines=(REPRINT, *ticket.lines))
