"""Saying something to a driven kiosk until it is understood (shared by voice tests)."""


def say_until(k, text, lang, done, tries=3):
    """Say ``text`` through the real VAD and recognizer until ``done()``; espeak-ng audio
    is sometimes misheard, so a few tries are allowed, each logged in the failure."""
    for _ in range(tries):
        k.say(text, lang)
        k.pump(3)
        if done():
            return
    raise AssertionError(f"{text!r} was not understood in {tries} tries; last heard: "
                         f"{k.voice.input.pipeline.history[-1].hypotheses[:2]}")
