# Shared by the scripts. The cargo target directory lives outside the clone
# so that a fresh clone (CI) reuses earlier builds.
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/daicho/target}"

# Each change of dependencies, features or build flags leaves a new set of
# artifacts in the shared target directory, and cargo never removes the old
# ones: they once filled the disk in the middle of a CI run. Start it over when
# it outgrows its budget or the disk runs low. A cold build costs minutes; a
# full disk costs the whole run. Called once at the start of run.sh and test.sh,
# never between the steps of one run.
prune_target() {
  local dir="$CARGO_TARGET_DIR"
  local budget_gb="${DAICHO_TARGET_BUDGET_GB:-25}" floor_gb="${DAICHO_DISK_FLOOR_GB:-15}"
  [ -d "$dir" ] || return 0
  local used_kb free_kb
  used_kb=$(du -sk "$dir" | cut -f1)
  free_kb=$(df --output=avail -k "$dir" | tail -n 1)
  if ((used_kb > budget_gb * 1024 * 1024 || free_kb < floor_gb * 1024 * 1024)); then
    printf 'target directory %s: %d GB, %d GB free on its disk; removing it\n' \
      "$dir" $((used_kb / 1024 / 1024)) $((free_kb / 1024 / 1024))
    rm -rf "$dir"
  fi
}
