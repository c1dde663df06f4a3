# Shared by the app build scripts: paths, Debian source fetching, parallel
# compilation. Sourced, not run.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=$(mkdir -p "${BUILD_DIR:-$ROOT/build}" && cd "${BUILD_DIR:-$ROOT/build}" && pwd)
APPS=$BUILD/apps
JOBS=${JOBS:-2}
NATIVE_CC=${NATIVE_CC:-gcc}
WALI_CC=$ROOT/wali-cc
mkdir -p "$APPS"

# fetch_source PACKAGE: unpacks Debian's source package PACKAGE (with its
# patches applied) under $APPS/src once; prints the directory.
fetch_source() {
  local pkg=$1 dir
  dir=$(ls -d "$APPS/src/$pkg"-*/ 2>/dev/null | head -n 1 || true)
  if [ -z "$dir" ]; then
    mkdir -p "$APPS/src"
    (cd "$APPS/src" && apt-get source -qq "$pkg" >/dev/null 2>&1 || apt-get source "$pkg" >&2)
    dir=$(ls -d "$APPS/src/$pkg"-*/ | head -n 1)
  fi
  echo "${dir%/}"
}

# compile_all CC OUTDIR FLAGS... -- SOURCES...: one object per source, $JOBS
# at a time, skipping objects newer than their source.
compile_all() {
  local cc=$1 out=$2
  shift 2
  local flags=()
  while [ "$1" != "--" ]; do flags+=("$1"); shift; done
  shift
  mkdir -p "$out"
  printf '%s\n' "$@" | xargs -P "$JOBS" -I{} sh -c '
    src={}; obj="$0/$(basename "${src%.c}").o"; cc=$1; shift
    [ "$obj" -nt "$src" ] || exec "$cc" "$@" -c "$src" -o "$obj"
  ' "$out" "$cc" "${flags[@]}"
}
