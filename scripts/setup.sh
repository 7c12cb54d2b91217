#!/usr/bin/env bash
# Installs whatever is missing to build and run Daichō (and, with --test, to
# test it) on Debian/Ubuntu. Safe to run again: each step checks first.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WANT_TEST=0
[ "${1:-}" = "--test" ] && WANT_TEST=1

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"

say() { printf '\033[1;32m==>\033[0m %s\n' "$*"; }

packages=(libwebkit2gtk-4.1-dev libgtk-3-dev libsoup-3.0-dev libjavascriptcoregtk-4.1-dev
  librsvg2-dev libayatana-appindicator3-dev libxdo-dev build-essential pkg-config libssl-dev
  fonts-noto-cjk curl ca-certificates python3 python3-venv
  # rusqlite's session feature (sync between PCs) generates its bindings with bindgen.
  libclang-dev)
# sshd, sshfs and fuse3: crates/cli/tests/location.rs mounts a real network share.
# poppler-utils: the print tests render the PDFs (pdftoppm) and read them back.
[ "$WANT_TEST" = 1 ] && packages+=(xvfb xauth webkit2gtk-driver openssh-server sshfs fuse3 poppler-utils)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  say "system packages: ${missing[*]}"
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# LibreOffice reads exported DM lists back in the end-to-end tests, as a
# printer's or an office's spreadsheet program would.
if [ "$WANT_TEST" = 1 ] && ! command -v soffice >/dev/null 2>&1; then
  say "LibreOffice Calc (headless)"
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-calc-nogui >/dev/null
fi

if ! command -v cargo >/dev/null 2>&1 && [ -x "$HOME/.cargo/bin/cargo" ]; then
  export PATH="$HOME/.cargo/bin:$PATH"
fi
if ! command -v cargo >/dev/null 2>&1; then
  say "Rust toolchain (rustup)"
  curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal --component clippy,rustfmt
  export PATH="$HOME/.cargo/bin:$PATH"
fi

node_major() { node -e 'console.log(process.versions.node.split(".")[0])' 2>/dev/null || echo 0; }
if [ "$(node_major)" -lt 20 ]; then
  say "Node.js 20+"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null || true
  if [ "$(node_major)" -lt 20 ]; then
    echo "Node.js 20 以上が必要です（現在: $(node --version 2>/dev/null || echo なし)）。https://nodejs.org/ から入れてください。" >&2
    exit 1
  fi
fi

# npm ci only when the lock file changed since the last install.
stamp="$ROOT/ui/node_modules/.daicho-lock"
if [ ! -f "$stamp" ] || ! cmp -s "$ROOT/ui/package-lock.json" "$stamp"; then
  say "npm packages"
  (cd "$ROOT/ui" && npm ci --no-audit --no-fund --loglevel=error)
  cp "$ROOT/ui/package-lock.json" "$stamp"
fi

if [ "$WANT_TEST" = 1 ]; then
  if ! command -v tauri-driver >/dev/null 2>&1; then
    say "tauri-driver"
    cargo install tauri-driver --locked --quiet
  fi
  if ! cargo fuzz --version >/dev/null 2>&1; then
    say "cargo-fuzz"
    cargo install cargo-fuzz --locked --quiet
  fi
  venv="$ROOT/tests/e2e/.venv"
  if [ ! -x "$venv/bin/pytest" ] || ! cmp -s "$ROOT/tests/e2e/requirements.txt" "$venv/.daicho-req"; then
    say "Python test packages"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$ROOT/tests/e2e/requirements.txt"
    cp "$ROOT/tests/e2e/requirements.txt" "$venv/.daicho-req"
  fi
fi
