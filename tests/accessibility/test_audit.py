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
from untact.accessibility.display import SUPPORTED_DISPLAYS, Display
from untact.accessibility.profiles import HANGUL_HEIGHT_RATIO, style_for

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
    return ScreenInfo("s", profile="standard", window_px=(1080, 1920), widgets=[w],
                      title={"ko": "가", "en": "A"})


def test_physical_thresholds_are_measured_from_geometry():
    rules = load_rules()
    d = Display()
    # 12 mm is 48.3 px on the cafe screen: 49 passes, 48 fails.
    px = 12 * d.px_per_mm[1]
    assert not CHECKS["target_size"](_screen(bbox=(100, 1000, 200, int(px) + 1)), rules)
    assert CHECKS["target_size"](_screen(bbox=(100, 1000, 200, int(px))), rules)
    # 12.5 x 12.5 mm passes (156 mm2); 12.1 x 12.1 mm has its sides but not 150 mm2.
    side = 12.5 * d.px_per_mm[0], 12.5 * d.px_per_mm[1]
    assert not CHECKS["target_size"](_screen(bbox=(100, 1000, *side)), rules)
    side = 12.1 * d.px_per_mm[0], 12.1 * d.px_per_mm[1]
    assert "mm2" in CHECKS["target_size"](_screen(bbox=(100, 1000, *side)), rules)[0].message
    # The reach band every profile uses is exactly what the audit accepts.
    for profile in ("standard", "low_position", "low_vision"):
        top = style_for(profile, d).reach_band_px[0]
        assert not CHECKS["reach"](_screen(bbox=(100, top, 200, 200)), rules)
        assert CHECKS["reach"](_screen(bbox=(100, top - 2, 200, 200)), rules)
    # The style's smallest font, at NanumGothic's measured Hangul ratio, passes the
    # text-size check; one pixel of Hangul height less fails.
    small = style_for("standard", d).small_px * HANGUL_HEIGHT_RATIO
    text = {"text": "갈", "fg": (0, 0, 0, 1), "bg": (1, 1, 1, 1), "actionable": False}
    assert not CHECKS["text_size"](_screen(hangul_height_px=small, **text), rules)
    assert CHECKS["text_size"](_screen(hangul_height_px=small - 1, **text), rules)
    # A small screen (10.1 in tablet) needs 7.25 mm, the portrait kiosk 12 mm.
    tablet = ScreenInfo("s", window_px=(1280, 800), display=SUPPORTED_DISPLAYS["tablet-10.1in"],
                        widgets=[WidgetInfo(id="w", screen="s", text="갈", fg=(0, 0, 0, 1),
                                            hangul_height_px=7.3 * 800 / 135.6)])
    assert not CHECKS["text_size"](tablet, rules)
    tablet.widgets[0].hangul_height_px = 7.2 * 800 / 135.6
    assert "7.25 mm" in CHECKS["text_size"](tablet, rules)[0].message


def test_known_misses_are_reported_apart_and_a_fixed_one_fails(tmp_path, capsys):
    """A recorded miss does not fail the audit but is printed; an entry that matches
    nothing any more fails it (like a strict xfail)."""
    misses = tmp_path / "m.toml"
    misses.write_text('[[miss]]\nrule = "reach"\nscreen = "bad_reach"\nwhy = "seeded"\n')
    args = ["--screens", str(FIXTURES / "bad_reach.json"), "--out", str(tmp_path / "a"),
            "--known-misses", str(misses)]
    # --screens runs ignore the packaged list; a list given by name applies
    assert cli.main(args) == 0
    err = capsys.readouterr().err
    assert "1 known misses" in err and "known miss [reach]" in err
    misses.write_text('[[miss]]\nrule = "layout"\nscreen = "bad_reach"\nwhy = "fixed"\n')
    assert cli.main(args) == 1
    assert "known miss no longer seen" in capsys.readouterr().err


def test_conformance_report_lists_the_47_items(tmp_path):
    from untact.accessibility.audit.conformance import load_items, test_exists

    items = load_items()
    assert len(items) == 47 and len({i.id for i in items}) == 47
    counts = {}
    for i in items:
        counts[i.id.split("-")[0]] = counts.get(i.id.split("-")[0], 0) + 1
    assert counts == {"1": 9, "2": 2, "3": 13, "4": 2, "5": 4, "6": 1, "7": 8, "8": 2, "9": 2,
                      "10": 4}
    assert all(i.rules or i.tests or i.person or i.na for i in items)
    root = Path(__file__).resolve().parents[2]
    assert test_exists("tests/accessibility/test_audit.py::test_conformance_report_lists_the_47_items", root)
    assert not test_exists("tests/accessibility/test_audit.py::no_such_test", root)
    assert cli.main(["--screens", str(FIXTURES / "good.json"), "--out", str(tmp_path)]) == 0
    report = json.loads((tmp_path / "conformance.json").read_text())
    by_id = {r["id"]: r for r in report["items"]}
    assert by_id["1-2"]["result"] == "pass" and by_id["1-2"]["how"] == "checked automatically"
    assert "smallest area" in by_id["1-3"]["figures"]["target_size"]["kiosk file"]
    assert by_id["1-5"]["result"] == "n/a" and by_id["7-7"]["result"] == "person"
    # an item whose named test does not exist is not met
    assert all(r["result"] == "fail" for r in report["items"] if r["missing_tests"])
    cli.main(["--screens", str(FIXTURES / "bad_target_size_area.json"), "--out", str(tmp_path)])
    report = json.loads((tmp_path / "conformance.json").read_text())
    assert {r["id"]: r for r in report["items"]}["1-3"]["result"] == "fail"


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


def test_every_known_miss_names_a_rule_and_why():
    from untact.accessibility.audit.known_misses import load_misses

    for m in load_misses():
        assert m.rule in RULE_NAMES and len(m.why) > 20, m
