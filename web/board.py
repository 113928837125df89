"""The customers' ready board: which numbers are being made and which are ready, and
the spoken call for each ready order, once.

"Once" is the server's to keep: a TV that reloads, reconnects or is joined by a second
screen must not call number 12 again. :class:`Announcer` remembers every order it has
handed out for announcing; orders already ready when the server starts count as called.

The call is synthesised here with espeak-ng (a TV's browser may have no Korean voice)
into memory, never to disk, and kept in a small cache: the text depends only on the
number and the language.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
import threading
from collections.abc import Iterable

from untact.shop.order_feed import FeedOrder

from .strings import t

VOICES = {"ko": "ko", "en": "en-us"}


class Announcer:
    def __init__(self, already_ready: Iterable[FeedOrder] = ()) -> None:
        self._called = {o.ref for o in already_ready if o.status in ("ready", "collected")}
        self._lock = threading.Lock()

    def claim(self, orders: Iterable[FeedOrder]) -> list[FeedOrder]:
        """The ready orders not called yet; each is returned to one caller only.
        ``orders``: the whole day's, so what is remembered stays bounded by one day."""
        orders = list(orders)
        with self._lock:
            new = [o for o in orders if o.status == "ready" and o.ref not in self._called]
            self._called.update(o.ref for o in new)
            self._called &= {o.ref for o in orders}  # a past day's orders: forgotten
        return new


class SpeechUnavailable(RuntimeError):
    pass


@functools.lru_cache(maxsize=16)  # ~120 kB each: the last few calls, for a second screen
def announcement_wav(number: int, lang: str) -> bytes:
    """The call for ``number`` as a WAV file's bytes (espeak-ng, in memory)."""
    espeak = shutil.which("espeak-ng")
    if espeak is None:
        raise SpeechUnavailable("espeak-ng is not installed")
    text = t("board.announce", lang, number=number)
    result = subprocess.run([espeak, "-v", VOICES.get(lang, lang), "-s", "150", "--stdout", text],
                            capture_output=True, timeout=20, check=False)
    if result.returncode != 0 or not result.stdout.startswith(b"RIFF"):
        raise SpeechUnavailable(f"espeak-ng failed: {result.stderr.decode(errors='replace')[:200]}")
    return result.stdout
