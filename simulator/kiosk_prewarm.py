"""Importing this module prepares a process to fork kiosks cheaply.

It loads Kivy and every module a kiosk needs, *except* ``kivy.core.window``: that import
opens the window (an OpenGL context), and a GL context must not be shared across a fork.
A multiprocessing forkserver preloads this module (``set_forkserver_preload``), so each
kiosk it forks only opens its own window and builds its app; see simulator/crash_kiosk.py
and tests/ui/test_kiosk_crash.py, which start 200 kiosks this way.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import glob
import importlib
import sys

from untact.ui import kivy_setup

MODULES = (
    "kivy.app", "kivy.lang", "kivy.clock", "kivy.graphics", "kivy.properties",
    "kivy.uix.boxlayout", "kivy.uix.floatlayout", "kivy.uix.gridlayout", "kivy.uix.label",
    "kivy.uix.screenmanager", "kivy.uix.widget",
    "untact.accessibility.bus", "untact.accessibility.frame", "untact.accessibility.focus",
    "untact.accessibility.kivy_adapter", "untact.accessibility.speech",
    "untact.accessibility.audio_sink", "untact.ui.keyboard",
    "untact.shop.menu", "untact.shop.orders", "untact.shop.checkout", "untact.shop.payment",
    "untact.shop.service", "untact.shop.cart", "untact.shop.menu_service", "untact.ui.overlays",
    "untact.ui.widgets", "untact.ui.strings", "untact.ui.theme", "untact.ui.kiosk_devices",
    "untact.ui.composition", "untact.hardware.devices",
    *(f"untact.ui.screens.customer.{name}" for name in (
        "access", "attract", "cart", "categories", "checkout", "done", "items", "language",
        "options")),
    *(f"untact.ui.screens.staff.{name}" for name in ("devices", "pages", "pin")),
    "untact.simulator.driver", "untact.simulator.card_terminal", "untact.simulator.crash_kiosk",
)


def preload_gl_libraries() -> None:
    """Map the GL libraries (and Mesa's software driver, with the LLVM it links) now:
    loading them is a large part of opening a window, and loading is fork-safe (no
    context, no display, no threads: only their constructors run). Each kiosk's window
    then finds them loaded. Whatever is missing is simply not preloaded."""
    names = [ctypes.util.find_library(n) for n in ("EGL", "GL")]
    names += sorted(glob.glob("/usr/lib/*/dri/swrast_dri.so"))[:1]
    for name in names:
        if name:
            try:
                ctypes.CDLL(name)
            except OSError:
                pass


def prewarm() -> None:
    kivy_setup.prepare_environment()  # Kivy reads these when it is first imported
    for name in MODULES:
        importlib.import_module(name)
    preload_gl_libraries()
    # Everything loaded so far lives as long as any kiosk: keep it out of the children's
    # garbage collections (less work, and fewer copy-on-write page faults after fork).
    gc.collect()
    gc.freeze()
    if "kivy.core.window" in sys.modules:  # a module above started importing the window
        raise RuntimeError("kiosk_prewarm imported kivy.core.window: forked kiosks would "
                           "share one GL context")


prewarm()
