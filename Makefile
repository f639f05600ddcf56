# heard: two commands.
#   make run   install what is missing, build (release), create the database with demo data, serve
#   make test  formatting, clippy, unit and integration tests (SQLite and PostgreSQL), end-to-end tests
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
export PATH := $(CURDIR)/end2end/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
# leptos reads LEPTOS_OUTPUT_NAME when it is compiled, to name the wasm file its
# pages load. cargo-leptos sets it for its own builds; set for every command
# here, `cargo test` compiles leptos as cargo-leptos does, so the tests' heard
# binary is the one the end-to-end tests serve and nothing is compiled twice.
export LEPTOS_OUTPUT_NAME := heard
# heard reads its own settings (environment, then .env; see README), so none are set here.
# `make run` serves the release site from target/site (heard's default);
# `make test` builds a debug site of its own into target/site-test, so the two
# commands can run in any order and young people never get a debug wasm.
RELEASE_SITE := target/site
TEST_SITE := target/site-test

.PHONY: run test tools tools-test build-release lint unit e2e e2e-build precompress bench clean-db

run: tools build-release
	target/release/heard migrate
	target/release/heard demo
	target/release/heard serve

tools:
	@.ci/tools.sh build

tools-test:
	@.ci/tools.sh test

# Rebuilt only when a source is newer than the binary, so a second `make run` starts in seconds.
SOURCES := $(shell find app/src server/src server/migrations server/data style public -type f) \
	Cargo.toml Cargo.lock app/Cargo.toml server/Cargo.toml
build-release: target/release/heard

target/release/heard: $(SOURCES)
	LEPTOS_SITE_ROOT=$(RELEASE_SITE) cargo leptos build --release
	@$(MAKE) --no-print-directory precompress SITE=$(RELEASE_SITE)
	@touch $@

# Serve .br and .gz beside each asset so phones on paid data download the
# smallest copy their browser takes (brotli is Debian's, installed by tools.sh).
SITE ?= $(RELEASE_SITE)
precompress:
	@for f in $(SITE)/pkg/*.wasm $(SITE)/pkg/*.js $(SITE)/pkg/*.css; do \
	  gzip -9 -k -f "$$f"; \
	  if command -v brotli >/dev/null; then brotli -q 11 -k -f "$$f"; fi; \
	done

TEST_LOG := target/test-output.log
test: tools-test
	@mkdir -p target && rm -f $(TEST_LOG)
	@$(MAKE) --no-print-directory lint
	@$(MAKE) --no-print-directory unit 2>&1 | tee -a $(TEST_LOG)
	@$(MAKE) --no-print-directory e2e 2>&1 | tee -a $(TEST_LOG)
	@.ci/summary.sh $(TEST_LOG)

# The server side is checked, tested and served as one set of packages with
# one set of features (WORKSPACE), so cargo compiles its dependencies once for
# clippy and once for the tests, and the end-to-end server is the binary the
# tests built: linted or tested apart, the app and the server (or a bin built
# without the tests' dev-dependencies) resolve different features and each
# compiles the whole tree again.
WORKSPACE := -p app -p server --features app/ssr

lint:
	cargo fmt --all --check
	cargo clippy $(WORKSPACE) --all-targets -- -D warnings
	cargo clippy -p app --features hydrate --target wasm32-unknown-unknown -- -D warnings

# Unit tests and integration tests, each integration test on SQLite and on PostgreSQL.
unit:
	@if [ -z "$${TEST_POSTGRES_URL:-}" ]; then export TEST_POSTGRES_URL=$$(.ci/postgres.sh); fi; \
	cargo test $(WORKSPACE)

e2e-build:
	cargo test $(WORKSPACE) --no-run
	LEPTOS_SITE_ROOT=$(TEST_SITE) cargo leptos build --frontend-only
	@$(MAKE) --no-print-directory precompress SITE=$(TEST_SITE)

e2e: e2e-build
	cd end2end && npx playwright test

bench:
	@if [ -z "$${TEST_POSTGRES_URL:-}" ]; then export TEST_POSTGRES_URL=$$(.ci/postgres.sh); fi; \
	cargo bench -p server --bench submissions --bench results --bench screening --bench live --bench ratings
