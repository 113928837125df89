"""No action lost to a timeout without warning (WCAG 2.2.1, EN 301 549 5.2/9.2.2.1).

Pure logic driven by an injected clock, so tests and the simulator run it in simulated
time and the UI drives it from ``Clock.schedule_interval(lambda dt: timer.tick(), 0.5)``.
The customer is warned (spoken and shown by the ``on_warn`` callback) at least
``warning_s`` (>= 20 s) before the session expires, and may extend it at least 10 times
(:meth:`SessionTimer.extend`, or any activity). On expiry ``on_expire`` runs once: the
UI returns to the attract screen and resets profile, volume, rate and cart.

The criteria (검증기준 2-2) accept either a limit whose remaining time is shown or no
limit at all; ``time_limit = false`` is the merchant's choice of the second: a session
then never warns or expires, and only the customer leaving (the presence sensor) or
staff end it. :attr:`SessionTimer.remaining` is then infinite while a session runs.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Callable
from dataclasses import dataclass

from .config import Table

MIN_WARNING_S = 20.0
MIN_EXTENSIONS = 10


class TimerState(enum.Enum):
    IDLE = "idle"  # no customer: attract screen
    RUNNING = "running"
    WARNING = "warning"  # warned; extend() or any activity keeps the session
    EXPIRED = "expired"


@dataclass(frozen=True)
class TimerConfig:
    timeout_s: float = 120.0
    warning_s: float = 30.0
    max_extensions: int = 20
    time_limit: bool = True  # False: no limit at all (no warning, no countdown)

    def __post_init__(self) -> None:
        if self.warning_s < MIN_WARNING_S:
            raise ValueError(f"warning_s must be at least {MIN_WARNING_S:g} s")
        if self.timeout_s <= self.warning_s:
            raise ValueError("timeout_s must be longer than warning_s")
        if self.max_extensions < MIN_EXTENSIONS:
            raise ValueError(f"max_extensions must be at least {MIN_EXTENSIONS}")

    @classmethod
    def from_table(cls, table: Table) -> TimerConfig:
        """``[accessibility.session]``: timeout_s, warning_s (>= 20), max_extensions (>= 10),
        or ``time_limit = false`` alone (the limit's figures would mean nothing with it)."""
        table.unknown_keys({"time_limit", "timeout_s", "warning_s", "max_extensions"})
        if not table.get("time_limit", bool, True):
            for key in ("timeout_s", "warning_s", "max_extensions"):
                if table.has(key):
                    raise table.error(key, "has no meaning with time_limit = false "
                                           "(remove one of the two)")
            return cls(time_limit=False)
        if table.get("timeout_s", float, cls.timeout_s) == 0:
            raise table.error("timeout_s", "must be at least 30, not 0 "
                                           "(for no time limit write time_limit = false)")
        warning = table.get("warning_s", float, cls.warning_s, min=MIN_WARNING_S, max=600)
        timeout = table.get("timeout_s", float, cls.timeout_s, min=30, max=3600)
        if timeout <= warning:
            raise table.error("timeout_s", f"must be longer than warning_s ({warning:g})")
        return cls(timeout, warning,
                   table.get("max_extensions", int, cls.max_extensions, min=MIN_EXTENSIONS,
                             max=1000))


class SessionTimer:
    """Inactivity timer with a warning phase and counted extensions.

    ``on_warn(seconds_left)`` fires once per warning phase; ``on_expire()`` once per
    session. Extensions: any :meth:`activity` restarts the full timeout (a customer who is
    doing something is not timed out); :meth:`extend` is the explicit "more time" answer
    to the warning and counts against ``max_extensions`` — past it, extend() returns
    False and the warning stands.
    """

    def __init__(self, clock: Callable[[], float], config: TimerConfig = TimerConfig(),
                 on_warn: Callable[[float], None] | None = None,
                 on_expire: Callable[[], None] | None = None) -> None:
        self._clock = clock
        self.config = config
        self.on_warn = on_warn
        self.on_expire = on_expire
        self.state = TimerState.IDLE
        self.extensions = 0
        self._deadline = 0.0
        self._timeout_s = config.timeout_s
        self._warning_s = config.warning_s

    @property
    def limited(self) -> bool:
        """Whether sessions have a time limit (the kiosk file's choice)."""
        return self.config.time_limit

    def start(self, timeout_s: float | None = None, warning_s: float | None = None) -> None:
        """A customer arrived (or the profile changed its timeouts): start a session."""
        self._timeout_s = timeout_s if timeout_s is not None else self.config.timeout_s
        if not self.limited:
            self._timeout_s = math.inf  # never warned, never expired; remaining is inf
        self._warning_s = max(MIN_WARNING_S,
                              warning_s if warning_s is not None else self.config.warning_s)
        if self._timeout_s <= self._warning_s:
            raise ValueError("timeout must be longer than the warning")
        self.extensions = 0
        self.state = TimerState.RUNNING
        self._deadline = self._clock() + self._timeout_s

    def stop(self) -> None:
        """Session ended normally (order done, customer left): no expiry callback."""
        self.state = TimerState.IDLE

    @property
    def remaining(self) -> float:
        """Seconds left in the running session (``math.inf`` without a time limit)."""
        if self.state in (TimerState.RUNNING, TimerState.WARNING):
            return max(0.0, self._deadline - self._clock())
        return 0.0

    @property
    def extensions_left(self) -> int:
        return max(0, self.config.max_extensions - self.extensions)

    def activity(self) -> None:
        """Any user action: the session gets its full timeout again (not counted)."""
        if self.state in (TimerState.RUNNING, TimerState.WARNING):
            self.state = TimerState.RUNNING
            self._deadline = self._clock() + self._timeout_s

    def extend(self) -> bool:
        """The customer asked for more time; False once the extensions are used up."""
        if self.state not in (TimerState.RUNNING, TimerState.WARNING):
            return False
        if not self.limited:
            return True  # nothing to extend, nothing counted
        if self.extensions >= self.config.max_extensions:
            return False
        self.extensions += 1
        self.state = TimerState.RUNNING
        self._deadline = self._clock() + self._timeout_s
        return True

    def tick(self) -> TimerState:
        """Advance: call often (every 0.5 s is plenty); fires the callbacks."""
        if self.state not in (TimerState.RUNNING, TimerState.WARNING):
            return self.state
        now = self._clock()
        left = self._deadline - now
        if left <= 0 and self.state is TimerState.RUNNING:
            # Ticks came late (a stalled UI): never expire unwarned; warn now, full warning.
            self._deadline = now + self._warning_s
            left = self._warning_s
        if left <= 0:
            self.state = TimerState.EXPIRED
            if self.on_expire:
                self.on_expire()
        elif left <= self._warning_s and self.state is TimerState.RUNNING:
            self.state = TimerState.WARNING
            if self.on_warn:
                self.on_warn(left)
        return self.state
