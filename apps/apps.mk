# Checks and benchmarks of the applications from Debian source packages
# (`make apps` in sysroot/sysroot.mk builds them; README.md "Applications").
#   make bash-check     Bash's whole test suite, native then under the engine
#                       (fast JIT, AoT), per test file (apps/test-bash.sh)
#   make memcached-check  memcached's own Perl test suite (t/*.t), native then
#                       under the engine (fast JIT, AoT), per test file
#                       (apps/test-memcached.sh; known failures with their
#                       reasons in apps/memcached/known-failures.txt)
#   make bench-memcached  memcached throughput and server CPU per operation,
#                       native against each engine mode (also run by `make bench`)
# Included by the top Makefile.

.PHONY: bash-check memcached-check bench-memcached

bash-check: iwasm wamrc sysroot
	nice -n 10 bash apps/build-bash.sh
	bash apps/test-bash.sh native
	bash apps/test-bash.sh jit
	bash apps/test-bash.sh aot

memcached-check: iwasm wamrc sysroot
	nice -n 10 bash apps/build-memcached.sh
	bash apps/test-memcached.sh native
	bash apps/test-memcached.sh fast-jit
	bash apps/test-memcached.sh aot

bench-memcached: iwasm wamrc sysroot
	nice -n 10 bash apps/build-memcached.sh
	$(PYTHON) apps/bench-memcached.py --iwasm ./iwasm --wamrc ./wamrc --json build/bench-memcached.json

# `make bench` runs the memcached rows too (before its own table).
bench: bench-memcached
