"""The board's application: sensors in, protocol frames out, host commands in, all non-blocking.

:class:`Board` gets every device, the serial port and a clock as arguments (main.py builds
them from the wiring table; the simulator builds them on a fake ``machine``). A device that
is absent is None and its capability is not announced. ``step()`` does one pass and never
waits; ``run()`` loops over it.

Connection: the board announces itself with H every ANNOUNCE_MS until the host speaks (Q,
B or C). While the host is heard within HOST_TIMEOUT_MS the board sends events and a
heartbeat B whenever it has been quiet for BEAT_MS. Events made while no host listens are
dropped: a gesture nobody saw acted on must not fire minutes later.
"""

try:
    from untact.firmware import gestures, protocol
except ImportError:
    import gestures
    import protocol

FIRMWARE_VERSION = "0.1.0"
ANNOUNCE_MS = 1000
BEAT_MS = 500
HOST_TIMEOUT_MS = 3000
SWIPE_IDLE_MS = 60  # FIFO empty this long after a pass: the hand has gone
FAR_MM = 2000  # beyond the sensor's reach: nothing there
MAX_READ = 512  # bytes taken from the port per pass: bounded work per pass


class Board:
    def __init__(self, port, clock, board_id, boot, thresholds=None, tof=None, gesture=None,
                 pir=None, keypad=None, jack=None, led=None, buzzer=None, on_event=None):
        self.port = port
        self.clock = clock
        self.board_id = board_id
        self.boot = boot
        self.t = thresholds if thresholds is not None else gestures.Thresholds()
        self.tof = tof
        self.gesture = gesture
        self.pir = pir
        self.keypad = keypad
        self.jack = jack
        self.led = led
        self.buzzer = buzzer
        self.on_event = on_event  # called with (seq, name, value) as each event is sent
        self.presence = gestures.PresenceDetector(self.t)
        self.hand = gestures.HandDetector(self.t)
        self.swipe = gestures.SwipeDetector(self.t)
        self.decoder = protocol.Decoder()
        self.seq = protocol.Sequencer()
        self.distance = None
        self.host_seen = None
        self.last_sent = None
        self.last_announce = None
        self.last_swipe_data = 0
        self.last_cmd_seq = None
        self.last_ack = None
        self.dropped = 0
        self.sent_events = 0
        self.failures = {}  # type: dict[str, int]

    def caps(self):
        out = []
        for name, dev in (("tof", self.tof), ("gesture", self.gesture), ("pir", self.pir),
                          ("keys", self.keypad), ("jack", self.jack), ("led", self.led),
                          ("buzzer", self.buzzer)):
            if dev is not None:
                out.append(name)
        return out

    def connected(self, now):
        return self.host_seen is not None and now - self.host_seen < HOST_TIMEOUT_MS

    # -- sending --------------------------------------------------------------------------

    def send(self, kind, args=()):
        seq = self.seq.next()
        self.port.write(protocol.encode(kind, seq, args))
        self.last_sent = self.clock.ms()
        return seq

    def say(self, text):
        """Plain text on the line, like the REPL's: the host logs it, never acts on it."""
        try:
            self.port.write(text.replace("@", "(at)").encode() + b"\r\n")
        except Exception:
            pass

    def hello(self):
        self.send(protocol.K_HELLO, protocol.hello_args(self.board_id, FIRMWARE_VERSION,
                                                        self.boot, self.caps()))

    def event(self, now, name, value=None):
        if not self.connected(now):
            self.dropped += 1
            return None
        args = [name] if value is None else [name, str(value)]
        seq = self.send(protocol.K_EVENT, args)
        self.sent_events += 1
        if self.on_event is not None:
            self.on_event(seq, name, value)
        return seq

    # -- one pass -------------------------------------------------------------------------

    def step(self):
        now = self.clock.ms()
        data = self.port.read(MAX_READ)
        if data:
            for item in self.decoder.feed(data):
                if isinstance(item, protocol.Frame):
                    self.handle(now, item)
        self.sense(now)
        if self.buzzer is not None:
            self.buzzer.update(now)
        if self.connected(now):
            if self.last_sent is None or now - self.last_sent >= BEAT_MS:
                self.send(protocol.K_BEAT)
        elif self.last_announce is None or now - self.last_announce >= ANNOUNCE_MS:
            self.last_announce = now
            self.hello()

    def sense(self, now):
        """Read every device; one that fails (a loose cable) is reported, the rest go on."""
        for name, fn in (("tof", self.sense_tof), ("presence", self.sense_presence),
                         ("gesture", self.sense_gesture), ("keys", self.sense_keys),
                         ("jack", self.sense_jack)):
            try:
                fn(now)
                self.failures[name] = 0
            except OSError as exc:
                n = self.failures.get(name, 0)
                self.failures[name] = n + 1
                if n % 500 == 0:  # the first failure, then now and then: not a flood
                    self.say("untact board error: " + name + " " + repr(exc))

    def sense_tof(self, now):
        if self.tof is None:
            return
        mm = self.tof.read_mm()
        if mm is not None:
            self.distance = None if mm >= FAR_MM else mm
            ev = self.hand.update(now, self.distance)
            if ev is not None:
                self.event(now, ev[0], ev[1])

    def sense_presence(self, now):
        if self.pir is None and self.tof is None:
            return
        pir = self.pir.active() if self.pir is not None else False
        ev = self.presence.update(now, pir, self.distance)
        if ev is not None:
            self.event(now, ev[0], ev[1])

    def sense_gesture(self, now):
        if self.gesture is None:
            return
        sets = self.gesture.read_datasets()
        if sets:
            self.last_swipe_data = now
            for s in sets:
                ev = self.swipe.feed(s[0], s[1], s[2], s[3])
                if ev is not None:
                    self.event(now, ev[0], ev[1])
        elif now - self.last_swipe_data >= SWIPE_IDLE_MS:
            ev = self.swipe.end()
            if ev is not None:
                self.event(now, ev[0], ev[1])

    def sense_keys(self, now):
        if self.keypad is not None:
            for key in self.keypad.poll(now):
                self.event(now, "key", key)

    def sense_jack(self, now):
        if self.jack is not None:
            level = self.jack.poll(now)
            if level is not None:
                self.event(now, "jack", 1 if level else 0)

    # -- host frames ----------------------------------------------------------------------

    def handle(self, now, frame):
        kind = frame.kind
        if kind not in (protocol.K_HELLO_REQ, protocol.K_BEAT, protocol.K_CMD):
            return
        was_connected = self.connected(now)
        self.host_seen = now
        if kind == protocol.K_HELLO_REQ:
            self.hello()
            self.replay_state(now)
        elif kind == protocol.K_CMD:
            if not was_connected:
                self.hello()
            self.command(now, frame)

    def replay_state(self, now):
        """After a hello, tell the host what is true now (someone present, earphones in)."""
        if self.presence.present:
            self.event(now, "presence", 1)
        if self.jack is not None and self.jack.inserted():
            self.event(now, "jack", 1)

    def command(self, now, frame):
        if frame.seq == self.last_cmd_seq and self.last_ack is not None:
            self.send(protocol.K_ACK, self.last_ack)  # the host resent: ack again, do once
            return
        result = self.execute(now, frame.args)
        ack = [str(frame.seq), "ok"] if result is None else [str(frame.seq), "err", result]
        self.last_cmd_seq = frame.seq
        self.last_ack = ack
        self.send(protocol.K_ACK, ack)

    def execute(self, now, args):
        """Run one host command; None when done, else a short reason token."""
        if not args:
            return "empty"
        name = args[0]
        try:
            nums = [int(a) for a in args[1:]] if name != "set" else []
        except ValueError:
            return "notint"
        if name == "led":
            if self.led is None:
                return "nodevice"
            if len(nums) != 3 or min(nums) < 0 or max(nums) > 255:
                return "args"
            self.led.set(nums[0], nums[1], nums[2])
            return None
        if name == "buzz":
            if self.buzzer is None:
                return "nodevice"
            if len(nums) != 2 or not (20 <= nums[0] <= 20000) or not (0 <= nums[1] <= 5000):
                return "args"
            self.buzzer.beep(now, nums[0], nums[1])
            return None
        if name == "set":
            if len(args) != 3:
                return "args"
            return self.t.set(args[1], args[2])
        return "unknown"

    def run(self, should_stop=None, loop_ms=2):
        """Loop forever (or until should_stop() is true); a failing pass is reported, not fatal."""
        failures = 0
        while should_stop is None or not should_stop():
            try:
                self.step()
                failures = 0
            except Exception as exc:  # a sensor glitch must not stop the board
                failures += 1
                self.say("untact board error: " + repr(exc))
                if failures > 50:
                    raise
                self.clock.sleep_ms(50)
            self.clock.sleep_ms(loop_ms)
