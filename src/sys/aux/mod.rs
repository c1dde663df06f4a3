//! Auxiliary calls of the WALI ABI (not syscalls): start-up, argv, the
//! environment file, process exit, threads and setjmp/longjmp.

use crate::abi::errno::Errno;
use crate::ctx::process;
use crate::ctx::Ctx;

/// An auxiliary handler: its result goes to slot 0 of WAMR's raw buffer.
pub type AuxFn = fn(&Ctx) -> i64;

/// The auxiliary calls by import name; the engine wraps each in a raw
/// native (`crate::engine::aux_entry`).
pub const TABLE: &[(&str, AuxFn)] = &[
    ("__init", init),
    ("__deinit", deinit),
    ("__proc_exit", proc_exit),
    ("__cl_get_argc", cl_get_argc),
    ("__cl_get_argv_len", cl_get_argv_len),
    ("__cl_copy_argv", cl_copy_argv),
    ("__get_init_envfile", get_init_envfile),
    ("__wasm_thread_spawn", wasm_thread_spawn),
    ("setjmp", setjmp),
    ("sigsetjmp", setjmp),
    ("longjmp", crate::sys::aux::sjlj::longjmp),
];

/// `__wasm_thread_spawn(fn, arg)`: the new thread's kernel TID, or -errno.
fn wasm_thread_spawn(c: &Ctx) -> i64 {
    let r = crate::sys::thread::spawn(c, c.u32(0), c.u32(1));
    crate::ctx::trace::spawned(c.u32(0), c.u32(1), &r);
    crate::abi::errno::to_raw(r)
}

/// `setjmp(env)` / `sigsetjmp(env, savesigs)` as an import: the direct
/// return, 0. An import cannot return a second time; programs built with
/// the compiler's setjmp lowering never call it (see [`crate::sys::aux::sjlj`]).
fn setjmp(_: &Ctx) -> i64 {
    0
}

/// `__init() -> i32`: 0 when the engine is ready for the guest.
fn init(_: &Ctx) -> i64 {
    0
}

/// `__deinit() -> i32`: 0 after a clean `main` return.
fn deinit(_: &Ctx) -> i64 {
    0
}

/// `__proc_exit(status)`: ends the whole process with `status`.
fn proc_exit(c: &Ctx) -> i64 {
    crate::sys::process::exit_process(c, c.i32(0));
    0
}

fn cl_get_argc(_: &Ctx) -> i64 {
    process::argc() as i64
}

/// `__cl_get_argv_len(idx)`: strlen of argv[idx]; 0 past the end.
fn cl_get_argv_len(c: &Ctx) -> i64 {
    process::arg(c.u32(0) as usize).map_or(0, |a| a.len() as i64)
}

/// `__cl_copy_argv(buf, idx)`: copies argv[idx] and its NUL into buf.
/// 0 on success, -EINVAL past the end, -EFAULT for a bad buffer.
fn cl_copy_argv(c: &Ctx) -> i64 {
    let Some(mut a) = process::arg(c.u32(1) as usize) else {
        return -(Errno::EINVAL.0 as i64);
    };
    a.push(0);
    match c.mem.write_bytes(c.addr(0), &a) {
        Ok(()) => 0,
        Err(e) => -(e.0 as i64),
    }
}

/// `__get_init_envfile(buf, size)`: writes the NUL-terminated path of the
/// environment file into buf and returns 1, or returns 0 when the guest
/// starts with an empty environment. A path that does not fit, or a bad
/// buffer, is 0 too, and the guest starts with an empty environment.
fn get_init_envfile(c: &Ctx) -> i64 {
    let path = match process::env_file_path() {
        Ok(Some(p)) => p,
        Ok(None) => return 0,
        Err(e) => {
            crate::wlog!(1, "cannot prepare the guest environment: errno {}", e.0);
            return 0;
        }
    };
    let bytes = path.as_bytes_with_nul();
    if bytes.len() > c.u32(1) as usize {
        crate::wlog!(1, "environment file path longer than the guest's buffer");
        return 0;
    }
    match c.mem.write_bytes(c.addr(0), bytes) {
        Ok(()) => 1,
        Err(_) => 0,
    }
}

pub mod sjlj;
