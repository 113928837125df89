#!/usr/bin/env bash
# Install untact on a fresh Raspberry Pi OS (64-bit, Lite recommended) so that the Pi
# boots straight into the kiosk, full screen, and restarts it if it ever stops.
#
#   sudo deploy/install-pi.sh                 # or: make install-pi
#   deploy/install-pi.sh --dry-run            # print every step, change nothing
#   deploy/install-pi.sh --root /tmp/pi       # write the files into another root
#                                             # (tests, image building): packages,
#                                             # users and services are skipped there
#
# Safe to run again (upgrades the code, keeps the merchant's kiosk file and orders).
# See deploy/README.md for what each step is for.
set -euo pipefail

ROOT=/
DRY=0
SOURCE=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CONFIG=""
APT=1
USER_NAME=untact
# libatomic1: Vosk's aarch64 libvosk.so links it (x86_64's does not); Lite may lack it.
APT_PACKAGES=(python3 python3-venv python3-pip libgl1 libegl1 libgles2 libgl1-mesa-dri
              libgbm1 libdrm2 libmtdev1 libatomic1 fonts-nanum espeak-ng sqlite3)

usage() {
    sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'
    echo "options: --root DIR  --dry-run  --source DIR  --config KIOSK.toml  --no-apt"
}

while [ $# -gt 0 ]; do
    case "$1" in
        --root) ROOT=${2:?--root needs a folder}; shift 2 ;;
        --root=*) ROOT=${1#--root=}; shift ;;
        --dry-run) DRY=1; shift ;;
        --source) SOURCE=${2:?--source needs a folder}; shift 2 ;;
        --config) CONFIG=${2:?--config needs a file}; shift 2 ;;
        --no-apt) APT=0; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "install-pi.sh: unknown option: $1 (try --help)" >&2; exit 2 ;;
    esac
done

ROOT=${ROOT%/}
R=${ROOT:-}            # prefix for every path we write; empty for the live system
LIVE=0
[ -z "$R" ] && LIVE=1
CONFIG=${CONFIG:-$SOURCE/examples/cafe.toml}
APP=/opt/untact
STATE=/var/lib/untact

say() { echo "install-pi: $*"; }
die() { echo "install-pi: error: $*" >&2; exit 1; }
run() {
    if [ "$DRY" = 1 ]; then
        printf '+ %s\n' "$*"
    else
        "$@"
    fi
}
skip() { say "skipped (not the live system): $*"; }

if [ ! -f "$SOURCE/pyproject.toml" ] || [ ! -d "$SOURCE/ui" ]; then
    die "not an untact source folder: $SOURCE"
fi
[ -f "$CONFIG" ] || die "kiosk file not found: $CONFIG"
if [ "$LIVE" = 1 ] && [ "$DRY" = 0 ] && [ "$(id -u)" != 0 ]; then
    die "run as root (sudo $0), or use --dry-run / --root DIR"
fi
if [ -n "$R" ] && [ "$DRY" = 0 ]; then
    [ -d "$R" ] || die "--root folder does not exist: $R"
fi
if [ "$LIVE" = 1 ] && [ "$(uname -m)" != aarch64 ]; then
    say "warning: this is $(uname -m), not a 64-bit Raspberry Pi OS (aarch64)"
fi

# 1. System packages --------------------------------------------------------------------
if [ "$APT" = 1 ] && [ "$LIVE" = 1 ]; then
    run apt-get update -qq
    run env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        "${APT_PACKAGES[@]}"
elif [ "$APT" = 1 ]; then
    skip "apt-get install ${APT_PACKAGES[*]}"
fi

# 2. The kiosk's own user: no login, no home, access to boards, GPU, touch and sound -----
if [ "$LIVE" = 1 ]; then
    if ! id "$USER_NAME" >/dev/null 2>&1; then
        run useradd --system --user-group --home-dir "$STATE" --no-create-home \
            --shell /usr/sbin/nologin "$USER_NAME"
    fi
    run usermod -a -G dialout,video,render,input,audio "$USER_NAME"
else
    skip "useradd --system $USER_NAME; usermod -a -G dialout,video,render,input,audio"
fi

# 3. The code, in /opt/untact, and its virtual environment -----------------------------
run mkdir -p "$R$APP"
if [ "$DRY" = 1 ]; then
    printf '+ copy %s -> %s (without .git, .venv, test-output)\n' "$SOURCE" "$R$APP"
else
    find "$R$APP" -mindepth 1 -maxdepth 1 ! -name .venv -exec rm -rf {} +
    tar -C "$SOURCE" --exclude=./.git --exclude=./.venv --exclude=./test-output \
        --exclude=__pycache__ --exclude=.pytest_cache -cf - . | tar -C "$R$APP" -xf -
fi
if [ "$LIVE" = 1 ]; then
    [ -x "$APP/.venv/bin/python" ] || run python3 -m venv "$APP/.venv"
    run "$APP/.venv/bin/python" -m pip install -q --upgrade pip
    run "$APP/.venv/bin/python" -m pip install -q "$APP"
    # MediaPipe without its declared dependencies (jax, a second cv2): see pyproject.toml
    if [ "$DRY" = 1 ]; then  # no venv to read pyproject.toml with in a dry run
        printf '+ %s\n' "$APP/.venv/bin/python -m pip install -q --no-deps <[tool.untact] install-without-deps>"
    else
        read -r -a NODEPS <<< "$("$APP/.venv/bin/python" -c "import tomllib; print(' '.join(
            tomllib.load(open('$APP/pyproject.toml', 'rb'))['tool']['untact']['install-without-deps']))")"
        run "$APP/.venv/bin/python" -m pip install -q --no-deps "${NODEPS[@]}"
    fi
else
    skip "python3 -m venv $APP/.venv && pip install $APP && pip install --no-deps mediapipe"
fi

# 4. Data folder, kiosk file (kept if present) and Kivy settings -------------------------
run install -d -m 0750 "$R$STATE" "$R$STATE/data" "$R$STATE/kivy"
if [ -e "$R$STATE/kiosk.toml" ]; then
    say "keeping the existing kiosk file $STATE/kiosk.toml"
elif [ "$DRY" = 1 ]; then
    printf '+ install %s as %s (data_folder = %s/data)\n' "$CONFIG" "$R$STATE/kiosk.toml" "$STATE"
else
    if grep -q '^data_folder[[:space:]]*=' "$CONFIG"; then
        sed -E "s|^data_folder[[:space:]]*=.*|data_folder = \"$STATE/data\"  # set by install-pi.sh|" \
            "$CONFIG" > "$R$STATE/kiosk.toml.new"
    else
        sed -E "s|^\[shop\][[:space:]]*$|[shop]\ndata_folder = \"$STATE/data\"  # set by install-pi.sh|" \
            "$CONFIG" > "$R$STATE/kiosk.toml.new"
    fi
    chmod 0640 "$R$STATE/kiosk.toml.new"
    mv "$R$STATE/kiosk.toml.new" "$R$STATE/kiosk.toml"
fi
run install -m 0640 "$SOURCE/deploy/kivy-config.ini" "$R$STATE/kivy/config.ini"
if [ "$LIVE" = 1 ]; then
    run chown -R "$USER_NAME:$USER_NAME" "$STATE"
else
    skip "chown -R $USER_NAME:$USER_NAME $STATE"
fi

# 5. systemd unit, udev rule for the boards, persistent journal -------------------------
run install -D -m 0644 "$SOURCE/deploy/untact.service" "$R/etc/systemd/system/untact.service"
run install -D -m 0644 "$SOURCE/deploy/99-untact-boards.rules" \
    "$R/etc/udev/rules.d/99-untact-boards.rules"
run install -D -m 0644 "$SOURCE/deploy/journald-untact.conf" \
    "$R/etc/systemd/journald.conf.d/untact.conf"

# 6. No screen blanking, no blinking console cursor (kernel command line) ---------------
CMDLINE=""
for f in "$R/boot/firmware/cmdline.txt" "$R/boot/cmdline.txt"; do
    if [ -f "$f" ]; then CMDLINE=$f; break; fi
done
if [ -z "$CMDLINE" ]; then
    say "no cmdline.txt under $R/boot: add 'consoleblank=0 vt.global_cursor_default=0' by hand"
else
    for opt in consoleblank=0 vt.global_cursor_default=0; do
        if ! grep -qw -- "$opt" "$CMDLINE"; then
            if [ "$DRY" = 1 ]; then
                printf '+ append %s to %s\n' "$opt" "$CMDLINE"
            else
                # cmdline.txt is one line: append to it, never add a second line
                sed -i -e "1s|[[:space:]]*\$| $opt|" "$CMDLINE"
            fi
        fi
    done
fi

# 7. Enable at boot ---------------------------------------------------------------------
if [ "$LIVE" = 1 ]; then
    # /run/systemd/system exists only when systemd runs as PID 1 (sd_booted(3)); in a
    # chroot or an image being built there is no systemd or udevd to reload, and
    # `systemctl enable` still links the unit for the next boot.
    if [ -d /run/systemd/system ]; then
        run systemctl daemon-reload
        run udevadm control --reload-rules
        run udevadm trigger --subsystem-match=tty
    else
        say "systemd is not running here (a chroot?): the unit and the udev rule take effect at the next boot"
    fi
    run systemctl enable untact.service
    if systemctl is-enabled --quiet lightdm.service 2>/dev/null; then
        say "warning: a desktop (lightdm) is enabled; the kiosk wants the Lite image, or run:"
        say "  sudo systemctl disable lightdm && sudo systemctl set-default multi-user.target"
    fi
    say "done. Set the admin PIN:  sudo -u $USER_NAME $APP/.venv/bin/untact-admin set-pin"
    say "then reboot (or: sudo systemctl restart untact); logs: journalctl -u untact -f"
else
    run systemctl --root="$R" enable untact.service
    say "done (files written under $R)"
fi
