# wamrc: the AoT compiler front end (crate aot-compiler/, package `wamrc`),
# built against Debian's LLVM 19 (llvm-19-dev; libclang-19-dev for bindgen).
# It is not a default workspace member, so `make iwasm` never needs LLVM.
# `make wamrc` builds the release binary and copies it to ./wamrc.

CARGO ?= cargo
WAMRC_TARGET_DIR ?= $(or $(CARGO_TARGET_DIR),target)

.PHONY: wamrc
wamrc: fetch
	$(CARGO) build --release -p wamrc
	cp $(WAMRC_TARGET_DIR)/release/wamrc ./.wamrc.new && mv -f ./.wamrc.new ./wamrc
