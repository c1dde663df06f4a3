# wali: WALI host for WAMR.
#   make iwasm      ./iwasm (WALI-enabled WAMR front end) and build/libwali.a
#   make hello      build/hello.wasm, a first WALI program
#   make wamrc      the AoT compiler (needs LLVM 19)
#   make test       formatting, lints, spec drift, then every test in every mode
#   make clean
# System packages come from scripts/install-deps.sh (run once, as root).

CARGO ?= cargo
CLANG ?= clang-19
WASM_CFLAGS = --target=wasm32 -O2 -nostdlib -matomics -mbulk-memory -mmutable-globals -msign-ext \
  -Wl,--no-entry -Wl,--shared-memory -Wl,--export-memory -Wl,--max-memory=2147483648 \
  -Wl,--import-undefined -Wl,--export-table -Itests/c
ASMJIT = .deps/asmjit/src/asmjit/asmjit.h

.PHONY: all iwasm libwali hello test lint spec-check clean deps wamrc

all: iwasm

deps: $(ASMJIT)

$(ASMJIT):
	bash scripts/fetch-asmjit.sh

iwasm: deps
	$(CARGO) build --release
	cp target/release/iwasm ./iwasm
	mkdir -p build
	cp target/release/libwali.a build/libwali.a
	cp "$$(ls -d target/release/build/wamr-sys-*/out/build/libvmlib.a | head -n 1)" build/libvmlib.a

libwali: iwasm

hello: build/hello.wasm

build/hello.wasm: examples/hello.c tests/c/walitest.h tests/c/wali_syscalls.h
	mkdir -p build
	$(CLANG) $(WASM_CFLAGS) $< -o $@

include aot-compiler/wamrc.mk
include sysroot/sysroot.mk

spec-check:
	python3 tools/gen_spec.py --check

lint: deps
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --release --workspace --all-targets -- -D warnings

test: iwasm wamrc spec-check lint
	bash scripts/test-summary.sh $(CARGO) test --release --workspace

clean:
	$(CARGO) clean
	rm -rf build ./iwasm ./wamrc
