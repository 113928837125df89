"""Pronunciations for English words the dictionary lacks, from espeak-ng's phonemes.

A merchant's menu has words no dictionary knows ("macchiato", "sikhye"). pocketsphinx
needs a phone string for each word in its grammar, so espeak-ng (already installed for
the kiosk's speech) is asked for its phonemes (``espeak-ng -q -x``) and they are mapped
to the CMU ARPAbet phones of the US English model. The mapping is approximate, which is
fine: the grammar only has to tell the menu's words apart.
"""

from __future__ import annotations

import re
import shutil
import subprocess

# espeak-ng's ASCII phoneme names (en-us) -> ARPAbet; longest names are tried first.
_PHONES = {
    "aI@": "AY ER", "aU@": "AW ER", "i@3": "IY ER", "A@": "AA R", "O@": "AO R", "e@": "EH R",
    "i@": "IY R", "U@": "UH R", "3:": "ER", "a#": "AH", "@L": "AH L", "@2": "AH", "@5": "AH",
    "aI": "AY", "aU": "AW", "eI": "EY", "oU": "OW", "OI": "OY", "A:": "AA", "O:": "AO",
    "i:": "IY", "u:": "UW", "I2": "IH", "I#": "IH", "tS": "CH", "dZ": "JH", "t#": "T",
    "d#": "D", "a": "AE", "A": "AA", "@": "AH", "3": "ER", "E": "EH", "I": "IH", "i": "IY",
    "0": "AA", "O": "AO", "U": "UH", "u": "UW", "V": "AH", "p": "P", "b": "B", "t": "T",
    "d": "D", "k": "K", "g": "G", "f": "F", "v": "V", "T": "TH", "D": "DH", "s": "S",
    "z": "Z", "S": "SH", "Z": "ZH", "h": "HH", "m": "M", "n": "N", "N": "NG", "l": "L",
    "r": "R", "w": "W", "j": "Y", "x": "K", "?": "",
}
_NAMES = sorted(_PHONES, key=len, reverse=True)
_MARKS = re.compile(r"[',%=_:;|]")


def espeak_phonemes(word: str) -> str | None:
    exe = shutil.which("espeak-ng")
    if exe is None or not re.fullmatch(r"[a-z][a-z'\-]{0,40}", word):
        return None
    try:
        out = subprocess.run([exe, "-q", "-x", "-v", "en-us", word], capture_output=True,
                             timeout=10, check=True, text=True).stdout
    except (subprocess.SubprocessError, OSError):
        return None
    return out.strip() or None


def arpabet(espeak: str) -> str | None:
    """espeak-ng phonemes ("m,akI2;'A:t#oU") as ARPAbet ("M AE K IH AA T OW")."""
    text = espeak.replace("'", "").replace(",", "").replace("%", "").replace("=", "")
    text = text.replace(";", "").replace("_", "").replace("|", "").replace(" ", "")
    phones: list[str] = []
    i = 0
    while i < len(text):
        for name in _NAMES:
            if text.startswith(name, i):
                if _PHONES[name]:
                    phones += _PHONES[name].split()
                i += len(name)
                break
        else:
            i += 1  # a mark we do not know: skip it rather than fail the word
    return " ".join(phones) or None


def pronounce(word: str) -> str | None:
    """ARPAbet phones for ``word``, or None when espeak-ng is missing or gives nothing."""
    ph = espeak_phonemes(word)
    return arpabet(ph) if ph else None
