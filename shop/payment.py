"""Payment: one small interface, so a real card terminal can be added without touching
screens. One implementation ships:

- :class:`CounterPayment` ("pay at the counter", the default): nothing is charged; the
  order is placed unpaid and staff take the money (``OrderStore.mark_paid``).
- the simulated card terminal: **a simulation** for the desktop simulator and tests,
  so it lives in simulator/card_terminal.py; a kiosk file may ask for it (``method =
  "simulated_card"``, configured by ``[payment.simulated_card]``, parsed here), and
  only kiosks built with the simulator's payment override get it. ``untact-kiosk``
  refuses such a file (:func:`real_method`): a real kiosk must not pretend to charge.

Every method runs off the UI thread and reports exactly one :class:`PaymentOutcome` per
``start`` through ``on_result``, called from its worker thread (the Checkout hops back
to the UI thread). ``cancel()`` asks it to stop; if the terminal has already decided,
that decision stands (a real terminal cannot un-charge a card), so a screen must be
ready for "approved" after pressing cancel.

A real terminal: subclass :class:`ThreadedPaymentMethod`, set ``name`` and
``settles_now = True`` and implement ``_run(amount, cancelled)`` returning a
PaymentOutcome (talk to the terminal there; poll ``cancelled``).
"""

from __future__ import annotations

import enum
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass

from untact.accessibility.config import Table


class PaymentResult(enum.Enum):
    APPROVED = "approved"
    DECLINED = "declined"
    TIMEOUT = "timeout"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class PaymentOutcome:
    result: PaymentResult
    method: str
    paid: bool  # money has been taken (True only for an approved card payment)
    reference: str = ""  # the terminal's approval number, for the merchant's records
    detail: str = ""  # for logs, never shown to the customer


OnResult = Callable[[PaymentOutcome], None]


class PaymentMethod(ABC):
    name: str = "payment"
    settles_now: bool = False  # True: approval means the money is taken now

    @abstractmethod
    def start(self, amount: int, on_result: OnResult) -> None:
        """Begin taking ``amount`` won; returns at once; ``on_result`` later, exactly once."""

    @abstractmethod
    def cancel(self) -> None:
        """Ask the method to stop (the customer pressed cancel); no-op when idle."""


class ThreadedPaymentMethod(PaymentMethod):
    """Runs ``_run`` in a worker thread and delivers its outcome exactly once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._busy = False
        self._cancelled = threading.Event()

    def start(self, amount: int, on_result: OnResult) -> None:
        if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
            raise ValueError(f"amount must be whole won >= 0, not {amount!r}")
        with self._lock:
            if self._busy:
                raise RuntimeError(f"{self.name}: a payment is already in progress")
            self._busy = True
            self._cancelled = threading.Event()
        cancelled = self._cancelled
        threading.Thread(target=self._worker, args=(amount, cancelled, on_result),
                         name=f"payment-{self.name}", daemon=True).start()

    def cancel(self) -> None:
        self._cancelled.set()

    def _worker(self, amount: int, cancelled: threading.Event, on_result: OnResult) -> None:
        try:
            outcome = self._run(amount, cancelled)
        except Exception as exc:  # a broken terminal driver: report, never hang the screen
            outcome = PaymentOutcome(PaymentResult.DECLINED, self.name, False,
                                     detail=f"{type(exc).__name__}: {exc}")
        with self._lock:
            self._busy = False
        on_result(outcome)

    @abstractmethod
    def _run(self, amount: int, cancelled: threading.Event) -> PaymentOutcome:
        """Take the payment (blocking is fine here); return the single outcome."""


class CounterPayment(ThreadedPaymentMethod):
    """Pay at the counter: approved at once, nothing charged, the order is marked unpaid."""

    name = "counter"
    settles_now = False

    def _run(self, amount: int, cancelled: threading.Event) -> PaymentOutcome:
        if cancelled.is_set():
            return PaymentOutcome(PaymentResult.CANCELLED, self.name, False)
        return PaymentOutcome(PaymentResult.APPROVED, self.name, False)


@dataclass(frozen=True)
class SimCardConfig:
    """``[payment.simulated_card]``: how the SIMULATED terminal behaves."""

    mode: str = "approve"  # approve | decline | timeout | cancel | script | random
    script: tuple[str, ...] = ()  # for mode = "script": outcomes in turn, then repeat
    tap_s: float = 1.5  # how long the simulated customer takes to tap a card
    timeout_s: float = 30.0  # no card within this: TIMEOUT
    weights: tuple[float, float, float, float] = (0.85, 0.1, 0.03, 0.02)  # for "random"
    seed: int | None = None


OUTCOMES = ("approve", "decline", "timeout", "cancel")


@dataclass(frozen=True)
class PaymentConfig:
    """``[payment]``: ``method = "counter"`` (default) or ``"simulated_card"``."""

    method: str = "counter"
    simulated_card: SimCardConfig = SimCardConfig()


METHODS = ("counter", "simulated_card")


def from_table(table: Table) -> PaymentConfig:
    table.unknown_keys({"method", "simulated_card"})
    method = table.get("method", str, "counter", choices=METHODS)
    sim = table.table("simulated_card")
    sim.unknown_keys({"mode", "script", "tap_s", "timeout_s", "weights", "seed"})
    d = SimCardConfig()
    mode = sim.get("mode", str, d.mode, choices=(*OUTCOMES, "script", "random"))
    script = sim.get("script", list, [])
    for i, s in enumerate(script):
        if s not in OUTCOMES:
            raise table.source.error((*sim.path, "script", i),
                                     f"must be one of {', '.join(OUTCOMES)}; got {s!r}")
    if mode == "script" and not script:
        raise sim.error("script", 'mode = "script" needs a non-empty script list')
    weights = sim.get("weights", list, list(d.weights))
    if len(weights) != 4 or not all(isinstance(w, (int, float)) and not isinstance(w, bool)
                                    and w >= 0 for w in weights) or not sum(weights):
        raise sim.error("weights", "must be four numbers >= 0 (approve, decline, timeout, "
                                   "cancel), not all zero")
    seed = sim.get("seed", int, None)
    approve, decline, timeout, cancel = (float(w) for w in weights)  # four, checked above
    return PaymentConfig(method, SimCardConfig(
        mode=mode, script=tuple(script),
        tap_s=sim.get("tap_s", float, d.tap_s, min=0, max=60),
        timeout_s=sim.get("timeout_s", float, d.timeout_s, min=0, max=300),
        weights=(approve, decline, timeout, cancel), seed=seed))


def make_method(config: PaymentConfig) -> PaymentMethod:
    """The real method ``config`` names; ValueError for the simulator's card terminal."""
    if config.method == "simulated_card":
        raise ValueError("the simulated card terminal is the simulator's (simulator/card_terminal.py)")
    return CounterPayment()


def real_method(table: Table) -> PaymentMethod:
    """The method the kiosk file's ``[payment]`` names, for a real kiosk: ConfigError
    naming file, line and field when it names the simulator's card terminal."""
    config = from_table(table)
    if config.method == "simulated_card":
        raise table.error("method", '"simulated_card" is the simulator\'s card terminal: '
                                    'untact-sim and tests have it, a real kiosk does not '
                                    '(use "counter")')
    return make_method(config)


__all__ = ["CounterPayment", "PaymentConfig", "PaymentMethod", "PaymentOutcome",
           "PaymentResult", "SimCardConfig", "ThreadedPaymentMethod", "from_table", "make_method",
           "real_method"]
