//! Threads: __wasm_thread_spawn, set_tid_address, futex, gettid.

crate::syscall_table!(pub static SYSCALLS = {});
