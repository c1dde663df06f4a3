//! The C ABI of `libwali.a`, declared in `include/wali.h`.
//!
//! These functions let an existing C embedding of WAMR run WALI modules:
//! register the `wali` host functions, link a module's imports, hand the
//! guest its argv and environment, run `_start` and read the exit status.
//! Pointer arguments come from C callers and are checked for NULL; strings
//! must be NUL-terminated, as the header says.

use crate::ctx::process::{self, EnvSource};
use crate::runtime;
use std::ffi::{c_char, c_int, CStr, CString};
use std::os::unix::ffi::OsStrExt;
use wamr_sys as w;

/// Copies a C string array (`n` entries) into owned strings.
///
/// # Safety
/// `v` must point at `n` valid NUL-terminated strings (or be NULL with n 0).
unsafe fn strings(n: c_int, v: *const *const c_char) -> Option<Vec<CString>> {
    if n < 0 || (n > 0 && v.is_null()) {
        return None;
    }
    let mut out = Vec::with_capacity(n as usize);
    for i in 0..n as usize {
        // SAFETY: per the contract `v` holds `n` entries, and i < n.
        let p = unsafe { *v.add(i) };
        if p.is_null() {
            return None;
        }
        // SAFETY: per the contract a non-NULL entry is a NUL-terminated
        // string; it is copied before returning.
        out.push(unsafe { CStr::from_ptr(p) }.to_owned());
    }
    Some(out)
}

/// Registers every `wali` host function with WAMR. Call once after
/// `wasm_runtime_init`/`wasm_runtime_full_init`. Returns 1, or 0 on failure.
#[no_mangle]
pub extern "C" fn wali_register_natives() -> c_int {
    // The guest starts with the embedding's dispositions (see wali.h).
    crate::sys::signal::inherit_host_dispositions();
    crate::engine::register::register() as c_int
}

/// Links every `wali` import of a module loaded with `LoadArgs.no_resolve`
/// (unknown or mistyped ones return -ENOSYS) and resolves its imports.
/// Returns 1, or 0 (with one line on stderr at verbosity 1 and above) if
/// an import has types the engine cannot serve safely or an import of
/// another module stays unresolved.
///
/// # Safety
/// `module` must be a module returned by `wasm_runtime_load_ex`.
#[no_mangle]
pub unsafe extern "C" fn wali_link_module(module: w::wasm_module_t) -> c_int {
    if module.is_null() {
        return 0;
    }
    // SAFETY: per the contract, a module WAMR loaded (checked non-NULL).
    match unsafe { crate::engine::link::link_module(module) } {
        Ok(()) => 1,
        Err(why) => {
            crate::wlog!(1, "cannot link module: {why}");
            0
        }
    }
}

/// Whether an AoT file (`len` bytes at `buf`) was compiled with native
/// stack checks (stamped by our `wamrc`): 1 yes, 0 no or not an AoT file.
/// Our WAMR build (`libvmlib.a`) has no stack guard pages, so AoT code
/// without the checks overflows the native stack instead of trapping.
///
/// # Safety
/// `buf` must point at `len` readable bytes (or be NULL).
#[no_mangle]
pub unsafe extern "C" fn wali_aot_stack_checked(buf: *const u8, len: u32) -> c_int {
    if buf.is_null() {
        return 0;
    }
    // SAFETY: per the contract `buf` holds `len` bytes.
    let bytes = unsafe { std::slice::from_raw_parts(buf, len as usize) };
    (wasm_patch::aot_stack_checked(bytes) == Some(true)) as c_int
}

/// Sets the guest's argv (argv[0] is the module path). Returns 1, or 0 for
/// a NULL array or entry.
///
/// # Safety
/// `argv` must hold `argc` NUL-terminated strings.
#[no_mangle]
pub unsafe extern "C" fn wali_set_args(argc: c_int, argv: *const *const c_char) -> c_int {
    // SAFETY: per the contract (`strings` checks NULL and a negative count).
    match unsafe { strings(argc, argv) } {
        Some(a) => {
            process::set_args(a);
            1
        }
        None => 0,
    }
}

/// Names a file of `KEY=VALUE` lines as the guest's environment (the
/// reference engine's `--env-file`); NULL means an empty environment.
///
/// # Safety
/// `path` must be NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn wali_set_env_file(path: *const c_char) -> c_int {
    if path.is_null() {
        process::set_env(EnvSource::Empty);
    } else {
        // SAFETY: per the contract a non-NULL path is NUL-terminated; it is
        // copied before returning.
        process::set_env(EnvSource::File(unsafe { CStr::from_ptr(path) }.to_owned()));
    }
    1
}

/// Sets the guest's environment to `n` strings `KEY=VALUE`.
///
/// # Safety
/// `vars` must hold `n` NUL-terminated strings.
#[no_mangle]
pub unsafe extern "C" fn wali_set_env(n: c_int, vars: *const *const c_char) -> c_int {
    // SAFETY: per the contract (`strings` checks NULL and a negative count).
    match unsafe { strings(n, vars) } {
        Some(v) => {
            process::set_env(EnvSource::Vars(
                v.into_iter().map(|s| s.into_bytes()).collect(),
            ));
            1
        }
        None => 0,
    }
}

/// Sets the verbosity of WALI's diagnostics and WAMR's log (0..5).
#[no_mangle]
pub extern "C" fn wali_set_verbose(level: c_int) {
    let v = level.clamp(0, 5) as u32;
    process::set_verbose(v);
    runtime::set_log_level(v);
}

/// Runs `_start` of `inst` on `exec_env` as a new guest (every per-guest
/// state fresh: `runtime::state`). Returns 0 and stores the guest's exit
/// status in `*status` when the guest exited (or `_start` returned);
/// returns -1 when it trapped, leaving WAMR's exception in the instance;
/// -2 (one line on stderr) when another guest is running in the process.
///
/// # Safety
/// `inst` and `exec_env` must be live and belong together; `status` must be
/// NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn wali_run_start(
    inst: w::wasm_module_inst_t,
    exec_env: w::wasm_exec_env_t,
    status: *mut c_int,
) -> c_int {
    if inst.is_null() || exec_env.is_null() {
        return -1;
    }
    // Every per-guest state fresh (runtime::state), or refused; the run
    // ends when `run` drops, after the threads below are released.
    let run = match runtime::state::reset_for_new_guest() {
        Ok(r) => r,
        Err(e) => {
            process::eprint(format_args!("wali: {e}\n"));
            return -2;
        }
    };
    // SAFETY: per the contract both are live and belong together (checked
    // non-NULL above); the Guest is used during this call only.
    let guest = unsafe { crate::wamr::Guest::from_raw(inst, exec_env) };
    let result = runtime::call_start(&guest);
    if crate::sys::thread::teardown_would_wait() {
        // Other guest threads still run (or are left over from a fork):
        // the process ends with them, as a Linux process whose main thread
        // exits, or for a trap as for a fault; destroying the instance
        // would wait for them for good.
        match &result {
            Ok(s) => crate::host::exit_group_now(*s),
            Err(e) => {
                if !crate::sys::thread::claim_dying_after_threads(runtime::TRAP_GRACE) {
                    crate::sys::thread::park_forever();
                }
                process::eprint(format_args!("wali: {e}\n"));
                crate::host::exit_group_now(runtime::TRAP_STATUS);
            }
        }
    }
    // The idle pooled host threads end now: destroying the exec env waits
    // for every thread of the cluster.
    crate::sys::thread::release_idle();
    drop(run);
    match result {
        Ok(s) => {
            if !status.is_null() {
                // SAFETY: per the contract a non-NULL `status` is writable.
                unsafe { *status = s };
            }
            0
        }
        Err(e) => {
            crate::wlog!(1, "{e}");
            -1
        }
    }
}

/// Sets the guest's thread limits (see wali.h). Returns 1, or 0 for
/// `max_threads` 0.
#[no_mangle]
pub extern "C" fn wali_set_threads(
    max_threads: u32,
    stack_size: u32,
    native_stack_size: u32,
) -> c_int {
    if max_threads == 0 {
        return 0;
    }
    runtime::set_embed_threads(max_threads, stack_size, native_stack_size);
    1
}

/// `RuntimeInitArgs.max_thread_num` for `max_threads` guest threads.
#[no_mangle]
pub extern "C" fn wali_wamr_max_thread_num(max_threads: u32) -> u32 {
    runtime::wamr_thread_num(max_threads.max(1))
}

/// Prepares a module's bytes as `iwasm` loads them (see wali.h): a new
/// buffer from `malloc` (the caller frees it with `free` after unloading
/// the module), `*out_len` its length; NULL for a NULL buffer or when
/// memory runs out.
///
/// # Safety
/// `buf` must point at `len` readable bytes (or be NULL); `out_len` must be
/// writable (or NULL).
#[no_mangle]
pub unsafe extern "C" fn wali_prepare_module(
    buf: *const u8,
    len: u32,
    out_len: *mut u32,
) -> *mut u8 {
    if buf.is_null() {
        return std::ptr::null_mut();
    }
    // SAFETY: per the contract `buf` holds `len` bytes.
    let bytes = unsafe { std::slice::from_raw_parts(buf, len as usize) };
    let prepared = runtime::prepare(bytes);
    let out: &[u8] = prepared.as_deref().unwrap_or(bytes);
    let Ok(n) = u32::try_from(out.len()) else {
        return std::ptr::null_mut();
    };
    // SAFETY: a fresh allocation of `n` bytes (at least 1), filled below.
    let p = unsafe { libc::malloc(out.len().max(1)) }.cast::<u8>();
    if p.is_null() {
        return p;
    }
    // SAFETY: `p` holds `out.len()` bytes and does not overlap `out`.
    unsafe { std::ptr::copy_nonoverlapping(out.as_ptr(), p, out.len()) };
    if !out_len.is_null() {
        // SAFETY: per the contract.
        unsafe { *out_len = n };
    }
    p
}

/// Names the engine binary that runs a module the guest `execve`s, and the
/// flags it gets before `--env-file=... -- MODULE ARGS` (see wali.h). NULL
/// `path`: `iwasm` from `PATH` (the default). Returns 1, or 0 for a NULL
/// flag array or entry.
///
/// # Safety
/// `path` must be NULL or a NUL-terminated string; `flags` must hold
/// `nflags` NUL-terminated strings.
#[no_mangle]
pub unsafe extern "C" fn wali_set_exec_engine(
    path: *const c_char,
    nflags: c_int,
    flags: *const *const c_char,
) -> c_int {
    // SAFETY: per the contract (`strings` checks NULL and a negative count).
    let Some(f) = (unsafe { strings(nflags, flags) }) else {
        return 0;
    };
    crate::host::guard::set_exec_engine(if path.is_null() {
        crate::host::guard::ExecEngine::SearchPath
    } else {
        // SAFETY: per the contract a non-NULL path is NUL-terminated; it is
        // copied before returning.
        crate::host::guard::ExecEngine::Path(unsafe { CStr::from_ptr(path) }.to_owned())
    });
    process::set_engine_flags(f);
    1
}

/// This library's version (Cargo's package version), a static string.
#[no_mangle]
pub extern "C" fn wali_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}

/// The sandbox policy being built by the `wali_sandbox_*` calls.
static SANDBOX: std::sync::Mutex<Option<crate::host::sandbox::Sandbox>> =
    std::sync::Mutex::new(None);

fn sandbox_edit(f: impl FnOnce(crate::host::sandbox::Sandbox) -> crate::host::sandbox::Sandbox) {
    let mut s = SANDBOX.lock().unwrap_or_else(|e| e.into_inner());
    *s = Some(f(s.take().unwrap_or_default()));
}

/// `--dir=PATH[:ro]`. Returns 1, or 0 for a NULL path.
///
/// # Safety
/// `path` must be NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn wali_sandbox_dir(path: *const c_char, read_only: c_int) -> c_int {
    if path.is_null() {
        return 0;
    }
    // SAFETY: per the contract, a NUL-terminated string.
    let p = unsafe { CStr::from_ptr(path) };
    let p = std::path::PathBuf::from(std::ffi::OsStr::from_bytes(p.to_bytes()));
    sandbox_edit(|s| s.dir(p, read_only != 0));
    1
}

/// `--net`: TCP bind/connect only to the `n` ports at `ports` (n 0: none).
/// Returns 1, or 0 for a NULL array with n > 0, n < 0 or port 0.
///
/// # Safety
/// `ports` must point at `n` readable `uint16_t` (or be NULL with n 0).
#[no_mangle]
pub unsafe extern "C" fn wali_sandbox_net(ports: *const u16, n: c_int) -> c_int {
    if n < 0 || (n > 0 && ports.is_null()) {
        return 0;
    }
    let list = if n == 0 {
        Vec::new()
    } else {
        // SAFETY: per the contract `ports` holds `n` entries.
        unsafe { std::slice::from_raw_parts(ports, n as usize) }.to_vec()
    };
    if list.contains(&0) {
        return 0;
    }
    sandbox_edit(|s| s.net_ports(&list));
    1
}

/// `--no-native-exec`.
#[no_mangle]
pub extern "C" fn wali_sandbox_no_native_exec() {
    sandbox_edit(|s| s.no_native_exec(true));
}

/// `--scoped`: signals and abstract UNIX sockets only within the sandbox.
#[no_mangle]
pub extern "C" fn wali_sandbox_scoped() {
    sandbox_edit(|s| s.scoped(true));
}

/// `--timeout=MS`: the process ends with status 124 after `ms` (> 0).
#[no_mangle]
pub extern "C" fn wali_sandbox_timeout_ms(ms: u32) -> c_int {
    if ms == 0 {
        return 0;
    }
    sandbox_edit(|s| s.timeout(std::time::Duration::from_millis(ms.into())));
    1
}

/// `--sandbox` (best_effort 0) or `--sandbox=best-effort` (1).
#[no_mangle]
pub extern "C" fn wali_sandbox_standard(best_effort: c_int) {
    sandbox_edit(|s| {
        s.dir(".", false)
            .net_ports(&[])
            .no_native_exec(true)
            .scoped(true)
            .best_effort(best_effort != 0)
    });
}

/// Applies the policy built so far to this process (irreversibly). Call it
/// after loading the module, before `wali_run_start`, while the process
/// has no other thread. Returns 1, or 0 with one line on stderr saying why
/// (a kernel feature missing, another thread running, a path not found).
#[no_mangle]
pub extern "C" fn wali_sandbox_apply() -> c_int {
    let s = SANDBOX
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone()
        .unwrap_or_default();
    // The main thread's stack bounds come from /proc/self/maps (glibc,
    // for WAMR's stack checks): read them while the policy allows.
    crate::wamr::cache_stack_boundary();
    match s.apply() {
        Ok(warnings) => {
            for w in warnings {
                crate::wlog!(1, "{w}");
            }
            1
        }
        Err(e) => {
            process::eprint(format_args!("wali: {e}\n"));
            0
        }
    }
}
