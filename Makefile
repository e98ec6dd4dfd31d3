# The two commands a new user needs: `make run` and `make test`.
SHELL := bash
export PATH := $(HOME)/.cargo/bin:$(PATH)

APP := target/debug/rembug-desktop

.PHONY: run test deps test-deps ui app test-rust test-ui test-e2e test-dashboard test-fuzz test-crash bindings installer test-installer office clean

## Install what is missing, build the UI and the app, and open it.
run: deps app
	./$(APP)

## Install what is missing and run every test: Rust, UI, end-to-end, the
## office dashboard in a browser, and a short fuzzing run of the bundle reader.
test: test-deps ui test-rust test-ui test-e2e test-dashboard test-fuzz

deps:
	scripts/install-deps.sh run

test-deps:
	scripts/install-deps.sh test

ui:
	npm --prefix ui run build

# The app embeds ui/dist, so the UI is built first.
app: ui
	cargo build -p rembug-desktop

# The office's tests run on SQLite in the workspace run, then again on
# PostgreSQL (a throwaway cluster per test binary) from the same build.
test-rust: ui
	cargo test --workspace
	scripts/test-office-postgres.sh

test-ui:
	npm --prefix ui run check
	npm --prefix ui test

# The end-to-end suite drives the binaries the test build already made
# (target/debug/rembug-desktop and target/debug/rembug, built for the
# integration tests with the test build's features): `cargo build -p` would
# unify features differently and compile the Tauri stack a second time. The
# bundle tests seed a data folder with the CLI's demo data.
test-e2e: ui
	cargo test --workspace --no-run
	tests/e2e/run.sh $(APP)

# The office's staff dashboard in Debian's chromium through playwright-core
# (no browser download): the test starts the built target/debug/rembug-office
# and delivers a demo bundle with target/debug/rembug's real sync.
test-dashboard:
	cargo test --workspace --no-run
	npm --prefix tests/dashboard ci --no-audit --no-fund
	npm --prefix tests/dashboard test

# cargo-fuzz needs nightly compiler flags; RUSTC_BOOTSTRAP lets the stable
# toolchain accept them for this one build. Bounded to FUZZ_SECONDS.
FUZZ_SECONDS ?= 20
test-fuzz:
	cd crates/rembug-bundle/fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run verify -- -max_total_time=$(FUZZ_SECONDS)

## Kill a scripted recording session 1,000 times at random moments and check
## that nothing it acknowledged is lost (docs/reliability.md). `make test` runs
## 20 kills; CRASH_SEED replays a run.
CRASH_KILLS ?= 1000
test-crash:
	REMBUG_CRASH_KILLS=$(CRASH_KILLS) $(if $(CRASH_SEED),REMBUG_CRASH_SEED=$(CRASH_SEED)) \
		cargo test -p rembug-bundle --test crash -- --nocapture --exact random_kills_lose_no_acknowledged_change

## Regenerate ui/src/lib/bindings.ts from the Rust types and
## ui/src/lib/commands.ts from the shell's command table.
bindings:
	REMBUG_UPDATE_BINDINGS=1 cargo test -p rembug-docs --test typescript_bindings
	REMBUG_UPDATE_BINDINGS=1 cargo test -p rembug-desktop --test typescript_commands

## Build this platform's installers into target/release/bundle: the .deb on
## Linux, .msi and .exe on Windows, .dmg on macOS (a release build: slow).
## No AppImage: Tauri's bundler downloads linuxdeploy from GitHub for it.
INSTALLER_BUNDLES := $(if $(filter Linux,$(shell uname -s)),--bundles deb)
installer: deps ui
	cd src-tauri && ../ui/node_modules/.bin/tauri build $(INSTALLER_BUNDLES)

## Install the .deb `make installer` built (dpkg -i, as root), check its
## desktop entry and icon, and start the installed app under the end-to-end
## harness. Not part of `make test`: it needs the release build.
test-installer:
	tests/installer/test-deb.sh

## Run a city office server on this machine: http://127.0.0.1:8787, its data
## in ./office-data, made on the first run (the admin password is printed
## once). `make office OFFICE_LISTEN=0.0.0.0:8787` needs TLS or
## --insecure-http: see the README. Builds only the server's own crates.
OFFICE_DATA ?= office-data
OFFICE_LISTEN ?= 127.0.0.1:8787
office:
	cargo build -p rembug-office
	test -f $(OFFICE_DATA)/kantor-tanda-tangan.key || target/debug/rembug-office --data $(OFFICE_DATA) init < /dev/null
	target/debug/rembug-office --data $(OFFICE_DATA) serve --listen $(OFFICE_LISTEN)

clean:
	cargo clean
	rm -rf ui/dist ui/node_modules
