#!/usr/bin/env bash
# Cold start of the release app against a bare Tauri window (docs/benchmarks.md).
# Needs what the test command installs (Xvfb, tauri-driver, the e2e venv).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/env.sh"
cd "$ROOT"
(cd ui && npm run build --silent)
cargo build --release -p daicho-app -p daicho-bench-shell -p daicho-cli --quiet
exec tests/e2e/.venv/bin/python scripts/bench_start.py
