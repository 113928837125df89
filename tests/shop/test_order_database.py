"""Every refusal of the orders database is one line naming the file and exit status 2, in
``untact-kiosk``, ``untact-sim FILE`` and ``untact-admin export`` alike; a damaged
database is kept untouched, set aside only when the kiosk file allows a fresh start, and
the export still gives what can be read.

Faults are real: a tmpfs mounted read-only (root ignores permissions, not a read-only
mount), a tmpfs that is full, a file where the folder should be, a database whose first
100 bytes were overwritten.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from shop_helpers import fill, lines, tmpfs
from untact.shop.orders import OrderStore

CAFE = Path(__file__).resolve().parents[2] / "examples" / "cafe.toml"
DAY = dt.date(2026, 3, 14)
COMMANDS = {
    "untact-kiosk": lambda kiosk, tmp: ["untact.ui.cli", str(kiosk)],
    "untact-sim": lambda kiosk, tmp: ["untact.simulator.cli", str(kiosk), "--boards", "0"],
    "untact-admin": lambda kiosk, tmp: ["untact.shop.admin_cli", "export", "--config", str(kiosk),
                                        "--day", DAY.isoformat(), "--to", str(tmp)],
}


def kiosk_file(tmp_path: Path, data: Path, extra_shop: str = "") -> Path:
    """The sample cafe with its data folder at ``data``."""
    text = CAFE.read_text(encoding="utf-8")
    old = 'data_folder = "data"'
    assert old in text
    path = tmp_path / "kiosk.toml"
    path.write_text(text.replace(old, f'data_folder = "{data}"{extra_shop}', 1), encoding="utf-8")
    return path


def run(prog: str, kiosk: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    argv = [sys.executable, "-m", *COMMANDS[prog](kiosk, tmp_path)]
    return subprocess.run(argv, capture_output=True, text=True, timeout=120)


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    lines_ = result.stderr.strip().splitlines()
    assert len(lines_) == 1, result.stderr
    return lines_[0]


@pytest.fixture
def mounts():
    """Mount tmpfs folders for a test (``mounts(folder, options)``); unmounted after it."""
    with contextlib.ExitStack() as stack:
        yield lambda folder, options: stack.enter_context(tmpfs(folder, options))


def store_with_orders(folder: Path, count: int = 3) -> None:
    store = OrderStore(folder, now=lambda: dt.datetime.combine(DAY, dt.time(11, 30)))
    for _ in range(count):
        store.place(lines(), 4500, "ko")
    store.close()


def damage(folder: Path) -> bytes:
    """Overwrite the database's first 100 bytes (its header); return the damaged bytes."""
    path = folder / OrderStore.DB_NAME
    with open(path, "r+b") as f:
        f.write(b"\xa5" * 100)
    return path.read_bytes()


@pytest.mark.parametrize("prog", COMMANDS)
def test_read_only_data_folder(prog, tmp_path, mounts):
    data = tmp_path / "data"
    mounts(data, "size=1m,mode=0755")
    store_with_orders(data)
    subprocess.run(["mount", "-o", "remount,ro", str(data)], check=True)
    line = one_line(run(prog, kiosk_file(tmp_path, data), tmp_path))
    assert line.startswith(f"{prog}: {data / OrderStore.DB_NAME}: cannot be written: "
                           "its folder is read-only ("), line


@pytest.mark.parametrize("prog", COMMANDS)
def test_full_disk_at_start(prog, tmp_path, mounts):
    data = mounts(tmp_path / "data", "size=64k")
    fill(data)
    line = one_line(run(prog, kiosk_file(tmp_path, data), tmp_path))
    assert line.startswith(f"{prog}: {data / OrderStore.DB_NAME}: cannot be written: "
                           "the disk is full ("), line


@pytest.mark.parametrize("prog", COMMANDS)
def test_data_folder_that_is_a_file(prog, tmp_path):
    data = tmp_path / "data"
    data.write_text("not a folder\n")
    line = one_line(run(prog, kiosk_file(tmp_path, data), tmp_path))
    assert line.startswith(f"{prog}: {data}: is a file, not a folder"), line
    assert data.read_text() == "not a folder\n"


@pytest.mark.parametrize("prog", ["untact-kiosk", "untact-sim"])
def test_damaged_database_stops_the_kiosk_untouched(prog, tmp_path):
    data = tmp_path / "data"
    store_with_orders(data)
    damaged = damage(data)
    kiosk = kiosk_file(tmp_path, data)
    line = one_line(run(prog, kiosk, tmp_path))
    assert line == (f"{prog}: {data / OrderStore.DB_NAME}: is damaged (file is not a database); "
                    "kept as it is: to set it aside and start a new one, set [shop] "
                    f"start_fresh_if_damaged = true in {kiosk}")
    assert sorted(p.name for p in data.iterdir()) == [OrderStore.DB_NAME]
    assert (data / OrderStore.DB_NAME).read_bytes() == damaged


def test_damaged_database_set_aside_for_a_fresh_one_when_allowed(tmp_path):
    from untact.shop.order_database import OrderDatabaseError

    data = tmp_path / "data"
    store_with_orders(data)
    damaged = damage(data)
    with pytest.raises(OrderDatabaseError) as refused:
        OrderStore(data)
    assert str(refused.value) == f"{data / OrderStore.DB_NAME}: is damaged (file is not a database)"

    store = OrderStore(data, fresh_if_damaged=True)
    kept = [p for p in data.iterdir() if ".damaged-" in p.name]
    assert len(kept) == 1 and kept[0].read_bytes() == damaged
    assert store.notice == (f"{data / OrderStore.DB_NAME}: is damaged (file is not a database); "
                            f"kept aside untouched as {kept[0].name}, started a new orders "
                            "database ([shop] start_fresh_if_damaged)")
    assert store.place(lines(), 4500, "ko").number == 1
    store.close()
    again = OrderStore(data, fresh_if_damaged=True)  # the new one is healthy: nothing set aside
    assert again.notice is None and len(again.for_day()) == 1
    again.close()


@pytest.mark.kiosk
def test_kiosk_starts_fresh_when_its_file_allows_and_says_so(tmp_path):
    data = tmp_path / "data"
    store_with_orders(data)
    damaged = damage(data)
    kiosk = kiosk_file(tmp_path, data, "\nstart_fresh_if_damaged = true")
    r = subprocess.run([sys.executable, "-m", "untact.ui.cli", str(kiosk), "--window",
                        "--exit-after-first-frame"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and r.stdout.startswith("first-frame "), r.stderr[-2000:]
    kept = [p for p in data.iterdir() if ".damaged-" in p.name]
    assert len(kept) == 1 and kept[0].read_bytes() == damaged
    said = [ln for ln in r.stderr.splitlines() if ln.startswith("untact-kiosk: ")]
    assert said == [f"untact-kiosk: {data / OrderStore.DB_NAME}: is damaged (file is not a database); "
                    f"kept aside untouched as {kept[0].name}, started a new orders database "
                    "([shop] start_fresh_if_damaged)"]


def test_setting_is_validated_like_the_others(tmp_path):
    kiosk = kiosk_file(tmp_path, tmp_path / "data", '\nstart_fresh_if_damaged = "yes"')
    r = subprocess.run([sys.executable, "-m", "untact.ui.cli", "--check-config", str(kiosk)],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 2
    assert r.stderr.strip() == (f"untact-kiosk: {kiosk}:9: shop.start_fresh_if_damaged: must be "
                                "true or false, not the text 'yes'")


def test_export_of_a_damaged_database_gives_what_can_be_read(tmp_path):
    data = tmp_path / "data"
    store_with_orders(data, count=40)
    damaged = damage(data)
    out = tmp_path / "stick"
    out.mkdir()
    line = one_line(run("untact-admin", kiosk_file(tmp_path, data), out))
    target = out / f"untact-orders-{DAY}-readable.csv"
    assert line == (f"untact-admin: {data / OrderStore.DB_NAME}: is damaged (file is not a database); "
                    f"wrote the 40 orders of {DAY} that could be read to {target} "
                    "(not marked as exported)")
    rows = target.read_text(encoding="utf-8-sig").splitlines()
    assert len(rows) == 41 and [r.split(",")[2] for r in rows[1:]] == [str(n) for n in range(1, 41)]
    assert (data / OrderStore.DB_NAME).read_bytes() == damaged  # evidence kept as it was


def test_export_of_orders_on_a_full_disk_is_one_line(tmp_path, mounts):
    """A database that has orders, on a disk that filled up since (SQLite then cannot
    even make its shared-memory file: "disk I/O error")."""
    data = mounts(tmp_path / "data", "size=1m")
    store_with_orders(data, count=50)
    out = tmp_path / "stick"
    out.mkdir()
    fill(data)
    line = one_line(run("untact-admin", kiosk_file(tmp_path, data), out))
    assert line.startswith(f"untact-admin: {data / OrderStore.DB_NAME}: cannot be written: "
                           "the disk is full ("), line



def test_data_folder_this_user_may_not_write():
    """As an unprivileged user (root writes anywhere): the data folder is root's."""
    import os
    import shutil
    import tempfile

    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("needs root and setpriv to run the command as the user nobody")
    with tempfile.TemporaryDirectory(prefix="untact-perm-") as tmp:
        top = Path(tmp)
        top.chmod(0o755)  # nobody may read the kiosk file, not write the data folder
        data = top / "data"
        data.mkdir(mode=0o755)
        kiosk = kiosk_file(top, data)
        kiosk.chmod(0o644)
        argv = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable,
                "-m", *COMMANDS["untact-admin"](kiosk, top)]
        line = one_line(subprocess.run(argv, capture_output=True, text=True, timeout=120))
    assert line == (f"untact-admin: {data / OrderStore.DB_NAME}: cannot be written by this user "
                    "(check its owner and permissions) (unable to open database file)")


def test_export_reads_around_a_damaged_page(tmp_path):
    """A page in the middle of the orders overwritten (the header intact): SQLite finds
    it while exporting; the orders on the other pages are still written out."""
    data = tmp_path / "data"
    store_with_orders(data, count=300)
    with open(data / OrderStore.DB_NAME, "r+b") as f:
        f.seek(4096 * 10)  # page 11, a leaf of the orders table, whole
        f.write(b"\xa5" * 4096)
    out = tmp_path / "stick"
    out.mkdir()
    line = one_line(run("untact-admin", kiosk_file(tmp_path, data), out))
    target = out / f"untact-orders-{DAY}-readable.csv"
    assert line.startswith(f"untact-admin: {data / OrderStore.DB_NAME}: is damaged (database disk "
                           "image is malformed); wrote the "), line
    numbers = [int(r.split(",")[2]) for r in target.read_text(encoding="utf-8-sig").splitlines()[1:]]
    assert f" wrote the {len(numbers)} orders of {DAY} " in line
    assert 200 < len(numbers) < 300 and numbers == sorted(set(numbers)) and set(numbers) <= set(range(1, 301))
