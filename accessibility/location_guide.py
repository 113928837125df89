"""The location voice guide: a blind customer is told where the kiosk is and how to start.

The Disability Discrimination Act's enforcement decree (amended 2025-11) asks for a
device that tells a blind customer by voice where the kiosk is (음성안내장치). With a
presence sensor, the kiosk says, once per approach, "키오스크가 여기 있습니다. 이어폰을
꽂거나 아무 버튼이나 누르세요":

- once per approach: a person standing there (presence stays on, the sensor re-firing)
  never hears it twice; only after they have gone and someone comes again;
- at most every ``interval_s``: people passing to and fro do not set it chattering;
- never during quiet hours (the shop closed, neighbours asleep), nor while a customer
  is already using the kiosk;
- at its own volume (``volume_db``), not the customer's volume setting.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from .config import Table

MESSAGE = {"ko": "키오스크가 여기 있습니다. 이어폰을 꽂거나 아무 버튼이나 누르세요.",
           "en": "The kiosk is here. Plug in an earphone or press any button."}


def _clock_time(table: Table, key: str, text: str) -> dt.time:
    try:
        hours, minutes = text.split(":")
        return dt.time(int(hours), int(minutes))
    except ValueError:
        raise table.error(key, f"{text!r} is not a time of day like \"22:00\"") from None


@dataclass(frozen=True)
class LocationGuideConfig:
    enabled: bool = True
    interval_s: float = 60.0
    volume_db: float = -6.0  # relative to full scale, like [accessibility.speech] levels
    quiet_from: dt.time | None = dt.time(22, 0)  # no announcement from ... to ...
    quiet_until: dt.time | None = dt.time(7, 0)
    message: dict[str, str] = field(default_factory=lambda: dict(MESSAGE))

    @classmethod
    def from_table(cls, table: Table) -> LocationGuideConfig:
        """``[accessibility.location_guide]``: enabled, interval_s, volume_db,
        quiet_hours = ["22:00", "07:00"] (or [] for none), message = { ko, en }."""
        table.unknown_keys({"enabled", "interval_s", "volume_db", "quiet_hours", "message"})
        d = cls()
        quiet = table.get("quiet_hours", list, ["22:00", "07:00"])
        if quiet and (len(quiet) != 2 or not all(isinstance(v, str) for v in quiet)):
            raise table.error("quiet_hours", 'must be ["from", "until"], e.g. ["22:00", "07:00"]')
        message = table.get("message", dict, d.message)
        if not all(isinstance(v, str) and v.strip() for v in message.values()):
            raise table.error("message", "must give the announcement in each language")
        return cls(enabled=table.get("enabled", bool, d.enabled),
                   interval_s=table.get("interval_s", float, d.interval_s, min=10, max=3600),
                   volume_db=table.get("volume_db", float, d.volume_db, min=-40, max=0),
                   quiet_from=_clock_time(table, "quiet_hours", quiet[0]) if quiet else None,
                   quiet_until=_clock_time(table, "quiet_hours", quiet[1]) if quiet else None,
                   message=dict(message))

    def quiet_at(self, t: dt.time) -> bool:
        a, b = self.quiet_from, self.quiet_until
        if a is None or b is None or a == b:
            return False
        return a <= t < b if a < b else (t >= a or t < b)  # over midnight


class LocationGuide:
    """Feed it the presence sensor's changes; it calls ``say(text, lang, volume_db)``."""

    def __init__(self, config: LocationGuideConfig, clock: Callable[[], float],
                 say: Callable[[str, str, float], object],
                 time_of_day: Callable[[], dt.time] = lambda: dt.datetime.now().time(),
                 language: str = "ko") -> None:
        self.config = config
        self.clock = clock
        self.say = say
        self.time_of_day = time_of_day
        self.language = language
        self.present = False
        self.last_said: float | None = None
        self.said = 0

    def presence(self, here: bool, in_use: bool = False) -> bool:
        """A change of the presence sensor; True if the guide spoke."""
        arrived = here and not self.present
        self.present = here
        if not arrived or in_use or not self.config.enabled:
            return False
        now = self.clock()
        if self.last_said is not None and now - self.last_said < self.config.interval_s:
            return False
        if self.config.quiet_at(self.time_of_day()):
            return False
        self.last_said = now
        self.said += 1
        lang = self.language if self.language in self.config.message else \
            next(iter(self.config.message))
        self.say(self.config.message[lang], lang, self.config.volume_db)
        return True
