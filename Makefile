# The two commands: `make run` and `make test`. Everything else is a helper for them.
# Dependencies come from the lock files (exact versions and hashes), so every exhibition
# machine runs what the tests ran; `make lock` renews them after pyproject.toml changes.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
# Debian packages the tests use: a virtual screen, PDF rendering, a real CUPS with a PDF
# printer, screenshots, a headless browser for the archive pages, espeak-ng for the kiosk's read aloud.
APT_PACKAGES := xvfb xauth x11-utils poppler-utils cups cups-client cups-bsd rsync \
                printer-driver-cups-pdf cups-ipp-utils imagemagick chromium librsvg2-bin \
                fonts-dejavu-core espeak-ng
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PYTEST_ARGS ?=

.PHONY: run test test-fast lint wheel-smoke lock venv system-deps bench clean

run: $(VENV)/.installed
	$(VENV)/bin/kiosk run

test: system-deps $(VENV)/.installed-test
	$(PY) -m pytest -n 2 -q $(PYTEST_ARGS)

# Everything but the tests marked slow: under a minute, for the edit-test loop.
test-fast: system-deps $(VENV)/.installed-test
	$(PY) -m pytest -n 2 -q -m "not slow" $(PYTEST_ARGS)

# The gates CI runs besides the tests: ruff and mypy, zero errors.
lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check kiosk tests benchmarks
	$(VENV)/bin/mypy kiosk

# The wheel, installed outside the checkout, walking the facilitator's and archivist's journey.
wheel-smoke: $(VENV)/.installed-test
	.ci/wheel-smoke $(PY)

# Renew the lock files after changing dependencies in pyproject.toml.
lock: $(VENV)/.created
	$(PY) -m pip install -q uv
	$(VENV)/bin/uv pip compile pyproject.toml --python-version 3.11 --generate-hashes -q -o requirements.lock
	$(VENV)/bin/uv pip compile pyproject.toml --python-version 3.11 --generate-hashes -q --extra test \
	  -o requirements-test.lock

venv: $(VENV)/.installed

$(VENV)/.created:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed: install it, or run make PYTHON=python3.12")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	@touch $@

$(VENV)/.installed: $(VENV)/.created pyproject.toml requirements.lock
	$(PY) -m pip install -q --require-hashes -r requirements.lock
	$(PY) -m pip install -q --no-deps -e .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.created pyproject.toml requirements-test.lock
	$(PY) -m pip install -q --require-hashes -r requirements-test.lock
	$(PY) -m pip install -q --no-deps -e .
	@touch $@ $(VENV)/.installed

# Installs only what is missing, so a machine that has everything is not touched.
system-deps:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages the tests need:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

bench: $(VENV)/.installed-test
	$(PY) -m pip install -q -e '.[bench]'
	$(PY) benchmarks/store.py
	$(PY) benchmarks/drawing.py
	$(PY) benchmarks/zine.py
	$(PY) benchmarks/export.py
	$(PY) benchmarks/archive.py
	$(PY) benchmarks/serve.py

clean:
	rm -rf $(VENV) build *.egg-info
