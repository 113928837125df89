"""StaffCall: raise on HELP, repeat, acknowledge; every listener hears each change."""

from __future__ import annotations

from untact.shop.staff_call import MESSAGES, StaffCall


class Clock:
    t = 100.0

    def __call__(self):
        return self.t


def test_raise_repeat_acknowledge_notify():
    clock = Clock()
    call = StaffCall(clock)
    board, screen = [], []
    call.subscribe(board.append)
    unsubscribe = call.subscribe(screen.append)
    assert call.acknowledge() is None and board == []  # nothing open: nothing sent
    e1 = call.raise_call()
    assert e1.active and e1.count == 1 and not e1.repeat and call.active
    clock.t += 12
    e2 = call.raise_call()
    assert e2.repeat and e2.count == 2 and e2.raised_at == 100.0
    assert call.waiting_s() == 12
    e3 = call.acknowledge(by="board")
    assert not e3.active and e3.by == "board" and e3.count == 2
    assert board == screen == [e1, e2, e3]
    assert call.waiting_s() == 0 and not call.active
    unsubscribe()
    e4 = call.raise_call("checkout_error")
    assert e4.reason == "checkout_error" and e4.count == 1 and e4.raised_at == 112.0
    assert board[-1] == e4 and screen == [e1, e2, e3]


def test_failing_listener_does_not_silence_the_buzzer():
    call = StaffCall()
    got = []
    call.subscribe(lambda e: (_ for _ in ()).throw(RuntimeError("screen gone")))
    call.subscribe(got.append)
    call.raise_call()
    assert len(got) == 1 and got[0].active


def test_messages_in_both_languages():
    assert all(set(m) == {"ko", "en"} for m in MESSAGES.values())
