"""A private PulseAudio server with one null sink: a real audio output without a sound card.

The kiosk plays speech through PortAudio (``PortAudioSink``), which on Linux talks to
ALSA; on a Raspberry Pi OS desktop ALSA's default device hands the audio to the sound
server (PipeWire's PulseAudio layer) and from there to the card. Here the same path ends
in PulseAudio's ``module-null-sink`` instead of a card, and its *monitor* source lets us
record exactly what reached the output: when the first audible sample arrived, when the
samples stopped. Used by ``make bench`` (speech latency through a real output) and by a
test of that path.

The server is started on demand with its own socket, runtime and state directories in a
temporary folder (no autospawn, no user session, nothing left behind) and is stopped by
:meth:`NullSoundServer.stop`. PortAudio reads the ALSA configuration once, when it is
first loaded, so the code that opens the stream runs in a process started with
:attr:`NullSoundServer.env`.
"""

from __future__ import annotations

import array
import bisect
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path

SINK = "untact_null"
ALSA_DEVICE = "untact_pulse"  # the ALSA (and so PortAudio) device name of the null sink


class SoundServerUnavailable(RuntimeError):
    """No PulseAudio server could be started here (the message says why)."""


class NullSoundServer:
    """``with NullSoundServer(rate) as server:`` a running server; ``server.env`` for the
    process that plays, ``server.monitor()`` to record what reached the sink."""

    def __init__(self, sample_rate: int = 22050, start_timeout_s: float = 10.0,
                 extra_sinks: tuple[str, ...] = ()) -> None:
        """``extra_sinks``: more null sinks (the earphone's beside the speaker's), each
        an ALSA device of its own name."""
        self.sample_rate = sample_rate
        self.extra_sinks = extra_sinks
        self.start_timeout_s = start_timeout_s
        self._dir: Path | None = None
        self._proc: subprocess.Popen | None = None
        self.env: dict[str, str] = {}

    def __enter__(self) -> NullSoundServer:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> None:
        for tool in ("pulseaudio", "parec"):
            if shutil.which(tool) is None:
                raise SoundServerUnavailable(f"{tool} is not installed (Debian packages "
                                             "pulseaudio, pulseaudio-utils, libasound2-plugins)")
        if not Path("/usr/lib/x86_64-linux-gnu/alsa-lib/libasound_module_pcm_pulse.so").exists() \
                and not list(Path("/usr/lib").glob("*/alsa-lib/libasound_module_pcm_pulse.so")):
            raise SoundServerUnavailable("ALSA's pulse plugin is not installed "
                                         "(Debian package libasound2-plugins)")
        self._dir = Path(tempfile.mkdtemp(prefix="untact-pulse-"))
        d = self._dir
        socket = d / "native"
        (d / "client.conf").write_text("autospawn = no\n")
        (d / "alsa.conf").write_text(
            "</usr/share/alsa/alsa.conf>\n"
            f"pcm.{ALSA_DEVICE} {{\n"
            "    type pulse\n"
            f'    server "unix:{socket}"\n'
            f'    device "{SINK}"\n'
            '    hint { show on description "untact null sink (PulseAudio)" }\n'
            "}\n" + "".join(
                f"pcm.{name} {{\n    type pulse\n    server \"unix:{socket}\"\n"
                f"    device \"{name}\"\n}}\n" for name in self.extra_sinks))
        self.env = {
            "HOME": str(d), "XDG_RUNTIME_DIR": str(d), "XDG_CONFIG_HOME": str(d / "config"),
            "PULSE_RUNTIME_PATH": str(d / "run"), "PULSE_STATE_PATH": str(d / "state"),
            "PULSE_CLIENTCONFIG": str(d / "client.conf"), "PULSE_SERVER": f"unix:{socket}",
            "ALSA_CONFIG_PATH": str(d / "alsa.conf"),
        }
        env = dict(os.environ, **self.env)
        env.pop("DBUS_SESSION_BUS_ADDRESS", None)
        log = open(d / "server.log", "wb")  # noqa: SIM115 (closed with the process)
        self._proc = subprocess.Popen(
            ["pulseaudio", "-n", "--daemonize=no", "--use-pid-file=no", "--exit-idle-time=-1",
             "--system=no", "--log-target=stderr",
             "-L", f"module-null-sink sink_name={SINK} rate={self.sample_rate} channels=1 "
                   "format=s16le",
             *[arg for name in self.extra_sinks for arg in (
                 "-L", f"module-null-sink sink_name={name} rate={self.sample_rate} channels=1 "
                       "format=s16le")],
             "-L", f"module-native-protocol-unix socket={socket} auth-anonymous=1"],
            env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True)
        log.close()
        if not self._wait_ready(env):
            why = (d / "server.log").read_text(errors="replace").strip().splitlines()[-3:]
            self.stop()
            raise SoundServerUnavailable("PulseAudio did not start: " + " | ".join(why))

    def _wait_ready(self, env: dict[str, str]) -> bool:
        """Bounded: until ``pactl info`` answers, the server exits, or the timeout."""
        deadline = time.monotonic() + self.start_timeout_s
        while time.monotonic() < deadline:
            if self._proc is None or self._proc.poll() is not None:
                return False
            try:
                ok = subprocess.run(["pactl", "info"], env=env, capture_output=True,
                                    timeout=max(0.5, deadline - time.monotonic())).returncode == 0
            except (OSError, subprocess.TimeoutExpired):
                ok = False
            if ok:
                return True
            try:  # the socket is not there yet: wait for the server, not a fixed sleep
                self._proc.wait(0.05)
            except subprocess.TimeoutExpired:
                pass
        return False

    def monitor(self, threshold: int = 200, chunk_ms: float = 2.0, sink: str = SINK) -> Monitor:
        """Start recording the sink's monitor (what was played), in this process."""
        if self._proc is None:
            raise RuntimeError("NullSoundServer.monitor() before start()")
        return Monitor(dict(os.environ, **self.env), self.sample_rate, threshold, chunk_ms, sink)

    def stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None and proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)
            self._dir = None


class Monitor:
    """``parec`` on the null sink's monitor; a thread notes, per small chunk, when it
    arrived (``time.perf_counter()``) and whether any sample was above ``threshold``."""

    def __init__(self, env: dict[str, str], sample_rate: int, threshold: int,
                 chunk_ms: float, sink: str = SINK) -> None:
        self.threshold = threshold
        self._bytes = max(2, int(sample_rate * chunk_ms / 1000)) * 2
        self._lock = threading.Lock()
        self._loud: list[float] = []  # arrival times of chunks with an audible sample
        self.chunks = 0
        self.started = threading.Event()  # the first chunk (of silence, usually) arrived
        self._changed = threading.Condition(self._lock)
        self._proc = subprocess.Popen(
            ["parec", "--raw", "--format=s16le", f"--rate={sample_rate}", "--channels=1",
             f"--latency-msec={max(1, int(chunk_ms))}", "-d", f"{sink}.monitor"],
            env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, bufsize=0)
        self._thread = threading.Thread(target=self._read, daemon=True, name="untact-monitor")
        self._thread.start()

    def _read(self) -> None:
        out = self._proc.stdout
        assert out is not None  # started with stdout=PIPE
        rest = b""
        while True:
            data = out.read(self._bytes)
            if not data:
                return
            t = time.perf_counter()
            data = rest + data
            rest = data[len(data) - len(data) % 2:]
            samples = array.array("h")
            samples.frombytes(data[:len(data) - len(data) % 2])
            loud = bool(samples) and max(max(samples), -min(samples)) > self.threshold
            with self._changed:
                self.chunks += 1
                if loud:
                    self._loud.append(t)
                self._changed.notify_all()
            self.started.set()

    def first_loud_after(self, t0: float, timeout: float) -> float | None:
        """Arrival time of the first audible chunk after ``t0`` (None: none in time)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                i = bisect.bisect_left(self._loud, t0)
                if i < len(self._loud):
                    return self._loud[i]
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self._changed.wait(left)

    def last_loud_between(self, t0: float, t1: float) -> float | None:
        """Arrival time of the last audible chunk in [t0, t1] (waits until ``t1``)."""
        with self._changed:
            while time.perf_counter() < t1:
                self._changed.wait(max(0.001, t1 - time.perf_counter()))
            inside = [t for t in self._loud if t0 <= t <= t1]
        return inside[-1] if inside else None

    def loud_chunks(self) -> int:
        with self._lock:
            return len(self._loud)

    def wait_quiet(self, quiet_s: float, timeout: float) -> bool:
        """Until no audible chunk has arrived for ``quiet_s`` (False: still loud at
        ``timeout``)."""
        deadline = time.perf_counter() + timeout
        with self._changed:
            while True:
                now = time.perf_counter()
                last = self._loud[-1] if self._loud else float("-inf")
                if now - last >= quiet_s:
                    return True
                if now >= deadline:
                    return False
                self._changed.wait(min(deadline - now, quiet_s - (now - last)))

    def close(self) -> None:
        if self._proc.poll() is None:
            self._proc.kill()
        self._proc.wait(5)
        self._thread.join(2)
