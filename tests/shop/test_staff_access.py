"""Admin entry: the hidden sequence, PIN hashing, wrong PINs and the persistent lockout."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from untact.accessibility.config import ConfigError, Source
from untact.accessibility.intents import Kind, point, simple
from untact.shop import staff_access

FAST = {"n": 2**10, "r": 8, "p": 1}  # cheap scrypt costs: the real ones are tested once


class Clock:
    def __init__(self, t: float = 1_800_000_000.0) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t


def help_():
    return simple(Kind.HELP, source="keypad")


def test_entry_sequence_within_window():
    clock = Clock(0)
    det = staff_access.EntryDetector(clock=clock)
    hits = []
    for _ in range(5):
        hits.append(det.feed(help_()))
        det.feed(point(0.5, 0.5))  # cursor motion neither helps nor breaks
        clock.t += 0.6
    assert hits == [False, False, False, False, True]
    assert not det.feed(help_())  # starts over after a hit


def test_entry_sequence_too_slow_or_broken():
    clock = Clock(0)
    det = staff_access.EntryDetector(clock=clock)
    results = []
    for _ in range(5):
        results.append(det.feed(help_()))
        clock.t += 0.8  # 5 presses over 3.2 s
    assert not any(results)
    det.reset()
    fed = [help_(), help_(), simple(Kind.NEXT), help_(), help_(), help_()]
    assert [det.feed(i) for i in fed] == [False] * 6  # NEXT in between breaks it
    assert [det.feed(help_()), det.feed(help_())] == [False, True]  # 5 HELPs after it


def test_entry_sequence_configurable():
    text = '[admin]\nentry_sequence = ["help", "help", "back", "back"]\nentry_window_s = 2\n'
    cfg = _cfg(text)
    assert cfg.entry_sequence == (Kind.HELP, Kind.HELP, Kind.BACK, Kind.BACK)
    clock = Clock(0)
    det = staff_access.EntryDetector.from_config(cfg, clock)
    assert [det.feed(simple(k)) for k in cfg.entry_sequence] == [False, False, False, True]


def _cfg(text: str, tmp_path=None):
    import tempfile
    from pathlib import Path
    d = Path(tempfile.mkdtemp()) if tmp_path is None else tmp_path
    p = d / "k.toml"
    p.write_text(text)
    return staff_access.from_table(Source.load(p).root().table("admin"))


def test_config_errors_name_the_line():
    with pytest.raises(ConfigError, match=r"k.toml:3: admin.entry_sequence: item 2: 'jump'"):
        _cfg('[admin]\nmax_attempts = 3\nentry_sequence = ["help", "jump"]\n')
    with pytest.raises(ConfigError, match="admin.pin_hash: is not a PIN hash"):
        _cfg('[admin]\npin_hash = "1234"\n')
    with pytest.raises(ConfigError, match="unknown field"):
        _cfg('[admin]\npin = "1234"\n')
    with pytest.raises(ConfigError, match="unsupported scrypt costs"):
        zeros = "A" * 22 + "=="
        _cfg(f'[admin]\npin_hash = "scrypt$1073741824$8$1${zeros}${zeros}"\n')
    cfg = _cfg("[admin]\nlockout_minutes = 1\n")
    assert (cfg.lockout_s, cfg.max_attempts, cfg.pin_hash) == (60.0, 5, None)


def test_hash_is_salted_and_verifies():
    h1 = staff_access.hash_pin("482913")  # real costs, once
    assert h1.startswith("scrypt$16384$8$1$") and "482913" not in h1
    h2 = staff_access.hash_pin("482913", **FAST)
    assert h1.split("$")[4] != h2.split("$")[4]  # a fresh salt each time
    assert staff_access.verify_pin("482913", h1) and staff_access.verify_pin("482913", h2)
    assert not staff_access.verify_pin("482914", h1)
    assert not staff_access.verify_pin("", h2) and not staff_access.verify_pin("48291a", h2)
    for bad in ("12", "12ab", "1234567890123", "１２３４"):
        with pytest.raises(staff_access.PinError):
            staff_access.hash_pin(bad, **FAST)


@pytest.fixture
def gate_parts(tmp_path):
    clock = Clock()
    cfg = staff_access.AdminConfig(pin_hash=staff_access.hash_pin("2468", **FAST))
    holder = {"cfg": cfg}
    gate = staff_access.PinGate(tmp_path / "orders.sqlite3", lambda: holder["cfg"], clock)
    yield gate, clock, holder, tmp_path
    gate.close()


def test_right_and_wrong_pin(gate_parts):
    gate, clock, _, _ = gate_parts
    assert gate.check("2468").ok
    r = gate.check("1111")
    assert not r.ok and r.attempts_left == 4 and "4번 더" in r.message("ko")
    assert gate.check("2468").ok  # a right PIN resets the count
    assert gate.check("1111").attempts_left == 4


def test_lockout_after_five_wrong_and_survives_restart(gate_parts):
    gate, clock, holder, tmp_path = gate_parts
    results = [gate.check("0000") for _ in range(5)]
    assert [r.attempts_left for r in results[:4]] == [4, 3, 2, 1]
    assert results[4].locked_for_s == 300
    assert "5분 후" in results[4].message("ko") and "5 min" in results[4].message("en")
    clock.t += 60
    r = gate.check("2468")  # even the right PIN is not checked while locked
    assert not r.ok and r.locked_for_s == 240
    gate.close()
    gate2 = staff_access.PinGate(tmp_path / "orders.sqlite3", lambda: holder["cfg"], clock)  # reboot
    assert gate2.locked_for() == 240 and not gate2.check("2468").ok
    clock.t += 241
    assert gate2.locked_for() == 0
    assert gate2.check("2468").ok
    gate2.close()


def test_clock_going_back_does_not_stretch_the_lock(gate_parts):
    gate, clock, _, _ = gate_parts
    for _ in range(5):
        gate.check("0000")
    clock.t -= 86_400  # the Pi booted without network: its clock is a day behind
    assert gate.locked_for() == 300
    clock.t += 301
    assert gate.check("2468").ok


def test_no_pin_set(tmp_path):
    gate = staff_access.PinGate(tmp_path / "o.sqlite3", staff_access.AdminConfig, Clock())
    r = gate.check("1234")
    assert r.no_pin and not r.ok and "set-pin" in r.message("en")
    gate.close()



@settings(max_examples=300, deadline=None)
@given(st.text(max_size=120))
def test_any_stored_hash_text_is_refused_cleanly(text):
    """The pin_hash comes from a file: nothing in it may crash the kiosk or make scrypt
    allocate without bound; it is a PinError or a usable hash."""
    try:
        staff_access.parse_pin_hash(text)
    except staff_access.PinError:
        pass


_KINDS = [Kind.HELP, Kind.NEXT, Kind.BACK, Kind.SELECT, Kind.PRESENCE]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_KINDS), st.floats(0, 2)), max_size=40))
def test_entry_only_on_the_sequence(stream):
    """Random intent streams: the detector fires exactly when the last five meaningful
    intents are HELPs within three seconds."""
    clock = Clock(0)
    det = staff_access.EntryDetector(clock=clock)
    recent: list[tuple[Kind, float]] = []
    for kind, gap in stream:
        clock.t += gap
        fired = det.feed(simple(kind))
        if kind is Kind.PRESENCE:
            assert not fired
            continue
        recent = (recent + [(kind, clock.t)])[-5:]
        expected = (len(recent) == 5 and all(k is Kind.HELP for k, _ in recent)
                    and recent[-1][1] - recent[0][1] <= 3.0)
        assert fired == expected
        if fired:
            recent = []
