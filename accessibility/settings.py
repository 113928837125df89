"""The kiosk file's accessibility settings: ``[display]`` and ``[accessibility]``.

One parser for the frame's part of the kiosk file, so the UI loads it with one call and
every mistake names file, line and field::

    [accessibility.profiles]   default = "standard"; base_font_px = 40
    [accessibility.session]    timeout_s = 120; warning_s = 30; max_extensions = 20
                               (or time_limit = false: no limit, 검증기준 2-2)
    [accessibility.speech]     voices = { ko = "ko", en = "en" }; sink = "auto"; ...
    [accessibility.location_guide]  interval_s = 60; volume_db = -6; quiet_hours = [...]
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .config import Source, Table
from .display import Display
from .location_guide import LocationGuideConfig
from .profiles import ProfileConfig
from .session_timer import TimerConfig
from .speech import SpeechConfig


@dataclass(frozen=True)
class AccessibilityConfig:
    display: Display = field(default_factory=Display)
    profiles: ProfileConfig = field(default_factory=ProfileConfig)
    session: TimerConfig = field(default_factory=TimerConfig)
    speech: SpeechConfig = field(default_factory=SpeechConfig)
    location_guide: LocationGuideConfig = field(default_factory=LocationGuideConfig)

    @classmethod
    def from_table(cls, root: Table) -> AccessibilityConfig:
        """From the kiosk file's root table (reads ``display`` and ``accessibility``)."""
        acc = root.table("accessibility")
        acc.unknown_keys({"profiles", "session", "speech", "location_guide"})
        return cls(display=Display.from_table(root.table("display")),
                   profiles=ProfileConfig.from_table(acc.table("profiles")),
                   session=TimerConfig.from_table(acc.table("session")),
                   speech=SpeechConfig.from_table(acc.table("speech")),
                   location_guide=LocationGuideConfig.from_table(acc.table("location_guide")))

    @classmethod
    def load(cls, path: str) -> AccessibilityConfig:
        return cls.from_table(Source.load(path).root())
