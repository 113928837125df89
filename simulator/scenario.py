"""Scenario files: a customer, step by step, and what must follow.

A scenario is TOML::

    [scenario]
    name = "Americano by keypad"
    config = "../../examples/cafe.toml"   # relative to this file

    [[step]]
    do = "choose"                # focus the widget whose label contains the text, select it
    text = "아메리카노"

    [[step]]
    expect = { screen = "cart", cart_total = 4500 }

Every step is either an action (``do``) or expectations (``expect``), or both (the
action first). Errors name the file, line and step, like the kiosk file's.

``point`` posts what the camera's interaction layer would (POINT, then DWELL). ``hand``
goes through the camera itself: a real hand photo, placed so that the tracked fingertip
lands where ``at`` says, is played as a clip into the real tracking worker (MediaPipe in
its own process); the step waits (bounded) for the gesture's intent to reach the kiosk::

    [[step]]
    do = "hand"
    gesture = "hold"      # hold (hover-and-hold: DWELL), push (SELECT), swipe_left
                          # (PREVIOUS) or swipe_right (NEXT); default hold
    at = "Americano"      # the enabled widget whose label contains this, or "x,y" in
                          # 0..1 of the kiosk screen from the top-left; swipes: optional
    hold_s = 2.5          # hold only: seconds the hand rests there (1.5..10; default 2.5)
    photo = "pointing_index_hagrid.jpg"  # in $UNTACT_TESTDATA/hands or next to this file
    scale = 0.35          # the photo's width in the camera's frame (0.15..0.6): nearer = larger

A ``say`` step speaks typed ``text`` through espeak-ng, or plays a real person's
recording, ``wav = "FILE"`` (beside the scenario or in $UNTACT_TESTDATA, e.g.
"ko_read/ko_eto_pfb00007.wav"), through the same VAD and recognizers.

The camera clips run in real time in the worker (on their own clip timeline, so a hold
lasts exactly ``hold_s`` for the tracker), while the rest of the scenario runs in
simulated time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from untact.accessibility.config import ConfigError, Source, Table, array_table_lines, locate

INTENT_NAMES = ("next", "previous", "select", "back", "home", "help", "repeat",
                "stop_speech", "volume_up", "volume_down", "speech_mode")

# action -> {field: (type, required)}
ACTIONS: dict[str, dict[str, tuple[type | tuple[type, ...], bool]]] = {
    "intent": {"intent": (str, True), "times": (int, False)},
    "key": {"key": (str, True), "times": (int, False)},
    "choose": {"text": (str, True)},
    "point": {"text": (str, True), "hold_s": (float, False)},
    "wait": {"seconds": (float, True)},
    "approach": {"board": (int, False)},
    "leave": {"board": (int, False)},
    "set_profile": {"profile": (str, True)},
    # Devices: carried out by the simulator's virtual devices where they are attached.
    "swipe": {"direction": (str, True), "board": (int, False)},
    "push": {"board": (int, False)},
    "hover": {"distance_mm": (float, True), "seconds": (float, False), "board": (int, False)},
    "press": {"button": (str, True), "board": (int, False)},
    "plug_earphone": {"board": (int, False)},
    "unplug_earphone": {"board": (int, False)},
    "unplug_board": {"board": (int, False)},
    "replug_board": {"board": (int, False), "new_name": (bool, False)},
    "line_noise": {"text": (str, True), "board": (int, False)},
    "reset_board": {"board": (int, False)},
    "say": {"text": (str, False), "lang": (str, False), "tries": (int, False), "wav": (str, False)},
    "hand": {"gesture": (str, False), "at": (str, False), "hold_s": (float, False),
             "photo": (str, False), "scale": (float, False)},
}

EXPECTATIONS: dict[str, type | tuple[type, ...]] = {
    "screen": str,
    "focused": str,       # the focused widget's label contains this
    "spoken": str,        # said since the previous step that had expectations
    "not_spoken": str,
    "language": str,
    "profile": str,
    "overlay": str,       # "", "help", "warning" or "confirm"
    "cart_count": int,
    "cart_total": int,
    "orders": int,        # orders in the database today
    "new_orders": int,    # orders placed since this repetition of the steps began
    "last_order_total": int,
    "last_order_items": list,
    "boards_connected": int,
}


@dataclass
class Step:
    index: int
    line: int
    action: str | None
    args: dict[str, Any] = field(default_factory=dict)
    expect: dict[str, Any] = field(default_factory=dict)

    def describe(self) -> str:
        parts = []
        if self.action:
            parts.append(self.action + "".join(f" {k}={v!r}" for k, v in self.args.items()))
        if self.expect:
            parts.append("expect " + ", ".join(f"{k}={v!r}" for k, v in self.expect.items()))
        return "; ".join(parts)


@dataclass
class Scenario:
    path: Path
    name: str
    config: Path
    steps: list[Step]
    boards: int = 0
    language: str | None = None
    repeat: int = 1            # run the steps this many times (a day of customers)
    render: bool = True        # False: skip rasterising frames (long simulations)
    max_memory_growth: float | None = None  # e.g. 0.05: RSS, first vs last simulated hour
    voice: bool = False        # load the recognizers: "say" steps go through real recognition

    @property
    def camera(self) -> bool:
        """A ``hand`` step needs the real tracking worker behind a scripted camera."""
        return any(step.action == "hand" for step in self.steps)


def load_scenario(path: str | Path) -> Scenario:
    src = Source.load(path)
    root = src.root()
    root.unknown_keys({"scenario", "step"})
    head = root.table("scenario", required=True)
    head.unknown_keys({"name", "config", "boards", "language", "repeat", "render",
                       "max_memory_growth", "voice"})
    config = Path(head.get("config", str, max_len=1000))
    if not config.is_absolute():
        config = (src.path.resolve().parent / config).resolve()
    if not config.is_file():
        raise head.error("config", f"no kiosk file at {config}")
    from untact.ui.cli import check_kiosk_file

    check_kiosk_file(config, real_payment=False)  # its errors, as the kiosk reports them
    tables = root.tables("step", required=True)
    lines = array_table_lines(src.text, "step")  # one pass: loading stays linear in steps
    steps = [_step(src, st, i, lines[i] if len(lines) == len(tables) else None)
             for i, st in enumerate(tables)]
    if not steps:
        raise root.error("step", "a scenario needs at least one step")
    return Scenario(src.path, head.get("name", str, src.path.stem, max_len=200), config, steps,
                    head.get("boards", int, 0, min=0, max=4),
                    head.get("language", str, None, choices=("ko", "en")),
                    head.get("repeat", int, 1, min=1, max=100_000),
                    head.get("render", bool, True),
                    head.get("max_memory_growth", float, None, min=0, max=10),
                    head.get("voice", bool, False))


def _step(src: Source, st: Table, i: int, line: int | None) -> Step:
    """Step ``i``, which starts at ``line`` (None: steps written as an inline array,
    located one by one)."""
    line = line or locate(src.text, ("step", i)) or 1
    action = st.get("do", str, None)
    if action is not None and action not in ACTIONS:
        raise st.error("do", f"unknown action {action!r} (expected one of: {', '.join(ACTIONS)})")
    allowed = {"do", "expect"} | set(ACTIONS.get(action or "", {}))
    st.unknown_keys(allowed)
    args: dict[str, Any] = {}
    for name, (kind, required) in ACTIONS.get(action or "", {}).items():
        if required or st.has(name):
            args[name] = st.get(name, kind)
    if action == "intent" and args["intent"] not in INTENT_NAMES:
        names = ", ".join(INTENT_NAMES)
        raise st.error("intent", f"unknown intent {args['intent']!r} (expected one of: {names})")
    if action == "wait" and not 0 <= args["seconds"] <= 24 * 3600:
        raise st.error("seconds", "must be between 0 and 86400")
    if action == "set_profile":
        from untact.accessibility.profiles import PROFILES

        if args["profile"] not in PROFILES:
            raise st.error("profile", f"unknown profile {args['profile']!r} (one of: {', '.join(PROFILES)})")
    if action == "swipe" and args["direction"] not in ("left", "right", "up", "down"):
        raise st.error("direction", "must be left, right, up or down")
    if action == "hand":
        _hand_step(src, st, args)
    if action == "say":
        _say_step(st, args, src.path.resolve().parent)
    for name in ("times",):
        if name in args and not 1 <= args[name] <= 1000:
            raise st.error(name, "must be between 1 and 1000")
    expect: dict[str, Any] = {}
    if st.has("expect"):
        et = st.table("expect")
        et.unknown_keys(EXPECTATIONS)
        for name, kind in EXPECTATIONS.items():
            if et.has(name):
                expect[name] = et.get(name, kind)
    if action is None and not expect:
        raise ConfigError(str(src.path), line, f"step[{i}]",
                          "needs an action ('do') or expectations ('expect')")
    return Step(i, line, action, args, expect)


_XY = re.compile(r"^\s*(-?[0-9.]+)\s*,\s*(-?[0-9.]+)\s*$")


def _hand_step(src: Source, st: Table, args: dict[str, Any]) -> None:
    """Check a ``hand`` step and resolve its photo; errors name the field."""
    from .camera_script import DEFAULT_PHOTOS, GESTURES
    from .camera_switch import hand_photos

    gesture = args.setdefault("gesture", "hold")
    if gesture not in GESTURES:
        raise st.error("gesture", f"unknown gesture {gesture!r} (expected one of: "
                                  f"{', '.join(GESTURES)})")
    if "at" not in args and gesture in ("hold", "push"):
        raise st.error("at", f"is missing: where to {gesture} (a widget's label, or \"x,y\")")
    at = args.get("at")
    if at is not None:
        m = _XY.match(at)
        if m:
            x, y = float(m.group(1)), float(m.group(2))
            if not (0 <= x <= 1 and 0 <= y <= 1):
                raise st.error("at", f"{at!r}: x and y must be within 0..1 of the screen")
            args["at"] = (x, y)
        elif not at.strip():
            raise st.error("at", "is empty: give a widget's label or \"x,y\"")
    if "hold_s" in args:
        if gesture != "hold":
            raise st.error("hold_s", f"only for gesture = \"hold\", not {gesture!r}")
        if not 1.5 <= args["hold_s"] <= 10:
            raise st.error("hold_s", "must be between 1.5 and 10 seconds")
    if "scale" in args and not 0.15 <= args["scale"] <= 0.6:
        raise st.error("scale", "must be between 0.15 and 0.6 (the photo's share of the frame)")
    name = args.get("photo", DEFAULT_PHOTOS[gesture])
    candidates = [src.path.resolve().parent / name, hand_photos() / name]
    photo = next((p for p in candidates if p.is_file()), None)
    if photo is None:
        raise st.error("photo" if "photo" in args else "do",
                       f"no hand photo {name!r} next to the scenario or in {hand_photos()} "
                       "(set UNTACT_TESTDATA)")
    args["photo"] = str(photo)


def _say_step(st: Table, args: dict[str, Any], here: Path) -> None:
    """``say``: typed ``text`` (spoken by espeak-ng) or a real recording, ``wav = "FILE"``,
    found beside the scenario or in $UNTACT_TESTDATA (as given, or under its speech/)."""
    import os

    from untact.hardware.voice.audio import AudioSourceError

    from .audio_sources import decode_wav

    if ("text" in args) == ("wav" in args):
        raise st.error("do", "a say step needs either text or wav, not both and not neither")
    if "wav" not in args:
        return
    data = Path(os.environ.get("UNTACT_TESTDATA") or
                Path(__file__).resolve().parents[1].parent / "shared" / "testdata")
    name = args["wav"]
    found = next((p for p in (here / name, data / name, data / "speech" / name)
                  if p.is_file()), None)
    if found is None:
        raise st.error("wav", f"no recording {name!r} beside the scenario or in {data} "
                              "(set UNTACT_TESTDATA)")
    try:
        decode_wav(found.read_bytes(), str(found))
    except (AudioSourceError, OSError) as exc:
        raise st.error("wav", str(exc).splitlines()[0] if str(exc) else "cannot be read") from None
    args["wav"] = str(found)


# -- writing (for recorded sessions) ----------------------------------------------------
def _toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, str):
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    if isinstance(v, list):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{k} = {_toml_value(x)}" for k, x in v.items()) + " }"
    raise TypeError(type(v))


def dump_scenario(name: str, config: Path, steps: list[dict[str, Any]], boards: int = 0) -> str:
    """TOML text for a scenario; only the few value types scenarios use (no library
    needed for that: the stdlib reads TOML but does not write it)."""
    out = ["# Recorded by untact-sim --record; replay with: untact-sim run THIS_FILE --headless", "",
           "[scenario]", f"name = {_toml_value(name)}", f"config = {_toml_value(str(config))}"]
    if boards:
        out.append(f"boards = {boards}")
    for st in steps:
        out += ["", "[[step]]"] + [f"{k} = {_toml_value(v)}" for k, v in st.items()]
    return "\n".join(out) + "\n"
