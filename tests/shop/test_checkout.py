"""Checkout with the counter and the SIMULATED card terminal: a declined, timed-out or
cancelled payment leaves no paid order; an approved one leaves exactly one."""

from __future__ import annotations

import queue
import threading

import pytest
from shop_helpers import FakeClock, lines
from untact.accessibility.config import ConfigError, Source
from untact.shop import payment
from untact.shop.checkout import MESSAGES, Checkout, CheckoutStatus
from untact.shop.orders import OrderStore
from untact.shop.payment import PaymentResult, SimCardConfig
from untact.simulator.card_terminal import SimulatedCardTerminal, payment_method

WAIT = 10.0  # bounded waits on events, never sleeps


@pytest.fixture
def store(tmp_path):
    s = OrderStore(tmp_path, now=FakeClock())
    yield s
    s.close()


def run(checkout, total=4500):
    done: queue.Queue = queue.Queue()
    checkout.start(lines(), total, "ko", done.put)
    return done.get(timeout=WAIT)


def sim(mode="approve", **kw):
    return SimulatedCardTerminal(SimCardConfig(mode=mode, tap_s=kw.pop("tap_s", 0.0),
                                               timeout_s=kw.pop("timeout_s", 0.01), **kw))


def test_counter_places_an_unpaid_order(store):
    out = run(Checkout(store, payment.CounterPayment()))
    assert out.status is CheckoutStatus.ORDERED and not out.order.paid
    assert out.order.payment == "counter"
    assert out.message("ko") == ("주문이 접수되었습니다. 주문 번호는 1번입니다. "
                                 "카운터에서 4,500원을 결제해 주세요.")
    assert "Please pay 4,500 won at the counter" in out.message("en")
    assert [o.id for o in store.for_day()] == [out.order.id]


def test_card_approved_places_one_paid_order(store):
    out = run(Checkout(store, sim("approve")))
    assert out.status is CheckoutStatus.ORDERED and out.order.paid
    assert out.order.payment == "card-sim" and out.payment.reference == "SIM-000001"
    assert "주문 번호는 1번" in out.message("ko")
    assert len(store.for_day()) == 1 and store.unresolved_payments() == []


@pytest.mark.parametrize("mode,status", [("decline", CheckoutStatus.DECLINED),
                                         ("timeout", CheckoutStatus.TIMEOUT),
                                         ("cancel", CheckoutStatus.CANCELLED)])
def test_failed_card_payment_leaves_no_order(store, mode, status):
    out = run(Checkout(store, sim(mode)))
    assert out.status is status and out.order is None
    assert store.for_day() == [] and store.unresolved_payments() == []
    assert "No order was placed" in out.message("en") and "접수되지 않았" in out.message("ko")
    # the next customer still gets number 1: a failed payment used no number
    assert run(Checkout(store, payment.CounterPayment())).order.number == 1


def test_cancel_while_waiting_for_the_card(store):
    term = sim("approve", tap_s=30.0)  # the customer would tap in 30 s ...
    checkout = Checkout(store, term)
    done: queue.Queue = queue.Queue()
    started = threading.Event()
    orig = term._run

    def run_and_signal(amount, cancelled):
        started.set()
        return orig(amount, cancelled)

    term._run = run_and_signal
    checkout.start(lines(), 4500, "en", done.put)
    assert started.wait(WAIT)
    checkout.cancel()  # ... but presses cancel first
    out = done.get(timeout=WAIT)
    assert out.status is CheckoutStatus.CANCELLED and store.for_day() == []
    assert not any(o.paid for o in store.for_day())


def test_scripted_terminal_and_results_off_the_calling_thread(store):
    term = sim("script", script=("decline", "approve"))
    threads = []
    delivered: list = []

    def deliver(fn):
        threads.append(threading.current_thread())
        fn()

    checkout = Checkout(store, term, deliver=deliver)
    done: queue.Queue = queue.Queue()
    for _ in range(2):
        checkout.start(lines(), 4500, "ko", done.put)
        delivered.append(done.get(timeout=WAIT).status)
    assert delivered == [CheckoutStatus.DECLINED, CheckoutStatus.ORDERED]
    assert threading.main_thread() not in threads
    assert [o.paid for o in store.for_day()] == [True]


def test_store_failure_after_approval_asks_for_staff(store):
    s = store

    def broken(*a, **kw):
        raise OSError(28, "No space left on device")

    s.finish_payment = broken
    out = run(Checkout(s, sim("approve")))
    assert out.status is CheckoutStatus.ERROR and out.call_staff
    assert "직원을 불렀" in out.message("ko")
    assert [p["amount"] for p in s.unresolved_payments()] == [4500]  # staff can reconcile


def test_random_terminal_is_seeded():
    t1, t2 = sim("random", seed=7), sim("random", seed=7)
    seq = [t1._next_outcome() for _ in range(200)]
    assert seq == [t2._next_outcome() for _ in range(200)]
    assert set(seq) == {"approve", "decline", "timeout", "cancel"}


def test_one_payment_at_a_time():
    term = sim("approve", tap_s=30.0)
    got: queue.Queue = queue.Queue()
    term.start(100, got.put)
    with pytest.raises(RuntimeError, match="already in progress"):
        term.start(100, got.put)
    term.cancel()
    assert got.get(timeout=WAIT).result is PaymentResult.CANCELLED


def test_every_outcome_has_both_languages():
    for key, texts in MESSAGES.items():
        assert set(texts) == {"ko", "en"}, key


def test_payment_config(tmp_path):
    p = tmp_path / "k.toml"
    p.write_text('[payment]\nmethod = "simulated_card"\n[payment.simulated_card]\n'
                 'mode = "script"\nscript = ["approve", "explode"]\n')
    with pytest.raises(ConfigError, match=r"k.toml:5: payment.simulated_card.script\[1\]"):
        payment.from_table(Source.load(p).root().table("payment"))
    p.write_text('[payment]\nmethod = "simulated_card"\n'
                 '[payment.simulated_card]\nmode = "decline"\n')
    cfg = payment.from_table(Source.load(p).root().table("payment"))
    m = payment_method(cfg)  # the simulator's payment override
    assert isinstance(m, SimulatedCardTerminal) and m.config.mode == "decline"
    # A real kiosk refuses the simulated terminal, naming the file, line and field.
    with pytest.raises(ConfigError, match=r"k.toml:2: payment.method: \"simulated_card\" is the simulator"):
        payment.real_method(Source.load(p).root().table("payment"))
    with pytest.raises(ValueError, match="simulator"):
        payment.make_method(cfg)
    p.write_text("[shop]\n")
    table = Source.load(p).root().table("payment")
    assert isinstance(payment.make_method(payment.from_table(table)), payment.CounterPayment)
    assert isinstance(payment.real_method(table), payment.CounterPayment)
    assert isinstance(payment_method(payment.from_table(table)), payment.CounterPayment)
