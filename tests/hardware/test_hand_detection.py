"""MediaPipe Hands on the real photos: which ones it finds hands in, and their fingers.

Expected results are what the real model (0.10.18, lite, static-image mode) does on
each file, checked by eye against the pictures: every one of the 12 hand photos is
found, including the four "person standing at a distance" crowd photos (their hands
are ~0.06-0.10 of the frame width across the palm, enough for the palm detector at
these 384x512 sizes); none of the 6 scenes without hands gives a hand. In
thumbs_down_person both of the person's hands are real and found: the thumbs-down one
and the one resting on her forearm (which happens to look a little larger, so it is the
one the kiosk would follow: "nearest" is judged by apparent palm size).

The finger pattern (thumb, index, middle, ring, pinky extended) is what the kiosk's
gestures read (pointing starts the hold ring, an open palm asks for help), so it is
checked too, for the nearest hand of each photo.
"""

from __future__ import annotations

import csv

import cv2
import pytest
from untact.hardware.camera.hand_tracker import HandTracker

pytestmark = pytest.mark.models

T, F = True, False
EXPECTED = {  # filename: (hands found, fingers of the nearest hand)
    "fist_hagrid.jpg": (1, (F, F, F, F, F)),
    "open_palm_hagrid.jpg": (1, (T, T, T, T, T)),
    "pointing_index_hagrid.jpg": (1, (F, T, F, F, F)),
    "thumbs_up_hagrid.jpg": (1, (T, F, F, F, F)),
    "two_fingers_hagrid_peace.jpg": (1, (F, T, T, F, F)),
    "thumbs_down_hagrid.jpg": (1, (T, F, F, F, F)),
    "thumbs_up_mediapipe_samples.jpg": (1, (T, F, F, F, F)),
    "four_fingers_person_06aa70cc.jpg": (1, (F, T, T, T, T)),
    "pointing_index_person_00b85ea4.jpg": (1, (F, T, F, F, F)),
    "thumbs_down_person_00c84257.jpg": (2, None),  # nearest is the resting hand: not checked
    "rock_horns_person_026fd791.jpg": (1, (F, T, F, F, T)),
    "ok_sign_onehand10k_1402.jpg": (1, (F, F, T, T, T)),
    "neg_giraffes_coco72.jpg": (0, None),
    "neg_clock_objects_coco78.jpg": (0, None),
    "neg_room_toys_0514.jpg": (0, None),
    "neg_person_face_sergey.jpg": (0, None),
    "neg_pizza.jpg": (0, None),
    "neg_cat.jpg": (0, None),
}


@pytest.fixture(scope="module")
def tracker():
    with HandTracker(mirror=False, static_images=True, max_hands=2) as t:
        yield t


def _manifest(hands_dir):
    with (hands_dir / "MANIFEST.tsv").open(encoding="utf-8") as fh:
        return {r["filename"]: r["label"] for r in csv.DictReader(fh, delimiter="\t")}


def test_expectations_cover_every_photo_in_the_manifest(hands_dir):
    photos = {n for n, label in _manifest(hands_dir).items() if not label.startswith("video:")}
    assert photos == set(EXPECTED)
    for name, label in _manifest(hands_dir).items():
        if name in EXPECTED:  # the table agrees with the manifest's hand / no-hand label
            assert (EXPECTED[name][0] > 0) == (label != "no_hand"), name


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_photo(hands_dir, tracker, name):
    image = cv2.imread(str(hands_dir / name))
    assert image is not None
    nearest = tracker.process(image)
    count, fingers = EXPECTED[name]
    assert len(tracker.last_hands) == count
    assert (nearest is not None) == (count > 0)
    if fingers is not None:
        assert nearest.extended == fingers
        assert nearest.open_palm == all(fingers)


def test_video_hand_is_tracked_in_every_frame(hands_dir):
    """The sample video (palm opening, 202 frames) in video mode, as the kiosk runs
    (looking for one hand: the video has one, and it halves the test's time)."""
    from untact.simulator.bench_hands import video_hand_share

    seen, total = video_hand_share(hands_dir / "video_hand_open_palm.mp4", max_hands=1)
    assert total == 202
    assert seen == total


def test_nearest_of_two_hands_counts(hands_dir, tracker):
    """A bystander's smaller hand beside the customer's: the larger one is followed."""
    import numpy as np

    frame = np.full((480, 640, 3), 90, np.uint8)
    big = cv2.resize(cv2.imread(str(hands_dir / "pointing_index_hagrid.jpg")), (260, 260))
    small = cv2.resize(cv2.imread(str(hands_dir / "open_palm_hagrid.jpg")), (150, 150))
    frame[110:370, 360:620] = big
    frame[40:190, 40:190] = small
    nearest = tracker.process(frame)
    assert len(tracker.last_hands) == 2
    assert nearest.extended == (F, T, F, F, F)  # the pointing hand, not the open palm
    assert nearest.palm[0] > 0.5
