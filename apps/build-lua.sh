#!/usr/bin/env bash
# Builds Lua 5.4 from Debian's `lua5.4` source package twice: for WALI with
# ./wali-cc (build/apps/lua.wasm) and natively with gcc
# (build/apps/lua.native), the same sources and options, to be compared by
# tests/apps.rs. Nothing of Lua is in this repository.
#   bash apps/build-lua.sh
source "$(dirname "$0")/common.sh"
[ -f "$BUILD/sysroot/lib/libc.a" ] || bash "$ROOT/sysroot/build.sh" "$BUILD"

SRC=$(fetch_source lua5.4)/src
# The interpreter and every library but the compiler (luac).
FILES=()
for f in "$SRC"/*.c; do
  case $(basename "$f") in luac.c|onelua.c) ;; *) FILES+=("$f") ;; esac
done
# Debian's luaconf.h names the multiarch library directory from a header its
# build system generates; both builds get the same one.
mkdir -p "$APPS/include-lua"
echo '#define DEB_HOST_MULTIARCH "wasm32-wali"' > "$APPS/include-lua/lua5.4-deb-multiarch.h"
# POSIX features (popen, mkstemp, _setjmp) but no dlopen/readline.
FLAGS=(-O2 -std=gnu99 -DLUA_USE_POSIX -DLUA_COMPAT_5_3 -I"$APPS/include-lua" -w)

# A new sysroot (headers or libc.a) rebuilds the WALI objects.
[ "$APPS/lua.wasm" -nt "$BUILD/sysroot/lib/libc.a" ] || rm -rf "$APPS/obj/lua-wali"
compile_all "$WALI_CC" "$APPS/obj/lua-wali" "${FLAGS[@]}" -- "${FILES[@]}"
"$WALI_CC" -o "$APPS/lua.wasm" "$APPS"/obj/lua-wali/*.o -lm

compile_all "$NATIVE_CC" "$APPS/obj/lua-native" "${FLAGS[@]}" -- "${FILES[@]}"
"$NATIVE_CC" -o "$APPS/lua.native" "$APPS"/obj/lua-native/*.o -lm

echo "lua: $APPS/lua.wasm $APPS/lua.native"
