"""Each audit check catches its deliberately broken fixture, for the right reason, and
passes the good screens."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from untact.accessibility.audit import cli
from untact.accessibility.audit.checks import CHECKS, RULE_NAMES, load_rules, run_checks
from untact.accessibility.audit.fixtures import FIXTURES, render_all
from untact.accessibility.audit.model import ScreenInfo, WidgetInfo, load_screens
from untact.accessibility.display import Display
from untact.accessibility.profiles import style_for

BAD = sorted(FIXTURES.glob("bad_*.json"))


def test_every_check_has_a_broken_fixture():
    assert {json.loads(p.read_text())["expect"]["rule"] for p in BAD} == set(RULE_NAMES)
    # #15's faults, each seeded in a fixture of its own
    assert {p.stem for p in BAD} >= {"bad_text_size", "bad_visual_height", "bad_layout",
                                     "bad_layout_overlap", "bad_colour_pairs",
                                     "bad_colour_pairs_yellow_blue", "bad_target_size_area"}


def test_good_screens_pass_every_check(tmp_path):
    screens = render_all(None, tmp_path)
    assert len(screens) >= 3 and {s.profile for s in screens} >= {"standard", "low_position"}
    assert run_checks(screens) == []
    assert all(Path(s.screenshot).read_bytes()[:4] == b"\x89PNG" for s in screens)


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.stem)
def test_broken_fixture_fails_for_its_reason(path):
    expect = json.loads(path.read_text())["expect"]
    findings = run_checks(load_screens(path))
    assert findings, "the broken fixture passed"
    assert {f.rule for f in findings} == {expect["rule"]}, [f.message for f in findings]
    assert expect["widget"] in {f.widget for f in findings}
    assert all(f.clauses for f in findings)  # every failure says which clause


def test_rules_carry_their_clauses():
    rules = load_rules()
    for name in RULE_NAMES:
        assert rules[name]["clauses"], name
        # each rule names the Korean criteria's principle and item first
        assert rules[name]["clauses"][0].startswith("검증기준 "), name
    assert rules["text_contrast"]["min_ratio"] == 4.5
    assert rules["reach"]["max_height_mm"] == 1200
    assert rules["visual_height"]["max_height_mm"] == 1220
    assert rules["text_size"]["min_hangul_height_mm"] == {"standard": 12.0, "small": 7.25}
    assert (rules["target_size"]["min_side_mm"], rules["target_size"]["min_area_mm2"]) == (12, 150)


def _screen(**widget) -> ScreenInfo:
    w = WidgetInfo(id="w", screen="s", labels={"ko": "가", "en": "A"}, actionable=True,
                   in_focus_order=True, focus_ring=(0, 0, 0, 1), focus_ring_width_px=4,
                   bbox=(100, 1000, 200, 200))
    for k, v in widget.items():
        setattr(w, k, v)
    return ScreenInfo("s", profile="low_position", window_px=(1080, 1920), widgets=[w],
                      title={"ko": "가", "en": "A"})


def test_physical_thresholds_are_measured_from_geometry():
    rules = load_rules()
    d = Display()
    # 15 mm is 60.4 px on the cafe screen: 61 passes, 60 fails.
    px = 15 * d.px_per_mm[1]
    assert not CHECKS["target_size"](_screen(bbox=(100, 1000, 200, int(px) + 1)), rules)
    assert CHECKS["target_size"](_screen(bbox=(100, 1000, 200, int(px))), rules)
    # The reach band the low-position profile uses is exactly what the audit accepts.
    top = style_for("low_position", d).reach_band_px[0]
    assert not CHECKS["reach"](_screen(bbox=(100, top, 200, 200)), rules)
    assert CHECKS["reach"](_screen(bbox=(100, top - 2, 200, 200)), rules)
    # The style's smallest text passes the text-size check, one pixel less fails.
    small = style_for("standard", d).small_px
    text = {"text": "H", "fg": (0, 0, 0, 1), "bg": (1, 1, 1, 1), "actionable": False}
    assert not CHECKS["text_size"](_screen(font_size_px=small, **text), rules)
    assert CHECKS["text_size"](_screen(font_size_px=small - 1, **text), rules)


def test_cli_reports_and_exits_1_on_failure(tmp_path, capsys):
    out = tmp_path / "audit"
    code = cli.main(["--screens", str(FIXTURES / "bad_reach.json"), str(FIXTURES / "good.json"),
                     "--out", str(out), "--json", str(tmp_path / "r.json")])
    assert code == 1
    report = json.loads((tmp_path / "r.json").read_text())
    assert not report["passed"] and report["failures"] == 1
    bad = next(s for s in report["screens"] if s["findings"])
    assert bad["findings"][0]["rule"] == "reach" and bad["findings"][0]["measured"] > 1200
    html = (out / "report.html").read_text()
    assert "class='box'" in html and "americano: reach" in html and "<img src=" in html
    assert "[reach]" in capsys.readouterr().err


def test_cli_passes_on_the_renderer_and_refuses_a_bad_one(tmp_path, capsys, output_dir):
    assert cli.main(["--out", str(output_dir / "audit-fixtures")]) == 0
    assert cli.main(["--renderer", "no.such.module:render_all", "--out", str(tmp_path)]) == 2
    assert "cannot load renderer" in capsys.readouterr().err
    broken = tmp_path / "x.json"
    broken.write_text("{not json")
    assert cli.main(["--screens", str(broken), "--out", str(tmp_path)]) == 2


def test_text_contrast_is_measured_on_the_screenshot(tmp_path):
    """The renderer declares good colours, but the pixels show grey text: caught."""
    from untact.accessibility.audit.fixtures import draw

    (screen,) = [s for s in load_screens(FIXTURES / "good.json") if s.profile == "standard"]
    total = next(w for w in screen.widgets if w.id == "total")
    declared = total.fg
    total.fg = (0.6, 0.6, 0.6, 1.0)  # what is really drawn
    screen.screenshot = draw(screen, tmp_path / "grey.png")
    total.fg = declared  # what the renderer claims
    findings = run_checks([screen])
    assert [(f.rule, f.widget) for f in findings] == [("text_contrast", "total")]
    assert "measured on the screenshot 2.85:1" in findings[0].message


def _encode_png(width, height, rows):
    """A PNG using every filter type (0-4 by row), to test the decoder."""
    import struct
    import zlib

    def paeth(a, b, c):
        p = a + b - c
        pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
        return a if pa <= pb and pa <= pc else (b if pb <= pc else c)

    out, prev, bpp = b"", bytes(width * 3), 3
    for y, row in enumerate(rows):
        f = y % 5
        enc = bytearray()
        for i, v in enumerate(row):
            a = row[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            pred = [0, a, b, (a + b) >> 1, paeth(a, b, c)][f]
            enc.append((v - pred) & 0xFF)
        out += bytes([f]) + bytes(enc)
        prev = row

    def chunk(k, d):
        return struct.pack(">I", len(d)) + k + d + struct.pack(">I", zlib.crc32(k + d))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2,
                                                             0, 0, 0))
            + chunk(b"IDAT", zlib.compress(out)) + chunk(b"IEND", b""))


def test_png_decoder_handles_every_filter():
    from untact.accessibility.audit.pixels import decode_png

    w, h = 7, 11
    rows = [bytes((x * 37 + y * 91 + c * 13) % 256 for x in range(w) for c in range(3))
            for y in range(h)]
    px = decode_png(_encode_png(w, h, rows))
    assert (px.width, px.height) == (w, h)
    assert px.data == b"".join(rows)


def test_kivy_fast_path_decodes_the_same_pixels(tmp_path):
    """load_png reads through Kivy's image loader (a private attribute, kivy_adapter.py)
    when it can: it must agree with the pure-Python decoder, or the audit would misjudge
    contrast on the real screenshots."""
    from untact.accessibility.audit.pixels import decode_png
    from untact.accessibility.kivy_adapter import decoded_png

    w, h = 9, 5
    rows = [bytes((x * 53 + y * 17 + c * 29) % 256 for x in range(w) for c in range(3))
            for y in range(h)]
    path = tmp_path / "rows.png"
    path.write_bytes(_encode_png(w, h, rows))
    fast = decoded_png(str(path))
    assert fast is not None, "Kivy's loader no longer gives its pixels: the fast path is gone"
    width, height, channels, data = fast
    stride = len(data) // height
    assert (width, height, channels) == (w, h, 3)
    assert [data[y * stride:y * stride + w * 3] for y in range(h)] == rows
    assert decode_png(path.read_bytes()).data == b"".join(rows)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["screens", "name", "widgets", "display", "bbox", "fg", "id",
                         "window_px", "labels", "size_mm", "background", "x"]), inner,
        max_size=5),
    max_leaves=20)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(json_values)
def test_any_renderer_json_is_loaded_or_refused_in_one_line(tmp_path, data):
    p = tmp_path / "s.json"
    p.write_text(json.dumps(data))
    try:
        screens = load_screens(p)
    except ValueError as exc:
        assert "\n" not in str(exc)
        return
    run_checks(screens)  # whatever was accepted can be measured without crashing


def test_console_script_runs_as_a_merchant_would(tmp_path):
    """A real process without the test environment's Kivy settings (Kivy must not eat
    the audit's own options)."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("KIVY_")}
    out = subprocess.run([sys.executable, "-m", "untact.accessibility.audit.cli", "--screens",
                          str(FIXTURES / "bad_flashing.json"), "--out", str(tmp_path),
                          "--json", "-"], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 1, out.stderr[-1500:]
    report = json.loads(out.stdout)
    assert [f["rule"] for s in report["screens"] for f in s["findings"]] == ["flashing"]
    assert "[flashing]" in out.stderr and "Kivy Usage" not in out.stderr
