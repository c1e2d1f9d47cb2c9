# CitySafe: `make demo` runs the platform with demo data; `make test` runs the whole suite
# on SQLite and on PostgreSQL (installing PostgreSQL and Chromium with apt when missing).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# Both cores (pytest-xdist); each worker gets its own test database.
# Each run ends with the skipped tests and their reasons, and the slowest tests (where CI time goes).
PYTEST_ARGS ?= -rs --durations=25 --durations-min=5
XDIST ?= -n 2
PG_URL ?= postgres://citysafe:citysafe@127.0.0.1:5432/citysafe

# Python writes the compiled modules even where the machine sets PYTHONDONTWRITEBYTECODE: every
# process the tests start (web servers, workers, manage.py commands) then loads them compiled
# instead of compiling the project's ~900 modules again (about a second per process here).
unexport PYTHONDONTWRITEBYTECODE

.PHONY: install demo run test test-sqlite test-postgres services messages bench clean lint

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

var/secret_key:
	mkdir -p var
	$(PY) -c "import secrets; print(secrets.token_urlsafe(50))" > $@
	chmod 600 $@

demo: install var/secret_key
	SECRET_KEY_FILE=var/secret_key CITYSAFE_SYNTHETIC_DATA=1 $(PY) manage.py migrate --no-input -v0
	SECRET_KEY_FILE=var/secret_key CITYSAFE_SYNTHETIC_DATA=1 $(PY) manage.py load_demo --if-empty
	SECRET_KEY_FILE=var/secret_key CITYSAFE_SYNTHETIC_DATA=1 $(PY) manage.py load_laws
	SECRET_KEY_FILE=var/secret_key CITYSAFE_SYNTHETIC_DATA=1 $(PY) manage.py load_risk_demo
	SECRET_KEY_FILE=var/secret_key CITYSAFE_SYNTHETIC_DATA=1 $(PY) manage.py load_siting_demo
	SECRET_KEY_FILE=var/secret_key CITYSAFE_SYNTHETIC_DATA=1 $(PY) manage.py load_gathering_demo
	SECRET_KEY_FILE=var/secret_key CITYSAFE_SYNTHETIC_DATA=1 $(PY) manage.py load_hazard_demo
	SECRET_KEY_FILE=var/secret_key CITYSAFE_SYNTHETIC_DATA=1 $(PY) manage.py load_emergency_demo
	SECRET_KEY_FILE=var/secret_key CITYSAFE_SYNTHETIC_DATA=1 $(PY) manage.py load_monitoring_demo
	SECRET_KEY_FILE=var/secret_key CITYSAFE_SYNTHETIC_DATA=1 $(PY) manage.py load_warning_demo
	SECRET_KEY_FILE=var/secret_key CITYSAFE_SYNTHETIC_DATA=1 $(PY) manage.py load_assessment_demo
	SECRET_KEY_FILE=var/secret_key CITYSAFE_SYNTHETIC_DATA=1 $(PY) manage.py load_construction_demo
	SECRET_KEY_FILE=var/secret_key CITYSAFE_SYNTHETIC_DATA=1 $(PY) manage.py load_enforcement_demo
	SECRET_KEY_FILE=var/secret_key CITYSAFE_SYNTHETIC_DATA=1 $(PY) manage.py load_supervision_demo
	SECRET_KEY_FILE=var/secret_key CITYSAFE_SYNTHETIC_DATA=1 $(PY) manage.py load_credit_demo
	SECRET_KEY_FILE=var/secret_key CITYSAFE_SYNTHETIC_DATA=1 $(PY) manage.py load_second_county
	SECRET_KEY_FILE=var/secret_key CITYSAFE_SYNTHETIC_DATA=1 $(PY) manage.py load_prefecture_assessment
	SECRET_KEY_FILE=var/secret_key $(PY) manage.py analyze_database
	SECRET_KEY_FILE=var/secret_key CITYSAFE_SYNTHETIC_DATA=1 $(PY) manage.py run_platform --simulate

services:
	bash scripts/ensure_services.sh

test: install services lint
	$(MAKE) test-sqlite
	$(MAKE) test-postgres

# Ruff: bugbear, Django and security (bandit) rules among others; see [tool.ruff] in pyproject.toml.
lint: install
	$(VENV)/bin/ruff check .

test-sqlite: install
	DATABASE_URL=sqlite:///$(CURDIR)/var/test.sqlite3 $(VENV)/bin/pytest $(XDIST) $(PYTEST_ARGS)

test-postgres: install
	DATABASE_URL=$(PG_URL) $(VENV)/bin/pytest $(XDIST) $(PYTEST_ARGS)

# Chinese msgids are the source text (zh-hans needs no catalogue); this refreshes the English
# catalogue from the whole tree and compiles it. Fill any new empty msgstr before committing.
MESSAGES_IGNORE := --ignore=.venv --ignore=var --ignore=static/vendor --ignore=node_modules
messages: install
	SECRET_KEY=dev $(PY) manage.py makemessages -l en --no-obsolete $(MESSAGES_IGNORE)
	SECRET_KEY=dev $(PY) manage.py compilemessages -l en $(MESSAGES_IGNORE)

bench: install
	$(PY) bench/run_all.py

clean:
	rm -rf $(VENV) var/test.sqlite3

# Re-fetch vendored browser libraries that no Python package ships (see static/vendor/*/README.md).
MARKERCLUSTER_VERSION := 1.5.3
MARKERCLUSTER_DIR := static/vendor/leaflet.markercluster
DRAW_VERSION := 1.0.4
DRAW_DIR := static/vendor/leaflet.draw
UPLOT_VERSION := 1.6.31
UPLOT_DIR := static/vendor/uplot
ECHARTS_VERSION := 6.1.0
ECHARTS_DIR := static/vendor/echarts
.PHONY: vendor
vendor:
	rm -rf var/vendor-build && mkdir -p var/vendor-build $(MARKERCLUSTER_DIR) $(DRAW_DIR)/images
	cd var/vendor-build && npm pack --silent leaflet.markercluster@$(MARKERCLUSTER_VERSION) \
		&& tar xzf leaflet.markercluster-$(MARKERCLUSTER_VERSION).tgz
	cp var/vendor-build/package/dist/leaflet.markercluster.js var/vendor-build/package/dist/leaflet.markercluster.js.map \
		var/vendor-build/package/dist/MarkerCluster.css var/vendor-build/package/dist/MarkerCluster.Default.css \
		$(MARKERCLUSTER_DIR)/
	cp var/vendor-build/package/MIT-LICENCE.txt $(MARKERCLUSTER_DIR)/LICENSE
	rm -rf var/vendor-build/package
	cd var/vendor-build && npm pack --silent leaflet-draw@$(DRAW_VERSION) && tar xzf leaflet-draw-$(DRAW_VERSION).tgz
	cp var/vendor-build/package/dist/leaflet.draw.js var/vendor-build/package/dist/leaflet.draw.css $(DRAW_DIR)/
	cp var/vendor-build/package/dist/images/spritesheet.png var/vendor-build/package/dist/images/spritesheet-2x.png \
		var/vendor-build/package/dist/images/spritesheet.svg $(DRAW_DIR)/images/
	# The npm tarball carries no licence file; $(DRAW_DIR)/LICENSE (MIT, from the repository) is kept.
	rm -rf var/vendor-build/package
	mkdir -p $(UPLOT_DIR)
	cd var/vendor-build && npm pack --silent uplot@$(UPLOT_VERSION) && tar xzf uplot-$(UPLOT_VERSION).tgz
	cp var/vendor-build/package/dist/uPlot.iife.min.js var/vendor-build/package/dist/uPlot.min.css \
		var/vendor-build/package/LICENSE $(UPLOT_DIR)/
	rm -rf var/vendor-build/package
	mkdir -p $(ECHARTS_DIR)
	cd var/vendor-build && npm pack --silent echarts@$(ECHARTS_VERSION) && tar xzf echarts-$(ECHARTS_VERSION).tgz
	cp var/vendor-build/package/dist/echarts.min.js var/vendor-build/package/LICENSE \
		var/vendor-build/package/NOTICE $(ECHARTS_DIR)/
	rm -rf var/vendor-build
