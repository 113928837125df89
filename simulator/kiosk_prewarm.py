"""Importing this module prepares a process to fork kiosks cheaply.

It loads Kivy and every module a kiosk needs, *except* ``kivy.core.window``: that import
opens the window (an OpenGL context), and a GL context must not be shared across a fork.
A multiprocessing forkserver preloads this module (``set_forkserver_preload``), so each
kiosk it forks only opens its own window and builds its app; see simulator/crash_kiosk.py
and tests/ui/test_kiosk_crash.py, which start 200 kiosks this way.
"""

from __future__ import annotations

import importlib
import sys

from untact.ui import kivy_setup

MODULES = (
    "kivy.app", "kivy.lang", "kivy.clock", "kivy.graphics", "kivy.properties",
    "kivy.uix.boxlayout", "kivy.uix.floatlayout", "kivy.uix.gridlayout", "kivy.uix.label",
    "kivy.uix.screenmanager", "kivy.uix.widget",
    "untact.accessibility.bus", "untact.accessibility.frame", "untact.accessibility.focus",
    "untact.accessibility.kivy_adapter", "untact.accessibility.speech",
    "untact.accessibility.audio_sink", "untact.hardware.keyboard",
    "untact.ui.menu", "untact.ui.orders", "untact.ui.checkout", "untact.ui.payment",
    "untact.ui.shop", "untact.ui.cart", "untact.ui.menu_service", "untact.ui.overlays",
    "untact.ui.widgets", "untact.ui.strings", "untact.ui.theme",
    *(f"untact.ui.screens.{name}" for name in (
        "access", "admin", "admin_pin", "attract", "cart", "categories", "checkout", "done",
        "items", "language", "options")),
    "untact.simulator.driver", "untact.simulator.crash_kiosk",
)


def prewarm() -> None:
    kivy_setup.prepare_environment()  # Kivy reads these when it is first imported
    for name in MODULES:
        importlib.import_module(name)
    if "kivy.core.window" in sys.modules:  # a module above started importing the window
        raise RuntimeError("kiosk_prewarm imported kivy.core.window: forked kiosks would "
                           "share one GL context")


prewarm()
