# Two commands do everything on a fresh machine:
#   make demo   - set up, then run the product with a ready demo workshop
#                 (options go in ARGS: make demo ARGS="--port 5001 --no-browser")
#   make test   - set up (Python packages, npm assets, Chromium, redis-server), then run every test
#   make test-fast - the domain and HTTP tests only (no browser, no server process, no Redis)
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PYTHON ?= python3

.PHONY: demo serve test test-fast setup system-deps vendor lint format screenshots bench clean messages wheel

demo: setup
	@echo 'Options go in ARGS, e.g. make demo ARGS="--port 5001" (see docs/cli.md)'
	$(VENV)/bin/workshop demo $(ARGS)

serve: setup
	@echo 'Options go in ARGS, e.g. make serve ARGS="--port 5001 --data ./town-hall"'
	$(VENV)/bin/workshop serve $(ARGS)

# The wheel a facilitator installs with only Python (pipx install dist/workshop_companion-*.whl):
# the browser libraries are copied in from node_modules here, so their machine needs no npm.
wheel: vendor
	$(PY) -m pip wheel --no-deps -q -w dist .
	@ls dist/*.whl

$(VENV)/.installed: pyproject.toml package.json package-lock.json
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e '.[test]'
	touch $@

# npm packages: the browser libraries the pages use, axe-core for the accessibility tests and
# typescript, which only checks static/js (it compiles nothing: the browser runs the files as they are).
node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

vendor: node_modules/.installed
	$(PYTHON) hatch_build.py

setup: $(VENV)/.installed vendor

# Debian packages the browser, PDF and scale-out tests need.
system-deps:
	@if ! command -v chromium >/dev/null || ! command -v redis-server >/dev/null || ! command -v pdftoppm >/dev/null || [ ! -d /usr/share/fonts/truetype/dejavu ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium redis-server poppler-utils fonts-dejavu-core >/dev/null; \
	  else \
	    echo "Please install Debian's chromium, redis-server and poppler-utils (sudo apt-get install chromium redis-server poppler-utils fonts-dejavu-core)"; exit 1; \
	  fi; \
	fi

# pytest-xdist workers: each has its own loopback ports, data dirs, Redis and Chromium
# (tests/liveserver.py, tests/conftest.py); tests sharing a module's server stay on one worker
# (--dist loadgroup). WORKERS=0 runs everything in one process.
WORKERS ?= 2
PYTEST := $(VENV)/bin/pytest -q -n $(WORKERS) --dist loadgroup
FAST := not browser and not server and not redis

test: setup system-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(MAKE) --no-print-directory typecheck
	$(MAKE) --no-print-directory typecheck-js
	$(PYTEST) $(ARGS)

test-fast: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PYTEST) -m "$(FAST)" $(ARGS)

# The server side's types (settings: [tool.mypy] in pyproject.toml).
.PHONY: typecheck typecheck-js
typecheck: setup
	$(VENV)/bin/mypy

# The browser modules' JSDoc types (// @ts-check in each file; tsconfig.json says how strict).
typecheck-js: vendor
	node_modules/.bin/tsc -p tsconfig.json

# After changing user-facing strings: bring every catalogue up to date, then list what to translate.
messages:
	$(PY) -m workshop.core.catalogues update
	$(PY) -m workshop.core.catalogues check || true

lint:
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

format:
	$(VENV)/bin/ruff format . && $(VENV)/bin/ruff check --fix .

screenshots: setup system-deps
	$(PY) docs/make_screenshots.py
	$(PY) docs/make_room_screenshots.py
	$(PY) docs/make_manage_screenshots.py
	$(PY) docs/make_sorting_screenshots.py
	$(PY) docs/make_print_previews.py
	$(PY) docs/make_language_screenshots.py
	$(PY) docs/make_presenter_screenshots.py

bench: setup
	$(PY) bench/realtime.py
	$(PY) bench/printables.py

clean:
	rm -rf $(VENV) node_modules static/vendor build dist
