"""The SIMULATED card terminal: charges nothing anywhere; approves, declines, times out
or cancels as scripted or at random, per the kiosk file's ``[payment.simulated_card]``.

It is the simulator's, not the shop's: shop/payment.py parses the kiosk file and holds
the payment interface; kiosks built by the simulator, the driver and the crash test get
this terminal through the composition root's payment override (:func:`payment_method`).
"""

from __future__ import annotations

import random
import threading

from untact.shop.payment import (
    OUTCOMES,
    PaymentConfig,
    PaymentMethod,
    PaymentOutcome,
    PaymentResult,
    SimCardConfig,
    ThreadedPaymentMethod,
    make_method,
)


def payment_method(config: PaymentConfig) -> PaymentMethod:
    """The simulator's payment override: this terminal when the kiosk file asks for the
    simulated card, else the real method the file names."""
    if config.method == "simulated_card":
        return SimulatedCardTerminal(config.simulated_card)
    return make_method(config)


class SimulatedCardTerminal(ThreadedPaymentMethod):
    """A SIMULATED card terminal: charges nothing; outcomes come from its config."""

    name = "card-sim"
    settles_now = True

    def __init__(self, config: SimCardConfig | None = None) -> None:
        super().__init__()
        self.config = config = config if config is not None else SimCardConfig()
        self._rng = random.Random(config.seed)
        self._turn = 0
        self._approvals = 0

    def _next_outcome(self) -> str:
        c = self.config
        if c.mode == "script":
            choice = c.script[self._turn % len(c.script)]
            self._turn += 1
            return choice
        if c.mode == "random":
            return self._rng.choices(OUTCOMES, weights=c.weights)[0]
        return c.mode

    def _run(self, amount: int, cancelled: threading.Event) -> PaymentOutcome:
        outcome = self._next_outcome()
        wait = self.config.timeout_s if outcome == "timeout" else self.config.tap_s
        if cancelled.wait(wait):
            return PaymentOutcome(PaymentResult.CANCELLED, self.name, False,
                                  detail="cancelled at the kiosk")
        if outcome == "approve":
            self._approvals += 1
            return PaymentOutcome(PaymentResult.APPROVED, self.name, True,
                                  reference=f"SIM-{self._approvals:06d}",
                                  detail="simulated approval")
        if outcome == "decline":
            return PaymentOutcome(PaymentResult.DECLINED, self.name, False,
                                  detail="simulated decline")
        if outcome == "timeout":
            return PaymentOutcome(PaymentResult.TIMEOUT, self.name, False,
                                  detail="simulated: no card presented")
        return PaymentOutcome(PaymentResult.CANCELLED, self.name, False,
                              detail="simulated: cancelled on the terminal")
