"""The location voice guide: once per approach, never to the same person twice, at most
every interval, never in quiet hours or while the kiosk is in use, at its own volume."""

from __future__ import annotations

import datetime as dt

import pytest
from untact.accessibility.audio_sink import NullSink
from untact.accessibility.config import ConfigError, Source
from untact.accessibility.display import Display
from untact.accessibility.frame import AccessibilityFrame
from untact.accessibility.intents import Kind, simple
from untact.accessibility.location_guide import LocationGuide, LocationGuideConfig
from untact.accessibility.speech import SpeechEngine


class Clock:
    t = 1000.0

    def __call__(self):
        return self.t


def guide(config=None, hour=12):
    clock, said = Clock(), []
    g = LocationGuide(config or LocationGuideConfig(), clock,
                      lambda text, lang, db: said.append((text, lang, db)),
                      time_of_day=lambda: dt.time(hour, 0))
    return g, clock, said


def test_the_guide_announces_once_per_approach():
    g, clock, said = guide()
    assert g.presence(True)
    assert said == [("키오스크가 여기 있습니다. 이어폰을 꽂거나 아무 버튼이나 누르세요.", "ko", -6.0)]
    for _ in range(5):  # the same person stands there; the sensor fires again and again
        clock.t += 5
        assert not g.presence(True)
    g.presence(False)
    clock.t += 5
    assert not g.presence(True)  # back within the interval: not again
    g.presence(False)
    clock.t += 61
    assert g.presence(True) and len(said) == 2  # a new approach after the interval


def test_quiet_hours_in_use_and_disabled_keep_it_silent():
    g, _, said = guide(hour=23)  # 22:00-07:00 by default, over midnight
    assert not g.presence(True) and not said
    g, _, said = guide(hour=6)
    assert not g.presence(True)
    g, _, said = guide()
    assert not g.presence(True, in_use=True)
    g, _, said = guide(LocationGuideConfig(enabled=False))
    assert not g.presence(True) and not said


def test_config_from_the_kiosk_file_and_its_located_errors(tmp_path):
    p = tmp_path / "k.toml"
    p.write_text('[accessibility.location_guide]\ninterval_s = 120\nvolume_db = -12\n'
                 'quiet_hours = ["21:30", "08:00"]\n')
    c = LocationGuideConfig.from_table(Source.load(p).root().table("accessibility")
                                       .table("location_guide"))
    assert (c.interval_s, c.volume_db, c.quiet_from, c.quiet_until) == \
        (120, -12, dt.time(21, 30), dt.time(8, 0))
    p.write_text('[accessibility.location_guide]\nquiet_hours = ["late", "08:00"]\n')
    with pytest.raises(ConfigError, match=r"k.toml:2: accessibility.location_guide.quiet_hours"):
        LocationGuideConfig.from_table(Source.load(p).root().table("accessibility")
                                       .table("location_guide"))


@pytest.mark.kiosk
def test_the_frame_speaks_it_on_the_presence_sensor_once_at_its_own_volume():
    clock = Clock()
    with SpeechEngine(sink=NullSink()) as eng:
        frame = AccessibilityFrame(Display(), eng, clock)
        frame.location_guide.time_of_day = lambda: dt.time(12, 0)
        frame.handle(simple(Kind.PRESENCE, "board", True))
        frame.handle(simple(Kind.PRESENCE, "board", True))  # the same person
        assert eng.wait_idle(15)
        guided = [u for u in eng.history if u.text.startswith("키오스크가 여기 있습니다")]
        assert len(guided) == 1 and guided[0].volume_db == -6.0
        assert guided[0].outcome == "played"
        frame.close()
