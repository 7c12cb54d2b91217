#!/usr/bin/env bash
# Sets up whatever is missing, builds Daichō and starts it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/scripts/setup.sh"
source "$ROOT/scripts/env.sh"
prune_target
(cd "$ROOT/ui" && npm run build --silent)
cargo build --manifest-path "$ROOT/Cargo.toml" -p daicho-app -p daicho-cli
exec "$CARGO_TARGET_DIR/debug/daicho-app" "$@"
