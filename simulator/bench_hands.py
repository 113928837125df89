"""`untact-bench-hands DIR`: how well the hand tracker finds hands in a folder of photos
(a developer's measurement on real test data, beside `untact-bench-voice`).

DIR holds images and a MANIFEST.tsv (tab-separated, header row, columns ``filename``
and ``label``: a pose name, ``no_hand``, or ``video:...`` for a clip). Each photo is run
through the same tracker the kiosk uses (MediaPipe Hands, static-image mode); a photo
counts as right when a hand is found exactly when the label is not ``no_hand``. Videos
are reported as the share of frames with a hand. Images are read, never written.
"""

from __future__ import annotations

import argparse
import csv
import sys
from dataclasses import dataclass
from pathlib import Path

MAX_MANIFEST_ROWS = 100_000


@dataclass(frozen=True)
class PhotoResult:
    filename: str
    label: str
    hands: int  # hands found (0 = none)
    error: str = ""

    @property
    def expected_hand(self) -> bool:
        return self.label != "no_hand"

    @property
    def correct(self) -> bool:
        return not self.error and (self.hands > 0) == self.expected_hand


def read_manifest(folder: Path) -> list[dict[str, str]]:
    path = folder / "MANIFEST.tsv"
    try:
        with path.open(newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh, delimiter="\t")
            if not reader.fieldnames or not {"filename", "label"} <= set(reader.fieldnames):
                raise ValueError(f"{path}: header must name the columns filename and label")
            rows = []
            for i, row in enumerate(reader):
                if i >= MAX_MANIFEST_ROWS:
                    raise ValueError(f"{path}: more than {MAX_MANIFEST_ROWS} rows")
                name, label = (row.get("filename") or "").strip(), (row.get("label") or "").strip()
                if name and label:
                    rows.append({"filename": name, "label": label})
            return rows
    except FileNotFoundError:
        raise ValueError(f"{path}: not found (the folder needs a MANIFEST.tsv)") from None
    except UnicodeDecodeError:
        raise ValueError(f"{path}: is not UTF-8 text") from None


def detect_photos(folder: Path, rows: list[dict[str, str]],
                  model_complexity: int = 0) -> list[PhotoResult]:
    import cv2
    from untact.hardware.camera.hand_tracker import HandTracker

    results = []
    with HandTracker(mirror=False, model_complexity=model_complexity, max_hands=2,
                     static_images=True) as tracker:
        for row in rows:
            name, label = row["filename"], row["label"]
            if label.startswith("video:"):
                continue
            path = folder / name
            if Path(name).is_absolute() or ".." in Path(name).parts:
                results.append(PhotoResult(name, label, 0, "file name leaves the folder"))
                continue
            image = cv2.imread(str(path))
            if image is None:
                results.append(PhotoResult(name, label, 0, "cannot be read as an image"))
                continue
            tracker.process(image)
            results.append(PhotoResult(name, label, len(tracker.last_hands)))
    return results


def video_hand_share(path: Path, model_complexity: int = 0,
                     max_hands: int = 2) -> tuple[int, int]:
    """(frames with a hand, frames) over a whole video, tracker in video mode."""
    import cv2
    from untact.hardware.camera.hand_tracker import HandTracker

    cap = cv2.VideoCapture(str(path))
    seen = total = 0
    with HandTracker(mirror=False, model_complexity=model_complexity,
                     max_hands=max_hands) as tracker:
        while True:
            ok, frame = cap.read()
            if not ok:
                break
            total += 1
            seen += tracker.process(frame) is not None
    cap.release()
    return seen, total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="untact-bench-hands", description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path, help="folder with images and MANIFEST.tsv")
    parser.add_argument("--model-complexity", type=int, choices=[0, 1], default=0)
    args = parser.parse_args(argv)
    from untact.hardware.camera.mediapipe_loader import TrackerUnavailable

    try:
        rows = read_manifest(args.folder)
        results = detect_photos(args.folder, rows, args.model_complexity)
    except (ValueError, TrackerUnavailable) as exc:
        print(f"untact-bench-hands: {exc}", file=sys.stderr)
        return 2
    for r in results:
        found = f"{r.hands} hand(s)" if r.hands else "no hand"
        verdict = "ok" if r.correct else "WRONG"
        note = f"  {r.error}" if r.error else ""
        print(f"{verdict:5}  {r.filename:45} {r.label:16} {found}{note}")
    for row in rows:
        if row["label"].startswith("video:"):
            seen, total = video_hand_share(args.folder / row["filename"], args.model_complexity)
            print(f"video  {row['filename']:45} {row['label']:16} hand in {seen}/{total} frames")
    pos = [r for r in results if r.expected_hand]
    neg = [r for r in results if not r.expected_hand]
    right = sum(r.correct for r in results)
    if results:
        print(f"accuracy {right}/{len(results)} = {right / len(results):.1%}; "
              f"hands found {sum(r.correct for r in pos)}/{len(pos)}; "
              f"no-hand scenes clean {sum(r.correct for r in neg)}/{len(neg)}")
    else:
        print("accuracy: no photos listed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
