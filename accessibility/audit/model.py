"""What the audit reads: screens and their widgets, as the renderer measured them.

**Coordinates**: ``bbox`` is ``(x, y, w, h)`` in pixels of the screenshot, **top-left
origin, y down** (as in the PNG). A Kivy renderer converts its y-up boxes with
:func:`untact.accessibility.display.kivy_to_top_left`. The window is assumed to fill the
display's visible area, so ``window_px`` maps onto ``display.size_mm``.

Colours are RGBA floats 0..1 (Kivy's) or ``#rrggbb[aa]`` text in files.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, cast

from ..contrast import RGBA, parse_colour, to_hex
from ..display import Display


@dataclass
class WidgetInfo:
    id: str
    screen: str
    role: str = "button"  # button, toggle, text, heading, image, slider, ...
    labels: dict[str, str] = field(default_factory=dict)  # accessible name per language
    actionable: bool = False
    bbox: tuple[float, float, float, float] = (0, 0, 0, 0)  # x, y, w, h; top-left origin
    text: str = ""  # visible text, if any
    font_size_px: float | None = None
    cap_height_px: float | None = None  # measured ink height of "H" in its font and size
    hangul_height_px: float | None = None  # measured ink height of "갈" (받침 included)
    text_bbox: tuple[float, float, float, float] | None = None  # where its text is drawn
    bold: bool = False
    fg: RGBA | None = None  # text colour
    bg: RGBA | None = None  # colour behind the text (widget's own, or the screen's)
    focus_ring: RGBA | None = None  # colour of the focus indicator (drawn over the screen bg)
    focus_ring_width_px: float = 0.0
    in_focus_order: bool = False
    timed: bool = False  # this widget's action has a time limit
    extendable: bool = False  # ... which the customer can extend
    extensions: int = 0  # how many times it can be extended
    warning_s: float = 0.0  # how long before the limit the customer is warned
    flash_hz: float = 0.0  # flashes per second of any blinking content

    @classmethod
    def from_dict(cls, d: dict[str, Any], screen: str = "") -> WidgetInfo:
        d = dict(d)
        d.setdefault("screen", screen)
        for key in ("fg", "bg", "focus_ring"):
            if d.get(key) is not None:
                d[key] = parse_colour(d[key])
        for key in ("bbox", "text_bbox"):
            if d.get(key) is not None:
                if not isinstance(d[key], (list, tuple)) or len(d[key]) != 4:
                    raise ValueError(f"widget {d.get('id')!r}: {key} needs 4 numbers")
                d[key] = tuple(float(v) for v in d[key])
        known = set(cls.__dataclass_fields__)
        unknown = set(d) - known
        if unknown:
            raise ValueError(f"widget {d.get('id')!r}: unknown fields {sorted(unknown)}")
        w = cls(**d)
        w.validate()
        return w

    def validate(self) -> None:
        """Refuse shapes the checks cannot measure (renderer output is not trusted)."""
        where = f"widget {self.id!r}"
        if not isinstance(self.id, str) or not isinstance(self.role, str) \
                or not isinstance(self.text, str):
            raise ValueError(f"{where}: id, role and text must be text")
        if not isinstance(self.labels, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in self.labels.items()):
            raise ValueError(f"{where}: labels must map languages to text")
        if len(self.bbox) != 4 or any(_bad_number(v) for v in self.bbox) \
                or self.bbox[2] < 0 or self.bbox[3] < 0:
            raise ValueError(f"{where}: bbox must be x, y, w, h with w, h >= 0")
        tb = self.text_bbox
        if tb is not None and (len(tb) != 4 or any(_bad_number(v) for v in tb)
                               or tb[2] < 0 or tb[3] < 0):
            raise ValueError(f"{where}: text_bbox must be x, y, w, h with w, h >= 0")
        for name in ("font_size_px", "cap_height_px", "hangul_height_px"):
            v = getattr(self, name)
            if v is not None and (_bad_number(v) or v < 0):
                raise ValueError(f"{where}: {name} must be a number >= 0")
        for name in ("focus_ring_width_px", "extensions", "warning_s", "flash_hz"):
            v = getattr(self, name)
            if _bad_number(v) or v < 0:
                raise ValueError(f"{where}: {name} must be a number >= 0")
        for name in ("actionable", "bold", "in_focus_order", "timed", "extendable"):
            if not isinstance(getattr(self, name), bool):
                raise ValueError(f"{where}: {name} must be true or false")

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        for key in ("fg", "bg", "focus_ring"):
            if d[key] is not None:
                d[key] = to_hex(d[key])
        d["bbox"] = list(self.bbox)
        d["text_bbox"] = list(self.text_bbox) if self.text_bbox is not None else None
        return d


@dataclass
class ScreenInfo:
    name: str
    profile: str = "standard"
    window_px: tuple[int, int] = (1080, 1920)  # width, height of the screenshot/window
    display: Display = field(default_factory=Display)
    languages: tuple[str, ...] = ("ko", "en")
    background: RGBA = (1.0, 1.0, 1.0, 1.0)
    title: dict[str, str] = field(default_factory=dict)
    screenshot: str | None = None  # PNG path
    widgets: list[WidgetInfo] = field(default_factory=list)
    display_name: str = ""  # one of display.SUPPORTED_DISPLAYS when the audit set it

    @property
    def key(self) -> str:
        where = f"@{self.display_name}" if self.display_name else ""
        return f"{self.name}@{self.profile}{where}"

    def mm_per_px(self) -> tuple[float, float]:
        return (self.display.size_mm[0] / self.window_px[0],
                self.display.size_mm[1] / self.window_px[1])

    def row_height_mm(self, y_px: float) -> float:
        """Height above the floor of window row ``y_px`` (top-left origin)."""
        return self.display.bottom_edge_mm + (self.window_px[1] - y_px) * self.mm_per_px()[1]

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ScreenInfo:
        d = dict(d)
        disp = d.pop("display", {})
        display = Display(resolution=tuple(disp.get("resolution", Display.resolution)),
                          size_mm=cast("tuple[float, float]",  # as the file gives it
                                       tuple(float(v) for v in disp.get("size_mm", Display.size_mm))),
                          bottom_edge_mm=float(disp.get("bottom_edge_mm", Display.bottom_edge_mm)),
                          viewing_distance_mm=float(disp.get("viewing_distance_mm",
                                                             Display.viewing_distance_mm)))
        name = d.get("name", "")
        widgets = [WidgetInfo.from_dict(w, name) for w in d.pop("widgets", [])]
        if "background" in d:
            d["background"] = parse_colour(d["background"])
        d.setdefault("window_px", display.resolution)
        d["window_px"] = tuple(int(v) for v in d["window_px"])
        if "languages" in d:
            d["languages"] = tuple(d["languages"])
        unknown = set(d) - set(cls.__dataclass_fields__)
        if unknown:
            raise ValueError(f"screen {name!r}: unknown fields {sorted(unknown)}")
        screen = cls(display=display, widgets=widgets, **d)
        if len(screen.window_px) != 2 or min(screen.window_px) <= 0:
            raise ValueError(f"screen {name!r}: window_px must be two positive numbers")
        if len(display.size_mm) != 2 or any(_bad_number(v) or v <= 0 for v in display.size_mm):
            raise ValueError(f"screen {name!r}: display.size_mm must be two positive numbers")
        if _bad_number(display.viewing_distance_mm) or display.viewing_distance_mm <= 0 \
                or _bad_number(display.bottom_edge_mm):
            raise ValueError(f"screen {name!r}: display distances must be numbers")
        if not isinstance(screen.name, str) or not isinstance(screen.profile, str) \
                or not isinstance(screen.display_name, str) \
                or not isinstance(screen.title, dict):
            raise ValueError(f"screen {name!r}: name, profile must be text, title a table")
        if not all(isinstance(v, str) for v in screen.languages) \
                or not all(isinstance(v, str) for v in screen.title.values()):
            raise ValueError(f"screen {name!r}: languages and titles must be text")
        return screen

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name, "profile": self.profile, "window_px": list(self.window_px),
            "display": {"resolution": list(self.display.resolution),
                        "size_mm": list(self.display.size_mm),
                        "bottom_edge_mm": self.display.bottom_edge_mm,
                        "viewing_distance_mm": self.display.viewing_distance_mm},
            "languages": list(self.languages), "background": to_hex(self.background),
            "title": dict(self.title), "screenshot": self.screenshot,
            "display_name": self.display_name,
            "widgets": [w.to_dict() for w in self.widgets],
        }


def _bad_number(v: Any) -> bool:
    return isinstance(v, bool) or not isinstance(v, (int, float)) or v != v \
        or v in (float("inf"), float("-inf"))


def load_screens(path: str | Path) -> list[ScreenInfo]:
    """A JSON file holding ``{"screens": [...]}`` (or one screen object)."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path}: cannot read screens: {exc}") from None
    try:
        items = data.get("screens", [data]) if isinstance(data, dict) else data
        return [ScreenInfo.from_dict(s) for s in items]
    except (TypeError, ValueError, KeyError, AttributeError, IndexError) as exc:
        raise ValueError(f"{path}: not a screen description: {exc}") from None
