# heard: two commands.
#   make run   install what is missing, build (release), create the database with demo data, serve
#   make test  formatting, clippy, unit and integration tests (SQLite and PostgreSQL), end-to-end tests
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
export PATH := $(CURDIR)/end2end/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
# heard reads its own settings (environment, then .env; see README), so none are set here.
SITE_PKG := target/site/pkg

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
	cargo leptos build --release
	@$(MAKE) --no-print-directory precompress
	@touch $@

# Serve .br and .gz beside each asset so phones on paid data download the
# smallest copy their browser takes (brotli is Debian's, installed by tools.sh).
precompress:
	@for f in $(SITE_PKG)/*.wasm $(SITE_PKG)/*.js $(SITE_PKG)/*.css; do \
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

lint:
	cargo fmt --all --check
	cargo clippy -p app --features ssr --all-targets -- -D warnings
	cargo clippy -p app --features hydrate --target wasm32-unknown-unknown -- -D warnings
	cargo clippy -p server --all-targets -- -D warnings

# Unit tests and integration tests, each integration test on SQLite and on PostgreSQL.
unit:
	@if [ -z "$${TEST_POSTGRES_URL:-}" ]; then export TEST_POSTGRES_URL=$$(.ci/postgres.sh); fi; \
	cargo test -p app --features ssr && cargo test -p server

e2e-build:
	cargo leptos build
	@$(MAKE) --no-print-directory precompress

e2e: e2e-build
	cd end2end && npx playwright test

bench:
	@if [ -z "$${TEST_POSTGRES_URL:-}" ]; then export TEST_POSTGRES_URL=$$(.ci/postgres.sh); fi; \
	cargo bench -p server --bench submissions
