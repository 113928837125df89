"""Prepare Kivy before any window or widget exists.

Kivy reads its configuration when ``kivy.core.window`` is first imported, and a label
made before the Hangul font is registered renders Korean as boxes. So every entry point
(kiosk, simulator, tests, benchmarks) calls :func:`configure` first.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
from pathlib import Path

FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/nanum/NanumGothic.ttf",  # Debian / Raspberry Pi OS fonts-nanum
    "/usr/share/fonts/nanum/NanumGothic.ttf",
)
_configured = False


class FontMissing(RuntimeError):
    pass


def hangul_font() -> tuple[str, str | None]:
    """Paths of a regular and (if present) bold font that covers Hangul."""
    for path in FONT_CANDIDATES:
        if os.path.exists(path):
            bold = path.replace("NanumGothic.ttf", "NanumGothicBold.ttf")
            return path, bold if os.path.exists(bold) else None
    if shutil.which("fc-match"):
        out = subprocess.run(["fc-match", "-f", "%{file}", ":lang=ko"], capture_output=True,
                             text=True, timeout=10).stdout.strip()
        if out and os.path.exists(out):
            return out, None
    raise FontMissing("no Hangul font found: install fonts-nanum (apt-get install fonts-nanum)")


def configure(size: tuple[int, int] | None = None, fullscreen: bool = False,
              maxfps: int = 60) -> None:
    """Set Kivy's window and input options and register the Hangul font as default."""
    global _configured
    if _configured:
        return
    prepare_environment()
    from kivy.config import Config

    Config.set("kivy", "exit_on_escape", "0")  # Escape is BACK; the customer never exits
    Config.set("kivy", "log_level", os.environ.get("UNTACT_KIVY_LOG", "warning"))
    Config.set("input", "mouse", "mouse,disable_multitouch")  # no red dots on right click
    Config.set("graphics", "resizable", "1")
    Config.set("graphics", "maxfps", str(maxfps))  # 0: as fast as possible (driven runs)
    if size:
        Config.set("graphics", "width", str(size[0]))
        Config.set("graphics", "height", str(size[1]))
    Config.set("graphics", "fullscreen", "auto" if fullscreen else "0")
    from kivy.core.text import DEFAULT_FONT, LabelBase

    regular, bold = hangul_font()
    LabelBase.register(DEFAULT_FONT, regular, fn_bold=bold)
    logging.getLogger("kivy").addFilter(_no_cutbuffer_alarm)
    _configured = True


def _no_cutbuffer_alarm(record: logging.LogRecord) -> bool:
    """Kivy looks for xclip or xsel to share X11's selection (any text input, like the
    simulator's phrase box, triggers it) and, when neither is installed, logs a critical
    error with the tracebacks of both. A kiosk has no X11 selection to share: not an error."""
    return not record.getMessage().startswith("Cutbuffer: Unable to find any valuable")


def prepare_environment() -> None:
    """Kivy's environment switches: Kivy reads them when ``kivy`` is first imported.

    :func:`configure` starts with this; call it alone to import Kivy modules ahead of any
    window (a process that forks kiosks, see simulator/crash_kiosk.py)."""
    os.environ.setdefault("KIVY_NO_ARGS", "1")  # our CLIs parse their own arguments
    os.environ.setdefault("KIVY_NO_FILELOG", "1")
    # Kivy's default log mode swallows sys.stderr into its logger; our one-line errors
    # (and any traceback a developer needs) must reach the terminal.
    os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")
    # Kivy probes xclip/xsel for a clipboard and logs a traceback when they are missing.
    os.environ.setdefault("KIVY_CLIPBOARD", "sdl2")
    if "KIVY_HOME" not in os.environ:
        # Kivy writes a config.ini and logs under KIVY_HOME: keep them out of $HOME/.kivy
        # on a shared kiosk user and out of the repository.
        home = Path(os.environ.get("XDG_STATE_HOME", Path.home() / ".local" / "state")) / "untact" / "kivy"
        home.mkdir(parents=True, exist_ok=True)
        os.environ["KIVY_HOME"] = str(home)
