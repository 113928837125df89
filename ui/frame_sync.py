"""Finish drawing each frame before the window swaps it, on Mesa's software renderers.

Measured with Mesa 22.3.6 (llvmpipe, Debian 12) behind SDL's offscreen EGL window: a frame
swapped while its drawing was still queued keeps memory for good, about 40 KB for an
almost empty frame and the whole storage of every texture it sampled, even once the
texture is deleted. The kiosk lost about 7 MB per HELP opened and closed (100 cycles:
162 -> 662 MB); with ``glFinish`` before each swap the same cycles level off (195 MB).
A plain Kivy loop shows the same, so it is the renderer's, not the kiosk's
(``simulator/bench/memory_rendered_day.py`` measures both). Only the software renderers are told to
finish: a GPU's driver overlaps drawing and swapping, and no GPU was measured.
"""

from __future__ import annotations

from collections.abc import Callable

SOFTWARE_RENDERERS = (b"llvmpipe", b"softpipe")


def software_renderer() -> bool:
    """Whether the window's GL context is one of Mesa's software rasterisers."""
    from kivy.graphics.opengl import GL_RENDERER, glGetString

    renderer = glGetString(GL_RENDERER) or b""
    return any(name in renderer for name in SOFTWARE_RENDERERS)


def _finish(*_args: object) -> None:
    from kivy.graphics.opengl import glFinish

    glFinish()  # returns None: Kivy then runs the window's own on_flip, the swap


def finish_frames_before_swap(window) -> Callable[[], None]:
    """Bind ``glFinish`` ahead of ``window``'s swap when the renderer needs it; returns
    what undoes it (a second kiosk in one process binds its own)."""
    if not software_renderer():
        return lambda: None
    window.fbind("on_flip", _finish)
    return lambda: window.funbind("on_flip", _finish)
