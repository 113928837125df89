# untact front door. Every target installs what it needs first and skips work already done.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.untact-installed
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_PACKAGES := libgl1 libegl1 libgl1-mesa-dri libmtdev1 fonts-nanum espeak-ng libportaudio2 \
	shellcheck systemd pulseaudio pulseaudio-utils libasound2-plugins \
	chromium chromium-driver
CONFIG ?= examples/cafe.toml
# Kivy renders offscreen (EGL) when DISPLAY is unset; tests never need a screen.
TEST_ENV := env -u DISPLAY -u WAYLAND_DISPLAY KIVY_NO_ARGS=1 KIVY_NO_CONSOLELOG=1 \
	UNTACT_TEST_OUTPUT=$(CURDIR)/test-output

FIRMWARE_STUBS := $(VENV)/firmware-stubs
FIRMWARE_MODULES := $(patsubst firmware/%.py,%,$(filter-out firmware/__init__.py,$(wildcard firmware/*.py)))
PIN_OF = $(shell python3 -c "import tomllib; print(' '.join(tomllib.load(open('pyproject.toml','rb'))['project']['optional-dependencies']['$(1)']))")
PORT ?=
# axe-core, the accessibility engine the staff-page browser test injects (npm's tarball,
# pinned; kept in the venv, not in git). Fetched with npm (Node.js) where there is one;
# without it the browser test skips its axe checks, saying so.
AXE_CORE_VERSION := 4.10.3
AXE_CORE := $(VENV)/axe-core-$(AXE_CORE_VERSION)/package/axe.min.js

.PHONY: setup system-deps run test test-quick lint lint-firmware lint-types bench audit check-config install-pi check-pi-wheels pi-image-check clean flash

setup: $(STAMP)

system-deps:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing Debian packages:" $$missing; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

$(STAMP): pyproject.toml
	@$(MAKE) --no-print-directory system-deps
	@[ -x $(PY) ] || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	$(PY) -m pip install -q --no-deps $$($(PY) -c "import tomllib; print(' '.join(tomllib.load(open('pyproject.toml', 'rb'))['tool']['untact']['install-without-deps']))")
	@touch $@

run: setup
	$(VENV)/bin/untact-sim $(CONFIG)

# A shop of two kiosks on one computer: a private PostgreSQL (Debian's, initdb in a
# temporary folder; tests/shop/sync start theirs the same way), two simulated kiosks and
# the staff page with the ready board (README: "Several kiosks, one shop").
APT_PACKAGES += postgresql
.PHONY: run-shop
run-shop: setup
	$(PY) -m untact.simulator.run_shop --config $(CONFIG)

# Test tiers (pytest markers, pyproject.toml): `models` loads a speech or vision model,
# `kiosk` starts a whole kiosk (window or processes), `slow` runs for minutes or builds.
# `make test` runs every tier (CI runs it); `make test-quick` is the edit-test loop.
$(AXE_CORE): | $(STAMP)
	@command -v npm >/dev/null || { echo "npm not found: axe-core checks will be skipped"; exit 0; }; \
	mkdir -p $(dir $(AXE_CORE)) && cd $(dir $(AXE_CORE)).. && npm pack --silent axe-core@$(AXE_CORE_VERSION) \
		&& tar xzf axe-core-$(AXE_CORE_VERSION).tgz package/axe.min.js && rm axe-core-$(AXE_CORE_VERSION).tgz

test: setup $(AXE_CORE)
	$(TEST_ENV) UNTACT_AXE=$(AXE_CORE) $(PY) -m pytest $(PYTEST_ARGS)

test-quick: setup $(AXE_CORE)
	$(TEST_ENV) UNTACT_AXE=$(AXE_CORE) $(PY) -m pytest -m "not models and not kiosk and not slow" $(PYTEST_ARGS)

lint: setup lint-firmware lint-types
	$(VENV)/bin/ruff check accessibility hardware shop ui simulator web tests deploy setup.py
	shellcheck deploy/*.sh

$(FIRMWARE_STUBS)/.installed: pyproject.toml | $(STAMP)
	$(PY) -m pip install -q --upgrade --target $(FIRMWARE_STUBS) $(call PIN_OF,firmware-stubs)
	@touch $@

# The firmware against MicroPython's own stubs (as the typeshed): Pico APIs only.
lint-firmware: setup $(FIRMWARE_STUBS)/.installed
	cd firmware && MYPYPATH=.:$(abspath $(FIRMWARE_STUBS)) $(abspath $(VENV))/bin/mypy \
		--config-file mypy.ini --custom-typeshed-dir $(abspath $(FIRMWARE_STUBS)) \
		--cache-dir $(abspath $(VENV))/.mypy-firmware $(addprefix -m ,$(FIRMWARE_MODULES))

# The host code, as the untact.* namespace it is installed as ([tool.mypy] in pyproject.toml:
# strict for untact.shop and untact.accessibility, mypy's defaults for the rest). mypy cannot
# follow setuptools' editable finder (an import hook) and knows no package_dir, so it reads
# the folders through a tree of symlinks, $(MYPY_SRC)/untact/<folder> -> <folder>; its empty
# untact/__init__.py only makes mypy pick audit/fixtures.py over the audit/fixtures/ data
# folder. Paths in the report are shown as the repository's own (sed).
MYPY_SRC := $(VENV)/mypy-src
MYPY_HOST = set -o pipefail; MYPYPATH=$(MYPY_SRC) $(VENV)/bin/mypy --cache-dir $(VENV)/.mypy-host \
	$(1) 2>&1 | sed 's|^$(MYPY_SRC)/untact/||'
HOST_PACKAGES := accessibility hardware shop simulator ui web
# Made afresh each time: a venv copied from another checkout keeps pointing here.
MYPY_LINKS = mkdir -p $(MYPY_SRC)/untact && touch $(MYPY_SRC)/untact/__init__.py && \
	for f in $(HOST_PACKAGES) firmware; do ln -sfn $(CURDIR)/$$f $(MYPY_SRC)/untact/$$f; done

lint-types: setup
	@$(MYPY_LINKS)
	$(call MYPY_HOST,$(addprefix -p untact.,$(HOST_PACKAGES)))

# Copy the firmware to a Pico running MicroPython and restart it: make flash PORT=/dev/ttyACM0
flash: setup
	@[ -n "$(PORT)" ] || { echo "say which board: make flash PORT=/dev/ttyACM0"; exit 2; }
	@[ -x $(VENV)/bin/mpremote ] || $(PY) -m pip install -q $(call PIN_OF,flash)
	$(VENV)/bin/mpremote connect $(PORT) cp $(addprefix firmware/,$(addsuffix .py,$(FIRMWARE_MODULES))) : + reset

# sysbench: the reference that scales CPU costs to a Pi (simulator/bench/cpu_cost.py).
BENCH_PACKAGES := sysbench
bench: setup
	@$(MAKE) --no-print-directory system-deps APT_PACKAGES="$(BENCH_PACKAGES)"
	$(TEST_ENV) $(PY) -m untact.simulator.bench

# Every screen of the real kiosk in every profile (simulator/audit_renderer.py), at every
# supported display (AUDIT_DISPLAYS= audits the kiosk file's own [display] only).
AUDIT_RENDERER ?= untact.simulator.audit_renderer:render_all
AUDIT_DISPLAYS ?= all
audit: setup
	$(TEST_ENV) $(VENV)/bin/untact-audit --config $(CONFIG) --renderer $(AUDIT_RENDERER) \
		$(if $(AUDIT_DISPLAYS),--displays $(AUDIT_DISPLAYS)) \
		$(if $(filter examples/cafe.toml,$(CONFIG)),--known-misses accessibility/audit/known_misses.toml) \
		--out test-output/audit --json test-output/audit/report.json

check-config: setup
	$(VENV)/bin/untact-kiosk --check-config $(CONFIG)

# On the Raspberry Pi itself: packages, user, /opt/untact, systemd unit, udev rule; the
# Pi then boots into the kiosk. Try it first with: deploy/install-pi.sh --dry-run
install-pi:
	$(SUDO) deploy/install-pi.sh

# Every pinned package has an aarch64 wheel for the Pi's Python (needs the package index).
check-pi-wheels: setup
	$(PY) deploy/check_pi_wheels.py

# The install and the installed kiosk on a real arm64 Debian Bookworm root under qemu-user
# (deploy/pi-image-check.sh; minutes, not part of `make test`). The root and downloads are
# kept in PI_ROOT_CACHE; the check's host tools are installed here, not in APT_PACKAGES.
PI_ROOT_CACHE ?= $(HOME)/.cache/untact-pi-root
PI_CHECK_PACKAGES := qemu-user-static binfmt-support debootstrap
pi-image-check:
	@$(MAKE) --no-print-directory system-deps APT_PACKAGES="$(PI_CHECK_PACKAGES)"
	$(SUDO) deploy/pi-image-check.sh --cache $(PI_ROOT_CACHE)

clean:
	rm -rf test-output .pytest_cache
