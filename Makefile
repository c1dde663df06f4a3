# wali: WALI host for WAMR.
#   make iwasm      ./iwasm (WALI-enabled WAMR front end) and build/libwali.a
#   make hello      build/hello.wasm, a first WALI program
#   make wamrc      the AoT compiler (needs LLVM 19)
#   make test       formatting, lints, spec drift, then every test in every mode
#   make install    PREFIX=/usr/local DESTDIR= : iwasm, wamrc, wali-cc, the
#                   sysroot, libwali.a, headers, wali.pc, the CMake toolchain file
#   make clean
# System packages come from scripts/install-deps.sh (run once, as root).

CARGO ?= cargo
CLANG ?= clang-19
WASM_CFLAGS = --target=wasm32 -O2 -nostdlib -matomics -mbulk-memory -mmutable-globals -msign-ext \
  -Wl,--no-entry -Wl,--shared-memory -Wl,--export-memory -Wl,--max-memory=2147483648 \
  -Wl,--import-undefined -Wl,--export-table -Itests/c
ASMJIT = .deps/asmjit/src/asmjit/asmjit.h

PREFIX ?= /usr/local
DESTDIR ?=

.PHONY: install fetch all iwasm libwali hello test lint spec-check clean deps wamrc coverage aot-report check-cross

all: iwasm

deps: $(ASMJIT)

# Downloads what Cargo.lock pins, the WAMR source package (wamrx-sys) included:
# `cargo build` never unpacks that package because it is never compiled.
fetch:
	@$(CARGO) fetch --locked -q || echo "make: cargo fetch failed (offline?); building from what cargo has cached"

$(ASMJIT):
	bash scripts/fetch-asmjit.sh

iwasm: deps fetch
	$(CARGO) build --release
	# A new file renamed into place: a running iwasm (a guest, the AoT cache's
	# background compile) keeps its old binary and does not make cp fail.
	cp target/release/iwasm ./.iwasm.new && mv -f ./.iwasm.new ./iwasm
	mkdir -p build
	cp target/release/libwali.a build/libwali.a
	# Thin LTO leaves LLVM bitcode beside the machine code in every object;
	# binutils hands such objects to its (older) LLVM plugin and `nm` then
	# shows no symbols. C embedders need only the machine code.
	objcopy --remove-section=.llvmbc --remove-section=.llvmcmd build/libwali.a
	# Our WAMR build and the public headers wali.h includes, from the
	# newest wamr-sys build (its `cargo:include=` names WAMR's include dir).
	out="$$(ls -td target/release/build/wamr-sys-*/out | head -n 1)" && \
	  cp "$$out/build/libvmlib.a" build/libvmlib.a && \
	  inc="$$(sed -n 's/^cargo:include=//p' "$$out/../output" | head -n 1)" && \
	  mkdir -p build/include && cp "$$inc/wasm_export.h" "$$inc/lib_export.h" build/include/

libwali: iwasm

# Installs what is built (wamrc only when ./wamrc exists); the sysroot must
# have been built (make sysroot): it is not rebuilt here.
install: iwasm
	bash scripts/install.sh "$(PREFIX)" "$(DESTDIR)"

hello: build/hello.wasm

build/hello.wasm: examples/hello.c tests/c/walitest.h tests/c/wali_syscalls.h
	mkdir -p build
	$(CLANG) $(WASM_CFLAGS) $< -o $@

include aot-compiler/wamrc.mk
include bench/bench.mk
include apps/apps.mk
include sysroot/sysroot.mk

spec-check:
	python3 tools/gen_spec.py --check

lint: deps
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --release --workspace --all-targets -- -D warnings
	$(MAKE) --no-print-directory check-cross

# WALI_CACHE=off: tests that run iwasm in the default mode with the caller's
# environment must not fill the user's AoT cache (tests/cache.rs names its
# own directories, which take precedence).
test: iwasm wamrc spec-check lint
	WALI_CACHE=off bash scripts/test-summary.sh $(CARGO) test --release --workspace --no-fail-fast

clean:
	$(CARGO) clean
	rm -rf build ./iwasm ./wamrc

# The spec coverage report: implemented, tested, ENOSYS (target/coverage.txt).
coverage:
	$(CARGO) test --release --test coverage -- --nocapture

# AoT compile time and .aot size of the test programs and benchmarks.
aot-report: wamrc
	python3 scripts/aot-report.py

# Type-checks the crate for aarch64 and riscv64 hosts (their syscall sets and
# layouts differ) where those Rust targets are installed; no cross C
# toolchain is needed: WAMR is not built, only its bindings.
CROSS_TARGETS = aarch64-unknown-linux-gnu riscv64gc-unknown-linux-gnu
check-cross:
	@for t in $(CROSS_TARGETS); do \
	  if rustup target list --installed 2>/dev/null | grep -qx $$t; then \
	    echo "cargo check --target $$t"; \
	    WALI_CHECK_ONLY=1 $(CARGO) check -q -p wali --lib --target $$t || exit 1; \
	  else echo "check-cross: Rust target $$t not installed (rustup target add $$t), skipped"; fi; \
	done
