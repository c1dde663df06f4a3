# make bench: the engine against native Linux (bench/README.md).
# Builds each program of bench/c/ three ways into build/bench/:
#   NAME.native  gcc -O2 against glibc
#   NAME.wasm    clang-19 for WALI, with the differential tests' flags
#   NAME.aot     NAME.wasm compiled by ./wamrc
# and launch, the driver's native process launcher (bench/c/launch.c),
# then runs bench/run.py, which prints the table and writes build/bench.json.
# Not part of `make test`. Expects the including Makefile's `iwasm` and
# `wamrc` targets (./iwasm, ./wamrc).

BENCH_DIR = build/bench
BENCH_PROGS = syscalls hello nbody bintrees filecopy
BENCH_HDRS = bench/c/bench.h tests/c/walitest.h tests/c/wali_syscalls.h
BENCH_CLANG ?= clang-19
BENCH_CC ?= gcc
PYTHON ?= python3
# The flags of tests/support/mod.rs (WASM_FLAGS, NATIVE_FLAGS).
BENCH_WASM_FLAGS = --target=wasm32 -O2 -nostdlib -matomics -mbulk-memory -mmutable-globals \
  -msign-ext -Wall -Werror -Wno-unused-function -Wl,--no-entry -Wl,--shared-memory \
  -Wl,--export-memory -Wl,--max-memory=2147483648 -Wl,--import-undefined -Wl,--export-table \
  -Itests/c -Ibench/c
BENCH_NATIVE_FLAGS = -O2 -Wall -Werror -Wno-unused-function -Itests/c -Ibench/c
# Extra driver options, e.g. BENCH_ARGS="--only pair --reps 5".
BENCH_ARGS ?=

BENCH_FILES = $(BENCH_DIR)/launch $(foreach p,$(BENCH_PROGS),$(BENCH_DIR)/$(p).native \
  $(BENCH_DIR)/$(p).wasm $(BENCH_DIR)/$(p).aot)

.PHONY: bench bench-build
bench: bench-build
	$(PYTHON) bench/run.py --build $(BENCH_DIR) --iwasm ./iwasm --apps $(BENCH_APPS_DIR) \
	  --json build/bench.json $(BENCH_ARGS)

# The applications (`make apps`: Lua, SQLite; bash when apps/ builds it) are
# benchmarked when built: their AoT files here, the rest from build/apps.
BENCH_APPS_DIR = build/apps
BENCH_APP_AOTS = $(patsubst $(BENCH_APPS_DIR)/%.wasm,$(BENCH_DIR)/apps/%.aot,\
  $(wildcard $(BENCH_APPS_DIR)/*.wasm))

bench-build: iwasm wamrc $(BENCH_FILES) $(BENCH_APP_AOTS)

$(BENCH_DIR)/apps/%.aot: $(BENCH_APPS_DIR)/%.wasm ./wamrc | wamrc
	@mkdir -p $(BENCH_DIR)/apps
	nice ./wamrc -o $@ $<

# The driver's process launcher (times a run, reads its peak RSS).
$(BENCH_DIR)/launch: bench/c/launch.c
	@mkdir -p $(BENCH_DIR)
	$(BENCH_CC) -O2 -Wall -Werror $< -o $@

$(BENCH_DIR)/%.native: bench/c/%.c $(BENCH_HDRS)
	@mkdir -p $(BENCH_DIR)
	$(BENCH_CC) $(BENCH_NATIVE_FLAGS) $< -o $@ -lpthread -lm

$(BENCH_DIR)/%.wasm: bench/c/%.c $(BENCH_HDRS)
	@mkdir -p $(BENCH_DIR)
	$(BENCH_CLANG) $(BENCH_WASM_FLAGS) $< -o $@

# Order-only on the phony wamrc target (cargo decides whether to rebuild),
# and on the ./wamrc file itself, so a rebuilt compiler recompiles. The AoT
# file is made executable: the execve benchmark runs it as a program.
$(BENCH_DIR)/%.aot: $(BENCH_DIR)/%.wasm ./wamrc | wamrc
	./wamrc -o $@ $<
	chmod +x $@
