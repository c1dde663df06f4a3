# The WALI C sysroot (musl from Debian's source package, wasm32 port in
# sysroot/musl) and the apps built against it. Included by the Makefile.
#   make sysroot   build/sysroot (include/, lib/libc.a, lib/crt1.o) for ./wali-cc
#   make apps      Lua, the SQLite shell, Bash and memcached (+ libevent), for
#                  WALI and natively (build/apps; apps/apps.mk has their checks)

.PHONY: sysroot apps

sysroot:
	bash sysroot/build.sh build

apps: sysroot
	bash apps/build-lua.sh
	bash apps/build-sqlite.sh
	nice -n 10 bash apps/build-bash.sh
	nice -n 10 bash apps/build-memcached.sh
