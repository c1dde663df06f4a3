//! Loading, linking and running a WALI module on WAMR.
//!
//! This is the FFI layer to WAMR's embedding API; the rest of the crate sees
//! safe functions. One runtime per process (WAMR's own rule), initialised
//! once with [`init`].

use crate::native;
use crate::process;
use std::ffi::{CStr, CString};
use std::fmt;
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
}

impl Default for Config {
    fn default() -> Self {
        Config {
            mode: Mode::FastJit,
            stack_size: 256 * 1024,
            heap_size: 0,
            max_threads: 256,
            jit_codecache_size: 64 * 1024 * 1024,
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
    Link,
    Instantiate(String),
    NoStart,
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
            Error::Link => write!(
                f,
                "cannot link module: an import of a module other than `wali` is unknown"
            ),
            Error::Instantiate(m) => write!(f, "cannot instantiate module: {m}"),
            Error::NoStart => write!(f, "module exports no `_start` function"),
            Error::Trap { message, .. } => write!(f, "trap: {message}"),
        }
    }
}

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

/// Starts WAMR (once per process) and registers the `wali` host functions.
pub fn init(cfg: &Config) -> Result<(), Error> {
    let mut done = INIT.lock().unwrap_or_else(|e| e.into_inner());
    if done.is_some() {
        return Ok(());
    }
    // SAFETY: RuntimeInitArgs is plain data; zero is "default" for each field.
    let ok = unsafe {
        let mut args: w::RuntimeInitArgs = std::mem::zeroed();
        args.mem_alloc_type = w::Alloc_With_System_Allocator;
        args.max_thread_num = cfg.max_threads;
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
    if !native::register() {
        return Err(Error::Init(
            "cannot register the wali host functions".into(),
        ));
    }
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
    _bytes: Vec<u8>,
}

impl Module {
    /// Loads a `.wasm` or `.aot` image and links every `wali` import.
    pub fn load(mut bytes: Vec<u8>) -> Result<Module, Error> {
        let kind = kind_of(&bytes).ok_or(Error::NotWasm)?;
        let len =
            u32::try_from(bytes.len()).map_err(|_| Error::Load("file larger than 4 GiB".into()))?;
        let mut err = [0 as std::ffi::c_char; 256];
        let name = c"wali-module";
        // SAFETY: `bytes` outlives the module (kept in Module::_bytes, not
        // moved: a Vec's heap buffer does not move with the Vec).
        let raw = unsafe {
            let mut args: w::LoadArgs = std::mem::zeroed();
            args.name = name.as_ptr() as *mut _;
            args.no_resolve = true;
            w::wasm_runtime_load_ex(
                bytes.as_mut_ptr(),
                len,
                &args,
                err.as_mut_ptr(),
                err.len() as u32,
            )
        };
        if raw.is_null() {
            return Err(Error::Load(c_text(&err)));
        }
        let module = Module {
            raw,
            kind,
            _bytes: bytes,
        };
        // SAFETY: `raw` was just loaded and is owned by `module`.
        if !unsafe { native::link_module(raw) } {
            return Err(Error::Link);
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
    let it = instantiate(module, cfg)?;
    // SAFETY: `it` owns the instance and its exec env until it drops.
    unsafe { call_start(it.inst, it.env) }
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
    process::clear_exit();
    // A new guest: its memory mappings start afresh.
    crate::mm::reset();
    let start = c"_start";
    // SAFETY: live instance; the name is a NUL-terminated literal.
    let func = unsafe { w::wasm_runtime_lookup_function(inst, start.as_ptr()) };
    if func.is_null() {
        return Err(Error::NoStart);
    }
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
    // SAFETY: live instance; the exception text is copied out at once.
    let message = unsafe {
        let e = w::wasm_runtime_get_exception(inst);
        if e.is_null() {
            "unknown".to_string()
        } else {
            let s = CStr::from_ptr(e).to_string_lossy();
            s.strip_prefix("Exception: ").unwrap_or(&s).to_string()
        }
    };
    Err(Error::Trap {
        message,
        stack: call_stack(env),
    })
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
    std::fs::read(path).map_err(|e| format!("cannot read {path}: {e}"))
}

/// Converts a string to a C string, replacing an interior NUL (impossible in
/// argv from the OS) by an error.
pub fn cstring(s: &[u8]) -> Result<CString, String> {
    CString::new(s.to_vec()).map_err(|_| "argument contains a NUL byte".to_string())
}
