#!/usr/bin/env bash
# Builds GNU Bash from Debian's `bash` source package twice, out of tree and
# from the same configure options: for WALI with ./wali-cc
# (build/apps/bash.wasm) and natively with gcc (build/apps/bash.native), to
# be compared by apps/test-bash.sh and tests/apps_bash.rs. Nothing of Bash is
# in this repository; apps/bash/ holds our notes and known failures.
#   bash apps/build-bash.sh
#
# The WALI build is configured as a cross build (--host=wasm32-...): a WALI
# module cannot be run by the kernel as ./conftest without a binfmt_misc
# registration, and neither builds nor tests may register one on the host.
# Configure's run-time checks are therefore answered below by cache
# variables, each the value a native Linux (musl) build of the same source
# finds, and bash's build-time helpers (mksignames, mksyntax, mkbuiltins) are
# compiled for the build machine with CC_FOR_BUILD=gcc as bash's cross
# support intends. Signal numbers are the same (WALI uses the Linux
# generic numbering, which is the x86-64 one), so the signal table that
# mksignames writes on the build machine is right for the guest.
#
# Both builds: the system malloc (bash's own malloc wants sbrk), no NLS, and
# bash's bundled termcap/readline (the sysroot has no ncurses; the native
# build uses the same for a like-for-like comparison).
source "$(dirname "$0")/common.sh"
[ -f "$BUILD/sysroot/lib/libc.a" ] || bash "$ROOT/sysroot/build.sh" "$BUILD"

SRC=$(fetch_source bash)
# Our patches (apps/bash/*.patch, each explained at its top), applied once;
# both builds use the patched source.
for p in "$ROOT"/apps/bash/*.patch; do
  if ! patch -d "$SRC" -p1 -R --dry-run -s -f < "$p" >/dev/null 2>&1; then
    patch -d "$SRC" -p1 -s -f < "$p" >/dev/null || { echo "build-bash: $p does not apply" >&2; exit 1; }
  fi
done
COMMON=(--without-bash-malloc --disable-nls --enable-readline --enable-job-control
        --without-curses bash_cv_termcap_lib=gnutermcap)
# Configure's answers for what it cannot run when cross-compiling. These
# are the values configure finds natively on Linux with musl; each is a
# property of the C library and kernel interface, which WALI passes through.
CROSS=(bash_cv_job_control_missing=present bash_cv_sys_named_pipes=present
       bash_cv_func_sigsetjmp=present bash_cv_printf_a_format=yes
       bash_cv_unusable_rtsigs=no bash_cv_getcwd_malloc=yes
       bash_cv_func_strcoll_broken=no bash_cv_must_reinstall_sighandlers=no
       bash_cv_pgrp_pipe=no bash_cv_wcwidth_broken=no bash_cv_func_ctype_nonascii=no
       bash_cv_dup2_broken=no bash_cv_opendir_not_robust=no bash_cv_ulimit_maxfds=yes
       bash_cv_getenv_redef=yes bash_cv_sys_siglist=no bash_cv_under_sys_siglist=no
       bash_cv_fnm_extmatch=no bash_cv_func_snprintf=yes bash_cv_func_vsnprintf=yes
       bash_cv_wexitstatus_offset=8 bash_cv_wcontinued_broken=no
       ac_cv_func_mmap_fixed_mapped=yes ac_cv_func_setvbuf_reversed=no
       ac_cv_func_strcoll_works=yes ac_cv_func_working_mktime=yes
       ac_cv_func_fnmatch_works=yes ac_cv_rl_version=8.2
       gt_cv_int_divbyzero_sigfpe=no
       bash_cv_func_strtoimax=no)
# bash_cv_func_strtoimax: the shipped configure builds bash's own strtoimax
# when this is `yes` (inverted; Debian's bash-musl.diff fixes the m4 source,
# not the generated configure), which then clashes with musl's in the static
# libc.a. `no` keeps musl's, as a native glibc build effectively does.

# clang 19 makes pre-C99 code (implicit declarations, implicit int, which
# bash's bundled termcap and some K&R code still have) an error; they are
# warnings for gcc 12. The same code is accepted for both.
# NEED_EXTERN_PC: readline's own switch for a platform whose termcap
# library defines PC, BC and UP (its terminal.c keys the same on __linux__,
# which clang does not define for wasm32).
WALI_CFLAGS="-O2 -w -DNEED_EXTERN_PC -Wno-error=implicit-function-declaration -Wno-error=implicit-int -Wno-error=int-conversion -Wno-error=incompatible-pointer-types"

# configure_in DIR CC CFLAGS [ARGS...]: configures bash in DIR once.
configure_in() {
  local dir=$1 cc=$2 cflags=$3
  shift 3
  [ -f "$dir/Makefile" ] && return 0
  mkdir -p "$dir"
  (cd "$dir" && CC=$cc CFLAGS="$cflags" "$SRC/configure" -q "${COMMON[@]}" "$@" >/dev/null) \
    || { echo "build-bash: configure failed in $dir (see $dir/config.log)" >&2; exit 1; }
}

WALI_DIR=$APPS/obj/bash-wali
NATIVE_DIR=$APPS/obj/bash-native
# A new sysroot (headers or libc.a) reconfigures and rebuilds the WALI side.
[ "$APPS/bash.wasm" -nt "$BUILD/sysroot/lib/libc.a" ] || [ ! -f "$APPS/bash.wasm" ] || rm -rf "$WALI_DIR"
configure_in "$WALI_DIR" "$WALI_CC" "$WALI_CFLAGS" --host=wasm32-unknown-linux-musl \
  --build="$(sh "$SRC/support/config.guess")" CC_FOR_BUILD="$NATIVE_CC" "${CROSS[@]}"
configure_in "$NATIVE_DIR" "$NATIVE_CC" "-O2 -w"

make -s -C "$WALI_DIR" -j"$JOBS" bash >/dev/null
cp "$WALI_DIR/bash" "$APPS/bash.wasm"
make -s -C "$NATIVE_DIR" -j"$JOBS" bash >/dev/null
cp "$NATIVE_DIR/bash" "$APPS/bash.native"
# A small WALI cat that the interactive test runs by path from bash.
[ "$APPS/wcat.wasm" -nt "$ROOT/apps/bash/wcat.c" ] && [ "$APPS/wcat.wasm" -nt "$BUILD/sysroot/lib/libc.a" ] \
  || "$WALI_CC" -O2 -Wall -Werror "$ROOT/apps/bash/wcat.c" -o "$APPS/wcat.wasm"
echo "bash: $APPS/bash.wasm $APPS/bash.native"
