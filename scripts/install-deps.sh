#!/usr/bin/env bash
# Installs what building and testing wali needs on a Debian 12 (bookworm)
# machine. Run as root (CI does); idempotent.
#   - clang-19, lld-19: WALI test programs (wasm32) and the sysroot
#   - llvm-19-dev: wamrc (WAMR's AoT compiler over LLVM)
#   - libclang-19-dev: bindgen
#   - cmake, g++: WAMR's build; gcc: native builds of the tests; cmake and
#     pkg-config: the tests of `make install` (wali.pc, the toolchain file)
#   - wabt: inspecting modules
#   - dpkg-dev + deb-src entries: `apt-get source asmjit` for fast-JIT
#   - tcl: SQLite's build generates its amalgamation with tclsh (apps/)
#   - texinfo, ed: GNU bc's own build (tests/autotools.rs), as natively
#   - perl (its `prove`): memcached's own test suite (tests/apps_memcached.rs)
#   - wali-linux (PyPI): the specification the tables are generated from
set -euo pipefail

PKGS=(clang-19 lld-19 llvm-19-dev libclang-19-dev libclang-rt-19-dev-wasm32
      cmake pkg-config make gcc g++ wabt dpkg-dev python3 python3-pip tcl
      texinfo ed perl)

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

# deb-src entries, for Debian's asmjit source package.
if ! grep -rqs '^Types:.*deb-src' /etc/apt/sources.list.d/ && ! grep -qs '^deb-src' /etc/apt/sources.list; then
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    $SUDO sed -i 's/^Types: deb$/Types: deb deb-src/' /etc/apt/sources.list.d/debian.sources
  else
    grep '^deb ' /etc/apt/sources.list | sed 's/^deb /deb-src /' | $SUDO tee /etc/apt/sources.list.d/wali-src.list >/dev/null
  fi
fi

$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${PKGS[@]}" >/dev/null

if ! python3 -c 'import wali.spec' 2>/dev/null; then
  python3 -m pip install -q wali-linux==0.2.0 2>/dev/null \
    || python3 -m pip install -q --break-system-packages wali-linux==0.2.0
fi
# Rust targets for `make check-cross` (type-checking for aarch64 and riscv64
# hosts). Best effort: where rustup cannot download them the check is skipped.
if command -v rustup >/dev/null; then
  for t in aarch64-unknown-linux-gnu riscv64gc-unknown-linux-gnu; do
    timeout 300 rustup target add "$t" >/dev/null 2>&1 || echo "install-deps: rust target $t not available; check-cross will skip it"
  done
fi
echo "install-deps: done"
