# Checks and benchmarks of the applications from Debian source packages
# (`make apps` in sysroot/sysroot.mk builds them; README.md "Applications").
#   make bash-check     Bash's whole test suite, native then under the engine
#                       (fast JIT, AoT), per test file (apps/test-bash.sh)
#   make bench-memcached  memcached throughput and server CPU per operation,
#                       native against each engine mode (also run by `make bench`)
# Included by the top Makefile.

.PHONY: bash-check bench-memcached

bash-check: iwasm wamrc sysroot
	nice -n 10 bash apps/build-bash.sh
	bash apps/test-bash.sh native
	bash apps/test-bash.sh jit
	bash apps/test-bash.sh aot

bench-memcached: iwasm wamrc sysroot
	nice -n 10 bash apps/build-memcached.sh
	$(PYTHON) apps/bench-memcached.py --iwasm ./iwasm --wamrc ./wamrc --json build/bench-memcached.json

# `make bench` runs the memcached rows too (before its own table).
bench: bench-memcached
