#!/bin/bash
# make install: copies what `make iwasm` (and `make wamrc`, `make sysroot`)
# built into DESTDIR/PREFIX:
#   bin/iwasm, bin/wamrc (when built), bin/wali-cc
#   lib/libwali.a, lib/wali/libvmlib.a (our WAMR build: kept out of lib/
#     so that it never shadows another WAMR's libvmlib.a)
#   include/wali/wali.h, wasm_export.h, lib_export.h (the WAMR headers
#     wali.h needs)
#   lib/pkgconfig/wali.pc
#   share/wali/sysroot (the musl sysroot wali-cc compiles against)
#   share/wali/cmake/wali-toolchain.cmake
# Usage: scripts/install.sh PREFIX [DESTDIR]
set -euo pipefail
PREFIX=${1:?usage: install.sh PREFIX [DESTDIR]}
DESTDIR=${2:-}
case "$PREFIX" in
  /*) ;;
  *) echo "make install: PREFIX must be an absolute path (got $PREFIX)" >&2; exit 1 ;;
esac
cd "$(dirname "$0")/.."

missing=()
[ -x iwasm ] || missing+=("./iwasm (make iwasm)")
[ -f build/libwali.a ] || missing+=("build/libwali.a (make iwasm)")
[ -f build/libvmlib.a ] || missing+=("build/libvmlib.a (make iwasm)")
[ -f build/include/wasm_export.h ] || missing+=("build/include/wasm_export.h (make iwasm)")
[ -f build/sysroot/lib/libc.a ] || missing+=("build/sysroot (make sysroot)")
if [ ${#missing[@]} -gt 0 ]; then
  echo "make install: not built yet: ${missing[*]}" >&2
  exit 1
fi

D=$DESTDIR$PREFIX
install -d "$D/bin" "$D/lib/wali" "$D/lib/pkgconfig" "$D/include/wali" \
  "$D/share/wali/cmake"
install -m 755 iwasm "$D/bin/iwasm"
if [ -x wamrc ]; then
  install -m 755 wamrc "$D/bin/wamrc"
else
  echo "make install: no ./wamrc (make wamrc): not installed"
fi
# wali-cc finds the sysroot relative to itself: PREFIX/bin/../share/wali.
sed 's|^DEFAULT_SYSROOT=.*|DEFAULT_SYSROOT=$(dirname "$ROOT")/share/wali/sysroot|' \
  wali-cc >"$D/bin/wali-cc.tmp"
chmod 755 "$D/bin/wali-cc.tmp"
mv "$D/bin/wali-cc.tmp" "$D/bin/wali-cc"
install -m 644 build/libwali.a "$D/lib/libwali.a"
install -m 644 build/libvmlib.a "$D/lib/wali/libvmlib.a"
install -m 644 include/wali.h build/include/wasm_export.h build/include/lib_export.h \
  "$D/include/wali/"
rm -rf "$D/share/wali/sysroot"
cp -R build/sysroot "$D/share/wali/sysroot"
install -m 644 cmake/wali-toolchain.cmake "$D/share/wali/cmake/wali-toolchain.cmake"

version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
# Link order: libwali.a calls WAMR (libvmlib.a), whose fast JIT is C++.
cat >"$D/lib/pkgconfig/wali.pc" <<PC
prefix=$PREFIX
exec_prefix=\${prefix}
libdir=\${exec_prefix}/lib
includedir=\${prefix}/include
sysroot=\${prefix}/share/wali/sysroot

Name: wali
Description: WALI (WebAssembly Linux Interface) host for WAMR: libwali.a and its WAMR build
Version: $version
Cflags: -I\${includedir}/wali
Libs: -L\${libdir} -L\${libdir}/wali -lwali -lvmlib -lstdc++ -lm -lpthread -ldl -lrt
PC
echo "installed wali $version into $D"
