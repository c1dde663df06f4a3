#!/usr/bin/env bash
# Runs memcached's own upstream test suite (the Perl tests t/*.t of the
# Debian source, driven by t/lib/MemcachedTest.pm) against one build:
#   bash apps/test-memcached.sh MODE [TEST...]
# MODE: native (the gcc build: the reference), fast-jit (default: the WALI
# build under ./iwasm --fast-jit, no AoT cache), interp, aot (the WALI build
# compiled by ./wamrc). TEST: names as `getset` or `t/getset.t` (default:
# every t/*.t). Prints one line per test file, `NAME pass|fail|skip`, and
# writes them to build/apps/mctest-MODE/results.txt; the output of each is
# in build/apps/mctest-MODE/NAME.log. Exit status 0 unless a test failed
# that apps/memcached/known-failures.txt lists for no WALI mode (native:
# any failure).
#
# MemcachedTest.pm takes the build directory to be the working directory:
# it starts `$builddir/timedrun 600 $builddir/memcached-debug ARGS` (adding
# `-u root` itself when run as root) and reads `$builddir/t/`. So each mode
# gets a directory holding `t` (a link to the source's tests), `timedrun`
# (built natively from the source) and `memcached-debug`: the native binary,
# or a script exec'ing iwasm on memcached-debug.wasm. The debug build is
# what the tests need: `-o relaxed_privileges` and the `debugtime` command
# (mem_move_time) exist only with MEMCACHED_DEBUG. iwasm passes its
# environment on (--inherit-env), as a native exec does: tests talk to the
# server through it (MEMCACHED_PORT_FILENAME in issue_67.t,
# T_MEMD_INITIAL_MALLOC in 64bit.t).
source "$(dirname "$0")/common.sh"
MODE=${1:-fast-jit}
shift || true
command -v prove >/dev/null || { echo "test-memcached: prove (perl) missing" >&2; exit 2; }

MC_SRC=$(fetch_source memcached)
[ -f "$APPS/memcached-debug.wasm" ] && [ -f "$APPS/memcached-debug.native" ] \
  || bash "$ROOT/apps/build-memcached.sh"
IWASM=${WALI_IWASM:-$ROOT/iwasm}
RUN=${MC_TEST_DIR:-$APPS/mctest-$MODE}
mkdir -p "$RUN"
ln -sfn "$MC_SRC/t" "$RUN/t"
[ "$RUN/timedrun" -nt "$MC_SRC/timedrun.c" ] || "$NATIVE_CC" -O2 -o "$RUN/timedrun" "$MC_SRC/timedrun.c"
case $MODE in
  native) cp "$APPS/memcached-debug.native" "$RUN/memcached-debug" ;;
  fast-jit | interp)
    printf '#!/bin/sh\nexec %q --inherit-env --%s %q "$@"\n' "$IWASM" "$MODE" "$APPS/memcached-debug.wasm" \
      >"$RUN/memcached-debug" ;;
  aot)
    aot=$APPS/memcached-debug.aot
    [ "$aot" -nt "$APPS/memcached-debug.wasm" ] \
      || nice "${WALI_WAMRC:-$ROOT/wamrc}" -o "$aot" "$APPS/memcached-debug.wasm" >/dev/null
    printf '#!/bin/sh\nexec %q --inherit-env %q "$@"\n' "$IWASM" "$aot" >"$RUN/memcached-debug" ;;
  *) echo "test-memcached: unknown mode $MODE (native, fast-jit, interp, aot)" >&2; exit 2 ;;
esac
chmod +x "$RUN/memcached-debug"

tests=()
for t in "$@"; do t=${t#t/}; tests+=("t/${t%.t}.t"); done
[ ${#tests[@]} -gt 0 ] || tests=($(cd "$RUN" && ls t/*.t))
known=$ROOT/apps/memcached/known-failures.txt
: >"$RUN/results.txt"
bad=0
for t in "${tests[@]}"; do
  name=$(basename "$t" .t)
  # Each file alone (its servers are its own), under a bound: a hung
  # server must not hang the suite. TERM then KILL; prove's children too.
  if (cd "$RUN" && WALI_CACHE=off timeout -k 10 "${MC_TEST_TIMEOUT:-600}" prove -v "$t") \
       >"$RUN/$name.log" 2>&1; then
    if grep -q "skipped:" "$RUN/$name.log"; then r=skip; else r=pass; fi
  else
    r=fail
    if [ "$MODE" = native ] || ! grep -q "^$name:" "$known" 2>/dev/null; then bad=1; r="fail (unexpected)"; fi
  fi
  echo "$name $r" | tee -a "$RUN/results.txt"
done
exit $bad
