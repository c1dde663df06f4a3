//! Loading, linking and running a WALI module on WAMR.
//!
//! This is the FFI layer to WAMR's embedding API; the rest of the crate sees
//! safe functions. One runtime per process (WAMR's own rule), initialised
//! once with [`init`].

use crate::native;
use crate::process;
use crate::spec_types::ValType;
use std::ffi::{CStr, CString};
use std::fmt;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Mutex;
use wamr_sys as w;

/// How a `.wasm` module is executed. AoT files always run as AoT.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// WAMR's classic interpreter.
    Interp,
    /// WAMR's fast-JIT (asmjit back end): the default for `.wasm`.
    FastJit,
}

/// Settings of the runtime and of each instance.
#[derive(Clone, Debug)]
pub struct Config {
    /// Mode for `.wasm` modules.
    pub mode: Mode,
    /// Operand/native stack per thread, in bytes.
    pub stack_size: u32,
    /// WAMR's app heap inside linear memory (WALI guests manage their own
    /// memory with brk/mmap, so 0 is right for them).
    pub heap_size: u32,
    /// Most threads per process (a server needs many).
    pub max_threads: u32,
    /// Fast-JIT code cache, in bytes.
    pub jit_codecache_size: u32,
    /// Native (host) stack of each guest thread the engine starts, in bytes,
    /// up to WAMR's limit of 8 MiB (the main thread's is `RLIMIT_STACK`, up
    /// to the same limit). AoT code keeps its frames there, so this bounds
    /// AoT recursion (8 MiB: the depth of the reference engine, which runs
    /// on the 8 MiB main thread); the interpreter and fast JIT keep guest
    /// frames on the wasm stack (`stack_size`). Address space only: the
    /// stack is checked in software, so only the pages used are mapped.
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

impl Default for Config {
    fn default() -> Self {
        Config {
            mode: Mode::FastJit,
            stack_size: DEFAULT_STACK_SIZE,
            heap_size: 0,
            max_threads: 256,
            jit_codecache_size: 10 * 1024 * 1024,
            native_stack_size: NATIVE_STACK_MAX,
        }
    }
}

/// What can go wrong between a file and its exit status, each a one-line
/// message a user can act on.
#[derive(Debug)]
pub enum Error {
    Init(String),
    NotWasm,
    Load(String),
    /// A module's imports cannot be linked: the first bad or unknown one.
    Link(String),
    Instantiate(String),
    NoStart,
    /// `-f NAME` cannot call the function: no such export, or arguments
    /// that do not fit its parameters (upstream's exception text).
    Function(String),
    /// The guest trapped: WAMR's exception text and the guest call stack.
    Trap {
        message: String,
        stack: String,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Init(m) => write!(f, "cannot start the WebAssembly runtime: {m}"),
            Error::NotWasm => write!(f, "not a WebAssembly module or WAMR AoT file"),
            Error::Load(m) => write!(f, "cannot load module: {m}"),
            Error::Link(m) => write!(f, "cannot link module: {m}"),
            Error::Instantiate(m) => write!(f, "cannot instantiate module: {m}"),
            Error::NoStart => write!(f, "module exports no `_start` function"),
            Error::Function(m) => f.write_str(m),
            Error::Trap { message, .. } => write!(f, "trap: {message}"),
        }
    }
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

static INIT: Mutex<Option<Config>> = Mutex::new(None);

/// Guest-thread settings of an embedding (`wali_set_threads`), which
/// initialises WAMR itself and never calls [`init`]: most threads, wasm
/// stack and native stack of each. Until set, an embedding's guest runs one
/// thread (its spawns fail with `EAGAIN`).
static EMBED_THREADS: Mutex<Option<(u32, u32, u32)>> = Mutex::new(None);

/// Sets an embedding's guest-thread settings (see [`EMBED_THREADS`]); 0
/// sizes keep the defaults. The native stack is capped at WAMR's limit.
pub fn set_embed_threads(max_threads: u32, stack_size: u32, native_stack_size: u32) {
    let d = Config::default();
    let stack = if stack_size == 0 {
        d.stack_size
    } else {
        stack_size
    };
    let native = if native_stack_size == 0 {
        d.native_stack_size
    } else {
        native_stack_size.min(NATIVE_STACK_MAX)
    };
    *EMBED_THREADS.lock().unwrap_or_else(|e| e.into_inner()) =
        Some((max_threads.max(1), stack, native));
}

/// The value an embedding gives WAMR's `RuntimeInitArgs.max_thread_num` for
/// `max_threads` guest threads: WAMR's cluster limit also counts the idle
/// pooled threads and those still being torn down.
pub fn wamr_thread_num(max_threads: u32) -> u32 {
    max_threads
        .saturating_mul(2)
        .saturating_add(crate::thread::POOL_MAX as u32)
}

/// A module's bytes as the engine loads them, when they need a change:
/// WAMR's loader freezes the memory of a module with no `memory.grow` or
/// `memory.size` at its initial size, and WALI modules grow it through
/// mmap/brk instead, so such a module is marked growable. None: load the
/// bytes as they are (AoT files, which `wamrc` prepared, and modules that
/// grow memory themselves).
pub fn prepare(bytes: &[u8]) -> Option<Vec<u8>> {
    match kind_of(bytes) {
        Some(Kind::Wasm) => wasm_patch::mark_growable(bytes),
        _ => None,
    }
}

/// The settings guest threads get: `iwasm`'s, or an embedding's.
fn thread_config() -> Config {
    if let Some(c) = INIT.lock().unwrap_or_else(|e| e.into_inner()).as_ref() {
        return c.clone();
    }
    let mut c = Config {
        max_threads: 1,
        ..Config::default()
    };
    if let Some((max, stack, native)) = *EMBED_THREADS.lock().unwrap_or_else(|e| e.into_inner()) {
        c.max_threads = max;
        c.stack_size = stack;
        c.native_stack_size = native;
    }
    c
}

/// Starts WAMR (once per process) and registers the `wali` host functions.
pub fn init(cfg: &Config) -> Result<(), Error> {
    with_signals_blocked(|| init_inner(cfg))
}

/// Runs `f` with every signal blocked in the calling thread, so threads
/// WAMR starts meanwhile (fast-JIT compilation threads) inherit a full mask
/// and never take a signal meant for the guest: Linux hands a
/// process-directed signal to any thread that does not block it, and a
/// helper thread would discard it (SIG_IGN) or run nobody's handler.
fn with_signals_blocked<R>(f: impl FnOnce() -> R) -> R {
    // SAFETY: sigset_t is plain data filled by sigfillset; pthread_sigmask
    // only changes this thread's mask, restored below.
    unsafe {
        let mut all: libc::sigset_t = std::mem::zeroed();
        let mut old: libc::sigset_t = std::mem::zeroed();
        libc::sigfillset(&mut all);
        libc::pthread_sigmask(libc::SIG_BLOCK, &all, &mut old);
        let r = f();
        libc::pthread_sigmask(libc::SIG_SETMASK, &old, std::ptr::null_mut());
        r
    }
}

fn init_inner(cfg: &Config) -> Result<(), Error> {
    let mut done = INIT.lock().unwrap_or_else(|e| e.into_inner());
    if done.is_some() {
        return Ok(());
    }
    // Before WAMR changes any disposition.
    crate::signal::inherit_host_dispositions();
    // What the guest may not touch is recorded before it runs.
    crate::guard::init();
    // SAFETY: RuntimeInitArgs is plain data; zero is "default" for each field.
    let ok = unsafe {
        let mut args: w::RuntimeInitArgs = std::mem::zeroed();
        args.mem_alloc_type = w::Alloc_With_System_Allocator;
        // `--max-threads` is enforced by crate::thread; WAMR's own cluster
        // limit also counts the idle pooled threads and those still being
        // torn down, so it leaves room for them.
        args.max_thread_num = wamr_thread_num(cfg.max_threads);
        args.fast_jit_code_cache_size = cfg.jit_codecache_size;
        args.running_mode = match cfg.mode {
            Mode::Interp => w::Mode_Interp,
            Mode::FastJit => w::Mode_Fast_JIT,
        };
        w::wasm_runtime_full_init(&mut args)
    };
    if !ok {
        return Err(Error::Init("wasm_runtime_full_init failed".into()));
    }
    set_log_level(process::verbose());
    crate::signal::init_host();
    if !native::register() {
        return Err(Error::Init(
            "cannot register the wali host functions".into(),
        ));
    }
    native::link_bytecode_raw(cfg.mode == Mode::Interp);
    *done = Some(cfg.clone());
    Ok(())
}

/// WAMR's own log level follows `-v=N` (0 fatal only ... 4 verbose).
pub fn set_log_level(v: u32) {
    // SAFETY: sets a global integer in WAMR.
    unsafe { w::wasm_runtime_set_log_level(v.min(4) as w::log_level_t) };
}

/// Whether this build can run `mode`.
pub fn mode_supported(mode: Mode) -> bool {
    let m = match mode {
        Mode::Interp => w::Mode_Interp,
        Mode::FastJit => w::Mode_Fast_JIT,
    };
    // SAFETY: a pure query.
    unsafe { w::wasm_runtime_is_running_mode_supported(m) }
}

/// A loaded and linked module. Keeps the bytes WAMR may refer to.
pub struct Module {
    raw: w::wasm_module_t,
    kind: Kind,
    _bytes: ModuleBytes,
}

/// The bytes of a module file: read into memory, or (AoT files) mapped.
///
/// An AoT file is mapped privately instead of read: WAMR's loader copies
/// its code and data out at once, and a mapping of the page cache costs
/// neither the anonymous pages a read fills (allocated, zeroed, then
/// copied into: about 15 % of a Lua start-up in AoT) nor the copy. WAMR
/// writes into the bytes while loading (string terminators): those pages
/// become the process's own copies. A `.wasm` file is always read: the
/// interpreter runs bytecode in place after validating it, and a private
/// mapping would still show later writes to the file in the pages the
/// process has not copied.
pub struct ModuleBytes(Bytes);

enum Bytes {
    Owned(Vec<u8>),
    /// `len` visible bytes of a private mapping of `map_len` bytes.
    Mapped {
        ptr: *mut u8,
        len: usize,
        map_len: usize,
    },
}

impl ModuleBytes {
    /// Maps `len` bytes of `f` (an AoT file, `len` its size from the same
    /// descriptor) privately, read-write, populated from the page cache.
    pub fn map(f: &std::fs::File, len: usize) -> std::io::Result<ModuleBytes> {
        use std::os::fd::AsRawFd;
        if len == 0 {
            return Ok(ModuleBytes(Bytes::Owned(Vec::new())));
        }
        // SAFETY: a fresh private mapping chosen by the kernel; nothing
        // else refers to that range. The file is the user's own AoT file
        // (checked by the callers before the bytes are trusted): if someone
        // truncates it while it is mapped, a read past its new end raises
        // SIGBUS in the engine, as any change to native code it runs could
        // do worse.
        let p = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_POPULATE,
                f.as_raw_fd(),
                0,
            )
        };
        if p == libc::MAP_FAILED {
            return Err(std::io::Error::last_os_error());
        }
        Ok(ModuleBytes(Bytes::Mapped {
            ptr: p as *mut u8,
            len,
            map_len: len,
        }))
    }

    /// Keeps the first `n` bytes (no-op if there are fewer).
    pub fn truncate(&mut self, n: usize) {
        match &mut self.0 {
            Bytes::Owned(v) => v.truncate(n),
            Bytes::Mapped { len, .. } => *len = (*len).min(n),
        }
    }

    /// The bytes as a vector (a copy if mapped).
    pub fn into_vec(mut self) -> Vec<u8> {
        match std::mem::replace(&mut self.0, Bytes::Owned(Vec::new())) {
            Bytes::Owned(v) => v,
            mapped => ModuleBytes(mapped).to_vec(),
        }
    }
}

impl fmt::Debug for ModuleBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let how = match self.0 {
            Bytes::Owned(_) => "read",
            Bytes::Mapped { .. } => "mapped",
        };
        write!(f, "ModuleBytes({} bytes, {how})", self.len())
    }
}

impl From<Vec<u8>> for ModuleBytes {
    fn from(v: Vec<u8>) -> ModuleBytes {
        ModuleBytes(Bytes::Owned(v))
    }
}

impl std::ops::Deref for ModuleBytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match &self.0 {
            Bytes::Owned(v) => v,
            // SAFETY: the first `len` bytes of a live mapping of at least
            // that size, owned by `self` (unmapped only on drop).
            Bytes::Mapped { ptr, len, .. } => unsafe { std::slice::from_raw_parts(*ptr, *len) },
        }
    }
}

impl std::ops::DerefMut for ModuleBytes {
    fn deref_mut(&mut self) -> &mut [u8] {
        match &mut self.0 {
            Bytes::Owned(v) => v,
            // SAFETY: as in `deref`; the mapping is private and writable,
            // and `&mut self` makes this the only reference to it.
            Bytes::Mapped { ptr, len, .. } => unsafe { std::slice::from_raw_parts_mut(*ptr, *len) },
        }
    }
}

impl Drop for ModuleBytes {
    fn drop(&mut self) {
        if let Bytes::Mapped { ptr, map_len, .. } = self.0 {
            // SAFETY: the mapping made in `map`, of that length, no longer
            // referred to (a Module keeps its bytes until WAMR unloads it).
            unsafe { libc::munmap(ptr as *mut libc::c_void, map_len) };
        }
    }
}

impl Module {
    /// Loads a `.wasm` or `.aot` image and links every `wali` import.
    pub fn load(bytes: impl Into<ModuleBytes>) -> Result<Module, Error> {
        let bytes = bytes.into();
        with_signals_blocked(|| Module::load_inner(bytes))
    }

    fn load_inner(mut bytes: ModuleBytes) -> Result<Module, Error> {
        let kind = kind_of(&bytes).ok_or(Error::NotWasm)?;
        if kind == Kind::Aot && wasm_patch::aot_stack_checked(&bytes) != Some(true) {
            // Its code would overflow the native stack, which has no guard
            // pages, instead of trapping (wasm_patch::AOT_STACK_CHECKED).
            return Err(Error::Load(
                "AoT file compiled without native stack checks: compile it with this \
                 engine's wamrc (without --stack-bounds-checks=0)"
                    .into(),
            ));
        }
        // WAMR's loader freezes the memory of a module with no memory.grow
        // or memory.size at its initial size; WALI modules grow it through
        // mmap/brk instead. (wamrc applies the same for AoT files.)
        if let Some(prepared) = prepare(&bytes) {
            bytes = prepared.into();
        }
        let len =
            u32::try_from(bytes.len()).map_err(|_| Error::Load("file larger than 4 GiB".into()))?;
        let mut err = [0 as std::ffi::c_char; 256];
        let name = c"wali-module";
        // A bytecode module's imports are linked while WAMR loads it, so
        // that nothing can compile a call to an import before the import is
        // linked (such a call would take WAMR's generic path for good). Other
        // files (AoT, or bytecode this reader does not understand) are linked
        // after.
        let imports = match kind {
            Kind::Wasm => wasm_patch::func_imports(&bytes),
            _ => None,
        };
        let mut load = |no_resolve: bool| {
            // SAFETY: `bytes` outlives the module (kept in Module::_bytes,
            // not moved: neither a Vec's heap buffer nor a mapping moves
            // with its owner).
            unsafe {
                let mut args: w::LoadArgs = std::mem::zeroed();
                args.name = name.as_ptr() as *mut _;
                args.no_resolve = no_resolve;
                w::wasm_runtime_load_ex(
                    bytes.as_mut_ptr(),
                    len,
                    &args,
                    err.as_mut_ptr(),
                    err.len() as u32,
                )
            }
        };
        // WAMR's output while loading is discarded: the loader's errors
        // come back in `err`.
        LOADING.fetch_add(1, Ordering::SeqCst);
        let raw = match &imports {
            // SAFETY: `load` loads the module these imports were read from.
            Some(imports) => unsafe { native::load_linked(imports, || load(false)) },
            None => Ok(load(true)),
        };
        LOADING.fetch_sub(1, Ordering::SeqCst);
        let raw = raw.map_err(Error::Link)?;
        if raw.is_null() {
            return Err(Error::Load(c_text(&err)));
        }
        let module = Module {
            raw,
            kind,
            _bytes: bytes,
        };
        // SAFETY: `raw` was just loaded and is owned by `module`. Imports
        // linked during the load stay as they are; this reports any left.
        unsafe {
            match imports {
                Some(_) if w::wasm_runtime_resolve_symbols(raw) => {}
                Some(_) => return Err(Error::Link(native::unlinked_import(raw))),
                None => native::link_module(raw).map_err(Error::Link)?,
            }
        }
        Ok(module)
    }

    pub fn kind(&self) -> Kind {
        self.kind
    }

    /// The WAMR handle, for embedders.
    pub fn raw(&self) -> w::wasm_module_t {
        self.raw
    }
}

impl Drop for Module {
    fn drop(&mut self) {
        // SAFETY: no instance of this module outlives `run`.
        unsafe { w::wasm_runtime_unload(self.raw) };
    }
}

fn c_text(buf: &[std::ffi::c_char]) -> String {
    // WAMR NUL-terminates its error buffers; stop at the first NUL.
    let bytes: Vec<u8> = buf
        .iter()
        .take_while(|&&c| c != 0)
        .map(|&c| c as u8)
        .collect();
    String::from_utf8_lossy(&bytes).trim().to_string()
}

/// An instance with its main exec env, destroyed on drop.
struct Instance {
    inst: w::wasm_module_inst_t,
    env: w::wasm_exec_env_t,
}

impl Drop for Instance {
    fn drop(&mut self) {
        // Destroying the main exec env waits for every thread of the
        // cluster: the idle pooled ones end first.
        crate::thread::release_idle();
        // SAFETY: created by `instantiate` below and used by nobody else now.
        unsafe {
            if !self.env.is_null() {
                w::wasm_runtime_destroy_exec_env(self.env);
            }
            w::wasm_runtime_deinstantiate(self.inst);
        }
    }
}

fn instantiate(module: &Module, cfg: &Config) -> Result<Instance, Error> {
    let mut err = [0 as std::ffi::c_char; 256];
    // SAFETY: the module is loaded and linked; error buffer sized as given.
    let inst = unsafe {
        w::wasm_runtime_instantiate(
            module.raw,
            cfg.stack_size,
            cfg.heap_size,
            err.as_mut_ptr(),
            err.len() as u32,
        )
    };
    if inst.is_null() {
        return Err(Error::Instantiate(c_text(&err)));
    }
    let mut it = Instance {
        inst,
        env: std::ptr::null_mut(),
    };
    if module.kind == Kind::Wasm {
        let mode = match cfg.mode {
            Mode::Interp => w::Mode_Interp,
            Mode::FastJit => w::Mode_Fast_JIT,
        };
        // SAFETY: a fresh instance with no exec env yet.
        if !unsafe { w::wasm_runtime_set_running_mode(inst, mode) } {
            return Err(Error::Instantiate(format!(
                "running mode {:?} is not supported by this build",
                cfg.mode
            )));
        }
    }
    // SAFETY: a live instance; the exec env is destroyed with it.
    it.env = unsafe { w::wasm_runtime_create_exec_env(inst, cfg.stack_size) };
    if it.env.is_null() {
        return Err(Error::Instantiate(
            "cannot create the execution environment".into(),
        ));
    }
    Ok(it)
}

/// Runs the module's `_start` and returns the guest's exit status.
pub fn run(module: &Module, cfg: &Config) -> Result<i32, Error> {
    // SAFETY: `run_on` passes the live instance and its main exec env.
    run_on(module, cfg, |inst, env| unsafe { call_start(inst, env) })
}

/// What `-f NAME` ([`run_function`]) did.
#[derive(Debug, PartialEq)]
pub enum FunctionRun {
    /// The function returned: its results as the reference `iwasm` prints
    /// them (`0x2a:i32,1.5:f64`; empty for none), without the newline.
    Returned(String),
    /// The guest called `exit`/`exit_group` with this status.
    Exited(i32),
}

/// Runs the export `name` of the module with `args` parsed by its parameter
/// types, as the reference `iwasm -f` does (WAMR's
/// `wasm_application_execute_func`), on the same main exec env and
/// per-thread state as `_start` (see [`run`]), without the C library's
/// start-up. Upstream's function calls it on the instance's singleton exec
/// env instead (no thread cluster: a guest `clone` inside would fail),
/// prints the results through `os_printf` (stderr in this build, see
/// `wali_vprintf.c`), and reports a missing export and a trap alike; so the
/// same parsing and printing are done here.
pub fn run_function(
    module: &Module,
    cfg: &Config,
    name: &str,
    args: &[CString],
) -> Result<FunctionRun, Error> {
    let mut out = None;
    let status = run_on(module, cfg, |inst, env| {
        // SAFETY: `run_on` passes the live instance and its main exec env.
        let r = unsafe { call_function(inst, env, name, args) }?;
        if let FunctionRun::Exited(s) = r {
            return Ok(s);
        }
        out = Some(r);
        Ok(0)
    })?;
    Ok(out.unwrap_or(FunctionRun::Exited(status)))
}

/// Instantiates the module and runs `call` on the instance and its main
/// exec env; then, as for `_start`, a process with other guest threads
/// still running ends with them.
fn run_on(
    module: &Module,
    cfg: &Config,
    call: impl FnOnce(w::wasm_module_inst_t, w::wasm_exec_env_t) -> Result<i32, Error>,
) -> Result<i32, Error> {
    let it = instantiate(module, cfg)?;
    let result = call(it.inst, it.env);
    match &result {
        Ok(status) if crate::thread::teardown_would_wait() => {
            // `_start` returned with other guest threads running (or left
            // over from a fork): the process ends with them, as on Linux
            // (not a wait for them, which destroying the instance would do).
            crate::host::exit_group_now(*status);
        }
        Err(Error::Trap { .. }) if crate::thread::teardown_would_wait() => {
            // A trap ends the process whatever the other threads do: some
            // may be blocked in the kernel for good, and destroying the
            // instance would wait for them. The caller reports the trap and
            // exits; another thread that trapped first ends the process
            // itself.
            if !crate::thread::claim_dying() {
                crate::thread::park_forever();
            }
            std::mem::forget(it);
        }
        _ => {}
    }
    result
}

/// Calls `_start` of a live instance on `env` and returns the guest's exit
/// status: the one given to `__proc_exit`/`exit_group`, or 0 if `_start`
/// returns.
///
/// # Safety
/// `inst` must be a live instance and `env` a live exec env of it.
pub unsafe fn call_start(
    inst: w::wasm_module_inst_t,
    env: w::wasm_exec_env_t,
) -> Result<i32, Error> {
    start_guest();
    let start = c"_start";
    // SAFETY: live instance; the name is a NUL-terminated literal.
    let func = unsafe { w::wasm_runtime_lookup_function(inst, start.as_ptr()) };
    if func.is_null() {
        return Err(Error::NoStart);
    }
    // WAMR (re)installs its fault handlers while preparing an instance; put
    // the engine's in front again (see crate::signal).
    crate::signal::thread_started();
    // SAFETY: `_start` takes no argument and returns nothing; argv may be
    // NULL for argc 0.
    let ok = unsafe { w::wasm_runtime_call_wasm(env, func, 0, std::ptr::null_mut()) };
    if let Some(status) = process::exit_requested() {
        // SAFETY: live instance; the exit unwound through an exception.
        unsafe { w::wasm_runtime_clear_exception(inst) };
        return Ok(status);
    }
    if ok {
        return Ok(0);
    }
    // SAFETY: live instance.
    let message = unsafe { exception_text(inst) };
    Err(Error::Trap {
        message: with_stack_hint(message),
        stack: call_stack(env),
    })
}

/// Resets the engine's per-run state before a guest's first call.
fn start_guest() {
    process::clear_exit();
    crate::thread::reset();
    // A new guest: its memory mappings start afresh.
    crate::mm::reset();
}

/// The instance's exception (without WAMR's "Exception: " prefix).
///
/// # Safety
/// `inst` must be a live instance.
unsafe fn exception_text(inst: w::wasm_module_inst_t) -> String {
    // SAFETY: live instance; the exception text is copied out at once.
    unsafe {
        let e = w::wasm_runtime_get_exception(inst);
        if e.is_null() {
            "unknown".to_string()
        } else {
            let s = CStr::from_ptr(e).to_string_lossy();
            s.strip_prefix("Exception: ").unwrap_or(&s).to_string()
        }
    }
}

/// Parses one `-f` argument as upstream's `execute_func` does: C's
/// `strtoul`/`strtoull` with base 0 (so `-1` and `0xff` work), `strtof`/
/// `strtod` with `-nan` and `nan:0xPAYLOAD`; trailing text other than `_`
/// is an error.
fn parse_arg(kind: w::wasm_valkind_t, arg: &CStr, i: usize) -> Result<w::wasm_val_t, String> {
    let bad = || format!("invalid input argument {i}: {}", arg.to_string_lossy());
    if arg.is_empty() {
        return Err(format!("invalid input argument {i}"));
    }
    let mut end: *mut std::ffi::c_char = std::ptr::null_mut();
    let mut v = w::wasm_val_t {
        kind,
        _paddings: [0; 7],
        of: w::wasm_val_t__bindgen_ty_1 { i64_: 0 },
    };
    let negative = arg.to_bytes().first() == Some(&b'-');
    // SAFETY: `arg` is NUL-terminated; `end` receives a pointer into it.
    unsafe {
        match kind as u32 {
            w::WASM_I32 => v.of.i32_ = libc::strtoul(arg.as_ptr(), &mut end, 0) as u32 as i32,
            w::WASM_I64 => v.of.i64_ = libc::strtoull(arg.as_ptr(), &mut end, 0) as i64,
            w::WASM_F32 => {
                let mut f = libc::strtof(arg.as_ptr(), &mut end);
                if f.is_nan() {
                    let mut bits = f.to_bits();
                    if negative {
                        bits |= 1 << 31;
                    }
                    if *end == b':' as std::ffi::c_char {
                        let sig = libc::strtoul(end.add(1), &mut end, 0) as u32;
                        bits = (bits & !0x7f_ffff) | (sig & 0x7f_ffff);
                    }
                    f = f32::from_bits(bits);
                }
                v.of.f32_ = f;
            }
            w::WASM_F64 => {
                let mut f = libc::strtod(arg.as_ptr(), &mut end);
                if f.is_nan() {
                    let mut bits = f.to_bits();
                    if negative {
                        bits |= 1 << 63;
                    }
                    if *end == b':' as std::ffi::c_char {
                        let sig = libc::strtoull(end.add(1), &mut end, 0);
                        let mask = (1u64 << 52) - 1;
                        bits = (bits & !mask) | (sig & mask);
                    }
                    f = f64::from_bits(bits);
                }
                v.of.f64_ = f;
            }
            _ => {
                return Err(format!(
                    "invalid input argument {i}: parameters of type {} cannot be given \
                     on the command line here (only i32, i64, f32 and f64)",
                    kind_name(kind)
                ))
            }
        }
        if !end.is_null() && *end != 0 && *end != b'_' as std::ffi::c_char {
            return Err(bad());
        }
    }
    Ok(v)
}

fn kind_name(kind: w::wasm_valkind_t) -> &'static str {
    match kind as u32 {
        w::WASM_I32 => "i32",
        w::WASM_I64 => "i64",
        w::WASM_F32 => "f32",
        w::WASM_F64 => "f64",
        w::WASM_V128 => "v128",
        w::WASM_EXTERNREF => "externref",
        w::WASM_FUNCREF => "funcref",
        _ => "unknown",
    }
}

/// A float as C's `%.7g` prints it (upstream's format for f32 and f64).
fn g7(x: f64) -> String {
    let mut buf = [0 as std::ffi::c_char; 64];
    // SAFETY: the buffer's size is given; the format takes one double.
    let n = unsafe { libc::snprintf(buf.as_mut_ptr(), buf.len(), c"%.7g".as_ptr(), x) };
    if n < 0 {
        return x.to_string();
    }
    c_text(&buf)
}

/// One result of declared type `kind` as upstream's `execute_func` prints
/// it. (`wasm_runtime_call_wasm_a` reports a funcref result as an i32, so
/// the declared type decides, not `v.kind`.)
fn format_result(kind: w::wasm_valkind_t, v: &w::wasm_val_t) -> String {
    // WAMR's null funcref (NULL_REF).
    const NULL_FUNC: u32 = u32::MAX;
    // SAFETY: WAMR set the member of the union that the type stores in.
    unsafe {
        match kind as u32 {
            w::WASM_I32 => format!("0x{:x}:i32", v.of.i32_ as u32),
            w::WASM_I64 => format!("0x{:x}:i64", v.of.i64_ as u64),
            w::WASM_F32 => format!("{}:f32", g7(f64::from(v.of.f32_))),
            w::WASM_F64 => format!("{}:f64", g7(v.of.f64_)),
            w::WASM_FUNCREF if v.of.i32_ as u32 == NULL_FUNC => "func:ref.null".into(),
            w::WASM_FUNCREF => format!("{}:ref.func", v.of.i32_ as u32),
            w::WASM_EXTERNREF if v.of.foreign == 0 || v.of.foreign == usize::MAX => {
                "extern:ref.null".into()
            }
            w::WASM_EXTERNREF => format!("0x{:x}:ref.extern", v.of.foreign),
            _ => format!("?:{}", kind_name(kind)),
        }
    }
}

/// Calls the export `name` of a live instance on `env` (see
/// [`run_function`]).
///
/// # Safety
/// `inst` must be a live instance and `env` a live exec env of it.
pub unsafe fn call_function(
    inst: w::wasm_module_inst_t,
    env: w::wasm_exec_env_t,
    name: &str,
    args: &[CString],
) -> Result<FunctionRun, Error> {
    start_guest();
    let lookup_failed = || Error::Function(format!("lookup function {name} failed"));
    let cname = CString::new(name).map_err(|_| lookup_failed())?;
    // SAFETY: live instance; NUL-terminated name.
    let func = unsafe { w::wasm_runtime_lookup_function(inst, cname.as_ptr()) };
    if func.is_null() {
        return Err(lookup_failed());
    }
    // SAFETY: `func` belongs to `inst`; the type buffers hold the counts.
    let (params, results) = unsafe {
        let np = w::wasm_func_get_param_count(func, inst) as usize;
        let nr = w::wasm_func_get_result_count(func, inst) as usize;
        let mut p: Vec<w::wasm_valkind_t> = vec![0; np];
        let mut r: Vec<w::wasm_valkind_t> = vec![0; nr];
        w::wasm_func_get_param_types(func, inst, p.as_mut_ptr());
        w::wasm_func_get_result_types(func, inst, r.as_mut_ptr());
        (p, r)
    };
    if params.len() != args.len() {
        return Err(Error::Function(format!(
            "invalid input argument count: {name} takes {}, {} given",
            params.len(),
            args.len()
        )));
    }
    let mut argv = params
        .iter()
        .zip(args)
        .enumerate()
        .map(|(i, (&k, a))| parse_arg(k, a, i))
        .collect::<Result<Vec<_>, _>>()
        .map_err(Error::Function)?;
    let mut resv: Vec<w::wasm_val_t> = results
        .iter()
        .map(|&kind| w::wasm_val_t {
            kind,
            _paddings: [0; 7],
            of: w::wasm_val_t__bindgen_ty_1 { i64_: 0 },
        })
        .collect();
    crate::signal::thread_started();
    // SAFETY: live exec env of `inst`; the argument and result arrays hold
    // the function's counts of values of its types.
    let ok = unsafe {
        w::wasm_runtime_call_wasm_a(
            env,
            func,
            resv.len() as u32,
            resv.as_mut_ptr(),
            argv.len() as u32,
            argv.as_mut_ptr(),
        )
    };
    if let Some(status) = process::exit_requested() {
        // SAFETY: live instance; the exit unwound through an exception.
        unsafe { w::wasm_runtime_clear_exception(inst) };
        return Ok(FunctionRun::Exited(status));
    }
    if ok {
        let shown: Vec<String> = results
            .iter()
            .zip(&resv)
            .map(|(&k, v)| format_result(k, v))
            .collect();
        return Ok(FunctionRun::Returned(shown.join(",")));
    }
    Err(Error::Trap {
        // SAFETY: live instance.
        message: with_stack_hint(unsafe { exception_text(inst) }),
        stack: call_stack(env),
    })
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
    let size = INIT
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .as_ref()
        .map_or(Config::default().stack_size, |c| c.stack_size);
    format!("{message} (raise --stack-size=N, now {size} bytes)")
}

/// The guest call stack recorded at the last exception, as text.
fn call_stack(env: w::wasm_exec_env_t) -> String {
    // SAFETY: the exec env is not executing (the call returned).
    unsafe {
        let n = w::wasm_runtime_get_call_stack_buf_size(env);
        if n == 0 {
            return String::new();
        }
        let mut buf = vec![0 as std::ffi::c_char; n as usize + 1];
        w::wasm_runtime_dump_call_stack_to_buf(env, buf.as_mut_ptr(), n + 1);
        c_text(&buf)
    }
}

/// Reads a module file, with one-line errors.
pub fn read_module_file(path: &str) -> Result<Vec<u8>, String> {
    read_module_file_with_owner(path).map(|(bytes, _)| bytes)
}

/// Magic number of WAMR AoT files.
const AOT_MAGIC: &[u8; 4] = b"\0aot";

/// Who may have written a module file: its owner and permission bits, taken
/// from the same open descriptor the bytes are read from (no window in
/// which the file could be swapped between the check and the read).
#[derive(Clone, Copy, Debug)]
pub struct FileOwner {
    pub uid: u32,
    pub mode: u32,
}

/// Reads a module file and tells who owns it.
pub fn read_module_file_with_owner(path: &str) -> Result<(Vec<u8>, FileOwner), String> {
    read_module_file_stamped(path).map(|(b, o, _)| (b.into_vec(), o))
}

/// Which file version was read: device, inode, size, modification and
/// change times (seconds, nanoseconds), the same before and after the read.
pub type FileStamp = [i64; 7];

/// Reads a module file, tells who owns it and, if the file did not change
/// while it was read (same stamp from the descriptor before and after),
/// its [`FileStamp`].
pub fn read_module_file_stamped(
    path: &str,
) -> Result<(ModuleBytes, FileOwner, Option<FileStamp>), String> {
    use std::os::unix::fs::MetadataExt;
    let fail = |e: std::io::Error| format!("cannot read {path}: {e}");
    let mut f = std::fs::File::open(path).map_err(fail)?;
    let m = f.metadata().map_err(fail)?;
    let stamp = |m: &std::fs::Metadata| -> FileStamp {
        [
            m.dev() as i64,
            m.ino() as i64,
            m.size() as i64,
            m.mtime(),
            m.mtime_nsec(),
            m.ctime(),
            m.ctime_nsec(),
        ]
    };
    let bytes = read_or_map(&mut f, &m).map_err(fail)?;
    let after = f.metadata().map_err(fail)?;
    let stable = (m.is_file() && stamp(&m) == stamp(&after) && bytes.len() as u64 == m.size())
        .then(|| stamp(&m));
    Ok((
        bytes,
        FileOwner {
            uid: m.uid(),
            mode: m.mode(),
        },
        stable,
    ))
}

/// The content of the open file `f` (whose metadata `m` is): mapped if it
/// is a regular file holding an AoT module, else read. Every AoT file is
/// mapped, however small: a mapped file is one of the engine's files, which
/// the guest may not open for writing (`crate::guard`), and that should not
/// depend on the file's size.
pub fn read_or_map(f: &mut std::fs::File, m: &std::fs::Metadata) -> std::io::Result<ModuleBytes> {
    use std::io::Read;
    use std::os::unix::fs::FileExt;
    if m.is_file() && m.len() >= AOT_MAGIC.len() as u64 && m.len() <= isize::MAX as u64 {
        let mut magic = [0u8; 4];
        if f.read_exact_at(&mut magic, 0).is_ok() && &magic == AOT_MAGIC {
            return ModuleBytes::map(f, m.len() as usize);
        }
    }
    let mut bytes = Vec::with_capacity(m.len() as usize);
    f.read_to_end(&mut bytes)?;
    Ok(bytes.into())
}

/// The effective user id of the engine process.
pub fn effective_uid() -> u32 {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() }
}

/// Why an AoT file may not be trusted, if it may not: it is native code the
/// engine jumps into, so it must come from the user running it (or root),
/// and nobody else may be able to have rewritten it (no group or other
/// write permission), as ssh judges its keys. `euid` is the caller's
/// effective user.
pub fn aot_untrusted(owner: FileOwner, euid: u32) -> Option<&'static str> {
    if owner.uid != euid && owner.uid != 0 {
        return Some("is owned by another user");
    }
    if owner.mode & 0o022 != 0 {
        return Some("is writable by other users");
    }
    None
}

/// Converts a string to a C string, replacing an interior NUL (impossible in
/// argv from the OS) by an error.
pub fn cstring(s: &[u8]) -> Result<CString, String> {
    CString::new(s.to_vec()).map_err(|_| "argument contains a NUL byte".to_string())
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
static LOADING: AtomicU32 = AtomicU32::new(0);

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
        let (stack, native) = {
            let c = thread_config();
            (c.stack_size, c.native_stack_size)
        };
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
            crate::signal::after_guest_unwind();
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
    pub fn mem(&self) -> crate::mem::GuestMem {
        // SAFETY: the exec env is live while the body runs.
        unsafe { crate::mem::GuestMem::of(self.0) }
    }
}

/// Entry of a guest thread's host thread, called once by the shim.
extern "C" fn thread_main(env: w::wasm_exec_env_t, arg: *mut std::ffi::c_void) {
    // SAFETY: `arg` is the Box made by `ThreadEnv::spawn`, handed over once.
    let body = unsafe { Box::from_raw(arg.cast::<ThreadBody>()) };
    body(&ThreadEnv(env));
}

/// Most guest threads, as configured at `init`.
pub fn max_threads() -> u32 {
    thread_config().max_threads
}

/// A host signal handler in the SA_SIGINFO form: signal, `siginfo_t`'s
/// `si_code`. Runs in signal context: atomics only.
pub type HostSigHandler = extern "C" fn(libc::c_int, *mut libc::siginfo_t, *mut libc::c_void);

/// What a host signal does.
#[derive(Clone, Copy, Debug)]
pub enum HostAction {
    Default,
    Ignore,
    Handler(HostSigHandler),
}

/// Sets the host disposition of `sig`; returns the previous raw action.
/// Handlers run with SA_SIGINFO, SA_ONSTACK (WAMR's alternate stack) and
/// without SA_RESTART, so a blocking host call returns EINTR and the guest
/// handler can run before the call is restarted or fails.
pub fn set_host_action(sig: i32, act: HostAction) -> Result<libc::sigaction, crate::errno::Errno> {
    // SAFETY: sigaction with a zeroed (valid) struct and a handler of the
    // signature the kernel calls with SA_SIGINFO.
    unsafe {
        let mut sa: libc::sigaction = std::mem::zeroed();
        match act {
            HostAction::Default => sa.sa_sigaction = libc::SIG_DFL,
            HostAction::Ignore => sa.sa_sigaction = libc::SIG_IGN,
            HostAction::Handler(h) => {
                sa.sa_sigaction = h as usize;
                sa.sa_flags = libc::SA_SIGINFO | libc::SA_ONSTACK;
                if sig == libc::SIGSEGV || sig == libc::SIGBUS {
                    // WAMR's fault handler (chained from ours) leaves by
                    // longjmp, e.g. for every exception of AoT code: the
                    // signal must not stay blocked afterwards, or the
                    // thread's next fault kills the process. WAMR installs
                    // it with SA_NODEFER for the same reason.
                    sa.sa_flags |= libc::SA_NODEFER;
                }
            }
        }
        libc::sigemptyset(&mut sa.sa_mask);
        let mut old: libc::sigaction = std::mem::zeroed();
        if libc::sigaction(sig, &sa, &mut old) != 0 {
            return Err(crate::errno::Errno::last());
        }
        Ok(old)
    }
}

/// Whether the host disposition of `sig` is SIG_IGN (false for a signal
/// the C library refuses to report).
pub fn host_ignores(sig: i32) -> bool {
    // SAFETY: a query only (no new action); `old` is plain data the call fills.
    unsafe {
        let mut old: libc::sigaction = std::mem::zeroed();
        libc::sigaction(sig, std::ptr::null(), &mut old) == 0 && old.sa_sigaction == libc::SIG_IGN
    }
}

/// Calls a saved SA_SIGINFO host action (WAMR's fault handler), if it is one.
///
/// # Safety
/// Only from a signal handler for `sig`, with the kernel's `info`/`uctx`.
pub unsafe fn chain_host_action(
    saved: &libc::sigaction,
    sig: libc::c_int,
    info: *mut libc::siginfo_t,
    uctx: *mut libc::c_void,
) -> bool {
    let h = saved.sa_sigaction;
    if h == libc::SIG_DFL || h == libc::SIG_IGN || saved.sa_flags & libc::SA_SIGINFO == 0 {
        return false;
    }
    // SAFETY: `h` was installed as an SA_SIGINFO handler of this type.
    unsafe {
        let f: HostSigHandler = std::mem::transmute::<usize, HostSigHandler>(h);
        f(sig, info, uctx);
    }
    true
}

/// `si_code` of a signal's info: > 0 for a fault raised by the kernel,
/// <= 0 for a signal sent by kill/tkill/sigqueue.
///
/// # Safety
/// `info` must be the kernel's siginfo of the running handler.
pub unsafe fn si_code(info: *const libc::siginfo_t) -> i32 {
    // SAFETY: per the contract `info` is valid for the handler's duration.
    unsafe { (*info).si_code }
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
            crate::signal::after_guest_unwind();
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

/// `AT_EXECFN` of this process: the file name its `execve` was given (for a
/// start through binfmt_misc, the module's; see `binfmt::started_for`).
pub fn exec_fn() -> Option<Vec<u8>> {
    // SAFETY: getauxval only reads the auxiliary vector. A non-zero
    // AT_EXECFN is the address of a NUL-terminated string the kernel placed
    // on the initial stack, which stays mapped and unchanged for the life of
    // the process (nothing writes above the start-up arguments).
    unsafe {
        let p = libc::getauxval(libc::AT_EXECFN) as *const std::ffi::c_char;
        if p.is_null() {
            return None;
        }
        Some(CStr::from_ptr(p).to_bytes().to_vec())
    }
}

#[cfg(test)]
mod aot_trust_tests {
    use super::{aot_untrusted, FileOwner};

    #[test]
    fn own_or_root_files_not_writable_by_others_are_trusted() {
        let f = |uid, mode| FileOwner { uid, mode };
        assert_eq!(aot_untrusted(f(1000, 0o100644), 1000), None);
        assert_eq!(aot_untrusted(f(0, 0o100755), 1000), None);
        assert_eq!(aot_untrusted(f(0, 0o100600), 0), None);
        assert!(aot_untrusted(f(1001, 0o100644), 1000).is_some());
        assert!(aot_untrusted(f(1001, 0o100644), 0).is_some());
        assert!(aot_untrusted(f(1000, 0o100664), 1000).is_some());
        assert!(aot_untrusted(f(0, 0o100646), 0).is_some());
    }
}
