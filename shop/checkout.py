"""Checkout: take the payment, then place the order: never a paid order after a decline,
never a confirmed order lost.

Order of operations, and why (the alternative is "place unpaid, then mark paid"):

* **Pay first, then place the order with paid=True, in the same SQLite transaction that
  closes the payment.** A declined, timed-out or cancelled payment places nothing, so
  there is no order to leave in a wrong state: "no paid order after a decline" holds by
  construction, not by a cleanup step that a crash could skip. The customer sees a
  number only after that transaction commits (``synchronous=FULL``), so a number on
  screen is an order on disk.
* Placing first and marking paid later would hand out numbers for orders that may
  never be paid (gaps in the day's numbering, or an unpaid order in the staff queue
  for a customer who walked away after a decline), and needs a cleanup that a power
  cut can skip.
* The one window "pay first" leaves - the terminal approved, the kiosk dies before the
  order commits - is closed by a journal: ``OrderStore.begin_payment`` commits the
  attempt (amount, lines) *before* the terminal starts, and ``finish_payment`` closes
  it together with the order. An attempt still open after a restart is listed by
  ``OrderStore.unresolved_payments()`` for staff to check against the terminal.

Pay at the counter skips the journal (nothing is charged): the order is placed unpaid.

All of it runs off the UI thread; ``on_done`` is handed to ``deliver`` (pass
``lambda fn: Clock.schedule_once(lambda dt: fn())`` from Kivy).
"""

from __future__ import annotations

import enum
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .cart import won
from .orders import Order, OrderStore
from .payment import PaymentMethod, PaymentOutcome, PaymentResult

log = logging.getLogger(__name__)


class CheckoutStatus(enum.Enum):
    ORDERED = "ordered"  # an order is committed; show its number
    DECLINED = "declined"
    TIMEOUT = "timeout"
    CANCELLED = "cancelled"
    ERROR = "error"  # the order could not be saved: call staff


_FROM_PAYMENT = {PaymentResult.DECLINED: CheckoutStatus.DECLINED,
                 PaymentResult.TIMEOUT: CheckoutStatus.TIMEOUT,
                 PaymentResult.CANCELLED: CheckoutStatus.CANCELLED}

MESSAGES: dict[str, dict[str, str]] = {
    "ordered_paid": {
        "ko": "결제가 완료되었습니다. 주문 번호는 {number}번입니다. "
              "번호를 부르면 카운터에서 받아 가세요.",
        "en": "Payment complete. Your order number is {number}. "
              "Please collect your order at the counter when your number is called.",
    },
    "ordered_unpaid": {
        "ko": "주문이 접수되었습니다. 주문 번호는 {number}번입니다. "
              "카운터에서 {amount}을 결제해 주세요.",
        "en": "Your order is in. Your order number is {number}. "
              "Please pay {amount} at the counter.",
    },
    "declined": {
        "ko": "카드 결제가 승인되지 않았습니다. 주문은 접수되지 않았고 결제된 금액도 없습니다. "
              "다른 카드를 쓰시거나 카운터 결제를 선택해 주세요.",
        "en": "The card payment was declined. No order was placed and nothing was charged. "
              "Please try another card or choose to pay at the counter.",
    },
    "timeout": {
        "ko": "결제 시간이 지났습니다. 주문은 접수되지 않았습니다. "
              "다시 시도하시거나 도움 버튼으로 직원을 불러 주세요.",
        "en": "The payment timed out. No order was placed. "
              "Please try again, or press help to call staff.",
    },
    "cancelled": {
        "ko": "결제를 취소했습니다. 주문은 접수되지 않았습니다. 담으신 메뉴는 그대로 있습니다.",
        "en": "Payment cancelled. No order was placed. Your items are still in your cart.",
    },
    "error": {
        "ko": "주문을 저장하지 못했습니다. 직원을 불렀으니 잠시만 기다려 주세요.",
        "en": "Sorry, your order could not be saved. Staff have been called; "
              "please wait a moment.",
    },
}


@dataclass(frozen=True)
class CheckoutOutcome:
    status: CheckoutStatus
    order: Order | None = None  # set only for ORDERED
    payment: PaymentOutcome | None = None
    attempt_id: int | None = None  # the journal row, for card payments
    error: str = ""  # for logs and the admin screen, never for the customer

    @property
    def call_staff(self) -> bool:
        """The UI should raise a staff call (the order could not be saved)."""
        return self.status is CheckoutStatus.ERROR

    def message(self, lang: str = "ko") -> str:
        lang = lang if lang in ("ko", "en") else "en"
        if self.status is CheckoutStatus.ORDERED:
            order = self.order
            assert order is not None, "an ORDERED outcome carries its order"
            key = "ordered_paid" if order.paid else "ordered_unpaid"
            return MESSAGES[key][lang].format(number=order.number, amount=won(order.total, lang))
        return MESSAGES[self.status.value][lang]


def call_now(fn: Callable[[], None]) -> None:
    fn()


class Checkout:
    """One checkout at a time; ``start`` returns at once, ``on_done`` is called once."""

    def __init__(self, store: OrderStore, method: PaymentMethod,
                 deliver: Callable[[Callable[[], None]], None] = call_now) -> None:
        self.store = store
        self.method = method
        self._deliver = deliver
        self._lock = threading.Lock()
        self._busy = False
        self._cancel_requested = False

    @property
    def busy(self) -> bool:
        return self._busy

    def start(self, lines: list[dict[str, Any]], total: int, language: str,
              on_done: Callable[[CheckoutOutcome], None]) -> None:
        if not lines:
            raise ValueError("the cart is empty")
        with self._lock:
            if self._busy:
                raise RuntimeError("a checkout is already in progress")
            self._busy, self._cancel_requested = True, False
        threading.Thread(target=self._begin, args=(lines, total, language, on_done),
                         name="checkout", daemon=True).start()

    def cancel(self) -> None:
        """The customer pressed cancel. Honoured unless the payment was already decided."""
        with self._lock:
            self._cancel_requested = True
        self.method.cancel()

    def _begin(self, lines: list[dict[str, Any]], total: int, language: str,
               on_done: Callable[[CheckoutOutcome], None]) -> None:
        attempt = None
        try:
            if self.method.settles_now:
                attempt = self.store.begin_payment(self.method.name, total, lines, language)
            with self._lock:
                cancelled_early = self._cancel_requested
            if cancelled_early:
                self._on_payment(PaymentOutcome(PaymentResult.CANCELLED, self.method.name,
                                                False), attempt, lines, total, language,
                                 on_done)
                return
            self.method.start(total, lambda outcome: self._on_payment(
                outcome, attempt, lines, total, language, on_done))
            with self._lock:
                cancelled_meanwhile = self._cancel_requested
            if cancelled_meanwhile:  # cancel() ran between the check and start(): pass it on
                self.method.cancel()
        except Exception as exc:
            log.exception("checkout could not start")
            self._finish(on_done, CheckoutOutcome(CheckoutStatus.ERROR, attempt_id=attempt,
                                                  error=f"{type(exc).__name__}: {exc}"))

    def _on_payment(self, outcome: PaymentOutcome, attempt: int | None, lines: list[dict[str, Any]],
                    total: int, language: str, on_done: Callable[[CheckoutOutcome], None]
                    ) -> None:
        try:
            if attempt is not None:  # card: close the journal, placing the order if approved
                order = self.store.finish_payment(attempt, outcome.result.value,
                                                  outcome.reference)
            elif outcome.result is PaymentResult.APPROVED:  # counter: unpaid order
                order = self.store.place(lines, total, language, payment=self.method.name,
                                         paid=outcome.paid)
            else:
                order = None
        except Exception as exc:
            log.exception("order could not be saved after payment %s", outcome.result.value)
            result = CheckoutOutcome(CheckoutStatus.ERROR, payment=outcome, attempt_id=attempt,
                                     error=f"{type(exc).__name__}: {exc}")
        else:
            status = CheckoutStatus.ORDERED if order else _FROM_PAYMENT.get(
                outcome.result, CheckoutStatus.ERROR)
            result = CheckoutOutcome(status, order, outcome, attempt)
        self._finish(on_done, result)

    def _finish(self, on_done: Callable[[CheckoutOutcome], None],
                outcome: CheckoutOutcome) -> None:
        with self._lock:
            self._busy = False
        self._deliver(lambda: on_done(outcome))


__all__ = ["Checkout", "CheckoutOutcome", "CheckoutStatus", "MESSAGES", "call_now"]
