#!/usr/bin/env bash
# make pi-image-check: install untact on a real arm64 Debian Bookworm userland (Raspberry
# Pi OS Bookworm is Debian Bookworm arm64 plus Raspberry Pi's own packages), run under
# qemu-user emulation, exactly as a merchant would (deploy/install-pi.sh as root), then run
# the installed kiosk there: verify the unit, check the sample and the installed kiosk
# file, import every module, render the attract screen, decode a recording with each voice
# model, track a hand in a photo and synthesize speech. Each step prints how long it
# took: emulated times, NOT Pi times.
#
#   deploy/pi-image-check.sh [--cache DIR] [--testdata DIR] [--upgrade]
#
# The base root is made once by debootstrap into DIR/base and copied afresh to DIR/root
# for every run (a fresh Pi each time); downloaded .debs are kept in DIR.
# --upgrade keeps the last run's installed root and runs the installer again on it, as a
# merchant upgrading does (quicker: the packages and the venv are there).
# The project is `git archive HEAD` of this repository: commit what you want checked.
# Needs root, qemu-user-static, binfmt-support and debootstrap (make pi-image-check
# installs them).
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${HOME}/.cache/untact-pi-root
TESTDATA=${UNTACT_TESTDATA:-$REPO/../shared/testdata}
MIRROR=http://deb.debian.org/debian
# Raspberry Pi OS Lite ships systemd, udev, sudo and CA certificates; minbase has none.
BASE_PACKAGES=systemd-sysv,udev,ca-certificates,sudo
UPGRADE=0

usage() { sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
    case "$1" in
        --cache) CACHE=${2:?--cache needs a folder}; shift 2 ;;
        --testdata) TESTDATA=${2:?--testdata needs a folder}; shift 2 ;;
        --upgrade) UPGRADE=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "pi-image-check: unknown option: $1 (try --help)" >&2; exit 2 ;;
    esac
done

die() { echo "pi-image-check: error: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "needs root (debootstrap, chroot, mounts): sudo $0"
if [ ! -d "$TESTDATA/hands" ] || [ ! -d "$TESTDATA/speech" ]; then
    die "no test data (hands/, speech/) in $TESTDATA: give --testdata DIR"
fi
for tool in debootstrap qemu-aarch64-static update-binfmts git; do
    command -v "$tool" >/dev/null || die "$tool not found (make pi-image-check installs it)"
done
TESTDATA=$(cd "$TESTDATA" && pwd)
mkdir -p "$CACHE"
CACHE=$(cd "$CACHE" && pwd)
BASE=$CACHE/base
ROOT=$CACHE/root
LOG=$CACHE/check.log
: > "$LOG"

# Each step: its command's output goes to the log, its one-line result and time to both.
SUMMARY=()
step() {
    local name=$1 start end secs rc=0
    shift
    echo "== $name: $*" >> "$LOG"
    start=$(date +%s.%N)
    "$@" >> "$LOG" 2>&1 || rc=$?
    end=$(date +%s.%N)
    secs=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')
    local line
    line=$(printf '%-4s %-26s %7s s' "$([ $rc = 0 ] && echo ok || echo FAIL)" "$name" "$secs")
    SUMMARY+=("$line")
    echo "$line" | tee -a "$LOG"
    return $rc
}

# Programs of the root run under qemu-aarch64 through binfmt_misc; its F flag (set by
# Debian's qemu-user-static) opens the emulator at registration, so none is copied in.
binfmt() {
    local entry=/proc/sys/fs/binfmt_misc/qemu-aarch64
    if [ ! -e "$entry" ]; then
        mountpoint -q /proc/sys/fs/binfmt_misc ||
            mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
        update-binfmts --enable qemu-aarch64
    fi
    if ! grep -qx enabled "$entry" || ! grep -q '^flags: .*F' "$entry"; then
        die "binfmt_misc has no enabled qemu-aarch64 entry with the F flag ($entry)"
    fi
    echo "binfmt_misc: $(head -2 "$entry" | tr '\n' ' ')"
}

mounted_under() { awk -v r="$1/" 'index($2, r) == 1 { found = 1 } END { exit !found }' /proc/self/mounts; }

unmount_root() {
    # deepest first; lazy, so a leftover process cannot keep the host's /dev bound
    awk -v r="$ROOT/" 'index($2, r) == 1 { print $2 }' /proc/self/mounts | sort -r |
        while read -r m; do umount -l "$m" || true; done
}
trap unmount_root EXIT

make_base() {
    rm -rf "$BASE.tmp"
    debootstrap --arch=arm64 --variant=minbase --include="$BASE_PACKAGES" bookworm "$BASE.tmp" "$MIRROR"
    mv "$BASE.tmp" "$BASE"
}

fresh_root() {
    # Never delete through a mount: the host's /dev or the test data could go with it.
    mounted_under "$ROOT" && die "something is still mounted under $ROOT"
    rm -rf --one-file-system "$ROOT"
    cp -a "$BASE" "$ROOT"
    # Raspberry Pi OS's boot partition (Raspberry Pi's own package, not in Debian): its
    # kernel command line, as Imager writes it, for the installer to edit.
    mkdir -p "$ROOT/boot/firmware"
    echo "console=serial0,115200 console=tty1 root=PARTUUID=a1b2c3d4-02 rootfstype=ext4 fsck.repair=yes rootwait" \
        > "$ROOT/boot/firmware/cmdline.txt"
    cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
    # This machine reaches the internet through a proxy with its own CA: the root trusts
    # what the host trusts (a Pi on an ordinary network needs nothing of the kind).
    if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
        cp /usr/local/share/ca-certificates/*.crt "$ROOT/usr/local/share/ca-certificates/"
        in_root update-ca-certificates
    fi
    new_code
}

# The merchant's `git clone` (or `git pull`): this repository's HEAD, in root's home.
new_code() {
    rm -rf "$ROOT/root/untact"
    mkdir -p "$ROOT/root/untact"
    git -C "$REPO" archive --format=tar HEAD | tar -C "$ROOT/root/untact" -xf -
    echo "project at commit $(git -C "$REPO" rev-parse --short HEAD) in /root/untact"
}

mount_root() {
    mount -t proc proc "$ROOT/proc"
    mount --rbind /sys "$ROOT/sys" && mount --make-rslave "$ROOT/sys"
    mount --rbind /dev "$ROOT/dev" && mount --make-rslave "$ROOT/dev"
    # Kept between runs: downloaded Debian packages and pip's cache.
    mkdir -p "$CACHE/apt-archives/partial" "$CACHE/pip" "$ROOT/root/.cache/pip" "$ROOT/mnt/testdata"
    mount --bind "$CACHE/apt-archives" "$ROOT/var/cache/apt/archives"
    mount --bind "$CACHE/pip" "$ROOT/root/.cache/pip"
    mount --bind -o ro "$TESTDATA" "$ROOT/mnt/testdata"
    mount -o remount,bind,ro "$ROOT/mnt/testdata"
}

# A clean environment, as a root login on the Pi has; the host's pip CA setting only.
in_root() {
    chroot "$ROOT" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        HOME=/root LANG=C.UTF-8 TERM=dumb ${PIP_CERT:+PIP_CERT=/etc/ssl/certs/ca-certificates.crt} "$@"
}

# As the kiosk's user, with the service's environment (deploy/untact.service) but no
# screen: Kivy renders offscreen through Mesa's EGL (llvmpipe) instead of KMS/DRM.
as_kiosk() {
    in_root runuser -u untact -- /usr/bin/env HOME=/var/lib/untact XDG_CACHE_HOME=/var/cache \
        KIVY_HOME=/var/lib/untact/kivy KIVY_WINDOW=sdl2 KIVY_NO_ARGS=1 KIVY_NO_FILELOG=1 \
        PYTHONDONTWRITEBYTECODE=1 "$@"
}

probe() { as_kiosk /opt/untact/.venv/bin/python /opt/untact/deploy/pi_root_probe.py "$@"; }

installed() {
    local f
    for f in /opt/untact/.venv/bin/untact-kiosk /etc/systemd/system/untact.service \
             /etc/systemd/system/multi-user.target.wants/untact.service \
             /etc/udev/rules.d/99-untact-boards.rules /var/lib/untact/kiosk.toml; do
        # -L too: the unit's link is absolute, to a path inside the root
        [ -e "$ROOT$f" ] || [ -L "$ROOT$f" ] || { echo "missing after the install: $f"; return 1; }
    done
    in_root id untact
    in_root dpkg --print-architecture
    in_root /opt/untact/.venv/bin/python -c 'import platform; print(platform.machine(), platform.python_version())'
    grep -o 'consoleblank=0 vt.global_cursor_default=0' "$ROOT/boot/firmware/cmdline.txt"
}

echo "pi-image-check: log in $LOG (times below are under qemu emulation, not Pi times)"
[ -z "$(git -C "$REPO" status --porcelain)" ] ||
    echo "pi-image-check: note: uncommitted changes are not checked (the check installs HEAD)"
step "binfmt qemu-aarch64" binfmt
if [ -d "$BASE" ]; then
    echo "base root: $BASE (kept from an earlier run)" | tee -a "$LOG"
else
    step "debootstrap arm64 base" make_base
fi
if [ "$UPGRADE" = 1 ] && [ -x "$ROOT/opt/untact/.venv/bin/python" ]; then
    step "new code into the root" new_code
else
    step "fresh root" fresh_root
fi
mount_root
rc=0
step "install-pi.sh" in_root bash -c 'cd /root/untact && deploy/install-pi.sh'
step "installed files" installed
# The installed unit with the root's own systemd and the real untact-kiosk (the tests
# on the PC verify it with a stand-in for the pip-installed program).
step "systemd-analyze verify" in_root systemd-analyze verify --man=no /etc/systemd/system/untact.service
step "check-config sample" as_kiosk /opt/untact/.venv/bin/untact-kiosk --check-config /opt/untact/examples/cafe.toml || rc=1
step "check-config installed" as_kiosk /opt/untact/.venv/bin/untact-kiosk --check-config /var/lib/untact/kiosk.toml || rc=1
step "import every module" probe imports || rc=1
mkdir -p "$ROOT/var/tmp/untact-pi-check"
in_root chown untact:untact /var/tmp/untact-pi-check
PNG=/var/tmp/untact-pi-check/attract-arm64.png
step "render attract screen" probe render /var/lib/untact/kiosk.toml "$PNG" || rc=1
step "voice: load, decode" probe voice /mnt/testdata || rc=1
step "hand tracker: one photo" probe hands /mnt/testdata || rc=1
step "speech out: espeak-ng" probe speech || rc=1

{
    echo
    echo "pi-image-check summary (emulated by qemu-aarch64 on $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); not Pi times):"
    printf '  %s\n' "${SUMMARY[@]}"
    grep -E '^(imports|render|voice|hands|speech): ' "$LOG" | sed 's/^/  /' || true
    [ -f "$ROOT$PNG" ] && echo "  attract screen rendered inside the arm64 root: $ROOT$PNG"
} | tee -a "$LOG"
[ $rc = 0 ] || die "a step failed: see $LOG"
echo "pi-image-check: passed"
