#!/usr/bin/env bash
# Builds the WALI C sysroot: musl 1.2.3 from Debian's `musl` source package
# (fetched with `apt-get source` at build time; nothing of musl is in this
# repository), built for wasm32 with clang-19 through the architecture port
# in sysroot/musl (arch/wasm32 and the src/*/wasm32 replacements), plus the
# syscall dispatch generated from the WALI spec (gen_syscalls.py).
#
#   bash sysroot/build.sh [BUILD_DIR]     (default: build)
#
# Result: BUILD_DIR/sysroot/{include,lib/libc.a,lib/crt1.o} and
# BUILD_DIR/sysroot/lib/libclang_rt.builtins-wasm32.a (Debian's
# libclang-rt-19-dev-wasm32). Re-running rebuilds only what changed.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(mkdir -p "${1:-$ROOT/build}" && cd "${1:-$ROOT/build}" && pwd)
CLANG=${CLANG:-clang-19}
JOBS=${JOBS:-2}
MUSL_VERSION=1.2.3
SRC=$BUILD/deb-src
TREE=$BUILD/musl-wasm32
OUT=$BUILD/sysroot

# 1. Debian's musl source, once.
if [ ! -d "$SRC/musl-$MUSL_VERSION" ]; then
  rm -rf "$SRC" && mkdir -p "$SRC"
  (cd "$SRC" && apt-get source -qq "musl=$MUSL_VERSION-1" >/dev/null 2>&1 \
     || apt-get source -qq musl >/dev/null)
  [ -d "$SRC/musl-$MUSL_VERSION" ] || { echo "sysroot: musl $MUSL_VERSION source not found" >&2; exit 1; }
fi

# 2. A build tree: pristine musl + our port (mtimes kept so make only
#    rebuilds what changed).
# musl's Makefile does not track header dependencies: any change to the
# port's headers or to this script starts again from a pristine tree.
# So does adding or removing a file of the port (a removed source would
# otherwise stay in the tree).
STAMP=$( (cat "$0" "$ROOT/sysroot/gen_syscalls.py" "$ROOT/tools/gen_spec.py" "$ROOT/spec/overrides.toml" $(find "$ROOT/sysroot/musl/arch" -type f | sort);
          cd "$ROOT/sysroot/musl" && find . -type f | sort) | sha256sum | cut -c1-16)
if [ "$(cat "$TREE/.stamp" 2>/dev/null)" != "$STAMP" ]; then
  rm -rf "$TREE"
fi
if [ ! -f "$TREE/.pristine" ]; then
  rm -rf "$TREE"
  cp -a "$SRC/musl-$MUSL_VERSION" "$TREE"
  touch "$TREE/.pristine"
  echo "$STAMP" > "$TREE/.stamp"
fi
cp -a "$ROOT/sysroot/musl/." "$TREE/"
# The x86-64 syscall numbering is musl's own (bits/syscall.h); WALI keys its
# imports by the same numbers.
cp -a "$TREE/arch/x86_64/bits/syscall.h.in" "$TREE/arch/wasm32/bits/syscall.h.in"
mkdir -p "$TREE/src/internal/wasm32"
GEN=$(mktemp)
python3 "$ROOT/sysroot/gen_syscalls.py" "$GEN"
cmp -s "$GEN" "$TREE/src/internal/wasm32/wali_syscall.c" || cp "$GEN" "$TREE/src/internal/wasm32/wali_syscall.c"
rm -f "$GEN"
# musl picks kernel ABI variants (fcntl lock commands, msghdr/cmsghdr
# padding, socket option and ioctl numbers) by the size of `long`. WALI's
# kernel ABI is x86-64's while long is 32 bits on wasm32, so in these
# headers the test is on the kernel's long (__WALI_KERNEL_LONG_MAX, from
# bits/alltypes.h) instead. Idempotent: rewritten files no longer match.
for h in include/sys/socket.h arch/generic/bits/fcntl.h arch/generic/bits/ioctl.h; do
  if grep -q '__LONG_MAX' "$TREE/$h"; then
    sed -i 's/__LONG_MAX/__WALI_KERNEL_LONG_MAX/g' "$TREE/$h"
  fi
done
# Control-message alignment is the kernel's (8 bytes), and struct
# epoll_event is packed (12 bytes) as on x86-64.
S=$TREE/include/sys/socket.h
if grep -q 'define CMSG_ALIGN(len) (((len) + sizeof (size_t)' "$S"; then
  sed -i -e '/define CMSG_ALIGN/s/sizeof (size_t)/sizeof (long long)/g' \
         -e '/define __CMSG_LEN/s/sizeof(long)/sizeof(long long)/g' \
         -e '/define __CMSG_LEN/s/~(long)/~(long long)/' "$S"
fi
E=$TREE/include/sys/epoll.h
if grep -q '^#ifdef __x86_64__$' "$E"; then
  sed -i 's/^#ifdef __x86_64__$/#if defined(__x86_64__) || defined(__wasm__)/' "$E"
fi
# Signal handler values are WALI's (the reference libc's): SIG_DFL 0,
# SIG_ERR -1, SIG_IGN -2, passed to rt_sigaction unchanged; every other
# value, 1 included, is a function-table index (wasm-ld puts the first
# address-taken function at index 1). musl's sigaction then may not take
# "above 1" for "is a handler".
G=$TREE/include/signal.h
if grep -q '^#define SIG_IGN  ((void (\*)(int)) 1)$' "$G"; then
  sed -i 's/^#define SIG_IGN  ((void (\*)(int)) 1)$/#define SIG_IGN  ((void (*)(int))-2)/' "$G"
fi
A=$TREE/src/signal/sigaction.c
if grep -q '(uintptr_t)sa->sa_handler > 1UL' "$A"; then
  sed -i 's/(uintptr_t)sa->sa_handler > 1UL/sa->sa_handler != SIG_DFL \&\& sa->sa_handler != SIG_IGN/' "$A"
fi
# sigsetjmp is a macro over the compiler-lowered setjmp on wasm32
# (arch/wasm32/bits/sigsetjmp.h), declared after sigjmp_buf.
J=$TREE/include/setjmp.h
if ! grep -q 'bits/sigsetjmp.h' "$J"; then
  sed -i 's|^#undef __setjmp_attr$|#include <bits/sigsetjmp.h>\n\n#undef __setjmp_attr|' "$J"
fi
# Parts that cannot exist on wasm32: the dynamic linker's start-up and
# the PIE/dynamic entry points (static libc.a and crt1.o only).
rm -f "$TREE/crt/Scrt1.c" "$TREE/crt/rcrt1.c"

WASM_CFLAGS="--target=wasm32 -matomics -mbulk-memory -mmutable-globals -msign-ext -pthread"
cat > "$TREE/config.mak" <<MAK
ARCH = wasm32
prefix = $OUT
includedir = \$(prefix)/include
libdir = \$(prefix)/lib
CC = $CLANG
AR = llvm-ar-19
RANLIB = llvm-ranlib-19
CFLAGS_AUTO = -O2 -pipe -fno-stack-protector -ffunction-sections -fdata-sections -Werror=implicit-function-declaration -Werror=int-conversion -Werror=incompatible-pointer-types -Wno-parentheses -Wno-shift-op-parentheses -Wno-bitwise-op-parentheses -Wno-dangling-else -Wno-string-plus-int -Wno-unknown-pragmas -Wno-ignored-attributes
CFLAGS = $WASM_CFLAGS
LIBCC =
SHARED_LIBS =
ALL_TOOLS =
TOOL_LIBS =
MAK

make -s -C "$TREE" -j"$JOBS" lib/libc.a lib/crt1.o
make -s -C "$TREE" install-headers >/dev/null
mkdir -p "$OUT/lib"
cp "$TREE/lib/libc.a" "$TREE/lib/crt1.o" "$OUT/lib/"
for l in m rt pthread crypt util xnet resolv dl; do
  [ -f "$OUT/lib/lib$l.a" ] || llvm-ar-19 rc "$OUT/lib/lib$l.a"
done
RT=$("$CLANG" --target=wasm32 -print-libgcc-file-name 2>/dev/null || true)
[ -f "$RT" ] || RT=$(ls /usr/lib/llvm-19/lib/clang/*/lib/*/libclang_rt.builtins-wasm32.a 2>/dev/null | head -n 1)
[ -f "$RT" ] || { echo "sysroot: libclang_rt.builtins-wasm32.a not found (libclang-rt-19-dev-wasm32)" >&2; exit 1; }
cp "$RT" "$OUT/lib/libclang_rt.builtins-wasm32.a"
echo "sysroot: $OUT"
