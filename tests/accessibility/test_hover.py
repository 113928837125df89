"""HoverGuard: a hold completes only on the widget it started on."""

from __future__ import annotations

from untact.accessibility.hover import HoverGuard
from untact.accessibility.intents import Intent, Kind, dwell


class Button:
    def __init__(self, name, x0, x1):
        self.name, self.x0, self.x1 = name, x0, x1


BUTTONS = [Button("left", 0.0, 0.5), Button("right", 0.5, 1.0)]


def hit(x, y):
    return next((b for b in BUTTONS if b.x0 <= x < b.x1 and 0.2 <= y <= 0.8), None)


def pt(x, progress, y=0.5):
    return Intent(Kind.POINT, x=x, y=y, value=progress)


def test_a_hold_on_one_button_activates_it_and_draws_the_ring():
    resets = []
    guard = HoverGuard(hit, lambda: resets.append(1))
    for p in (0.0, 0.0, 0.4, 0.9, 1.0):
        assert guard.on_intent(pt(0.2, p)) is None
    assert guard.ring == (BUTTONS[0], 1.0)
    assert guard.on_intent(dwell(0.2, 0.5)).name == "left"
    assert resets == [1]  # once, when the cursor first came over "left"
    assert guard.ring is None


def test_crossing_to_the_neighbour_restarts_the_hold():
    resets = []
    guard = HoverGuard(hit, lambda: resets.append(1))
    guard.on_intent(pt(0.48, 0.0))
    guard.on_intent(pt(0.49, 0.6))
    guard.on_intent(pt(0.51, 0.7))  # the device has not restarted yet: ring not shown
    assert len(resets) == 2
    assert guard.ring is None
    # a DWELL still in flight from the old hold must not press the neighbour
    assert guard.on_intent(dwell(0.51, 0.5)) is None
    for p in (0.0, 0.5, 1.0):  # the device restarted its hold on "right"
        guard.on_intent(pt(0.51, p))
    assert guard.ring == (BUTTONS[1], 1.0)
    assert guard.on_intent(dwell(0.51, 0.5)).name == "right"


def test_no_widget_under_the_cursor_means_no_ring_and_no_action():
    guard = HoverGuard(hit)
    for p in (0.0, 0.5, 1.0):
        guard.on_intent(pt(0.3, p, y=0.95))
    assert guard.ring is None
    assert guard.on_intent(dwell(0.3, 0.95)) is None


def test_other_intents_and_leaving_are_harmless():
    guard = HoverGuard(hit)
    guard.on_intent(pt(0.2, 0.0))
    assert guard.on_intent(Intent(Kind.NEXT)) is None
    guard.leave()
    assert guard.on_intent(dwell(0.2, 0.5)) is None
