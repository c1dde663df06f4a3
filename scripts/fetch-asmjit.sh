#!/usr/bin/env bash
# Unpacks Debian's `asmjit` source package into .deps/asmjit for WAMR's
# fast-JIT (handed to its CMake as FETCHCONTENT_SOURCE_DIR_ASMJIT).
# Needs deb-src entries (scripts/install-deps.sh adds them) and dpkg-dev.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dest="$root/.deps/asmjit"
[ -f "$dest/src/asmjit/asmjit.h" ] && exit 0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
if ! apt-get source -qq asmjit >/dev/null 2>&1; then
  echo "fetch-asmjit: 'apt-get source asmjit' failed: enable deb-src entries and install dpkg-dev (sudo scripts/install-deps.sh)" >&2
  exit 1
fi
src=$(find . -maxdepth 1 -type d -name 'asmjit-*' | head -n 1)
mkdir -p "$root/.deps"
rm -rf "$dest"
mv "$src" "$dest"
echo "fetch-asmjit: $(basename "$src") in .deps/asmjit"
