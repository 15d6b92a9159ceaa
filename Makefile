# The two commands: `make run` and `make test`. Everything else is a helper for them.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
# Debian packages the tests use: a virtual screen, PDF rendering, a real CUPS with a PDF
# printer, screenshots, a headless browser for the archive pages.
APT_PACKAGES := xvfb xauth x11-utils poppler-utils cups cups-client cups-bsd rsync \
                printer-driver-cups-pdf cups-ipp-utils imagemagick chromium librsvg2-bin \
                fonts-dejavu-core
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PYTEST_ARGS ?=

.PHONY: run test venv system-deps bench clean

run: $(VENV)/.installed
	$(VENV)/bin/kiosk run

test: system-deps $(VENV)/.installed-test
	$(PY) -m pytest -n 2 -q $(PYTEST_ARGS)

venv: $(VENV)/.installed

$(VENV)/.created:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed: install it, or run make PYTHON=python3.12")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	@touch $@

$(VENV)/.installed: $(VENV)/.created pyproject.toml
	$(PY) -m pip install -q -e .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.created pyproject.toml
	$(PY) -m pip install -q -e '.[test]'
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
	$(PY) benchmarks/store.py
	$(PY) benchmarks/drawing.py
	$(PY) benchmarks/zine.py
	$(PY) benchmarks/export.py

clean:
	rm -rf $(VENV) build *.egg-info
