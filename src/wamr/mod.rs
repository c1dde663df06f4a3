//! Layer 3: WAMR, as the layers above need it.
//!
//! Thin wrappers over WAMR's embedding API and over the shims compiled into
//! our WAMR build (`wamr-sys/cmake/wali_*.c`): raising and clearing a guest
//! exception on one instance, calling a guest function-table entry, starting
//! a guest thread's host thread, WAMR's fork locks, and the settings guest
//! threads get. Loading and running whole modules is [`crate::runtime`]'s.

use crate::abi::spec_types::ValType;
use std::ffi::{CStr, CString};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Mutex;
use wamr_sys as w;

/// The wasm stack and native stack of a guest thread, and the most guest
/// threads a process may have.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GuestThreads {
    pub max_threads: u32,
    /// Wasm (operand) stack of each thread, in bytes.
    pub stack_size: u32,
    /// Native stack of each thread the engine starts, in bytes.
    pub native_stack_size: u32,
}

/// Default `--stack-size`: the wasm stack of each thread, where the
/// interpreter and the fast JIT keep guest frames. As deep as a native C
/// stack (8 MiB, Linux's default `RLIMIT_STACK`) and as AoT code's native
/// stack: guest frames there take 2 to 5 times a native frame (measured:
/// 167 bytes per level in the interpreter and 320 in the fast JIT for a
/// two-argument function), so C recursion some tens of thousands deep runs
/// in every mode. It costs address space only: WAMR's zeroing of the stack
/// is skipped (wamr-sys/cmake/wali_stack.c), so a thread commits only the
/// pages its frames reach.
pub const DEFAULT_STACK_SIZE: u32 = 8 * 1024 * 1024;
/// WAMR's cap on the native stack it uses per thread (APP_THREAD_STACK_SIZE_MAX).
pub const NATIVE_STACK_MAX: u32 = 8 * 1024 * 1024;

/// The settings of `iwasm` (set by `runtime::init`), which win.
static OF_ENGINE: Mutex<Option<GuestThreads>> = Mutex::new(None);
/// The settings of an embedding that initialises WAMR itself and never calls
/// `runtime::init` (`wali_set_threads`). Until set, an embedding's guest runs
/// one thread (its spawns fail with `EAGAIN`).
static OF_EMBEDDING: Mutex<Option<GuestThreads>> = Mutex::new(None);

/// Records `iwasm`'s guest-thread settings.
pub fn set_engine_threads(t: GuestThreads) {
    *OF_ENGINE.lock().unwrap_or_else(|e| e.into_inner()) = Some(t);
}

/// Records an embedding's guest-thread settings.
pub fn set_embedding_threads(t: GuestThreads) {
    *OF_EMBEDDING.lock().unwrap_or_else(|e| e.into_inner()) = Some(t);
}

/// The settings guest threads get: `iwasm`'s, or an embedding's, or one
/// thread with the default stacks.
pub fn guest_threads() -> GuestThreads {
    let of = |m: &Mutex<Option<GuestThreads>>| *m.lock().unwrap_or_else(|e| e.into_inner());
    of(&OF_ENGINE)
        .or_else(|| of(&OF_EMBEDDING))
        .unwrap_or(GuestThreads {
            max_threads: 1,
            stack_size: DEFAULT_STACK_SIZE,
            native_stack_size: NATIVE_STACK_MAX,
        })
}

/// Most guest threads, as configured.
pub fn max_threads() -> u32 {
    guest_threads().max_threads
}

/// Exit status of a process whose guest trapped (`unreachable`, an
/// out-of-bounds access, a stack overflow, a mistyped table call) or made
/// the engine unable to go on safely: 128 + SIGABRT, as wasmtime exits on a
/// trap on Unix. It is an exit status, not death by a signal, so a caller
/// that waits can tell both apart; a shell's `$?` reads 134 for either, and
/// never 1 (the guest's `exit(1)`) or the engine's load errors (1).
pub const TRAP_STATUS: i32 = 134;

/// Kind of a module file, by its magic number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Wasm,
    Aot,
}

/// The kind of a file from its first bytes.
pub fn kind_of(bytes: &[u8]) -> Option<Kind> {
    match bytes.get(..4)? {
        b"\0asm" => Some(Kind::Wasm),
        b"\0aot" => Some(Kind::Aot),
        _ => None,
    }
}

/// WAMR's text when a guest overflows the exec env's wasm stack (the
/// interpreter's and fast JIT's frames): the one stack a user can size.
const WASM_STACK_OVERFLOW: &str = "wasm operand stack overflow";

/// A trap message with, for an overflow of the wasm stack, the option that
/// sizes it and its current value, so that a user can act on it.
pub fn with_stack_hint(message: String) -> String {
    if !message.contains(WASM_STACK_OVERFLOW) {
        return message;
    }
    let size = guest_threads().stack_size;
    format!("{message} (raise --stack-size=N, now {size} bytes)")
}

/// Offset of `cur_exception` (a 128-byte text buffer) in WAMR's
/// `WASMModuleInstance`, which `AOTModuleInstance` shares. The fields before
/// it have a fixed 64-bit layout (`DefPointer`): 4+4, 8, 4+4, 8, 8, 8, 8,
/// 4*4, 4*8 bytes. AoT code reads the exception at this same offset, which
/// is why WAMR keeps it fixed.
const CUR_EXCEPTION_OFFSET: usize = 104;
const EXCEPTION_BUF_LEN: usize = 128;

/// Sets (or clears, with `None`) the exception of one instance only.
/// `wasm_runtime_set_exception` spreads an exception to every instance of
/// the cluster (the whole process); a thread exit must unwind one thread.
///
/// # Safety
/// `inst` must be a live instance used by the calling thread.
unsafe fn set_local_exception(inst: w::wasm_module_inst_t, msg: Option<&CStr>) {
    let mut text = [0u8; EXCEPTION_BUF_LEN];
    if let Some(m) = msg {
        let full = format!("Exception: {}", m.to_string_lossy());
        let n = full.len().min(EXCEPTION_BUF_LEN - 1);
        text[..n].copy_from_slice(&full.as_bytes()[..n]);
    }
    // SAFETY: per the contract the instance is live; the buffer lies at
    // CUR_EXCEPTION_OFFSET inside it (see above) and is EXCEPTION_BUF_LEN
    // bytes long; only this thread runs code of this instance.
    unsafe {
        let dst = (inst as *mut u8).add(CUR_EXCEPTION_OFFSET);
        std::ptr::copy_nonoverlapping(text.as_ptr(), dst, EXCEPTION_BUF_LEN);
    }
}

/// Raises `msg` in the instance of `env` only: that thread's guest frames
/// unwind when the current host call returns.
///
/// # Safety
/// `env` must be the live exec env of the calling host function.
pub unsafe fn raise_local(env: w::wasm_exec_env_t, msg: &CStr) {
    // SAFETY: per the contract the instance is live and ours.
    unsafe { set_local_exception(w::wasm_runtime_get_module_inst(env), Some(msg)) };
}

/// Modules being loaded (see `Module::load_inner`).
pub(crate) static LOADING: AtomicU32 = AtomicU32::new(0);

/// Whether a module is being loaded: WAMR's output is silenced meanwhile.
pub fn loading() -> bool {
    LOADING.load(Ordering::Relaxed) > 0
}

/// Clears the exception of `env`'s instance if it is `msg` (as raised by
/// [`raise_local`]); returns whether it was.
///
/// # Safety
/// `env` must be the live exec env of the calling host function.
pub unsafe fn take_local_exception(env: w::wasm_exec_env_t, msg: &CStr) -> bool {
    // SAFETY: per the contract the instance is live and run by this thread;
    // WAMR's exception text is NUL-terminated inside the instance.
    unsafe {
        let inst = w::wasm_runtime_get_module_inst(env);
        let e = w::wasm_runtime_get_exception(inst);
        if e.is_null() {
            return false;
        }
        let text = CStr::from_ptr(e).to_bytes();
        if text.strip_prefix(b"Exception: ") != Some(msg.to_bytes()) {
            return false;
        }
        set_local_exception(inst, None);
        true
    }
}

// The shims compiled into WAMR's library (wamr-sys/cmake/wali_thread.c,
// wali_table.c).
extern "C" {
    fn wali_table_func(
        inst: w::wasm_module_inst_t,
        idx: u32,
        out: *mut w::wasm_function_inst_t,
        size: *mut u32,
    ) -> std::ffi::c_int;
    fn wali_reset_stack_pointer(inst: w::wasm_module_inst_t);
    fn wali_fork_lock(env: w::wasm_exec_env_t, lock: i32);
    fn wali_spawn_thread(
        parent: w::wasm_exec_env_t,
        stack_size: u32,
        native_stack_size: u32,
        body: extern "C" fn(w::wasm_exec_env_t, *mut std::ffi::c_void),
        arg: *mut std::ffi::c_void,
    ) -> i32;
    // WAMR's platform layer (posix_thread.c): the calling thread's stack
    // boundary, computed once per thread and cached in a thread-local.
    fn os_thread_get_stack_boundary() -> *mut u8;
}

/// Computes and caches the calling thread's stack boundary for WAMR's
/// stack checks now: for the main thread glibc reads it from
/// `/proc/self/maps`, which a sandbox may close later.
pub fn cache_stack_boundary() {
    // SAFETY: no arguments; WAMR reads the thread's attributes and caches
    // the result in its own thread-local.
    let _ = unsafe { os_thread_get_stack_boundary() };
}

/// Takes (`lock`) or releases WAMR's locks that a guest thread may hold
/// while running engine code, around a `fork` (see `wali_thread.c`).
///
/// # Safety
/// `env` must be the live exec env of the calling host function; each
/// release follows a take by the same thread (or its forked copy).
pub unsafe fn fork_lock(env: w::wasm_exec_env_t, lock: bool) {
    // SAFETY: per the contract.
    unsafe { wali_fork_lock(env, lock as i32) };
}

/// What a new guest thread's host thread runs.
type ThreadBody = Box<dyn FnOnce(&ThreadEnv) + Send>;

/// The exec env of a guest thread, lent to the thread's body: a new instance
/// of the running module over the same shared memory, in the same cluster
/// (so a process-wide exception reaches it), without a WAMR-managed shadow
/// stack (the guest's start routine sets `__stack_pointer` to a stack it
/// allocated). WAMR destroys it with its instance when the body returns.
pub struct ThreadEnv(w::wasm_exec_env_t);

impl ThreadEnv {
    /// Starts a host thread that runs `body` with the exec env of a new guest
    /// thread. False if WAMR cannot make the instance or the thread.
    ///
    /// # Safety
    /// `parent` must be the live exec env of the calling host function.
    pub unsafe fn spawn(parent: w::wasm_exec_env_t, body: ThreadBody) -> bool {
        let GuestThreads {
            stack_size: stack,
            native_stack_size: native,
            ..
        } = guest_threads();
        let arg = Box::into_raw(Box::new(body));
        // SAFETY: per the contract `parent` is live; on success the shim
        // hands `arg` to `thread_main` exactly once, on failure it leaves it
        // to us.
        let ok = unsafe { wali_spawn_thread(parent, stack, native, thread_main, arg.cast()) } == 0;
        if !ok {
            // SAFETY: not handed over (see above): ours to free.
            drop(unsafe { Box::from_raw(arg) });
        }
        ok
    }

    /// Calls table entry `func` with `(tid, arg)`. Returns the exception text
    /// if the call did not return normally, and clears it on this instance.
    pub fn call(&self, func: u32, tid: u32, arg: u32) -> Option<String> {
        let mut argv = [tid, arg];
        // SAFETY: the exec env is live while the body runs and used only by
        // this host thread; argv holds the two i32 arguments of the start
        // routine's type `(i32, i32) -> ()`.
        unsafe {
            // A pooled instance starts each guest thread as a fresh one.
            wali_reset_stack_pointer(w::wasm_runtime_get_module_inst(self.0));
            if call_table(self.0, func, &[ValType::I32; 2], &[], &mut argv) {
                return None;
            }
            crate::host::sigaction::after_guest_unwind();
            let inst = w::wasm_runtime_get_module_inst(self.0);
            let e = w::wasm_runtime_get_exception(inst);
            let text = if e.is_null() {
                "unknown".to_string()
            } else {
                CStr::from_ptr(e).to_string_lossy().into_owned()
            };
            set_local_exception(inst, None);
            Some(text)
        }
    }

    /// The guest memory seen by this thread.
    pub fn mem(&self) -> crate::abi::mem::GuestMem {
        // SAFETY: the exec env is live while the body runs.
        unsafe { crate::abi::mem::GuestMem::of(self.0) }
    }
}

/// Entry of a guest thread's host thread, called once by the shim.
extern "C" fn thread_main(env: w::wasm_exec_env_t, arg: *mut std::ffi::c_void) {
    // SAFETY: `arg` is the Box made by `ThreadEnv::spawn`, handed over once.
    let body = unsafe { Box::from_raw(arg.cast::<ThreadBody>()) };
    body(&ThreadEnv(env));
}

/// Calls guest function-table entry `index` on `env` after checking that it
/// is a function of type `params -> results`, as a wasm `call_indirect`
/// would. `cells` holds the arguments (one 32-bit cell per `i32`/`f32`, two
/// per `i64`/`f64`, low half first) and receives the results the same way.
/// False if the guest raised an exception, which stays set so the guest
/// unwinds; a missing or mistyped entry raises the trap `call_indirect`
/// raises.
///
/// # Safety
/// `env` must be the live exec env of the calling host function (or of a
/// thread body), used by this thread only.
pub unsafe fn call_table(
    env: w::wasm_exec_env_t,
    index: u32,
    params: &[ValType],
    results: &[ValType],
    cells: &mut [u32],
) -> bool {
    let width = |ts: &[ValType]| -> usize {
        ts.iter()
            .map(|t| match t {
                ValType::I64 | ValType::F64 => 2,
                _ => 1,
            })
            .sum()
    };
    let argc = width(params);
    assert!(
        cells.len() >= argc.max(width(results)),
        "cell buffer too small"
    );
    // SAFETY: per the contract `env` is live; the table lookup only reads
    // the instance, and the function's type is read through WAMR's public
    // accessors into buffers of the counts WAMR reports.
    unsafe {
        let inst = w::wasm_runtime_get_module_inst(env);
        let mut func: w::wasm_function_inst_t = std::ptr::null_mut();
        let mut size = 0u32;
        let found = wali_table_func(inst, index, &mut func, &mut size);
        if found != TABLE_OK || func.is_null() {
            let msg = table_error(found, index, size);
            w::wasm_runtime_set_exception(inst, msg.as_ptr());
            return false;
        }
        let np = w::wasm_func_get_param_count(func, inst) as usize;
        let nr = w::wasm_func_get_result_count(func, inst) as usize;
        let mut kinds = vec![0 as w::wasm_valkind_t; np + nr];
        w::wasm_func_get_param_types(func, inst, kinds.as_mut_ptr());
        w::wasm_func_get_result_types(func, inst, kinds.as_mut_ptr().add(np));
        let want = params.iter().chain(results);
        if np != params.len()
            || nr != results.len()
            || !want.zip(&kinds).all(|(t, k)| valkind_is(*k, *t))
        {
            w::wasm_runtime_set_exception(inst, c"indirect call type mismatch".as_ptr());
            return false;
        }
        // The type matches: WAMR reads `argc` cells and writes back the
        // result cells, both within `cells` (checked above). Through
        // `call_wasm`, not `call_indirect`: an AoT exception inside the
        // callee then stops at this call (its own fault boundary), where
        // `call_indirect`, made for calls from AoT code, passes it on by
        // faulting again towards the outermost guest call, past this host
        // function.
        let returned = w::wasm_runtime_call_wasm(env, func, argc as u32, cells.as_mut_ptr());
        if !returned {
            // AoT code leaves by a fault and WAMR's longjmp (see
            // signal::after_guest_unwind); this call is where it landed.
            crate::host::sigaction::after_guest_unwind();
        }
        returned
    }
}

// Outcomes of `wali_table_func` (wamr-sys/cmake/wali_table.c).
const TABLE_OK: std::ffi::c_int = 0;
const TABLE_NONE: std::ffi::c_int = 1;
const TABLE_UNDEFINED: std::ffi::c_int = 2;
const TABLE_NULL: std::ffi::c_int = 3;

/// The trap message for a table entry the host cannot call: the words of
/// WAMR's `call_indirect` traps first, then what the engine was given.
fn table_error(found: std::ffi::c_int, index: u32, size: u32) -> CString {
    let text = match found {
        TABLE_NONE => {
            format!("undefined element: the module has no function table 0 (index {index})")
        }
        TABLE_UNDEFINED => format!(
            "undefined element: function-table index {index} is out of range (table 0 has \
             {size} entries)"
        ),
        TABLE_NULL => format!("uninitialized element: function-table index {index} is null"),
        _ => format!(
            "invalid function reference: function-table element {index} is not a function \
             of this module"
        ),
    };
    // No NUL in the formatted text.
    CString::new(text).unwrap_or_default()
}

/// Whether WAMR's value kind `k` is the wasm type `t`.
fn valkind_is(k: w::wasm_valkind_t, t: ValType) -> bool {
    matches!(
        (k as u32, t),
        (w::WASM_I32, ValType::I32)
            | (w::WASM_I64, ValType::I64)
            | (w::WASM_F32, ValType::F32)
            | (w::WASM_F64, ValType::F64)
    )
}
