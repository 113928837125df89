"""Crash test with the whole kiosk: 200 real kiosks SIGKILLed at random during checkout.

Each child (simulator/crash_kiosk.py) is the real KioskApp with its real screens in an
offscreen window, on the real store in one shared data folder, paying the real way:
"pay at the counter" or the simulated card terminal (approving). It orders by intents,
reports PAY (its cart) just before the pay intent and SHOWN the moment its number is
put on the done screen, over a pipe into this process's memory. We SIGKILL it at a
random moment of its checkout window (pay intent .. a little after the number shows),
two kiosks at a time on the one database.

What must hold, whatever the kills hit:

* every number that was shown is in SQLite exactly once, with that customer's items,
  total, language and payment;
* no order is in SQLite that was not *confirmed*. Confirmed means: committed by the
  store after the payment method approved, i.e. a counter order (unpaid; the counter
  method approves at once) or a card order committed in the same transaction that
  recorded the terminal's approval in the payment journal. An order committed by a kiosk
  killed before it showed the number is allowed, but it must be complete and belong to
  a kiosk that was checking out exactly that cart (matched one to one): never half an
  order, a paid order without an approval, an order nobody paid for or a number twice;
* each day's numbers run 1..N with no gap or duplicate;
* card attempts are closed or left open for staff, never "approved" without an order;
* afterwards the kiosk starts on that folder by its own start-up path, and
  ``PRAGMA integrity_check`` is ok.

Kiosks are forked from a multiprocessing forkserver that has already imported Kivy and
the kiosk (simulator/kiosk_prewarm.py), not started from scratch. Set UNTACT_CRASH_SEED
to repeat a run's plan (items, payment, kill fractions); kill instants also depend on
measured checkout durations, so a repeat is close, not identical. UNTACT_CRASH_KIOSKS
and UNTACT_CRASH_AT_ONCE change the count (200) and the parallelism (2) for a quick try.
Run with ``-s`` to see the seed, the timing and where the kills landed.
"""

from __future__ import annotations

import json
import multiprocessing
import multiprocessing.connection
import multiprocessing.forkserver
import os
import random
import signal
import sqlite3
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

pytestmark = pytest.mark.kiosk

REPO = Path(__file__).resolve().parents[2]
CAFE = REPO / "examples" / "cafe.toml"
KIOSKS = int(os.environ.get("UNTACT_CRASH_KIOSKS", "200"))
AT_ONCE = int(os.environ.get("UNTACT_CRASH_AT_ONCE", "2"))  # CI has two cores
TAP_S = 0.05  # the simulated customer's card tap: part of the card checkout window
DEFAULT_SEED = 20261122
NEAR_S = 0.006  # "around the commit and the number": this far either side of the usual time

CARD_FILE = f"""
[payment]
method = "simulated_card"

[payment.simulated_card]
mode = "approve"
tap_s = {TAP_S}
"""
METHOD_NAMES = {"counter": "counter", "card": "card-sim"}  # as stored in orders.payment

# What a customer orders: (category, item, option or None) in each language.
PICKS = [
    ({"ko": "커피", "en": "Coffee"}, {"ko": "카페라테", "en": "Cafe Latte"},
     {"ko": "큰 사이즈", "en": "Large"}),
    ({"ko": "커피", "en": "Coffee"}, {"ko": "카푸치노", "en": "Cappuccino"}, None),
    ({"ko": "커피", "en": "Coffee"}, {"ko": "에스프레소", "en": "Espresso"},
     {"ko": "샷 추가 +", "en": "Add a shot"}),
    ({"ko": "차", "en": "Tea"}, {"ko": "녹차", "en": "Green Tea"},
     {"ko": "차갑게", "en": "Iced"}),
]
WORDS = {
    "ko": {"language": "한국어", "more": "하나 더", "add": "담기", "order": "주문하기",
           "counter": "카운터에서 결제", "card": "카드로 결제"},
    "en": {"language": "English", "more": "One more", "add": "Add to cart",
           "order": "Place order", "counter": "Pay at the counter", "card": "Pay by card"},
}


def plan(rng: random.Random) -> tuple[str, list[list[str]]]:
    """A random customer: language, one or two items, options, quantity, payment."""
    lang = rng.choice(("ko", "en"))
    method = rng.choice(("counter", "card"))
    w = WORDS[lang]
    steps = [["select"], ["choose", w["language"]]]
    for n, (category, item, option) in enumerate(rng.sample(PICKS, rng.choice((1, 1, 2)))):
        if n:
            steps.append(["home"])
        steps += [["choose", category[lang]], ["choose", item[lang]]]
        if option is not None and rng.random() < 0.5:
            steps.append(["choose", option[lang]])
        if rng.random() < 0.3:
            steps.append(["choose", w["more"]])
        steps.append(["choose", w["add"]])
    steps += [["choose", w["order"]], ["pay", w[method]]]
    return method, steps


@dataclass
class Child:
    index: int
    method: str
    fraction: float  # where in its checkout window it is killed
    near_number: bool  # killed within a few ms of when numbers have been showing
    proc: multiprocessing.process.BaseProcess
    reader: multiprocessing.connection.Connection
    started: float
    pay: dict | None = None
    pay_at: float | None = None
    shown: tuple[str, int] | None = None
    shown_at: float | None = None
    kill_at: float | None = None
    errors: list[str] = field(default_factory=list)
    exitcode: int | None = None

    def signature(self) -> tuple:
        return signature(self.pay["lines"], self.pay["total"], self.pay["language"],
                         METHOD_NAMES[self.method], self.method == "card")


def signature(lines: list[dict], total: int, language: str, payment: str, paid: bool) -> tuple:
    return json.dumps(lines, sort_keys=True, ensure_ascii=False), total, language, payment, paid


class Crash:
    """Starts kiosks, reads their reports, kills each on schedule."""

    def __init__(self, ctx, files: dict[str, Path], data: Path, rng: random.Random) -> None:
        self.ctx, self.files, self.data, self.rng = ctx, files, data, rng
        self.running: list[Child] = []
        self.done: list[Child] = []
        # Checkout windows (pay intent -> number on screen) measured so far, per method;
        # kills are spread over 1.5 times their median.
        self.durations: dict[str, list[float]] = {"counter": [], "card": []}

    def window(self, method: str) -> float:
        seen = self.durations[method]
        if len(seen) < 3:
            return 0.15 + (TAP_S if method == "card" else 0.0)
        return 1.5 * statistics.median(seen)

    def kill_delay(self, child: Child) -> float:
        """Seconds after the pay intent. Half the kiosks: anywhere in the checkout window;
        the other half: within NEAR_S of the usual pay-to-number time, where the commit
        and the showing of the number happen (a window of a few milliseconds that evenly
        spread kills would seldom hit)."""
        seen = self.durations[child.method]
        if not child.near_number or len(seen) < 3:
            return child.fraction * self.window(child.method)
        return max(0.0, statistics.median(seen) + (2 * child.fraction - 1) * NEAR_S)

    def launch(self, index: int) -> None:
        method, steps = plan(self.rng)
        fraction, near_number = self.rng.random(), self.rng.random() < 0.5
        from untact.simulator import crash_kiosk

        reader, writer = self.ctx.Pipe(duplex=False)
        proc = self.ctx.Process(target=crash_kiosk.order_and_wait, daemon=True,
                                args=(str(self.files[method]), str(self.data), steps, writer))
        proc.start()
        writer.close()  # the child holds the only writer: EOF once it is dead
        self.running.append(Child(index, method, fraction, near_number, proc, reader, time.monotonic()))

    def on_message(self, child: Child, msg: bytes) -> None:
        kind, _, rest = msg.decode().partition(" ")
        if kind == "PAY":
            child.pay = json.loads(rest)
            child.pay_at = child.pay["t"]  # the child's clock: a busy parent reads late
            child.kill_at = child.pay_at + self.kill_delay(child)
        elif kind == "SHOWN":
            day, number, at = rest.split()
            assert child.shown is None, f"kiosk {child.index} showed two numbers"
            child.shown, child.shown_at = (day, int(number)), float(at)
            if child.pay_at is not None:
                self.durations[child.method].append(child.shown_at - child.pay_at)
        else:
            child.errors.append(msg.decode())

    def read(self, child: Child) -> bool:
        """Take every complete message waiting; False once the pipe is at EOF."""
        while child.reader.poll(0):
            try:
                msg = child.reader.recv_bytes()
            except EOFError:
                return False
            self.on_message(child, msg)
        return True

    def reap(self, child: Child) -> None:
        self.read(child)  # what arrived before the kill was decided
        if child.proc.exitcode is None:
            os.kill(child.proc.pid, signal.SIGKILL)  # no handler, no flush, no atexit
        child.proc.join(30)
        child.exitcode = child.proc.exitcode
        while self.read(child):  # the rest of the pipe, up to EOF
            pass
        child.reader.close()
        self.running.remove(child)
        self.done.append(child)

    def run(self, count: int, at_once: int, limit_s: float) -> None:
        started = time.monotonic()
        launched = 0
        try:
            while launched < count or self.running:
                while launched < count and len(self.running) < at_once:
                    self.launch(launched)
                    launched += 1
                now = time.monotonic()
                due = [c for c in self.running
                       if (c.kill_at is not None and c.kill_at <= now) or c.errors
                       or c.proc.exitcode is not None or now - c.started > 90]
                for child in due:
                    self.reap(child)
                if due:
                    continue
                assert now - started < limit_s, f"crash test is far too slow ({launched} started)"
                kill_times = [c.kill_at for c in self.running if c.kill_at is not None]
                timeout = max(0.0, min(kill_times) - now) if kill_times else 1.0
                waiting = {c.reader: c for c in self.running}
                sentinels = {c.proc.sentinel: c for c in self.running}
                for ready in multiprocessing.connection.wait([*waiting, *sentinels], timeout):
                    if ready in waiting:
                        self.read(waiting[ready])
        finally:  # a failed assertion must not leave kiosks behind
            for child in list(self.running):
                self.reap(child)


def start_kiosk_after_crash(ctx, kiosk_file: Path, data: Path) -> dict:
    """The kiosk's own start-up path on the crashed folder (in a fresh forked child)."""
    from untact.simulator import crash_kiosk

    reader, writer = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=crash_kiosk.restart_and_report, daemon=True,
                       args=(str(kiosk_file), str(data), writer))
    proc.start()
    writer.close()
    messages = []
    try:
        while reader.poll(60):
            messages.append(reader.recv_bytes().decode())
    except EOFError:
        pass
    finally:
        proc.join(30)
        if proc.exitcode is None:
            proc.kill()
            proc.join(30)
        reader.close()
    assert proc.exitcode == 0 and len(messages) == 1 and messages[0].startswith("STARTED "), \
        f"the kiosk did not start on the crashed data folder (exit {proc.exitcode}): {messages}"
    return json.loads(messages[0].removeprefix("STARTED "))


@pytest.fixture
def forkserver(monkeypatch):
    """A forkserver that has imported Kivy and the kiosk, stopped after the test."""
    from untact.ui import kivy_setup

    monkeypatch.setenv("KIVY_NO_CONSOLELOG", "1")
    # The kiosks lay out and render text but rasterize no frame (render=False): Mesa's
    # simplest software renderer opens a context in half llvmpipe's time (no LLVM JIT
    # threads). Ignored where the GL driver is not Mesa's Gallium.
    monkeypatch.setenv("GALLIUM_DRIVER", "softpipe")
    kivy_setup.prepare_environment()  # what the forkserver inherits, before Kivy loads
    server = multiprocessing.forkserver._forkserver
    assert server._forkserver_pid is None, "a forkserver is already running without the preload"
    ctx = multiprocessing.get_context("forkserver")
    before = list(server._preload_modules)
    ctx.set_forkserver_preload(["untact.simulator.kiosk_prewarm"])
    try:
        yield ctx
    finally:
        server._stop()  # no server left behind; the next user gets the default preload
        ctx.set_forkserver_preload(before)


@pytest.mark.slow
def test_sigkilled_kiosks_never_lose_or_invent_an_order(tmp_path, forkserver):
    seed = int(os.environ.get("UNTACT_CRASH_SEED", DEFAULT_SEED))
    print(f"\ncrash test seed {seed} (UNTACT_CRASH_SEED={seed} repeats its plan)")
    cafe = CAFE.read_text(encoding="utf-8")
    files = {"counter": tmp_path / "counter.toml", "card": tmp_path / "card.toml"}
    files["counter"].write_text(cafe, encoding="utf-8")
    files["card"].write_text(cafe + CARD_FILE, encoding="utf-8")
    restart_file = tmp_path / "restart.toml"  # the real start-up path, devices off
    restart_file.write_text(cafe + CARD_FILE + "\n[devices.voice]\nenabled = false\n",
                            encoding="utf-8")
    data = tmp_path / "data"
    began = time.monotonic()
    crash = Crash(forkserver, files, data, random.Random(seed))
    crash.run(KIOSKS, AT_ONCE, limit_s=600)
    kill_s = time.monotonic() - began
    why = f"(seed {seed})"

    children = crash.done
    for c in children:
        assert not c.errors, f"kiosk {c.index} failed {why}:\n{c.errors[0]}"
        assert c.pay is not None, f"kiosk {c.index} never reached checkout {why}"
        assert c.exitcode == -signal.SIGKILL, f"kiosk {c.index} exited {c.exitcode} {why}"
    assert len(children) == KIOSKS

    started = start_kiosk_after_crash(forkserver, restart_file, data)

    db = sqlite3.connect(data / "orders.sqlite3")
    assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    rows = db.execute("SELECT id, day, number, lines_json, total, language, payment, paid"
                      " FROM orders").fetchall()
    attempts = db.execute("SELECT id, method, amount, lines_json, language, result, reference,"
                          " order_id FROM payment_attempts").fetchall()
    orders = {r[0]: r for r in rows}
    by_number = {(r[1], r[2]): r for r in rows}
    assert len(by_number) == len(rows), f"a number was given twice {why}"

    def sig(row) -> tuple:
        _id, _day, _n, lines_json, total, language, payment, paid = row
        return signature(json.loads(lines_json), total, language, payment, bool(paid))

    # Every shown number: there, once, with that customer's order.
    claimed: set[int] = set()
    shown = [c for c in children if c.shown is not None]
    for c in shown:
        row = by_number.get(c.shown)
        assert row is not None, f"kiosk {c.index} showed {c.shown} but it is not stored {why}"
        assert sig(row) == c.signature(), f"order {c.shown} is not what kiosk {c.index} sold {why}"
        assert row[0] not in claimed
        claimed.add(row[0])
    # Every other order: committed by a kiosk killed mid-checkout, for exactly its cart.
    unshown = Counter(c.signature() for c in children if c.shown is None)
    extra = Counter(sig(r) for r in rows if r[0] not in claimed)
    invented = extra - unshown
    assert not invented, f"orders no checkout accounts for {why}: {list(invented)[:2]}"

    # The payment journal agrees: a card order iff an approval, in the same commit.
    approved = [a for a in attempts if a[5] == "approved"]
    assert {a[5] for a in attempts} <= {None, "approved"}, f"unexpected results {why}"
    assert all(a[7] is None for a in attempts if a[5] is None), f"open attempt has an order {why}"
    assert len({a[7] for a in approved}) == len(approved), f"two approvals, one order {why}"
    for a in approved:
        order = orders.get(a[7])
        assert order is not None, f"approved attempt {a[0]} without its order {why}"
        assert (order[6], order[7], order[4], order[3], order[5]) == \
            (a[1], 1, a[2], a[3], a[4]) and a[6].startswith("SIM-"), \
            f"order {order[1]} #{order[2]} differs from its approved payment {why}"
    paid = [r for r in rows if r[7]]
    assert {r[0] for r in paid} == {a[7] for a in approved}, f"paid order without approval {why}"
    assert all(r[6] == "counter" for r in rows if not r[7]), f"unpaid card order {why}"
    card_payers = sum(1 for c in children if c.method == "card")
    assert len(attempts) <= card_payers

    # Numbered per day, 1..N.
    for day in {r[1] for r in rows}:
        numbers = sorted(n for d, n in by_number if d == day)
        assert numbers == list(range(1, len(numbers) + 1)), f"gap or duplicate on {day} {why}"
    # The restarted kiosk sees the same day and the open card attempts.
    if started["today"]:
        today = started["today"][0][0]
        assert sorted(n for d, n in started["today"]) == \
            sorted(n for d, n in by_number if d == today)
    assert started["unresolved"] == sum(1 for a in attempts if a[5] is None)

    # The kills really landed all over the checkout: before the commit, between the
    # commit and the number, after the number.
    committed_unshown = sum(extra.values())
    no_order = len(children) - len(shown) - committed_unshown
    print(f"{len(children)} kiosks in {kill_s:.1f} s ({AT_ONCE} at a time); "
          f"{Counter(c.method for c in children)}; killed before their order committed: "
          f"{no_order}, after the commit but before the number showed: {committed_unshown}, "
          f"after the number showed: {len(shown)}; {len(rows)} orders, "
          f"{len(approved)} card approvals, {started['unresolved']} card attempts left open; "
          f"start to checkout: median {statistics.median(c.pay_at - c.started for c in children):.2f} s"
          f" wall, {statistics.median(c.pay['cpu_s'] for c in children):.2f} s CPU"
          f" ({sum(c.pay['cpu_s'] for c in children):.0f} CPU-s in all); "
          f"checkout window medians: "
          + ", ".join(f"{m} {statistics.median(d) * 1000:.0f} ms"
                      for m, d in crash.durations.items() if d))
    # At least 5% in each: measured on 2 cores (December 2026, old and new layouts alike),
    # kills after the number ranged 23-46 of 200 on a quiet machine and 16 under load, so
    # the former 10% floor failed runs that had spread their kills well.
    assert no_order >= KIOSKS // 20 and len(shown) >= KIOSKS // 20, \
        f"kills did not spread over the checkout {why}"
