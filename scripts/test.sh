#!/usr/bin/env bash
# Sets up whatever is missing and runs every test: formatting and lints, the
# Rust tests (domain, CLI, bindings drift, crash and fault tests), the UI's
# type check and Vitest, a bounded fuzzing run of every cargo-fuzz target,
# then the end-to-end tests of the real app under Xvfb.
#
# --quick, for the edit-test loop on a machine already set up: formatting,
# lints, the Rust and UI tests; no setup, fuzzing or end-to-end tests.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
QUICK=false
[ "${1:-}" = "--quick" ] && QUICK=true
$QUICK || bash "$ROOT/scripts/setup.sh" --test
source "$ROOT/scripts/env.sh"
prune_target
# A test run builds each crate once; incremental caches would only pile up in
# the shared target directory (21 GB of them before this was turned off).
export CARGO_INCREMENTAL=0
cd "$ROOT"

step() { printf '\n\033[1;34m### %s\033[0m\n' "$*"; }

step "UI build (the app embeds it)"
(cd ui && npm run build --silent)
step "cargo fmt --check, and no statement rustfmt skips (scripts/fmt-probe.py)"
cargo fmt --all --check
python3 scripts/fmt-probe.py
step "cargo clippy"
cargo clippy --workspace --all-targets --quiet -- -D warnings
step "Rust tests"
cargo test --workspace --quiet
step "UI tests (Vitest)"
(cd ui && npx vitest run)
step "UI format and lint (Prettier, ESLint with the Rules of React)"
(cd ui && npx prettier --check src && npx eslint src)
$QUICK && exit 0
step "Fuzzing (each target for ${FUZZ_SECONDS:-20} s)"
bash scripts/fuzz.sh
step "App build for the end-to-end tests"
cargo build -p daicho-app -p daicho-cli --quiet
step "End-to-end tests (tauri-driver, WebKitWebDriver, Xvfb)"
cd tests/e2e
exec .venv/bin/python -m pytest -q -p no:cacheprovider
