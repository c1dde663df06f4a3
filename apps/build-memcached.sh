#!/usr/bin/env bash
# Builds memcached from Debian's `memcached` source package, over libevent
# from Debian's `libevent` source package (static, core + pthreads, no
# OpenSSL), twice, out of tree and with the same options: for WALI with
# ./wali-cc (build/apps/memcached.wasm) and natively with gcc
# (build/apps/memcached.native). Nothing of either is in this repository.
#   bash apps/build-memcached.sh
#
# As apps/build-bash.sh, the WALI side is configured as a cross build
# (--host=wasm32-unknown-linux-musl): configure cannot run a WALI conftest
# without a binfmt_misc registration. The run-time checks it would make are
# answered below with what a native Linux build finds.
source "$(dirname "$0")/common.sh"
[ -f "$BUILD/sysroot/lib/libc.a" ] || bash "$ROOT/sysroot/build.sh" "$BUILD"

LE_SRC=$(fetch_source libevent)
MC_SRC=$(fetch_source memcached)
# Debian's libevent patch 0001 edits Makefile.am (-no-undefined, for shared
# libraries, which are not built here) and leaves it newer than the
# generated Makefile.in, so make would run automake; its mtime goes back to
# that of configure.ac: the shipped Makefile.in is used as is.
touch -r "$LE_SRC/configure.ac" "$LE_SRC/Makefile.am"
HOST=(--host=wasm32-unknown-linux-musl --build="$(sh "$MC_SRC/config.guess")")

# libevent_for KIND CC [CONFIGURE ARGS...]: static libevent under
# $APPS/obj/libevent-KIND/prefix.
libevent_for() {
  local kind=$1 cc=$2 dir=$APPS/obj/libevent-$1
  shift 2
  [ -f "$dir/prefix/lib/libevent_core.a" ] && return 0
  rm -rf "$dir" && mkdir -p "$dir"
  (cd "$dir" && CC=$cc CFLAGS="$CFLAGS_FOR" "$LE_SRC/configure" -q --prefix="$dir/prefix" \
     --disable-shared --enable-static --disable-openssl --disable-samples \
     --disable-libevent-regress --disable-debug-mode --disable-dependency-tracking "$@" >/dev/null \
   && make -s -j"$JOBS" >/dev/null && make -s install >/dev/null) \
    || { echo "build-memcached: libevent ($kind) failed; see $dir/config.log" >&2; exit 1; }
}

# libevent is named by its cache variable, not --with-libevent: that
# search adds -Wl,-rpath, which wasm-ld does not know (and a static library
# needs none).
# memcached_for KIND CC [CONFIGURE ARGS...]: memcached (and memcached-debug,
# which its Perl tests start) in $APPS/obj/memcached-KIND.
memcached_for() {
  local kind=$1 cc=$2 dir=$APPS/obj/memcached-$1
  shift 2
  if [ ! -f "$dir/Makefile" ]; then
    rm -rf "$dir" && mkdir -p "$dir"
    (cd "$dir" && CC=$cc CFLAGS="$CFLAGS_FOR" "$MC_SRC/configure" -q \
       ac_cv_libevent_dir="$APPS/obj/libevent-$kind/prefix" --disable-sasl --disable-docs \
       --disable-coverage --disable-dependency-tracking "$@" >/dev/null) \
      || { echo "build-memcached: configure ($kind) failed; see $dir/config.log" >&2; exit 1; }
  fi
  make -s -C "$dir" -j"$JOBS" memcached memcached-debug >/dev/null
}

# clang 19 rejects what gcc 12 warns about (implicit declarations).
CFLAGS_FOR="-O2 -w -Wno-error=implicit-function-declaration -Wno-error=int-conversion -Wno-error=incompatible-pointer-types"
# A new sysroot rebuilds the WALI side.
[ "$APPS/memcached.wasm" -nt "$BUILD/sysroot/lib/libc.a" ] \
  || rm -rf "$APPS/obj/libevent-wali" "$APPS/obj/memcached-wali"
libevent_for wali "$WALI_CC" "${HOST[@]}"
# ac_cv_c_alignment: wasm loads and stores need no alignment.
memcached_for wali "$WALI_CC" "${HOST[@]}" ac_cv_c_alignment=none ac_cv_c_bigendian=no
cp "$APPS/obj/memcached-wali/memcached" "$APPS/memcached.wasm"
cp "$APPS/obj/memcached-wali/memcached-debug" "$APPS/memcached-debug.wasm"

libevent_for native "$NATIVE_CC"
memcached_for native "$NATIVE_CC"
cp "$APPS/obj/memcached-native/memcached" "$APPS/memcached.native"
cp "$APPS/obj/memcached-native/memcached-debug" "$APPS/memcached-debug.native"
echo "memcached: $APPS/memcached.wasm $APPS/memcached.native"
