"""The merchant's devices screen: is each input working, and what does the camera see.

Set-up is where a merchant aims the camera and checks the boards and the microphone, so
the camera preview exists only here, off until this screen is shown and off again when it
is left. Frames go from the tracker's memory into a texture; nothing is written anywhere.
"""

from __future__ import annotations

from kivy.clock import Clock
from kivy.graphics.texture import Texture
from kivy.uix.image import Image
from kivy.uix.label import Label

from ..context import ScreenContext
from .layout import Metrics, Row
from .pages import AdminScreen

DEVICES = ("camera", "voice", "boards", "printer", "staff_web")
#: device states the hardware layer reports as one word; other states are its sentences
STATES = {"on", "tracking", "starting", "looking for boards"}
PREVIEW_S = 0.1  # 10 preview frames a second are plenty to aim a camera


class AdminDevicesScreen(AdminScreen):
    def __init__(self, ctx: ScreenContext, **kw) -> None:
        super().__init__(ctx, **kw)
        self._labels: dict[str, Label] = {}
        self._image: Image | None = None
        self._texture: Texture | None = None
        self._ticker = None
        self.frames_shown = 0  # preview frames drawn (staff see it move; tests count it)

    def title(self) -> str:
        return self.t("admin.devices")

    def summary(self) -> str:
        return self.t("admin.devices.summary")

    def fill(self, m: Metrics) -> list[Row]:
        ctx = self.ctx
        self._labels = {device: self.text(self.status_line(device), m) for device in DEVICES}
        rows: list[Row] = [[(label, 1.0)] for label in self._labels.values()]
        camera = ctx.camera_preview
        self._image = None
        if camera is not None:  # at most half the page: the statuses stay in view
            height = min(m.mm * 70, (self.available()[1] - 2 * m.pad) / 2)
            self._image = Image(size_hint_y=None, height=height, fit_mode="contain")
            rows.append([(self._image, 1.0)])
            self._texture = None
        self._start(camera)
        return rows

    def status_line(self, device: str) -> str:
        name = self.t(f"admin.devices.{device}")
        state = self.ctx.device_status.get(device)
        if state is None:
            return self.t("admin.devices.absent", name=name)
        if device == "printer" and state != "starting":  # "out of paper, 3 waiting"
            return self.t("admin.devices.row", name=name, state=self.printer_state(state))
        if state in STATES:
            state = self.t("admin.devices.state." + state.replace(" ", "_"))
        elif device == "boards" and state[:1].isdigit():
            count, _, ids = state.partition(" connected")
            state = self.t("admin.devices.state.connected", n=count, ids=ids.strip(" ()"))
        else:  # the device's own sentence, from the hardware layer (English)
            state = self.t("admin.devices.state.off", reason=state)
        row = self.t("admin.devices.row", name=name, state=state)
        faults = self.ctx.device_status.get("board_faults") if device == "boards" else None
        return row + self.t("admin.devices.board_faults", faults=faults) if faults else row

    def printer_state(self, state: str) -> str:
        word, _, waiting = state.partition(", ")
        text = self.t("admin.devices.printer." + word.replace(" ", "_"))
        n = waiting.split(" ")[0]
        return self.t("admin.devices.printer.waiting", state=text, n=n) if n.isdigit() else text

    # -- the preview, only while this screen is shown ---------------------------------------
    def _start(self, camera) -> None:
        if self._ticker is None:
            if camera is not None:
                camera.set_preview(True)
            self._ticker = Clock.schedule_interval(self._update, PREVIEW_S)

    def on_pre_leave(self, *_args) -> None:
        self._stop()

    def _stop(self) -> None:
        if self._ticker is not None:
            self._ticker.cancel()
            self._ticker = None
        camera = self.ctx.camera_preview
        if camera is not None:
            camera.set_preview(False)
        self._texture = None
        if self._image is not None:
            self._image.texture = None

    def _update(self, _dt) -> None:
        if self.manager is None or self.manager.current != self.name:
            self._stop()  # left without the screen manager saying so (e.g. a session end)
            return
        if any(label.text != self.status_line(d) for d, label in self._labels.items()):
            self.ctx.rebuild(keep_focus=True)  # a new state may need more lines, or a page
        camera = self.ctx.camera_preview
        frame = camera.latest_preview() if camera is not None else None
        if frame is None or self._image is None:
            return
        h, w = frame.shape[:2]
        if self._texture is None or tuple(self._texture.size) != (w, h):
            self._texture = Texture.create(size=(w, h), colorfmt="bgr")
            self._texture.flip_vertical()  # image rows run top down, GL's bottom up
        self._texture.blit_buffer(frame.tobytes(), colorfmt="bgr", bufferfmt="ubyte")
        self._image.texture = self._texture
        self._image.canvas.ask_update()
        self.frames_shown += 1
