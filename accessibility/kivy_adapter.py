"""The only place the frame touches Kivy: hand the bus to Kivy's main loop.

``Clock.create_trigger`` is thread-safe to call and coalesces many posts into one drain
per frame, so device threads can post at any rate without flooding the event loop.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ParamSpec

from .bus import InputBus

P = ParamSpec("P")


def attach_bus_to_kivy(bus: InputBus) -> None:
    from kivy.clock import Clock

    trigger = Clock.create_trigger(lambda _dt: bus.drain(), 0)
    bus.set_waker(trigger)
    if bus.pending():
        trigger()


def on_ui_thread(fn: Callable[P, object]) -> Callable[P, None]:
    """Wrap ``fn`` so calling it from any thread (the speech thread's captions, the
    frame's warning) runs it on Kivy's main thread at the next frame."""
    from kivy.clock import Clock

    def call(*args: P.args, **kwargs: P.kwargs) -> None:
        Clock.schedule_once(lambda _dt: fn(*args, **kwargs), 0)

    return call


def after_first_frame(fn: Callable[[], object]) -> None:
    """Run ``fn`` on Kivy's thread once the window has shown a frame.

    Start-up work that is not needed to draw (the speech worker, the devices) must not
    compete for the GIL and the cores with the first frame: customers see the attract
    screen first, and keyboard and touch work meanwhile.
    """
    from kivy.core.window import Window

    def flipped(*_args: object) -> None:
        Window.unbind(on_flip=flipped)
        fn()

    Window.bind(on_flip=flipped)
