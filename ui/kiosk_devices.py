"""What the kiosk app sees of its devices, handed to it by the composition root.

Screens never know which device spoke (intents arrive on the input bus), but a few
things are about the devices themselves: the staff's devices screen shows why one is
off and previews the camera, a hover hold restarts when the widget under the hand
changes, voice input arrives after start-up, and a staff call lights the boards. This
object carries exactly those, so the app needs no import of ``untact.hardware`` and
nobody sets attributes on the app from outside. Call it on Kivy's main thread (the
status dict is also written by device threads: plain item assignment).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from .voice_bridge import VoiceSessionLike


class KioskCamera(Protocol):
    """The camera as the app uses it: the staff's set-up preview, and a hover hold to
    restart when the widget under the hand changes. (Screens see less: screens/context.py.)"""

    def set_preview(self, on: bool) -> None: ...

    def latest_preview(self): ...

    def reset_hold(self) -> None: ...


class KioskDevices:
    def __init__(self, status: dict[str, str] | None = None,
                 staff_call_signal: Callable[[object], None] | None = None) -> None:
        #: device -> "on" (or "tracking", "1 connected (b1)") or the sentence why it is off
        self.status: dict[str, str] = status if status is not None else {}
        #: the boards' light and buzzer for a staff call (StaffCallEvent), or None
        self.staff_call_signal = staff_call_signal
        self.camera_preview: KioskCamera | None = None
        #: a VoiceSession once it has started (hardware/voice/session.py)
        self.voice: VoiceSessionLike | None = None
        self._voice_listeners: list[Callable[[VoiceSessionLike | None], None]] = []

    def use_camera(self, camera: KioskCamera | None) -> None:
        """The camera now in use (None: none): its preview and its hold reset."""
        self.camera_preview = camera

    def reset_hold(self) -> None:
        """The widget under a hover hold changed: the camera (which times holds itself)
        starts its hold again."""
        if self.camera_preview is not None:
            self.camera_preview.reset_hold()

    def on_voice(self, listener: Callable[[VoiceSessionLike | None], None]) -> None:
        """Call ``listener(voice)`` when voice input arrives (models load in the background)."""
        self._voice_listeners.append(listener)

    def attach_voice(self, voice: VoiceSessionLike | None) -> None:
        self.voice = voice
        for listener in list(self._voice_listeners):
            listener(voice)
