"""A kiosk on the 7 in portrait Pi screen (its own process: a Kivy window keeps the size
it opened with). Walks the accessibility settings page by page with the keypad alone and
prints, per page, the buttons shown, the summary and the audit's findings on it.

Usage: python small_screen_child.py OUT_DIR   (prints one JSON line)
"""

import json
import sys
from pathlib import Path

from untact.accessibility.audit.checks import check_layout, check_target_size
from untact.accessibility.audit.displays import with_display
from untact.accessibility.audit.rules import load_rules
from untact.accessibility.display import SUPPORTED_DISPLAYS
from untact.accessibility.intents import Kind
from untact.simulator.audit_renderer import describe
from untact.simulator.driver import KioskDriver

CAFE = Path(__file__).resolve().parents[2] / "examples" / "cafe.toml"
out = Path(sys.argv[1])
config = out / "cafe-pi-touch2.toml"
config.write_text(with_display(CAFE.read_text(encoding="utf-8"), SUPPORTED_DISPLAYS["pi-touch2-7in"]),
                  encoding="utf-8")
kiosk = KioskDriver(config, data_dir=out / "data", scale=1.0).start()
rules = load_rules()
app = kiosk.app
kiosk.key("enter")  # start
kiosk.focus_on(lambda w: w.payload == ("access", None), what="the settings button")
kiosk.send(Kind.SELECT)
pages = []
for _ in range(6):
    assert kiosk.screen == "access"
    page = len(pages)
    shot = kiosk.screenshot(out / f"access-page{page + 1}.png")
    info = describe(kiosk, "access", "standard", shot)
    pages.append({"buttons": [w.text for w in app.targets()],
                  "summary": app.screen.ids.summary.text,
                  "findings": [f.message for f in check_layout(info, rules) + check_target_size(info, rules)]})
    if not any(w.payload == ("page", 1) and w.enabled for w in app.targets()):
        break
    kiosk.focus_on(lambda w: w.payload == ("page", 1), what="next page")
    kiosk.send(Kind.SELECT)
kiosk.stop()
print(json.dumps({"pages": pages, "px_per_mm": app.px_per_mm}, ensure_ascii=False), flush=True)
