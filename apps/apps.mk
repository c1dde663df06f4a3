# Applications from Debian source packages, built natively and for WALI
# into build/apps/ (apps/build-*.sh; README.md "Applications").
#   make apps           Lua, SQLite, Bash, memcached (+ libevent)
#   make bash-check     Bash's whole test suite, native then under the engine
#                       (fast JIT, AoT), per test file (apps/test-bash.sh)
#   make bench-memcached  memcached throughput and server CPU per operation,
#                       native against each engine mode (also run by `make bench`)
# Included by the top Makefile.

.PHONY: apps bash-check bench-memcached
apps: iwasm
	nice -n 10 bash apps/build-lua.sh
	nice -n 10 bash apps/build-sqlite.sh
	nice -n 10 bash apps/build-bash.sh
	nice -n 10 bash apps/build-memcached.sh

bash-check: iwasm wamrc
	nice -n 10 bash apps/build-bash.sh
	bash apps/test-bash.sh native
	bash apps/test-bash.sh jit
	bash apps/test-bash.sh aot

bench-memcached: iwasm wamrc
	nice -n 10 bash apps/build-memcached.sh
	$(PYTHON) apps/bench-memcached.py --iwasm ./iwasm --wamrc ./wamrc --json build/bench-memcached.json

# `make bench` runs the memcached rows too (after its own table).
bench: bench-memcached
