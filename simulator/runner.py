"""Run scenarios against the real kiosk, in simulated time, and check what followed."""

from __future__ import annotations

import os
import statistics
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from untact.accessibility.intents import Kind, dwell, point, simple

from .driver import KioskDriver
from .scenario import Scenario, Step


class ScenarioFailed(AssertionError):
    def __init__(self, scenario: Scenario, step: Step, message: str, screenshot: Path | None,
                 transcript: list[str]) -> None:
        self.scenario, self.step, self.screenshot, self.transcript = scenario, step, screenshot, transcript
        said = " | ".join(transcript[-6:]) or "(nothing)"
        shot = f"; screenshot {screenshot}" if screenshot else ""
        super().__init__(f"{scenario.path}:{step.line}: step[{step.index}] ({step.describe()}): "
                         f"{message}{shot}; said: {said}")


@dataclass
class Result:
    scenario: Scenario
    steps_run: int
    orders: list = field(default_factory=list)
    simulated_s: float = 0.0
    memory_growth: float | None = None  # RSS growth, first to last simulated hour


BOARD_ACTIONS = {"swipe", "push", "press", "hover", "approach", "leave", "plug_earphone",
                 "unplug_earphone", "line_noise", "unplug_board", "replug_board", "reset_board"}
_RECOGNIZERS: dict = {}



def load_recognizers() -> dict:
    """The real recognizers, loaded once per process (Vosk's Korean model takes seconds)."""
    if not _RECOGNIZERS:
        import atexit

        atexit.register(_RECOGNIZERS.clear)  # freed before the interpreter tears vosk down
        from untact.hardware.voice.recognizers import load_recognizer

        for lang in ("ko", "en"):
            _RECOGNIZERS[lang] = load_recognizer(lang)
    return _RECOGNIZERS


def rss_bytes() -> int | None:
    """Resident set size now (Linux); None where /proc is not available."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


class Runner:
    """Carries out steps on a :class:`KioskDriver`. Device actions (board, camera, voice)
    go to handlers that the simulator's virtual devices register in ``devices``."""

    def __init__(self, scenario: Scenario, data_dir: Path | None = None, out_dir: Path | None = None,
                 driver: KioskDriver | None = None) -> None:
        self.scenario = scenario
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        if data_dir:
            self.data_dir = data_dir
        else:
            self._tmp = tempfile.TemporaryDirectory(prefix="untact-sim-")
            self.data_dir = Path(self._tmp.name)
        self.out_dir = out_dir
        recognizers = load_recognizers() if scenario.voice and driver is None else None
        self.camera_script = None
        if scenario.camera and driver is None:  # hand steps: the real worker, scripted clips
            from .camera_script import ScriptedCamera
            from .camera_switch import DEMO_BACKGROUND, hand_photos

            background = hand_photos() / DEMO_BACKGROUND
            self.camera_script = ScriptedCamera(background if background.is_file() else None)
        self.driver = driver or KioskDriver(scenario.config, data_dir=self.data_dir, sim_time=True,
                                            render=scenario.render, voice_recognizers=recognizers,
                                            boards=scenario.boards, camera_source=self.camera_script)
        self.devices: dict[str, Callable[[Step], None]] = {}
        self._said_mark = 0
        self._orders_at_start = 0

    def run(self) -> Result:
        d = self.driver
        if d.app.root is None:
            d.start()
        start = d.app.now()
        samples: list[tuple[float, int]] = []  # (simulated seconds, RSS)
        try:
            for _ in range(self.scenario.repeat):
                self._orders_at_start = len(d.store.for_day())
                for step in self.scenario.steps:
                    self._run_step(step)
                rss = rss_bytes()
                if rss is not None:
                    samples.append((d.app.now() - start, rss))
            growth = self._memory_growth(samples)
            return Result(self.scenario, len(self.scenario.steps) * self.scenario.repeat,
                          d.store.for_day(), d.app.now() - start, growth)
        finally:
            if self.camera_script is not None:
                self.camera_script.finish()  # the worker ends its input after the last clip
            d.stop()
            if self._tmp:
                self._tmp.cleanup()

    def _memory_growth(self, samples: list[tuple[float, int]]) -> float | None:
        """Median RSS of the last simulated hour against the first; fails the scenario
        when it grew more than ``max_memory_growth`` (a leak shows over a day).

        RSS is sampled after each repetition of the steps: a scenario whose first
        repetition ends after the first hour (one long wait) has nothing to compare, and
        gets None, not a measurement of a kiosk that had not served anyone yet."""
        limit = self.scenario.max_memory_growth
        end = samples[-1][0] if samples else 0.0
        first_hour = [r for t, r in samples if t <= 3600]
        if end < 2 * 3600 or not first_hour:
            if limit is not None:
                raise AssertionError(f"{self.scenario.path}: max_memory_growth needs at least two "
                                     "simulated hours, a repetition of the steps ending within "
                                     "the first, and /proc/self/statm")
            return None
        first = statistics.median(first_hour)
        last = statistics.median(r for t, r in samples if t >= end - 3600)
        growth = (last - first) / first
        if limit is not None and growth > limit:
            raise AssertionError(f"{self.scenario.path}: resident memory grew {growth:.1%} from the first "
                                 f"to the last hour ({first / 1e6:.0f} MB to {last / 1e6:.0f} MB), "
                                 f"more than {limit:.0%}")
        return growth

    def _run_step(self, step: Step) -> None:
        try:
            if step.action:
                self.act(step)
            if step.expect:
                self.check(step)
        except ScenarioFailed:
            raise
        except (AssertionError, TimeoutError, LookupError, ValueError) as exc:
            raise self._failed(step, str(exc)) from None

    # -- actions --------------------------------------------------------------------------
    def act(self, step: Step) -> None:
        d, a = self.driver, step.args
        if step.action == "intent":
            for _ in range(a.get("times", 1)):
                d.send(simple(Kind[a["intent"].upper()], source="scenario"))
        elif step.action == "key":
            for _ in range(a.get("times", 1)):
                d.key(a["key"])
        elif step.action == "choose":
            d.choose(a["text"])
        elif step.action == "wait":
            d.advance(a["seconds"])
        elif step.action == "say" and d.microphone is not None:
            # Like a customer who is not understood, say it again (at most ``tries``).
            for _ in range(a.get("tries", 3)):
                if d.say(a.get("text", ""), a.get("lang"), wav=a.get("wav")):
                    break
        elif step.action == "point":
            self._point(a["text"], a.get("hold_s", 1.2))
        elif step.action == "hand" and self.camera_script is not None:
            self._hand(a)
        elif step.action == "set_profile":
            from untact.accessibility.profiles import PROFILES

            # As a customer does: on the settings screen, the profile's button.
            d.choose(PROFILES[a["profile"]].labels[d.app.lang])
        elif step.action in BOARD_ACTIONS and d.boards is not None:
            d.board_action(step.action, a, a.get("board", 1) - 1)
        elif step.action in ("approach", "leave") and "approach" not in self.devices:
            d.send(simple(Kind.PRESENCE, source="scenario", value=step.action == "approach"))
        elif step.action in self.devices:
            self.devices[step.action](step)
        else:
            raise AssertionError(f"this simulator has no device attached for {step.action!r}")

    def _point(self, text: str, hold_s: float) -> None:
        """What the camera's interaction layer sends for a hand held over a widget."""
        from kivy.core.window import Window

        d = self.driver
        target = next((w for w in d.app.targets() if text in w.text and w.enabled), None)
        if target is None:
            raise AssertionError(f"no enabled widget labelled {text!r} to point at")
        x, y, w, h = target.focus_box
        nx, ny = (x + w / 2) / Window.width, 1 - (y + h / 2) / Window.height
        steps = max(1, int(hold_s / 0.1))
        for _ in range(steps):
            d.bus.post(point(nx, ny, source="scenario"))
            if d.clock:
                d.clock.t += 0.1
            d.pump()
        d.send(dwell(nx, ny, source="scenario"))

    def _hand(self, a: dict[str, Any], timeout: float = 60.0) -> None:
        """A real hand photo, seen by the real tracker in its worker process, does the
        gesture at the target; returns once its intent has reached the kiosk and the clip
        has played out (both bounded waits: the worker runs in real time)."""
        from pathlib import Path

        from .camera_script import gesture_clip
        from .camera_switch import DEMO_BACKGROUND, hand_photos

        d, camera, script = self.driver, self.driver.camera, self.camera_script
        assert script is not None, "hand steps run only with the scripted camera"
        status = camera.wait_for_state({"tracking", "motion_only", "unavailable", "ended"},
                                       timeout)
        if status.state != "tracking":
            raise AssertionError(f"the camera cannot track hands: {status.reason}")
        gesture = a["gesture"]
        x, y = self._screen_point(a.get("at", (0.5, 0.5)))
        background = hand_photos() / DEMO_BACKGROUND
        clip = gesture_clip(gesture, Path(a["photo"]), x, y, a.get("hold_s", 2.5),
                            a.get("scale", 0.35), background if background.is_file() else None,
                            camera.config.mirror)
        expected = {"hold": Kind.DWELL, "push": Kind.SELECT, "swipe_left": Kind.PREVIOUS,
                    "swipe_right": Kind.NEXT}[gesture]
        seen: list = []
        unsubscribe = d.bus.subscribe(
            lambda i: seen.append(i) if i.source == "camera" and i.kind is expected else None)
        try:
            number = script.play(clip)
            self._wait(lambda: bool(seen), timeout,
                       f"the camera to see the hand's {gesture} ({expected.name})")
            self._wait(lambda: script.played(number) and camera.cursor() is None,
                       timeout, "the hand clip to play out and the hand to leave")
            d.pump(2, draw=True)
        finally:
            unsubscribe()

    def _wait(self, condition: Callable[[], bool], timeout: float, what: str) -> None:
        """Until ``condition`` (bounded): the kiosk handles its input meanwhile, without
        drawing each turn and yielding the CPU briefly, so the tracking worker (real time,
        another process) gets the machine."""
        import time

        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                d = self.driver
                raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what} "
                                   f"(screen {d.screen!r}, focus {d.focused!r})")
            self.driver.pump(draw=False)
            time.sleep(0.005)  # a polling interval: the condition decides, not the sleep

    def _screen_point(self, at) -> tuple[float, float]:
        """(x, y) in 0..1 of the kiosk area, from the top-left: given, or the centre of the
        enabled widget whose label contains ``at``."""
        if isinstance(at, tuple):
            return at
        area = self.driver.app.area
        target = next((w for w in self.driver.app.targets() if at in w.text and w.enabled), None)
        if target is None:
            raise AssertionError(f"no enabled widget labelled {at!r} to hold a hand over")
        x, y, w, h = target.focus_box
        return (x + w / 2 - area.x) / area.width, 1 - (y + h / 2 - area.y) / area.height

    # -- expectations ---------------------------------------------------------------------
    def check(self, step: Step) -> None:
        d, e = self.driver, step.expect
        # Settle: an order being committed shows its number when the commit is done.
        d.wait_until(lambda: not d.app.saving, what="the order being saved")
        d.pump(2)
        said = self._said_since_mark()
        self._said_mark = max((u.id for u in d.engine.history), default=self._said_mark)
        problems = []

        def want(name: str, actual: Any, ok: bool | None = None) -> None:
            if name in e and not (ok if ok is not None else actual == e[name]):
                problems.append(f"{name}: expected {e[name]!r}, got {actual!r}")

        want("screen", d.screen)
        if "focused" in e:
            want("focused", d.focused, e["focused"] in (d.focused or ""))
        if "spoken" in e:
            want("spoken", said, any(e["spoken"] in s for s in said))
        if "not_spoken" in e:
            want("not_spoken", said, not any(e["not_spoken"] in s for s in said))
        want("language", d.app.lang)
        want("overlay", d.app.overlay.shown)
        if "profile" in e:
            want("profile", d.app.profile_name)
        want("cart_count", d.app.cart.count())
        want("cart_total", d.app.cart.total())
        wants_orders = {"orders", "new_orders", "last_order_total", "last_order_items"} & set(e)
        orders = d.store.for_day() if wants_orders else []
        want("orders", len(orders))
        want("new_orders", len(orders) - self._orders_at_start)
        if "last_order_total" in e:
            want("last_order_total", orders[-1].total if orders else None)
        if "last_order_items" in e:
            items = sorted(line["item"] for line in orders[-1].lines) if orders else []
            want("last_order_items", items, items == sorted(e["last_order_items"]))
        if "boards_connected" in e:
            count = len(d.link.connected_ids()) if d.link is not None else 0
            want("boards_connected", count)
        if problems:
            raise self._failed(step, "; ".join(problems), said)

    def _failed(self, step: Step, message: str, said: list[str] | None = None) -> ScenarioFailed:
        shot = None
        if self.out_dir is not None:
            try:
                name = f"{self.scenario.path.stem}-step{step.index}.png"
                shot = self.driver.screenshot(self.out_dir / name)
            except Exception:  # a failed screenshot must not hide the real failure
                shot = None
        return ScenarioFailed(self.scenario, step, message, shot,
                              said if said is not None else self._said_since_mark())

    def _said_since_mark(self) -> list[str]:
        """What the kiosk asked its voice to say since the last check (by utterance id: the
        engine's history keeps the newest utterances only, so its length stops growing)."""
        return [u.text for u in self.driver.engine.history if u.id > self._said_mark]
