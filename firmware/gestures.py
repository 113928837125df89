"""Gestures decided on the board from raw samples; pure logic, no hardware.

Every detector takes plain numbers with an explicit time in milliseconds (a counter the
main loop keeps growing, so there is no tick wrap-around here) and returns an event tuple
``(name, value)`` or None. The same test vectors run on CPython and on MicroPython.

Thresholds live in one :class:`Thresholds` object the host can change at run time with
``C seq set key value`` (see protocol.py); detectors read it on every sample.
"""

# name: (default, lowest, highest). Distances in mm, times in ms, swipe in percent.
LIMITS = {
    "arrive_mm": (800, 100, 2000),  # someone this close (or PIR) has arrived ...
    "leave_mm": (1000, 100, 2000),  # ... and has left once farther than this ...
    "arrive_ms": (150, 0, 5000),  # ... for this long (both ways: time hysteresis)
    "leave_ms": (3000, 0, 60000),
    "hover_mm": (250, 60, 1000),  # a hand between the push plane and this is hovering
    "hover_ms": (400, 50, 5000),  # ... once it has stayed this long
    "push_mm": (50, 10, 300),  # the touch plane in front of the screen
    "push_drop_mm": (60, 10, 500),  # a push closes at least this much distance ...
    "push_window_ms": (300, 50, 2000),  # ... within this time
    "rearm_mm": (30, 5, 300),  # hand must back off this far past a plane to fire again
    "swipe_pct": (30, 5, 200),  # least change of the photodiode ratio for a swipe
    "swipe_min": (15, 1, 255),  # least photodiode level counted as a hand
    "debounce_ms": (20, 1, 500),  # keys and jack switch
}


class Thresholds:
    """Current settings, each kept within its LIMITS."""

    def __init__(self):
        self.values = {}
        for k in LIMITS:
            self.values[k] = LIMITS[k][0]

    def get(self, key):
        return self.values[key]

    def set(self, key, value):
        """Set ``key`` from text or int; returns None if done, else a short reason."""
        if key not in LIMITS:
            return "unknown"
        try:
            v = int(value)
        except (ValueError, TypeError):
            return "notint"
        lo, hi = LIMITS[key][1], LIMITS[key][2]
        if v < lo or v > hi:
            return "range"
        self.values[key] = v
        return None


class PresenceDetector:
    """Arrive/leave with hysteresis in distance (arrive_mm < leave_mm) and in time.

    A person is "near" when the PIR sees them or the distance sensor reads within
    arrive_mm (within leave_mm once present). Arrival needs arrive_ms of near, leaving
    needs leave_ms of not near: a customer who stands still in front of the screen and
    drops out of the PIR for a moment has not left.
    """

    def __init__(self, thresholds):
        self.t = thresholds
        self.present = False
        self._since = None  # when the raw state first disagreed with self.present

    def update(self, now, pir, distance):
        t = self.t
        limit = t.get("leave_mm") if self.present else t.get("arrive_mm")
        near = bool(pir) or (distance is not None and distance <= limit)
        if near == self.present:
            self._since = None
            return None
        if self._since is None:
            self._since = now
        wait = t.get("leave_ms") if self.present else t.get("arrive_ms")
        if now - self._since >= wait:
            self.present = near
            self._since = None
            return ("presence", 1 if near else 0)
        return None


class HandDetector:
    """Hover and push from the time-of-flight distance.

    push: the hand crosses the touch plane (push_mm) having closed push_drop_mm within
    push_window_ms: a deliberate poke toward the screen, not a hand drifting close.
    hover: the hand stays between the touch plane and hover_mm for hover_ms.
    Each fires once, then re-arms when the hand backs off rearm_mm past its plane.
    """

    def __init__(self, thresholds):
        self.t = thresholds
        self._history = []  # (time, mm), the last push_window_ms of samples
        self._push_armed = True
        self._hover_armed = True
        self._hover_since = None

    def update(self, now, distance):
        t = self.t
        if distance is None:  # out of range or no reading: the hand is gone
            self._history = []
            self._hover_since = None
            self._push_armed = True
            self._hover_armed = True
            return None
        push_mm = t.get("push_mm")
        hover_mm = t.get("hover_mm")
        rearm = t.get("rearm_mm")
        window = t.get("push_window_ms")
        hist = [s for s in self._history if now - s[0] <= window]
        hist.append((now, distance))
        self._history = hist
        if distance > push_mm + rearm:
            self._push_armed = True
        if distance > hover_mm + rearm:
            self._hover_armed = True
        if distance <= push_mm:
            self._hover_since = None
            if self._push_armed:
                highest = distance
                for s in hist:
                    if s[1] > highest:
                        highest = s[1]
                if highest - distance >= t.get("push_drop_mm"):
                    self._push_armed = False
                    self._hover_armed = False  # the hand that pushed is not hovering
                    return ("push", distance)
            return None
        if distance <= hover_mm:
            if self._hover_since is None:
                self._hover_since = now
            elif self._hover_armed and now - self._hover_since >= t.get("hover_ms"):
                self._hover_armed = False
                return ("hover", distance)
            return None
        self._hover_since = None
        return None


class SwipeDetector:
    """Swipes from the APDS-9960 gesture FIFO: datasets of (up, down, left, right).

    Collect datasets while any photodiode reads at least swipe_min; when the hand has
    gone (a dataset below it, or end()), compare the left/right and up/down balance at
    the first and last frames of the pass. The ratio change (in percent of the sum) on
    the stronger axis decides, if it is at least swipe_pct. Sensor mounted as in the
    README: a hand moving toward the R photodiode is a swipe right.
    """

    def __init__(self, thresholds):
        self.t = thresholds
        self._first = None
        self._last = None
        self._count = 0

    def feed(self, u, d, l, r):
        """One dataset; returns ("swipe", direction) when a pass ends, else None."""
        lo = self.t.get("swipe_min")
        if u < lo and d < lo and l < lo and r < lo:
            return self.end()
        sample = (u, d, l, r)
        if self._first is None:
            self._first = sample
        self._last = sample
        self._count += 1
        if self._count > 400:  # a hand parked over the sensor: not a swipe
            self._first = sample
            self._count = 1
        return None

    def end(self):
        """The hand has left the sensor (FIFO empty after a pass): decide."""
        first, last, count = self._first, self._last, self._count
        self._first = self._last = None
        self._count = 0
        if first is None or last is None or count < 2:
            return None
        ud = _ratio(last[1], last[0]) - _ratio(first[1], first[0])  # toward D is down
        lr = _ratio(last[3], last[2]) - _ratio(first[3], first[2])  # toward R is right
        need = self.t.get("swipe_pct")
        if abs(lr) >= abs(ud):
            if abs(lr) < need:
                return None
            return ("swipe", "right" if lr > 0 else "left")
        if abs(ud) < need:
            return None
        return ("swipe", "down" if ud > 0 else "up")


def _ratio(a, b):
    """(a - b) as a percentage of (a + b); 0 when both are 0."""
    s = a + b
    if s <= 0:
        return 0
    return (a - b) * 100 // s


class Debouncer:
    """A switch whose level must hold debounce_ms before it counts (keys, jack).

    ``update(now, level)`` returns the new stable level when it changes, else None.
    """

    def __init__(self, thresholds, level):
        self.t = thresholds
        self.stable = level
        self._candidate = level
        self._since = 0

    def update(self, now, level):
        if level != self._candidate:
            self._candidate = level
            self._since = now
            return None
        if level != self.stable and now - self._since >= self.t.get("debounce_ms"):
            self.stable = level
            return level
        return None
