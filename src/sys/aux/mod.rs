//! Auxiliary calls of the WALI ABI (not syscalls): start-up, argv, the
//! environment file, process exit, threads and setjmp/longjmp. Each handler
//! returns the import's result (the engine's entry writes it to WAMR's
//! result slot; a call without result ignores it).

use crate::abi::args::aux as args;
use crate::abi::errno::Errno;
use crate::ctx::process;
use crate::ctx::Ctx;

/// `__wasm_thread_spawn(fn, arg)`: the new thread's kernel TID, or -errno.
pub fn wasm_thread_spawn(c: &Ctx, a: args::WasmThreadSpawn) -> i64 {
    let r = crate::sys::thread::spawn(c, a.wasm_start_fn.0, a.args.0);
    crate::ctx::trace::spawned(a.wasm_start_fn, a.args, &r);
    crate::abi::errno::to_raw(r)
}

/// `setjmp(env)` / `sigsetjmp(env, savesigs)` as an import: the direct
/// return, 0. An import cannot return a second time; programs built with
/// the compiler's setjmp lowering never call it (see [`crate::sys::aux::sjlj`]).
pub fn setjmp(_c: &Ctx, _a: args::Setjmp) -> i64 {
    0
}

/// `sigsetjmp(env, savesigs)`: as [`setjmp`].
pub fn sigsetjmp(_c: &Ctx, _a: args::Sigsetjmp) -> i64 {
    0
}

/// `__init() -> i32`: 0 when the engine is ready for the guest.
pub fn init(_c: &Ctx) -> i64 {
    0
}

/// `__deinit() -> i32`: 0 after a clean `main` return.
pub fn deinit(_c: &Ctx) -> i64 {
    0
}

/// `__proc_exit(status)`: ends the whole process with `status`.
pub fn proc_exit(c: &Ctx, a: args::ProcExit) -> i64 {
    crate::sys::process::exit_process(c, a.status);
    0
}

pub fn cl_get_argc(_c: &Ctx) -> i64 {
    process::argc() as i64
}

/// `__cl_get_argv_len(idx)`: strlen of argv[idx]; 0 past the end.
pub fn cl_get_argv_len(_c: &Ctx, a: args::ClGetArgvLen) -> i64 {
    process::arg(a.arg_index as usize).map_or(0, |a| a.len() as i64)
}

/// `__cl_copy_argv(buf, idx)`: copies argv[idx] and its NUL into buf.
/// 0 on success, -EINVAL past the end, -EFAULT for a bad buffer.
pub fn cl_copy_argv(c: &Ctx, a: args::ClCopyArgv) -> i64 {
    let Some(mut arg) = process::arg(a.arg_index as usize) else {
        return -(Errno::EINVAL.0 as i64);
    };
    arg.push(0);
    match c.mem.write_bytes(a.argbuf, &arg) {
        Ok(()) => 0,
        Err(e) => -(e.0 as i64),
    }
}

/// `__get_init_envfile(buf, size)`: writes the NUL-terminated path of the
/// environment file into buf and returns 1, or returns 0 when the guest
/// starts with an empty environment. A path that does not fit, or a bad
/// buffer, is 0 too, and the guest starts with an empty environment.
pub fn get_init_envfile(c: &Ctx, a: args::GetInitEnvfile) -> i64 {
    let path = match process::env_file_path() {
        Ok(Some(p)) => p,
        Ok(None) => return 0,
        Err(e) => {
            crate::wlog!(1, "cannot prepare the guest environment: errno {}", e.0);
            return 0;
        }
    };
    let bytes = path.as_bytes_with_nul();
    if bytes.len() > a.bufsize as usize {
        crate::wlog!(1, "environment file path longer than the guest's buffer");
        return 0;
    }
    match c.mem.write_bytes(a.pathbuf, bytes) {
        Ok(()) => 1,
        Err(_) => 0,
    }
}

pub mod sjlj;
