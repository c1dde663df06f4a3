//! WALI, the WebAssembly Linux Interface, for WAMR.
//!
//! A WebAssembly module imports Linux system calls from module `wali`; this
//! crate implements them on the host kernel, translating guest pointers
//! (32-bit offsets into linear memory, each checked) and struct layouts.
//!
//! Layers, from the guest inwards:
//! * [`native`]: registration with WAMR and the typed and raw entry points;
//! * area modules, one handler per call: [`fs`] files, [`io`] descriptors
//!   and I/O, [`net`] sockets, [`time`], [`ident`] identity and limits,
//!   [`mm`] memory, [`proc`] processes, [`signal`], [`thread`], [`aux`],
//!   [`sjlj`] setjmp/longjmp;
//! * [`mem`]: the only place a guest address becomes a host pointer;
//! * [`host`]: raw host syscalls, taking only integers and checked pointers;
//! * [`trace`]: the strace-like trace of every call (`-v=5`, `--trace`);
//! * [`runtime`]: loading, linking and running a module (the FFI to WAMR);
//! * [`sandbox`]: the optional sandbox policy (Landlock, `--timeout`);
//! * [`capi`]: the C ABI of `libwali.a` (`include/wali.h`).

pub mod aux;
pub mod binfmt;
pub mod cache;
pub mod capi;
pub mod cli;
pub mod errno;
pub mod fs;
pub mod guard;
pub mod host;
pub mod ident;
pub mod io;
pub mod mem;
pub mod mm;
pub mod native;
pub mod net;
pub mod proc;
pub mod process;
pub mod runtime;
pub mod sandbox;
pub mod signal;
pub mod sjlj;
// Generated; its tables carry #[rustfmt::skip] (not the module: its macros
// must stay reachable by path, which an attribute on the module prevents).
pub mod spec;
pub mod spec_types;
pub mod thread;
pub mod time;
pub mod trace;
