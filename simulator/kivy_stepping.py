"""Kivy's private API, confined here: what it takes to step a Kivy app frame by frame.

Kivy offers ``App.run()``, an endless loop, and nothing public for running an app's
set-up and then pumping its frames one at a time, as the driver (simulator/driver.py)
does for tests and scenarios. These three functions use Kivy internals to do it, so a
Kivy upgrade that changes them breaks one small module, not the simulator (the only
other private use is the audit's optional PNG fast path, accessibility/kivy_adapter.py).
"""

from __future__ import annotations


def uncap_frame_rate() -> None:
    """No 60 fps cap on pumped frames. Kivy reads ``maxfps`` once, when ``kivy.clock`` is
    first imported; if anything imported it before ``kivy_setup.configure(maxfps=0)``
    (another test, a bench), the cap would pace every frame the driver pumps."""
    from kivy.clock import Clock

    Clock._max_fps = 0.0


def prepare_app(app) -> None:
    """What ``app.run()`` does before its loop: build the root, open it in the window,
    dispatch ``on_start``, and make ``app`` the running app."""
    app._run_prepare()


def release_app() -> None:
    """Forget the running app (``App.run()`` does not return to clear it), so the next
    driven kiosk in this process is the one ``App.get_running_app()`` finds."""
    from kivy.app import App

    App._running_app = None
