# Shared by run.sh and test.sh. The cargo target directory lives outside the
# clone so that a fresh clone (CI) reuses earlier builds.
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/daicho/target}"
