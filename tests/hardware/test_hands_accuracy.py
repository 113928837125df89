"""`untact-bench-hands DIR` on folders in the MANIFEST.tsv format."""

from __future__ import annotations

import pytest
from untact.simulator.bench_hands import main


def _folder(tmp_path, hands_dir, rows):
    """A MANIFEST folder linking to the real photos (links, not copies)."""
    lines = ["filename\tlabel\tnotes"]
    for name, label, target in rows:
        if target:
            (tmp_path / name).symlink_to(hands_dir / target)
        lines.append(f"{name}\t{label}\t")
    (tmp_path / "MANIFEST.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tmp_path


@pytest.mark.models
def test_reports_each_photo_and_the_accuracy(tmp_path, hands_dir, capsys):
    folder = _folder(tmp_path, hands_dir, [
        ("a.jpg", "open_palm", "open_palm_hagrid.jpg"),
        ("b.jpg", "no_hand", "neg_pizza.jpg"),
        ("c.jpg", "fist", "neg_cat.jpg"),  # mislabelled on purpose: no hand in it
    ])
    assert main([str(folder)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["ok", "a.jpg", "open_palm", "1", "hand(s)"]
    assert out[1].split() == ["ok", "b.jpg", "no_hand", "no", "hand"]
    assert out[2].split() == ["WRONG", "c.jpg", "fist", "no", "hand"]
    assert out[3] == ("accuracy 2/3 = 66.7%; hands found 1/2; no-hand scenes clean 1/1")


@pytest.mark.models
def test_bad_entries_are_reported_not_fatal(tmp_path, hands_dir, capsys):
    (tmp_path / "text.jpg").write_text("not a picture")
    folder = _folder(tmp_path, hands_dir, [("text.jpg", "fist", None),
                                           ("../escape.jpg", "fist", None)])
    assert main([str(folder)]) == 0
    out = capsys.readouterr().out
    assert "cannot be read as an image" in out
    assert "file name leaves the folder" in out


def test_folder_without_manifest_is_a_clear_error(tmp_path, capsys):
    assert main([str(tmp_path)]) == 2
    assert capsys.readouterr().err.strip() == (
        f"untact-bench-hands: {tmp_path}/MANIFEST.tsv: not found "
        "(the folder needs a MANIFEST.tsv)")
