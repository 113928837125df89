"""The kiosk's input devices, built from the kiosk file's ``[devices]`` table.

This is hardware's own factory: the composition root (ui/composition.py) decides which
devices are real, simulated or off and calls it, for ``untact-kiosk``, ``untact-sim`` and
the scenario driver alike. A device never stops the kiosk from starting: one that cannot
start says why in :attr:`Devices.status`, and the other modalities carry on.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from untact.accessibility.bus import InputBus
from untact.accessibility.config import Table

if TYPE_CHECKING:  # imported where used: the recognizers, OpenCV and pyserial load slowly
    from untact.shop.staff_call import StaffCallEvent

    from .boards.link import BoardLink, BoardStatus
    from .camera.frame_sources import FrameSource
    from .camera.input import CameraInput, CameraStatus
    from .voice.input import Recognizer, VoiceStatus
    from .voice.session import LiveMenu, VoiceSession

log = logging.getLogger(__name__)


@dataclass
class Devices:
    voice: VoiceSession | None = None
    camera: CameraInput | None = None
    boards: BoardLink | None = None
    status: dict[str, str] = field(default_factory=dict)  # device -> "on" or why it is off
    _threads: list[threading.Thread] = field(default_factory=list)

    def start(self) -> None:
        voice = self.voice
        if voice is not None:
            def voice_status(st: VoiceStatus) -> None:  # also while the microphone is reopened
                self.status["voice"] = "on" if st.on else st.reason

            def start_voice() -> None:
                voice.on_status(voice_status)
                voice_status(voice.start())
            t = threading.Thread(target=start_voice, name="voice-start", daemon=True)
            self._threads.append(t)
            t.start()
        if self.boards is not None:
            def board_status(statuses: list[BoardStatus]) -> None:
                connected = [s.board_id for s in statuses if s.state == "connected"]
                self.status["boards"] = (f"{len(connected)} connected ({', '.join(connected)})"
                                         if connected else "no board connected")
                faults = board_faults_text(statuses)
                if faults:  # shown to staff beside the boards' state
                    self.status["board_faults"] = faults
            self.boards.on_change = board_status
            self.status["boards"] = "looking for boards"
            self.boards.start()
        if self.camera is not None:
            self.camera.on_status(lambda st: self.status.__setitem__("camera", camera_status_text(st)))
            st = self.camera.start()  # spawns the tracking process; never raises
            self.status["camera"] = camera_status_text(st)

    def signal_staff_call(self, event) -> None:
        """A customer asked for help (every modality): the boards light up and beep until
        staff acknowledge it. Thread-safe; commands are acknowledged by the boards."""
        signal_staff_call(self.boards, event)

    def close(self) -> None:
        if self.boards is not None:
            self.boards.stop()
        if self.camera is not None:
            self.camera.stop()
        if self.voice is not None:
            self.voice.close()


def board_faults_text(statuses: list[BoardStatus]) -> str:
    """Each board's damaged frames and stray text lines since start ("" when none): a
    loose cable or a board printing errors, which the merchant should see."""
    return "; ".join(f"{s.board_id}: {s.bad_frames} damaged frames, {s.text_lines} stray text lines"
                     for s in statuses if s.bad_frames or s.text_lines)


def camera_status_text(status: CameraStatus) -> str:
    """The camera's entry in :attr:`Devices.status`: "tracking" or "starting" while it
    works (the UI knows these words), else its sentence saying why it is off."""
    return status.state if status.state in ("tracking", "starting") else status.reason


STAFF_CALL_LED = (255, 96, 0)  # amber: seen from behind the counter


def signal_staff_call(boards: BoardLink | None, event: StaffCallEvent) -> None:
    if boards is None:
        return
    if event.active:
        boards.set_led(*STAFF_CALL_LED)
        boards.buzz(hz=1800, ms=250)
    else:
        boards.set_led(0, 0, 0)


def build_voice(devices: Table, menu: LiveMenu, bus: InputBus, lang: str,
                source_factory: Callable[[], Iterable[bytes]] | None = None,
                recognizers: Mapping[str, Recognizer] | None = None) -> VoiceSession | None:
    """A VoiceSession, or None when ``[devices.voice] enabled = false``.

    ``menu``: the shop's live menu (``Shop.menu``, a MenuService), so what is said by
    voice follows the merchant's edits while the kiosk runs."""
    from .voice.config import from_table
    from .voice.session import VoiceSession

    config = from_table(devices.table("voice"))
    if not config.enabled:
        return None
    return VoiceSession(bus, config, menu, lang,
                        source_factory=source_factory, recognizers=recognizers)


def build_camera(devices: Table, bus: InputBus,
                 source: FrameSource | None = None) -> CameraInput | None:
    """A CameraInput, or None when there is no camera source (config "none", no override)."""
    from .camera.config import from_table
    from .camera.input import CameraInput

    config = from_table(devices.table("camera"))
    if source is None and config.source == "none":
        return None
    return CameraInput(config, bus, source=source)


def build_boards(devices: Table, bus: InputBus, ports: tuple[str, ...] | None = None,
                 scan_s: float | None = None) -> BoardLink:
    """The host link to the sensor boards (``ports``: override, e.g. virtual boards;
    ``scan_s``: look for them this often, e.g. a test's quickly replugged board)."""
    import dataclasses

    from .boards.config import from_table
    from .boards.link import BoardLink

    config = from_table(devices.table("boards"))
    if ports is not None:
        config = dataclasses.replace(config, ports=ports)
    if scan_s is not None:
        config = dataclasses.replace(config, scan_s=scan_s)
    return BoardLink(bus, config)


def validate(devices: Table) -> None:
    """Check every device section (``--check-config``): ConfigError on the first problem."""
    from .boards.config import from_table as boards_from_table
    from .camera.config import from_table as camera_from_table
    from .voice.config import from_table as voice_from_table

    devices.unknown_keys({"voice", "camera", "boards"})
    voice_from_table(devices.table("voice"))
    camera_from_table(devices.table("camera"))
    boards_from_table(devices.table("boards"))
