//! WAMR's process-wide set-up, and loading, instantiating and calling a
//! module, as safe types for [`crate::runtime`] and [`crate::capi`]: a
//! [`Module`] owns its bytes and WAMR's module, an [`Instance`] borrows its
//! module and owns WAMR's instance and main exec env, a [`Guest`] is a live
//! (instance, exec env) pair on which functions are looked up and called.

use std::ffi::{c_char, CStr};
use std::marker::PhantomData;
use wamr_sys as w;

/// How WAMR runs bytecode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunningMode {
    Interp,
    FastJit,
}

impl RunningMode {
    fn raw(self) -> w::RunningMode {
        match self {
            RunningMode::Interp => w::Mode_Interp,
            RunningMode::FastJit => w::Mode_Fast_JIT,
        }
    }
}

/// Starts WAMR with the system allocator: at most `max_thread_num` threads
/// in a cluster, a fast-JIT code cache of `jit_codecache_size` bytes
/// (executable only if `jit`: false for a process that never JIT-compiles,
/// see wali_jit.c), and `mode` as the default running mode. False if WAMR
/// cannot start.
pub fn full_init(
    max_thread_num: u32,
    jit_codecache_size: u32,
    jit: bool,
    mode: RunningMode,
) -> bool {
    // SAFETY: sets a global integer in our shim, read by WAMR's init below
    // (on this thread).
    unsafe { w::wali_jit_code_cache_exec(i32::from(jit)) };
    // SAFETY: RuntimeInitArgs is plain data; zero is "default" for each
    // field, and WAMR only reads the struct during the call.
    unsafe {
        let mut args: w::RuntimeInitArgs = std::mem::zeroed();
        args.mem_alloc_type = w::Alloc_With_System_Allocator;
        args.max_thread_num = max_thread_num;
        args.fast_jit_code_cache_size = jit_codecache_size;
        args.running_mode = mode.raw();
        w::wasm_runtime_full_init(&mut args)
    }
}

/// WAMR's own log level (0 fatal only ... 4 verbose).
pub fn set_log_level(level: u32) {
    // SAFETY: sets a global integer in WAMR.
    unsafe { w::wasm_runtime_set_log_level(level.min(4) as w::log_level_t) };
}

/// Whether this build of WAMR can run `mode`.
pub fn mode_supported(mode: RunningMode) -> bool {
    // SAFETY: a pure query.
    unsafe { w::wasm_runtime_is_running_mode_supported(mode.raw()) }
}

/// The text of a NUL-terminated (or full) C buffer WAMR wrote.
pub fn c_text(buf: &[c_char]) -> String {
    // WAMR NUL-terminates its error buffers; stop at the first NUL.
    let bytes: Vec<u8> = buf
        .iter()
        .take_while(|&&c| c != 0)
        .map(|&c| c as u8)
        .collect();
    String::from_utf8_lossy(&bytes).trim().to_string()
}

/// The bytes a module is loaded from: read into memory, or an AoT file
/// mapped.
///
/// WAMR's AoT loader copies the code and data of an AoT file into memory
/// of its own at once and keeps only names in the buffer. Reading the file
/// first would fill fresh anonymous pages (allocated, zeroed, copied into:
/// about a sixth of a Lua start-up) only for the loader to copy them out
/// again; a private mapping lets the loader copy straight from the page
/// cache. The mapping is writable: the loader writes string terminators
/// into the buffer, and those pages become the process's own copies, so
/// what WAMR refers to after the load no longer changes with the file. A
/// `.wasm` file is always read: the interpreter runs bytecode in place, and
/// unwritten pages of a private mapping still show later writes to the
/// file.
pub struct ModuleBytes(Bytes);

enum Bytes {
    Owned(Vec<u8>),
    /// The first `len` bytes of a private mapping of `map_len` bytes.
    Mapped {
        ptr: *mut u8,
        len: usize,
        map_len: usize,
    },
}

impl ModuleBytes {
    /// Maps the first `len` bytes of `f`, the caller's AoT file of that
    /// size, privately (see [`ModuleBytes`]).
    ///
    /// If the file shrinks while mapped, a read past its new end raises
    /// SIGBUS. Only the engine reads these bytes, while loading, before any
    /// guest runs, and the file is one only its owner (the user or root) may
    /// write (`runtime::aot_untrusted`, the cache's checks); the guest may
    /// not open it for writing while mapped (`host::guard`: it is one of
    /// the engine's mapped files).
    pub fn map(f: &std::fs::File, len: usize) -> std::io::Result<ModuleBytes> {
        use std::os::fd::AsRawFd;
        if len == 0 {
            return Ok(ModuleBytes(Bytes::Owned(Vec::new())));
        }
        // SAFETY: a new private mapping at an address the kernel chooses;
        // no other object refers to that range.
        let p = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE,
                f.as_raw_fd(),
                0,
            )
        };
        if p == libc::MAP_FAILED {
            return Err(std::io::Error::last_os_error());
        }
        Ok(ModuleBytes(Bytes::Mapped {
            ptr: p.cast(),
            len,
            map_len: len,
        }))
    }

    /// Keeps the first `n` bytes (all if there are fewer).
    pub fn truncate(&mut self, n: usize) {
        match &mut self.0 {
            Bytes::Owned(v) => v.truncate(n),
            Bytes::Mapped { len, .. } => *len = (*len).min(n),
        }
    }

    /// Whether the bytes are a mapping of a file (not read).
    pub fn is_mapped(&self) -> bool {
        matches!(self.0, Bytes::Mapped { .. })
    }
}

impl From<Vec<u8>> for ModuleBytes {
    fn from(v: Vec<u8>) -> ModuleBytes {
        ModuleBytes(Bytes::Owned(v))
    }
}

impl std::fmt::Debug for ModuleBytes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let how = if self.is_mapped() { "mapped" } else { "read" };
        write!(f, "ModuleBytes({} bytes, {how})", self.len())
    }
}

impl std::ops::Deref for ModuleBytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match &self.0 {
            Bytes::Owned(v) => v,
            // SAFETY: the first `len` bytes of a live mapping at least that
            // long, owned by `self` and unmapped only on drop.
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
            // SAFETY: the mapping made in `map`, of that length; a Module
            // keeps its bytes until WAMR has unloaded it, so nothing refers
            // to it any more.
            unsafe { libc::munmap(ptr.cast(), map_len) };
        }
    }
}

/// A module loaded by WAMR, with the bytes WAMR may refer to; unloaded on
/// drop (after every [`Instance`] of it, which borrows it).
pub struct Module {
    raw: w::wasm_module_t,
    _bytes: ModuleBytes,
}

impl Module {
    /// Loads a `.wasm` or `.aot` image; with `no_resolve`, imports are left
    /// unlinked (to be linked by the engine). The loader's error otherwise.
    ///
    /// Bytecode is validated by WAMR's loader; an AoT image is native code
    /// that nothing verifies, so whether to trust one is the caller's
    /// decision, made before this call (`iwasm`: `runtime::aot_untrusted`
    /// and the stack-check stamp in `runtime::Module::load`).
    pub fn load(mut bytes: ModuleBytes, no_resolve: bool) -> Result<Module, String> {
        let len = u32::try_from(bytes.len()).map_err(|_| "file larger than 4 GiB".to_string())?;
        let mut err = [0 as c_char; 256];
        let name = c"wali-module";
        // SAFETY: LoadArgs is plain data (zero: defaults); the name is a
        // static string; `bytes` outlives the module (kept in `_bytes`, not
        // moved: neither a Vec's heap buffer nor a mapping moves with its
        // owner); the error buffer's size is given.
        let raw = unsafe {
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
        };
        if raw.is_null() {
            return Err(c_text(&err));
        }
        Ok(Module { raw, _bytes: bytes })
    }

    /// The WAMR handle (for the engine's linker and embedders).
    pub fn raw(&self) -> w::wasm_module_t {
        self.raw
    }

    /// Whether every import is linked now (WAMR resolves what it can).
    pub fn resolve_symbols(&self) -> bool {
        // SAFETY: a loaded module owned by `self`.
        unsafe { w::wasm_runtime_resolve_symbols(self.raw) }
    }
}

impl Drop for Module {
    fn drop(&mut self) {
        // SAFETY: loaded by `Module::load`; every Instance borrows the
        // Module, so none is left.
        unsafe { w::wasm_runtime_unload(self.raw) };
    }
}

/// An instance of a [`Module`] with its main exec env, destroyed on drop.
pub struct Instance<'m> {
    inst: w::wasm_module_inst_t,
    env: w::wasm_exec_env_t,
    _module: PhantomData<&'m Module>,
}

impl<'m> Instance<'m> {
    /// Instantiates `module` with a wasm stack of `stack_size` bytes and an
    /// app heap of `heap_size`, runs it in `mode` (bytecode only), and makes
    /// its main exec env.
    pub fn new(
        module: &'m Module,
        stack_size: u32,
        heap_size: u32,
        mode: Option<RunningMode>,
    ) -> Result<Instance<'m>, String> {
        let mut err = [0 as c_char; 256];
        // SAFETY: the module is loaded (and outlives the instance, borrowed
        // for 'm); the error buffer's size is given.
        let inst = unsafe {
            w::wasm_runtime_instantiate(
                module.raw,
                stack_size,
                heap_size,
                err.as_mut_ptr(),
                err.len() as u32,
            )
        };
        if inst.is_null() {
            return Err(c_text(&err));
        }
        let mut it = Instance {
            inst,
            env: std::ptr::null_mut(),
            _module: PhantomData,
        };
        if let Some(mode) = mode {
            // SAFETY: a fresh instance with no exec env yet.
            if !unsafe { w::wasm_runtime_set_running_mode(inst, mode.raw()) } {
                return Err(format!(
                    "running mode {mode:?} is not supported by this build"
                ));
            }
        }
        // SAFETY: a live instance; the exec env is destroyed with it (Drop).
        it.env = unsafe { w::wasm_runtime_create_exec_env(inst, stack_size) };
        if it.env.is_null() {
            return Err("cannot create the execution environment".into());
        }
        Ok(it)
    }

    /// The instance and its main exec env, for calls.
    pub fn guest(&self) -> Guest<'_> {
        Guest {
            inst: self.inst,
            env: self.env,
            _live: PhantomData,
        }
    }
}

impl Drop for Instance<'_> {
    fn drop(&mut self) {
        // SAFETY: both made by `Instance::new` and used by nobody else now
        // (a Guest borrows the Instance). Destroying the main exec env
        // waits for every thread of the cluster.
        unsafe {
            if !self.env.is_null() {
                w::wasm_runtime_destroy_exec_env(self.env);
            }
            w::wasm_runtime_deinstantiate(self.inst);
        }
    }
}

/// A live instance and a live exec env of it, used by this thread.
pub struct Guest<'a> {
    inst: w::wasm_module_inst_t,
    env: w::wasm_exec_env_t,
    _live: PhantomData<&'a ()>,
}

/// An exported function of a [`Guest`]'s instance.
pub struct Func<'g> {
    raw: w::wasm_function_inst_t,
    _guest: PhantomData<&'g ()>,
}

/// A wasm value, as WAMR's `wasm_val_t` carries it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Val {
    I32(i32),
    I64(i64),
    F32(f32),
    F64(f64),
    /// A function index (`u32::MAX`: null), as WAMR reports a funcref.
    FuncRef(u32),
    /// A host reference (0 or `usize::MAX`: null).
    ExternRef(usize),
    /// A result of another kind (v128...), not read.
    Other(ValKind),
}

/// WAMR's value kinds.
pub type ValKind = w::wasm_valkind_t;

impl Val {
    fn to_raw(self) -> w::wasm_val_t {
        let (kind, of) = match self {
            Val::I32(v) => (w::WASM_I32, w::wasm_val_t__bindgen_ty_1 { i32_: v }),
            Val::I64(v) => (w::WASM_I64, w::wasm_val_t__bindgen_ty_1 { i64_: v }),
            Val::F32(v) => (w::WASM_F32, w::wasm_val_t__bindgen_ty_1 { f32_: v }),
            Val::F64(v) => (w::WASM_F64, w::wasm_val_t__bindgen_ty_1 { f64_: v }),
            Val::FuncRef(v) => (
                w::WASM_FUNCREF,
                w::wasm_val_t__bindgen_ty_1 { i32_: v as i32 },
            ),
            Val::ExternRef(v) => (
                w::WASM_EXTERNREF,
                w::wasm_val_t__bindgen_ty_1 { foreign: v },
            ),
            Val::Other(k) => (k as u32, w::wasm_val_t__bindgen_ty_1 { i64_: 0 }),
        };
        w::wasm_val_t {
            kind: kind as ValKind,
            _paddings: [0; 7],
            of,
        }
    }

    /// The value of declared type `kind` in `v` (WAMR's `call_wasm_a`
    /// reports a funcref result as an i32, so the declared type decides).
    fn from_raw(kind: ValKind, v: &w::wasm_val_t) -> Val {
        // SAFETY: every member of the union is plain data of at most 8
        // bytes, and WAMR zero-fills or writes the member of the declared
        // type (our result buffers start as zeroed i64s), so each read sees
        // initialised bytes.
        unsafe {
            match kind as u32 {
                w::WASM_I32 => Val::I32(v.of.i32_),
                w::WASM_I64 => Val::I64(v.of.i64_),
                w::WASM_F32 => Val::F32(v.of.f32_),
                w::WASM_F64 => Val::F64(v.of.f64_),
                w::WASM_FUNCREF => Val::FuncRef(v.of.i32_ as u32),
                w::WASM_EXTERNREF => Val::ExternRef(v.of.foreign),
                _ => Val::Other(kind),
            }
        }
    }
}

impl<'a> Guest<'a> {
    /// Wraps an instance and exec env an embedder passed in.
    ///
    /// # Safety
    /// `inst` must be a live instance and `env` a live exec env of it, used
    /// by the calling thread only, for the lifetime `'a`.
    pub unsafe fn from_raw(inst: w::wasm_module_inst_t, env: w::wasm_exec_env_t) -> Guest<'a> {
        Guest {
            inst,
            env,
            _live: PhantomData,
        }
    }

    /// The exported function `name`, if there is one.
    pub fn lookup(&self, name: &CStr) -> Option<Func<'_>> {
        // SAFETY: live instance (type invariant); NUL-terminated name.
        let raw = unsafe { w::wasm_runtime_lookup_function(self.inst, name.as_ptr()) };
        (!raw.is_null()).then_some(Func {
            raw,
            _guest: PhantomData,
        })
    }

    /// The parameter and result kinds of `f`.
    pub fn func_type(&self, f: &Func<'_>) -> (Vec<ValKind>, Vec<ValKind>) {
        // SAFETY: `f` belongs to this live instance; the type buffers hold
        // the counts WAMR reports.
        unsafe {
            let np = w::wasm_func_get_param_count(f.raw, self.inst) as usize;
            let nr = w::wasm_func_get_result_count(f.raw, self.inst) as usize;
            let mut p: Vec<ValKind> = vec![0; np];
            let mut r: Vec<ValKind> = vec![0; nr];
            w::wasm_func_get_param_types(f.raw, self.inst, p.as_mut_ptr());
            w::wasm_func_get_result_types(f.raw, self.inst, r.as_mut_ptr());
            (p, r)
        }
    }

    /// Calls `f` without arguments; its results are dropped. False if it
    /// raised an exception (or takes arguments: WAMR then raises "invalid
    /// argument count" itself).
    pub fn call_no_args(&self, f: &Func<'_>) -> bool {
        let (params, results) = self.func_type(f);
        // Room for whatever the function's type makes WAMR read or write
        // back: at most 4 cells (v128) per value.
        let mut cells = vec![0u32; 4 * params.len().max(results.len()).max(1)];
        // SAFETY: live exec env of this instance (type invariant); argc 0
        // (WAMR checks it against the type before running anything) and a
        // cell buffer larger than any result WAMR writes back.
        unsafe { w::wasm_runtime_call_wasm(self.env, f.raw, 0, cells.as_mut_ptr()) }
    }

    /// Calls `f` with `args`; `Some(results)` if it returned, `None` if it
    /// raised an exception (also for a count or kind that does not match
    /// its type, which WAMR refuses as the exception).
    pub fn call(&self, f: &Func<'_>, args: &[Val]) -> Option<Vec<Val>> {
        let (_, kinds) = self.func_type(f);
        let mut argv: Vec<w::wasm_val_t> = args.iter().map(|a| a.to_raw()).collect();
        let mut resv: Vec<w::wasm_val_t> = kinds
            .iter()
            .map(|&kind| w::wasm_val_t {
                kind,
                _paddings: [0; 7],
                of: w::wasm_val_t__bindgen_ty_1 { i64_: 0 },
            })
            .collect();
        // SAFETY: live exec env of this instance (type invariant); WAMR
        // checks both counts against the function's type and reads or writes
        // only that many values of the two arrays, whose lengths are given.
        let ok = unsafe {
            w::wasm_runtime_call_wasm_a(
                self.env,
                f.raw,
                resv.len() as u32,
                resv.as_mut_ptr(),
                argv.len() as u32,
                argv.as_mut_ptr(),
            )
        };
        if !ok {
            return None;
        }
        Some(
            kinds
                .iter()
                .zip(&resv)
                .map(|(&k, v)| Val::from_raw(k, v))
                .collect(),
        )
    }

    /// Clears the exception of the instance (and its cluster).
    pub fn clear_exception(&self) {
        // SAFETY: live instance (type invariant).
        unsafe { w::wasm_runtime_clear_exception(self.inst) };
    }

    /// The instance's exception, without WAMR's "Exception: " prefix
    /// ("unknown" when none is set).
    pub fn exception_text(&self) -> String {
        // SAFETY: live instance (type invariant); the NUL-terminated text
        // inside it is copied out at once.
        unsafe {
            let e = w::wasm_runtime_get_exception(self.inst);
            if e.is_null() {
                "unknown".to_string()
            } else {
                let s = CStr::from_ptr(e).to_string_lossy();
                s.strip_prefix("Exception: ").unwrap_or(&s).to_string()
            }
        }
    }

    /// The guest call stack recorded at the last exception, as text.
    pub fn call_stack(&self) -> String {
        // SAFETY: live exec env, not executing (the call returned); the
        // buffer holds the size WAMR reports plus the NUL.
        unsafe {
            let n = w::wasm_runtime_get_call_stack_buf_size(self.env);
            if n == 0 {
                return String::new();
            }
            let mut buf = vec![0 as c_char; n as usize + 1];
            w::wasm_runtime_dump_call_stack_to_buf(self.env, buf.as_mut_ptr(), n + 1);
            c_text(&buf)
        }
    }
}
