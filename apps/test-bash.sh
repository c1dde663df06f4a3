#!/usr/bin/env bash
# Runs Bash's own test suite (the tests/run-* scripts of the Debian source,
# what `make check` runs through tests/run-all) against a shell, one test
# file at a time, and prints one line per test file: NAME pass|fail|timeout.
#   bash apps/test-bash.sh MODE [TEST...]
# MODE: native (build/apps/bash.native), jit (the WALI bash under iwasm's
# default mode, the fast JIT), interp, or aot (build/apps/bash.aot, compiled
# by ./wamrc). TEST: names such as `alias` or `run-alias` (default: all of
# them, as run-all picks them).
# The results go to build/apps/bash-tests/MODE/results.txt, each test's
# output (run-all's "any output indicates an anomaly") to MODE/NAME.out.
# THIS_SH is a small wrapper script that runs the shell under iwasm with the
# environment inherited (the engine passes none by default); bash's test
# helper programs (recho, zecho, printenv, xcase) are native, as they are
# not what is tested.
source "$(dirname "$0")/common.sh"
MODE=${1:?usage: test-bash.sh native|jit|interp|aot [TEST...]}
shift
LIMIT=${BASH_TEST_LIMIT:-600}   # seconds per test file
IWASM=${WALI_IWASM:-$ROOT/iwasm}
SRC=$(fetch_source bash)
NATIVE_DIR=$APPS/obj/bash-native
[ -x "$APPS/bash.native" ] && [ -f "$APPS/bash.wasm" ] || bash "$ROOT/apps/build-bash.sh"
make -s -C "$NATIVE_DIR" recho zecho printenv xcase >/dev/null

OUT=$APPS/bash-tests/$MODE
rm -rf "$OUT" && mkdir -p "$OUT"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/wali-bash-$MODE.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cp -r "$SRC/tests" "$WORK/tests"
mkdir -p "$WORK/tmp"
cp "$NATIVE_DIR"/{recho,zecho,printenv,xcase} "$WORK/tests/"

# The suite expects the shell to be called `bash` (its messages start with
# the basename of argv[0], and some tests use ${THIS_SH##*/}): THIS_SH is
# $WORK/bash, and the module iwasm runs is reached through a link named
# bash (iwasm passes the module's path as argv[0]).
SH=$WORK/bash
mkdir -p "$WORK/bin"
case $MODE in
  native) ln -s "$APPS/bash.native" "$WORK/bin/bash" ;;
  jit|interp) ln -s "$APPS/bash.wasm" "$WORK/bin/bash" ;;
  aot)
    # BASH_AOT: an AoT file of bash.wasm made elsewhere (the Rust tests').
    if [ -z "${BASH_AOT:-}" ]; then
      if [ ! "$APPS/bash.aot" -nt "$APPS/bash.wasm" ]; then
        "${WAMRC:-$ROOT/wamrc}" -o "$APPS/bash.aot.tmp" "$APPS/bash.wasm" >/dev/null
        mv "$APPS/bash.aot.tmp" "$APPS/bash.aot"
      fi
      BASH_AOT=$APPS/bash.aot
    fi
    ln -s "$BASH_AOT" "$WORK/bin/bash" ;;
  *) echo "test-bash: unknown mode $MODE" >&2; exit 2 ;;
esac
case $MODE in
  native) printf '#!/bin/sh\nexec %q "$@"\n' "$WORK/bin/bash" > "$SH" ;;
  interp) printf '#!/bin/sh\nexec %q --interp --inherit-env %q "$@"\n' "$IWASM" "$WORK/bin/bash" > "$SH" ;;
  *) printf '#!/bin/sh\nexec %q --inherit-env %q "$@"\n' "$IWASM" "$WORK/bin/bash" > "$SH" ;;
esac
chmod +x "$SH"

if [ $# -eq 0 ]; then
  set -- $(cd "$WORK/tests" && ls run-* | grep -v -x -e run-all -e run-minimal -e run-gprof -e '.*\.orig' -e '.*~')
fi
cd "$WORK/tests"
for t in "$@"; do
  t=run-${t#run-}
  name=${t#run-}
  start=$(date +%s)
  # As run-all: a fresh output file per test, PATH finding the helpers first.
  status=0
  env TMPDIR="$WORK/tmp" BASH_TSTOUT="$WORK/tmp/bashtst-$name" THIS_SH="$SH" BUILD_DIR="$NATIVE_DIR" \
    PATH="$WORK/tests:$PATH" timeout -k 5 "$LIMIT" sh "$t" > "$OUT/$name.out" 2>&1 < /dev/null || status=$?
  secs=$(( $(date +%s) - start ))
  case $status in
    0) r=pass ;;
    124|137) r=timeout ;;
    *) r=fail ;;
  esac
  printf '%-16s %-8s %4ss\n' "$name" "$r" "$secs" | tee -a "$OUT/results.txt"
done
