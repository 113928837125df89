import math

import pytest
from untact.accessibility.config import ConfigError, Source
from untact.accessibility.contrast import contrast_ratio
from untact.accessibility.display import Display
from untact.accessibility.profiles import (
    HANGUL_HEIGHT_RATIO,
    PROFILES,
    THEMES,
    min_font_px,
    min_hangul_height_mm,
    style_for,
)
from untact.accessibility.session_timer import SessionTimer, TimerConfig, TimerState

CAFE = Display(resolution=(1080, 1920), size_mm=(268, 477), bottom_edge_mm=750,
               viewing_distance_mm=500)


def test_contrast_matches_wcag_reference_values():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    # 50% black over white is seen as mid grey.
    assert contrast_ratio((0, 0, 0, 0.5), "#ffffff") == pytest.approx(
        contrast_ratio("#808080", "#ffffff"), abs=0.05)


@pytest.mark.parametrize("theme", THEMES.values(), ids=lambda t: t.name)
def test_themes_have_measured_contrast(theme):
    c = theme.contrasts()
    for pair in ("text", "accent_text", "button_text", "disabled_text", "caption_text"):
        assert c[pair] >= 4.5, pair
    assert c["button_edge"] >= 3 and c["focus_ring_on_bg"] >= 3
    assert theme.focus_ring_width_px >= 2


def test_display_geometry_from_the_cafe_file():
    d = Display.from_table(Source.load("examples/cafe.toml").root().table("display"))
    assert d == CAFE
    assert d.row_height_mm(1920) == 750 and d.row_height_mm(0) == pytest.approx(1227)
    top, bottom = d.reachable_band(1200)
    assert d.row_height_mm(top) <= 1200 < d.row_height_mm(top - 1)
    assert bottom == 1920


def test_display_config_errors_name_the_field(tmp_path):
    p = tmp_path / "k.toml"
    p.write_text("[display]\nresolution = [1080]\n")
    with pytest.raises(ConfigError, match=r"k.toml:2: display.resolution"):
        Display.from_table(Source.load(p).root().table("display"))


def test_style_meets_physical_minimums_in_every_profile():
    # 검증기준 3-9: Hangul with 받침 12 mm at 500 mm on a 21.5 in screen, 7.25 mm at 11 in
    assert min_hangul_height_mm(CAFE) == 12.0
    assert min_hangul_height_mm(Display((800, 480), (154.1, 85.9))) == 7.25
    for name in PROFILES:
        s = style_for(name, CAFE)
        assert CAFE.px_to_mm(s.small_px * HANGUL_HEIGHT_RATIO) >= 12 - 1e-9
        assert CAFE.px_to_mm(s.target_px, 0) >= 15 and CAFE.px_to_mm(s.target_px, 1) >= 15
        # every profile keeps controls within 400..1200 mm, not only the low-position one
        assert CAFE.row_height_mm(s.reach_band_px[0]) <= 1200
    assert style_for("low_vision", CAFE).font_px == math.ceil(min_font_px(CAFE) * 2)
    assert style_for("low_vision", CAFE).theme.name == "high_contrast"
    assert style_for("elderly", CAFE).items_per_page < style_for("standard", CAFE).items_per_page
    assert style_for("elderly", CAFE).speech_rate_wpm < style_for("standard", CAFE).speech_rate_wpm
    assert style_for("blind", CAFE).speech_on and style_for("blind", CAFE).linear_order
    assert style_for("hearing", CAFE).captions
    slow = style_for("elderly", CAFE, timer=TimerConfig(timeout_s=60, warning_s=20))
    assert (slow.session_timeout_s, slow.warning_s) == (120, 40)  # longer timeouts


def test_low_position_band_is_below_1200_mm_on_a_high_screen():
    high = Display(bottom_edge_mm=1000)  # screen starts 1 m up: most of it out of reach
    s = style_for("low_position", high)
    top, bottom = s.reach_band_px
    assert high.row_height_mm(top) <= 1200 and high.row_height_mm(top - 1) > 1200
    assert s.reachable((0, top, 100, 100)) and not s.reachable((0, top - 1, 100, 100))
    assert s.reach_band_kivy == (1920 - bottom, 1920 - top)
    assert style_for("standard", high).reach_band_px == s.reach_band_px


class FakeClock:  # simulated time: the timer never reads the wall clock
    def __init__(self):
        self.t = 1000.0

    def __call__(self):
        return self.t


def run(timer, clock, seconds, step=0.5):
    end = clock.t + seconds
    while clock.t < end:
        clock.t += step
        timer.tick()


def test_timer_warns_20s_before_and_extends_at_least_10_times():
    clock, events = FakeClock(), []
    t = SessionTimer(clock, TimerConfig(timeout_s=60, warning_s=20, max_extensions=10),
                     on_warn=lambda left: events.append(("warn", clock.t, left)),
                     on_expire=lambda: events.append(("expire", clock.t)))
    t.start()
    start = clock.t
    for _ in range(10):
        run(t, clock, 41)
        assert t.state is TimerState.WARNING and events[-1][0] == "warn"
        assert events[-1][2] >= 19.5
        assert t.extend()
    run(t, clock, 41)
    assert not t.extend()  # the 11th is refused: the warning stands
    run(t, clock, 20)
    assert events[-1][0] == "expire" and t.state is TimerState.EXPIRED
    warns = [e for e in events if e[0] == "warn"]
    assert len(warns) == 11
    assert events[-1][1] - warns[-1][1] >= 20  # the last warning came 20 s before the end
    assert events[-1][1] - start > 10 * 40


def test_activity_resets_and_late_ticks_still_warn_first():
    clock, events = FakeClock(), []
    t = SessionTimer(clock, TimerConfig(timeout_s=60, warning_s=30),
                     on_warn=lambda left: events.append("warn"),
                     on_expire=lambda: events.append("expire"))
    t.start()
    run(t, clock, 50)
    t.activity()
    assert t.state is TimerState.RUNNING and t.remaining == 60
    clock.t += 500  # the UI stalled: no tick for minutes
    assert t.tick() is TimerState.WARNING and events == ["warn", "warn"]
    assert t.remaining == 30
    run(t, clock, 31)
    assert events[-1] == "expire"


def test_timer_config_refuses_short_warnings(tmp_path):
    with pytest.raises(ValueError):
        TimerConfig(warning_s=10)
    with pytest.raises(ValueError):
        TimerConfig(max_extensions=3)
    p = tmp_path / "k.toml"
    p.write_text("[session]\nwarning_s = 5\n")
    with pytest.raises(ConfigError, match="session.warning_s"):
        TimerConfig.from_table(Source.load(p).root().table("session"))

