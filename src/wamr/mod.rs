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

mod module;
pub use module::{
    c_text, full_init, mode_supported, set_log_level, Func, Guest, Instance, Module, ModuleBytes,
    RunningMode, Val, ValKind,
};

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

/// Sets (or clears, with `None`) the exception of one instance only.
/// `wasm_runtime_set_exception` spreads an exception to every instance of
/// the cluster (the whole process); a thread exit must unwind one thread.
/// The shim writes WAMR's buffer under WAMR's exception lock, with the
/// layout WAMR's internal header gives (`wamr-sys/cmake/wali_shims.h`).
///
/// # Safety
/// `inst` must be a live instance.
unsafe fn set_local_exception(inst: w::wasm_module_inst_t, msg: Option<&CStr>) {
    let msg = msg.map_or(std::ptr::null(), |m| m.as_ptr());
    // SAFETY: per the contract the instance is live; `msg` is NULL or a
    // NUL-terminated string that outlives the call (the shim copies it,
    // cut to WAMR's buffer).
    unsafe { w::wali_set_local_exception(inst, msg) };
}

/// The exec env of the host call (or guest-thread body) running on this
/// thread, through which the layers above reach WAMR without `unsafe`.
///
/// Invariant: the handle is live for as long as this value exists. It is
/// made only by [`Env::from_raw`] at an entry point (for the duration of
/// one host call); it is neither `Clone`, `Send` nor `Sync` (a raw pointer
/// inside), so it is not duplicated past that call nor used by another
/// thread.
pub struct Env(w::wasm_exec_env_t);

impl Env {
    /// Wraps the exec env WAMR passed to the running host call.
    ///
    /// # Safety
    /// `raw` must be the live exec env of the host call running on this
    /// thread, and the `Env` must not be kept past the return of that call.
    #[inline(always)]
    pub unsafe fn from_raw(raw: w::wasm_exec_env_t) -> Env {
        Env(raw)
    }

    /// The raw handle (using it needs `unsafe` and this value's liveness).
    #[inline(always)]
    pub fn raw(&self) -> w::wasm_exec_env_t {
        self.0
    }

    /// The instance running on this exec env.
    pub fn instance(&self) -> w::wasm_module_inst_t {
        // SAFETY: the exec env is live (type invariant).
        unsafe { w::wasm_runtime_get_module_inst(self.0) }
    }

    /// The guest memory as it is now (another thread, or this call, may
    /// have grown it since a call's view was taken).
    pub fn mem(&self) -> crate::abi::mem::GuestMem {
        // SAFETY: the exec env is live (type invariant).
        unsafe { crate::abi::mem::GuestMem::of(self.0) }
    }

    /// The guest memory of this call, looked up on first use.
    pub fn lazy_mem(&self) -> crate::abi::mem::LazyMem {
        // SAFETY: the exec env is live for the call (type invariant); the
        // LazyMem is kept in the call's context, which lives no longer.
        unsafe { crate::abi::mem::LazyMem::new(self.0) }
    }

    /// Largest size the default memory may reach, in bytes (its declared
    /// maximum, capped at the 4 GiB a 32-bit address can reach); 0 without
    /// memory.
    pub fn memory_max_size(&self) -> u64 {
        // SAFETY: live instance (type invariant); the getters only read.
        unsafe {
            let m = w::wasm_runtime_get_default_memory(self.instance());
            if m.is_null() {
                return 0;
            }
            let pages = w::wasm_memory_get_max_page_count(m);
            let page = w::wasm_memory_get_bytes_per_page(m);
            pages.saturating_mul(page).min(1 << 32)
        }
    }

    /// An identity of the default memory: its WAMR memory instance (threads
    /// of one guest share it) and host base address; (0, 0) without one.
    pub fn memory_identity(&self) -> (usize, u64) {
        // SAFETY: live instance (type invariant); the getters only read.
        unsafe {
            let m = w::wasm_runtime_get_default_memory(self.instance());
            if m.is_null() {
                return (0, 0);
            }
            (m as usize, w::wasm_memory_get_base_address(m) as u64)
        }
    }

    /// Grows the default memory by `pages` wasm pages (WAMR takes the
    /// shared-memory lock; the base address does not move because WAMR
    /// reserves the whole range up front). False when the maximum would be
    /// exceeded or the host refuses: never a trap.
    pub fn enlarge_memory(&self, pages: u64) -> bool {
        // SAFETY: live instance (type invariant).
        unsafe { w::wasm_runtime_enlarge_memory(self.instance(), pages) }
    }

    /// Raises `msg` in every instance of the cluster (the whole process):
    /// each guest thread unwinds when it next checks its exception.
    pub fn raise_process(&self, msg: &CStr) {
        // SAFETY: live instance (type invariant); WAMR copies the text.
        unsafe { w::wasm_runtime_set_exception(self.instance(), msg.as_ptr()) };
    }

    /// Raises `msg` in this instance only: this thread's guest frames
    /// unwind when the current host call returns.
    pub fn raise_local(&self, msg: &CStr) {
        // SAFETY: live instance (type invariant).
        unsafe { set_local_exception(self.instance(), Some(msg)) };
    }

    /// Clears this instance's exception if it is `msg` (as raised by
    /// [`Env::raise_local`]); returns whether it was.
    pub fn take_local_exception(&self, msg: &CStr) -> bool {
        let inst = self.instance();
        // SAFETY: live instance (type invariant), run by this thread;
        // WAMR's exception text is NUL-terminated inside the instance.
        let matches = unsafe {
            let e = w::wasm_runtime_get_exception(inst);
            !e.is_null()
                && CStr::from_ptr(e).to_bytes().strip_prefix(b"Exception: ") == Some(msg.to_bytes())
        };
        if matches {
            // SAFETY: live instance (type invariant).
            unsafe { set_local_exception(inst, None) };
        }
        matches
    }

    /// Runs `f` with WAMR's locks that a guest thread may hold while running
    /// engine code taken (see `wali_thread.c`), around a `fork`: released
    /// after `f` in the parent, and in the child by its copy of this thread.
    pub fn fork_locked<R>(&self, f: impl FnOnce() -> R) -> R {
        // SAFETY: live exec env (type invariant); taken here and released
        // below by the same thread (in a forked child, by its copy of it:
        // the mutexes are plain, without owner checks).
        unsafe { w::wali_fork_lock(self.0, 1) };
        let r = f();
        // SAFETY: taken above by this thread.
        unsafe { w::wali_fork_lock(self.0, 0) };
        r
    }

    /// Calls guest function-table entry `index`, checked to be of type
    /// `params -> results` (see [`call_table`]).
    pub fn call_table(
        &self,
        index: u32,
        params: &[ValType],
        results: &[ValType],
        cells: &mut [u32],
    ) -> bool {
        // SAFETY: live exec env, used by this thread (type invariant).
        unsafe { call_table(self.0, index, params, results, cells) }
    }

    /// Starts a host thread that runs `body` with the exec env of a new
    /// guest thread (see [`ThreadEnv`]). False if WAMR cannot make the
    /// instance or the thread.
    pub fn spawn_thread(&self, body: ThreadBody) -> bool {
        // SAFETY: live exec env (type invariant).
        unsafe { ThreadEnv::spawn(self.0, body) }
    }
}

/// Modules being loaded (see `Module::load_inner`).
pub(crate) static LOADING: AtomicU32 = AtomicU32::new(0);

/// Whether a module is being loaded: WAMR's output is silenced meanwhile.
pub fn loading() -> bool {
    LOADING.load(Ordering::Relaxed) > 0
}

/// Computes and caches the calling thread's stack boundary for WAMR's
/// stack checks now: for the main thread glibc reads it from
/// `/proc/self/maps`, which a sandbox may close later.
pub fn cache_stack_boundary() {
    // SAFETY: no arguments; WAMR reads the thread's attributes and caches
    // the result in its own thread-local.
    unsafe { w::wali_cache_stack_boundary() };
}

/// What a new guest thread's host thread runs.
pub type ThreadBody = Box<dyn FnOnce(&ThreadEnv) + Send>;

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
    unsafe fn spawn(parent: w::wasm_exec_env_t, body: ThreadBody) -> bool {
        let GuestThreads {
            stack_size: stack,
            native_stack_size: native,
            ..
        } = guest_threads();
        let arg = Box::into_raw(Box::new(body));
        let entry: unsafe extern "C" fn(w::wasm_exec_env_t, *mut std::ffi::c_void) = thread_main;
        // SAFETY: per the contract `parent` is live; on success the shim
        // hands `arg` to `thread_main` exactly once, on failure it leaves it
        // to us.
        let ok =
            unsafe { w::wali_spawn_thread(parent, stack, native, Some(entry), arg.cast()) } == 0;
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
            w::wali_reset_stack_pointer(w::wasm_runtime_get_module_inst(self.0));
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
        let found = w::wali_table_func(inst, index, &mut func, &mut size);
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

// Outcomes of `wali_table_func` (wamr-sys/cmake/wali_shims.h).
const TABLE_OK: std::ffi::c_int = w::WALI_TABLE_OK as std::ffi::c_int;
const TABLE_NONE: std::ffi::c_int = w::WALI_TABLE_NONE as std::ffi::c_int;
const TABLE_UNDEFINED: std::ffi::c_int = w::WALI_TABLE_UNDEFINED as std::ffi::c_int;
const TABLE_NULL: std::ffi::c_int = w::WALI_TABLE_NULL as std::ffi::c_int;

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
