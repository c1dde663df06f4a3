//! WALI, the WebAssembly Linux Interface, for WAMR.
//!
//! A WebAssembly module imports Linux system calls from module `wali`; this
//! crate implements them on the host kernel, translating guest pointers
//! (32-bit offsets into linear memory, each checked) and struct layouts.
//!
//! The crate is layered; a module imports only from its own layer or the
//! layers below it (`tests/layers.rs` fails otherwise). From the bottom:
//! 1. [`abi`]: the WALI ABI as data (the generated spec, errno) and guest
//!    memory ([`abi::mem`], the only place a guest address becomes a host
//!    pointer);
//! 2. [`host`]: raw host syscalls, the engine's self-protection
//!    ([`host::guard`]) and the optional sandbox policy ([`host::sandbox`]);
//! 3. [`wamr`]: thin wrappers over WAMR's API that the layers above share;
//! 4. [`ctx`]: the context of one call ([`ctx::Ctx`]), the engine process's
//!    state and messages ([`ctx::process`]) and the trace ([`ctx::trace`]);
//! 5. [`sys`]: one folder per area, one handler per call;
//! 6. [`engine`]: registration with WAMR, import linking, the typed entry
//!    points every call passes through;
//! 7. [`runtime`] (loading, linking, running a module; the AoT cache;
//!    binfmt) and [`capi`] (the C ABI of `libwali.a`, `include/wali.h`).
//!
//! The command line lives in the `iwasm` binary (`src/bin/iwasm`).
//! docs/ARCHITECTURE.md walks through one call from the guest to the kernel.

// `unsafe` only where DEVELOPERS.md ("unsafe") permits it: guest memory
// (abi::mem), host syscalls and signal actions (items of host, and
// host::sigaction), the WAMR FFI (wamr), the entry points (engine) and the
// C API (capi). Every other module must compile without it. Each unsafe
// block and impl says why it is sound, each unsafe fn its contract
// (checked by clippy with -D warnings in `make lint`).
#![deny(unsafe_code, unsafe_op_in_unsafe_fn)]
#![warn(clippy::undocumented_unsafe_blocks, clippy::missing_safety_doc)]

pub mod abi;
#[allow(unsafe_code)]
pub mod capi;
pub mod ctx;
#[allow(unsafe_code)]
pub mod engine;
pub mod host;
pub mod runtime;
pub mod sys;
#[allow(unsafe_code)]
pub mod wamr;
