//! Loading, linking and running a WALI module on WAMR.
//!
//! WAMR is reached through the safe types of [`crate::wamr`] (no `unsafe`
//! here). One runtime per process (WAMR's own rule), initialised once with
//! [`init`].

use crate::ctx::process;
use crate::engine::{link, register};
use crate::wamr::{Guest, ModuleBytes, Val, ValKind};
use std::ffi::{CStr, CString};
use std::fmt;
use std::sync::Mutex;
use wamr_sys as w;

pub mod binfmt;
pub mod cache;
pub mod state;

/// How a `.wasm` module is executed. AoT files always run as AoT.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// WAMR's classic interpreter.
    Interp,
    /// WAMR's fast-JIT (asmjit back end): the default for `.wasm`.
    FastJit,
}

impl Mode {
    fn running(self) -> crate::wamr::RunningMode {
        match self {
            Mode::Interp => crate::wamr::RunningMode::Interp,
            Mode::FastJit => crate::wamr::RunningMode::FastJit,
        }
    }
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
    /// Whether anything in this process may be JIT-compiled. False (an AoT
    /// file, `--interp`) maps the code cache without execute permission:
    /// no writable and executable mapping exists then.
    pub jit: bool,
    /// Native (host) stack of each guest thread the engine starts, in bytes,
    /// up to WAMR's limit of 8 MiB (the main thread's is `RLIMIT_STACK`, up
    /// to the same limit). AoT code keeps its frames there, so this bounds
    /// AoT recursion (8 MiB: the depth of the reference engine, which runs
    /// on the 8 MiB main thread); the interpreter and fast JIT keep guest
    /// frames on the wasm stack (`stack_size`). Address space only: the
    /// stack is checked in software, so only the pages used are mapped.
    pub native_stack_size: u32,
}

use crate::wamr::with_stack_hint;
pub use crate::wamr::{kind_of, Kind, DEFAULT_STACK_SIZE, NATIVE_STACK_MAX, TRAP_STATUS};

impl Default for Config {
    fn default() -> Self {
        Config {
            mode: Mode::FastJit,
            stack_size: DEFAULT_STACK_SIZE,
            heap_size: 0,
            max_threads: 256,
            jit_codecache_size: 10 * 1024 * 1024,
            jit: true,
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
    /// A new guest cannot start now (see [`state::reset_for_new_guest`]).
    Refused(String),
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
            Error::Refused(m) => f.write_str(m),
        }
    }
}

static INIT: Mutex<Option<Config>> = Mutex::new(None);

/// Sets an embedding's guest-thread settings (`wali_set_threads`); 0
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
    crate::wamr::set_embedding_threads(crate::wamr::GuestThreads {
        max_threads: max_threads.max(1),
        stack_size: stack,
        native_stack_size: native,
    });
}

/// The value an embedding gives WAMR's `RuntimeInitArgs.max_thread_num` for
/// `max_threads` guest threads: WAMR's cluster limit also counts the idle
/// pooled threads and those still being torn down.
pub fn wamr_thread_num(max_threads: u32) -> u32 {
    max_threads
        .saturating_mul(2)
        .saturating_add(crate::sys::thread::POOL_MAX as u32)
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
    crate::host::with_signals_blocked(f)
}

fn init_inner(cfg: &Config) -> Result<(), Error> {
    let mut done = INIT.lock().unwrap_or_else(|e| e.into_inner());
    if done.is_some() {
        return Ok(());
    }
    // Before WAMR changes any disposition.
    crate::sys::signal::inherit_host_dispositions();
    // What the guest may not touch is recorded before it runs.
    crate::host::guard::init();
    // `--max-threads` is enforced by crate::sys::thread; WAMR's own cluster
    // limit also counts the idle pooled threads and those still being torn
    // down, so it leaves room for them.
    let ok = crate::wamr::full_init(
        wamr_thread_num(cfg.max_threads),
        cfg.jit_codecache_size,
        cfg.jit,
        cfg.mode.running(),
    );
    if !ok {
        return Err(Error::Init("wasm_runtime_full_init failed".into()));
    }
    set_log_level(process::verbose());
    crate::sys::signal::init_host();
    if !register::register() {
        return Err(Error::Init(
            "cannot register the wali host functions".into(),
        ));
    }
    link::link_bytecode_raw(cfg.mode == Mode::Interp);
    crate::wamr::set_engine_threads(crate::wamr::GuestThreads {
        max_threads: cfg.max_threads,
        stack_size: cfg.stack_size,
        native_stack_size: cfg.native_stack_size,
    });
    *done = Some(cfg.clone());
    Ok(())
}

/// WAMR's own log level follows `-v=N` (0 fatal only ... 4 verbose).
pub fn set_log_level(v: u32) {
    crate::wamr::set_log_level(v);
}

/// Whether this build can run `mode`.
pub fn mode_supported(mode: Mode) -> bool {
    crate::wamr::mode_supported(mode.running())
}

/// A loaded and linked module. Keeps the bytes WAMR may refer to.
pub struct Module {
    inner: crate::wamr::Module,
    kind: Kind,
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
        let inner = crate::engine::load_module(bytes, kind == Kind::Wasm).map_err(|e| match e {
            crate::engine::LoadError::Load(m) => Error::Load(m),
            crate::engine::LoadError::Link(m) => Error::Link(m),
        })?;
        Ok(Module { inner, kind })
    }

    pub fn kind(&self) -> Kind {
        self.kind
    }

    /// The WAMR handle, for embedders.
    pub fn raw(&self) -> w::wasm_module_t {
        self.inner.raw()
    }
}

/// An instance with its main exec env, destroyed on drop.
struct Instance<'m>(crate::wamr::Instance<'m>);

impl Drop for Instance<'_> {
    fn drop(&mut self) {
        // Destroying the main exec env (the inner instance's drop, after
        // this) waits for every thread of the cluster: the idle pooled ones
        // end first.
        crate::sys::thread::release_idle();
    }
}

fn instantiate<'m>(module: &'m Module, cfg: &Config) -> Result<Instance<'m>, Error> {
    let mode = (module.kind == Kind::Wasm).then_some(cfg.mode.running());
    crate::wamr::Instance::new(&module.inner, cfg.stack_size, cfg.heap_size, mode)
        .map(Instance)
        .map_err(Error::Instantiate)
}

/// Runs the module's `_start` and returns the guest's exit status.
pub fn run(module: &Module, cfg: &Config) -> Result<i32, Error> {
    run_on(module, cfg, call_start)
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
    let status = run_on(module, cfg, |g| {
        let r = call_function(g, name, args)?;
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
/// How long the main thread, trapping while other guest threads run, lets
/// a thread whose own code trapped report first
/// ([`crate::sys::thread::claim_dying_after_threads`]).
pub const TRAP_GRACE: std::time::Duration = std::time::Duration::from_millis(50);

fn run_on(
    module: &Module,
    cfg: &Config,
    call: impl FnOnce(&Guest<'_>) -> Result<i32, Error>,
) -> Result<i32, Error> {
    // Dropped last, after the instance (see state::GuestRun).
    let _run = state::reset_for_new_guest().map_err(Error::Refused)?;
    let it = instantiate(module, cfg)?;
    let result = call(&it.0.guest());
    match &result {
        Ok(status) if crate::sys::thread::teardown_would_wait() => {
            // `_start` returned with other guest threads running (or left
            // over from a fork): the process ends with them, as on Linux
            // (not a wait for them, which destroying the instance would do).
            crate::host::exit_group_now(*status);
        }
        Err(Error::Trap { .. }) if crate::sys::thread::teardown_would_wait() => {
            // A trap ends the process whatever the other threads do: some
            // may be blocked in the kernel for good, and destroying the
            // instance would wait for them. The caller reports the trap and
            // exits; another thread that trapped (WAMR copies its trap into
            // this instance too) ends the process itself.
            if !crate::sys::thread::claim_dying_after_threads(TRAP_GRACE) {
                crate::sys::thread::park_forever();
            }
            std::mem::forget(it);
        }
        _ => {}
    }
    result
}

/// Calls `_start` of a guest and returns the guest's exit status: the one
/// given to `__proc_exit`/`exit_group`, or 0 if `_start` returns.
pub fn call_start(g: &Guest<'_>) -> Result<i32, Error> {
    let Some(func) = g.lookup(c"_start") else {
        return Err(Error::NoStart);
    };
    // WAMR (re)installs its fault handlers while preparing an instance; put
    // the engine's in front again (see crate::sys::signal).
    crate::sys::signal::thread_started();
    let ok = g.call_no_args(&func);
    if let Some(status) = process::exit_requested() {
        // The exit unwound through an exception.
        g.clear_exception();
        return Ok(status);
    }
    if ok {
        return Ok(0);
    }
    Err(Error::Trap {
        message: with_stack_hint(g.exception_text()),
        stack: g.call_stack(),
    })
}

/// Parses one `-f` argument as upstream's `execute_func` does: C's
/// `strtoul`/`strtoull` with base 0 (so `-1` and `0xff` work), `strtof`/
/// `strtod` with `-nan` and `nan:0xPAYLOAD`; trailing text other than `_`
/// is an error.
fn parse_arg(kind: ValKind, arg: &CStr, i: usize) -> Result<Val, String> {
    use crate::host::{strtod, strtof, strtoul, strtoull};
    let bad = || format!("invalid input argument {i}: {}", arg.to_string_lossy());
    if arg.is_empty() {
        return Err(format!("invalid input argument {i}"));
    }
    let negative = arg.to_bytes().first() == Some(&b'-');
    // The NaN payload after `nan:` (strtoul base 0), and where it ends.
    let payload = |rest: &CStr| -> (u64, usize) {
        match rest.to_bytes().split_first() {
            Some((b':', _)) => {
                let after = &rest.to_bytes_with_nul()[1..];
                match CStr::from_bytes_until_nul(after) {
                    Ok(after) => {
                        let (v, n) = strtoull(after);
                        (v, 1 + n)
                    }
                    Err(_) => (0, 0),
                }
            }
            _ => (0, 0),
        }
    };
    let tail = |used: usize| &arg.to_bytes_with_nul()[used.min(arg.to_bytes().len())..];
    let (v, used) = match kind as u32 {
        w::WASM_I32 => {
            let (v, n) = strtoul(arg);
            (Val::I32(v as u32 as i32), n)
        }
        w::WASM_I64 => {
            let (v, n) = strtoull(arg);
            (Val::I64(v as i64), n)
        }
        w::WASM_F32 => {
            let (mut f, mut n) = strtof(arg);
            if f.is_nan() {
                let mut bits = f.to_bits();
                if negative {
                    bits |= 1 << 31;
                }
                let rest = CStr::from_bytes_until_nul(tail(n)).unwrap_or_default();
                if rest.to_bytes().first() == Some(&b':') {
                    let (sig, m) = payload(rest);
                    bits = (bits & !0x7f_ffff) | (sig as u32 & 0x7f_ffff);
                    n += m;
                }
                f = f32::from_bits(bits);
            }
            (Val::F32(f), n)
        }
        w::WASM_F64 => {
            let (mut f, mut n) = strtod(arg);
            if f.is_nan() {
                let mut bits = f.to_bits();
                if negative {
                    bits |= 1 << 63;
                }
                let rest = CStr::from_bytes_until_nul(tail(n)).unwrap_or_default();
                if rest.to_bytes().first() == Some(&b':') {
                    let (sig, m) = payload(rest);
                    let mask = (1u64 << 52) - 1;
                    bits = (bits & !mask) | (sig & mask);
                    n += m;
                }
                f = f64::from_bits(bits);
            }
            (Val::F64(f), n)
        }
        _ => {
            return Err(format!(
                "invalid input argument {i}: parameters of type {} cannot be given \
                 on the command line here (only i32, i64, f32 and f64)",
                kind_name(kind)
            ))
        }
    };
    match tail(used).first() {
        None | Some(0) | Some(b'_') => Ok(v),
        Some(_) => Err(bad()),
    }
}

fn kind_name(kind: ValKind) -> &'static str {
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
    crate::host::format_g7(x)
}

/// One result of declared type `kind` as upstream's `execute_func` prints
/// it. (`wasm_runtime_call_wasm_a` reports a funcref result as an i32, so
/// the declared type decides, not `v.kind`.)
fn format_result(v: &Val) -> String {
    // WAMR's null funcref (NULL_REF).
    const NULL_FUNC: u32 = u32::MAX;
    match *v {
        Val::I32(x) => format!("0x{:x}:i32", x as u32),
        Val::I64(x) => format!("0x{:x}:i64", x as u64),
        Val::F32(x) => format!("{}:f32", g7(f64::from(x))),
        Val::F64(x) => format!("{}:f64", g7(x)),
        Val::FuncRef(NULL_FUNC) => "func:ref.null".into(),
        Val::FuncRef(x) => format!("{x}:ref.func"),
        Val::ExternRef(0) | Val::ExternRef(usize::MAX) => "extern:ref.null".into(),
        Val::ExternRef(x) => format!("0x{x:x}:ref.extern"),
        Val::Other(k) => format!("?:{}", kind_name(k)),
    }
}

/// Calls the export `name` of a guest (see [`run_function`]).
pub fn call_function(g: &Guest<'_>, name: &str, args: &[CString]) -> Result<FunctionRun, Error> {
    let lookup_failed = || Error::Function(format!("lookup function {name} failed"));
    let cname = CString::new(name).map_err(|_| lookup_failed())?;
    let Some(func) = g.lookup(&cname) else {
        return Err(lookup_failed());
    };
    let (params, _) = g.func_type(&func);
    if params.len() != args.len() {
        return Err(Error::Function(format!(
            "invalid input argument count: {name} takes {}, {} given",
            params.len(),
            args.len()
        )));
    }
    let argv = params
        .iter()
        .zip(args)
        .enumerate()
        .map(|(i, (&k, a))| parse_arg(k, a, i))
        .collect::<Result<Vec<_>, _>>()
        .map_err(Error::Function)?;
    crate::sys::signal::thread_started();
    let results = g.call(&func, &argv);
    if let Some(status) = process::exit_requested() {
        // The exit unwound through an exception.
        g.clear_exception();
        return Ok(FunctionRun::Exited(status));
    }
    if let Some(results) = results {
        let shown: Vec<String> = results.iter().map(format_result).collect();
        return Ok(FunctionRun::Returned(shown.join(",")));
    }
    Err(Error::Trap {
        message: with_stack_hint(g.exception_text()),
        stack: g.call_stack(),
    })
}

/// Who may have written a module file: its owner and permission bits, taken
/// from the same open descriptor the bytes are read from (no window in
/// which the file could be swapped between the check and the read).
#[derive(Clone, Copy, Debug)]
pub struct FileOwner {
    pub uid: u32,
    pub mode: u32,
}

/// Which file version was read: device, inode, size, modification and
/// change times (seconds, nanoseconds).
pub type FileStamp = [i64; 7];

/// A module file opened to be run: who owns it and which version it is,
/// from the open descriptor; its bytes only when asked for ([`Self::read`]),
/// so a start that finds the module's AoT compilation in the cache by the
/// file's version alone never reads it.
pub struct ModuleFile {
    path: String,
    file: std::fs::File,
    meta: std::fs::Metadata,
}

impl ModuleFile {
    /// Opens `path`, with one-line errors.
    pub fn open(path: &str) -> Result<ModuleFile, String> {
        let fail = |e: std::io::Error| format!("cannot read {path}: {e}");
        let file = std::fs::File::open(path).map_err(fail)?;
        let meta = file.metadata().map_err(fail)?;
        Ok(ModuleFile {
            path: path.to_string(),
            file,
            meta,
        })
    }

    /// Its owner and permission bits.
    pub fn owner(&self) -> FileOwner {
        use std::os::unix::fs::MetadataExt;
        FileOwner {
            uid: self.meta.uid(),
            mode: self.meta.mode(),
        }
    }

    /// Its version as opened, if it is a regular file.
    pub fn stamp(&self) -> Option<FileStamp> {
        self.meta.is_file().then(|| stamp_of(&self.meta))
    }

    /// Whether it starts as an AoT file does (a regular file only).
    pub fn looks_aot(&self) -> bool {
        use std::os::unix::fs::FileExt;
        let mut magic = [0u8; 4];
        self.meta.is_file()
            && self.file.read_exact_at(&mut magic, 0).is_ok()
            && kind_of(&magic) == Some(Kind::Aot)
    }

    /// The whole file: an AoT file mapped (see [`ModuleBytes`]), anything
    /// else read. With it, the file's version if the file did not change
    /// while it was read (the same stamp from the descriptor before and
    /// after).
    pub fn read(&self) -> Result<(ModuleBytes, Option<FileStamp>), String> {
        use std::io::Read;
        let fail = |e: std::io::Error| format!("cannot read {}: {e}", self.path);
        let len = self.meta.len();
        let bytes = if self.looks_aot() && usize::try_from(len).is_ok() {
            ModuleBytes::map(&self.file, len as usize).map_err(fail)?
        } else {
            let mut v = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
            (&self.file).read_to_end(&mut v).map_err(fail)?;
            ModuleBytes::from(v)
        };
        let after = self.file.metadata().map_err(fail)?;
        let stable = self
            .stamp()
            .filter(|st| *st == stamp_of(&after) && bytes.len() as u64 == len);
        Ok((bytes, stable))
    }
}

fn stamp_of(m: &std::fs::Metadata) -> FileStamp {
    use std::os::unix::fs::MetadataExt;
    [
        m.dev() as i64,
        m.ino() as i64,
        m.size() as i64,
        m.mtime(),
        m.mtime_nsec(),
        m.ctime(),
        m.ctime_nsec(),
    ]
}

/// The effective user id of the engine process.
pub fn effective_uid() -> u32 {
    crate::host::geteuid()
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

/// `AT_EXECFN` of this process: the file name its `execve` was given (for a
/// start through binfmt_misc, the module's; see `binfmt::started_for`).
pub fn exec_fn() -> Option<Vec<u8>> {
    crate::host::exec_fn()
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
