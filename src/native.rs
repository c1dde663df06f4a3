//! The `wali` host functions and their registration with WAMR.
//!
//! Every host function uses WAMR's raw calling convention: one entry point
//! per function receives the exec env and the arguments as an array of
//! 64-bit slots, and writes its result into slot 0. This is the cheapest way
//! into the host and lets one function body serve whatever type a module
//! declares for an import.
//!
//! Linking has two layers:
//! * [`register`] registers, once, every name of the spec (implemented ones
//!   with their handlers, the rest with an `-ENOSYS` stub) and every
//!   auxiliary call, with the spec's signature, so an embedding that loads
//!   modules the ordinary way links every well-typed import.
//! * [`link_module`] runs for a module loaded with `no_resolve`: imports the
//!   spec does not know, or whose type differs from the spec's, are linked to
//!   an `-ENOSYS` stub of the module's own type, so every `wali` import a
//!   module declares links and no module fails to load for it.

use crate::errno::to_raw;
use crate::mem::{Addr, GuestMem};
use crate::spec_types::{Syscall, ValType};
use std::collections::HashMap;
use std::ffi::{c_void, CStr, CString};
use std::sync::{Mutex, OnceLock};
use wamr_sys as w;

/// Import module name of every WALI function.
pub const MODULE: &CStr = c"wali";

/// The arguments of one call into the host, and the guest's memory.
pub struct Ctx {
    pub env: w::wasm_exec_env_t,
    pub mem: GuestMem,
    args: [u64; 6],
}

impl Ctx {
    /// Argument `i` as a 32-bit int (an `i32` import parameter).
    #[inline]
    pub fn i32(&self, i: usize) -> i32 {
        self.args[i] as u32 as i32
    }
    #[inline]
    pub fn u32(&self, i: usize) -> u32 {
        self.args[i] as u32
    }
    /// Argument `i` as a 64-bit int (an `i64` import parameter).
    #[inline]
    pub fn i64(&self, i: usize) -> i64 {
        self.args[i] as i64
    }
    #[inline]
    pub fn u64(&self, i: usize) -> u64 {
        self.args[i]
    }
    /// Argument `i` as a guest address.
    #[inline]
    pub fn addr(&self, i: usize) -> Addr {
        self.args[i] as u32
    }
    /// The instance running this call.
    pub fn instance(&self) -> w::wasm_module_inst_t {
        // SAFETY: `env` is the live exec env WAMR passed to this call.
        unsafe { w::wasm_runtime_get_module_inst(self.env) }
    }
    /// Calls the guest's table entry `index`, checked to be of type
    /// `params -> results` (see [`crate::runtime::call_table`]). False if
    /// the guest raised an exception, which stays set.
    pub fn call_table(
        &self,
        index: u32,
        params: &[ValType],
        results: &[ValType],
        cells: &mut [u32],
    ) -> bool {
        // SAFETY: `env` is the live exec env of this call, run by this thread.
        unsafe { crate::runtime::call_table(self.env, index, params, results, cells) }
    }
    /// Raises `msg` on this thread's instance only: the guest's frames unwind
    /// when this host call returns.
    pub fn raise_local(&self, msg: &CStr) {
        // SAFETY: `env` is the live exec env of this call.
        unsafe { crate::runtime::raise_local(self.env, msg) }
    }
    /// Clears this instance's exception if it is `msg`; whether it was.
    pub fn take_exception(&self, msg: &CStr) -> bool {
        // SAFETY: `env` is the live exec env of this call.
        unsafe { crate::runtime::take_local_exception(self.env, msg) }
    }
}

/// Builds the context of a call from WAMR's raw argument array.
///
/// # Safety
/// `args` must be the raw argument array WAMR passes to a raw native: at
/// least 16 slots (WAMR's own buffer) for functions of up to 16 parameters.
#[inline(always)]
pub unsafe fn ctx(env: w::wasm_exec_env_t, args: *const u64) -> Ctx {
    let mut a = [0u64; 6];
    std::ptr::copy_nonoverlapping(args, a.as_mut_ptr(), 6);
    Ctx {
        env,
        // SAFETY: `env` is the exec env WAMR passed with `args`.
        mem: unsafe { GuestMem::of(env) },
        args: a,
    }
}

/// A host function as registered with WAMR (raw convention).
pub type RawFn = unsafe extern "C" fn(w::wasm_exec_env_t, *mut u64);

/// A syscall implementation: name (without `SYS_`) and entry point.
pub struct SysImpl {
    pub name: &'static str,
    pub func: RawFn,
    /// wasm parameter types, for the names the spec lists without
    /// arguments (`truncate`, `preadv`, ...): the spec's own types win
    /// whenever it gives any.
    pub params: Option<&'static [ValType]>,
}

/// Declares syscall handlers `fn(&Ctx) -> SysResult` and wraps each in a raw
/// entry point. The wrapper writes the kernel-convention result into slot 0.
/// An entry may give its wasm parameter types, `"truncate" (I32, I64) => f`,
/// for names the spec lists without arguments.
#[macro_export]
macro_rules! syscall_table {
    (@params) => { None };
    (@params $($p:ident),+) => {
        Some(&[$($crate::spec_types::ValType::$p),+] as &[$crate::spec_types::ValType])
    };
    ($vis:vis static $table:ident = {
        $($name:literal $(($($p:ident),*))? => $h:path),* $(,)?
    }) => {
        $vis static $table: &[$crate::native::SysImpl] = &[
            $( $crate::native::SysImpl {
                name: $name,
                params: $crate::syscall_table!(@params $($($p),*)?),
                func: {
                    unsafe extern "C" fn entry(env: wamr_sys::wasm_exec_env_t, args: *mut u64) {
                        // SAFETY: WAMR calls raw natives with its argument buffer.
                        let c = unsafe { $crate::native::ctx(env, args) };
                        // Guest signal handlers run before the call returns
                        // to the guest; an interrupted call may restart.
                        let r: $crate::errno::SysResult = loop {
                            let r = $h(&c);
                            if !$crate::signal::after_call(&c, $name, &r) {
                                break r;
                            }
                        };
                        // SAFETY: slot 0 of the same buffer holds the result.
                        unsafe { *args = $crate::errno::to_raw(r) as u64 };
                    }
                    entry
                },
            } ),*
        ];
    };
}

/// Every syscall this engine implements, gathered from the area modules.
fn implemented() -> impl Iterator<Item = &'static SysImpl> {
    [
        crate::fs::SYSCALLS,
        crate::io::SYSCALLS,
        crate::net::SYSCALLS,
        crate::time::SYSCALLS,
        crate::ident::SYSCALLS,
        crate::mm::SYSCALLS,
        crate::proc::SYSCALLS,
        crate::signal::SYSCALLS,
        crate::thread::SYSCALLS,
    ]
    .into_iter()
    .flatten()
}

/// Each spec name is served by one area module only.
#[cfg(test)]
#[test]
fn no_name_is_implemented_twice() {
    let names = implemented_names();
    for (i, n) in names.iter().enumerate() {
        assert!(!names[..i].contains(n), "{n} is in two syscall tables");
    }
}

/// The wasm parameter types a spec syscall is linked with: the spec's, or,
/// when the spec lists the call without arguments, the implementation's.
pub fn params_of(sc: &Syscall) -> &'static [ValType] {
    if !sc.c_types.is_empty() {
        return sc.params;
    }
    find_impl(sc.name)
        .and_then(|i| i.params)
        .unwrap_or(sc.params)
}

/// WAMR signature string for `params` returning `i64`, e.g. `(iI)I`.
fn signature_of(params: &[ValType]) -> CString {
    let mut s: String = params.iter().map(|p| p.sig_char()).collect();
    s.insert(0, '(');
    s.push_str(")I");
    CString::new(s).unwrap()
}

/// Looks up the implementation of a spec syscall name.
pub fn find_impl(name: &str) -> Option<&'static SysImpl> {
    implemented().find(|s| s.name == name)
}

/// Names (spec names) of every syscall this engine implements.
pub fn implemented_names() -> Vec<&'static str> {
    implemented().map(|s| s.name).collect()
}

/// The stub for names the engine does not provide: returns `-ENOSYS` in any
/// result type. Its attachment is the import name, for the `-v=2` report.
unsafe extern "C" fn enosys(env: w::wasm_exec_env_t, args: *mut u64) {
    // SAFETY: the attachment is a leaked, NUL-terminated name set at
    // registration (or NULL); `args` is WAMR's raw buffer.
    unsafe {
        let name = w::wasm_runtime_get_function_attachment(env) as *const std::ffi::c_char;
        if !name.is_null() {
            crate::process::report_enosys(&CStr::from_ptr(name).to_string_lossy());
        }
        *args = to_raw(Err(crate::errno::Errno::ENOSYS)) as u64;
    }
}

/// Auxiliary calls: name, spec entry and handler.
fn aux_impl(name: &str) -> Option<RawFn> {
    crate::aux::TABLE
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, f)| *f)
}

struct Registered {
    // Kept alive for as long as WAMR holds pointers into them.
    _names: Vec<CString>,
    _symbols: Vec<w::NativeSymbol>,
}
// SAFETY: the pointers inside are to leaked-for-the-process, immutable data.
unsafe impl Send for Registered {}
unsafe impl Sync for Registered {}

static GLOBAL: OnceLock<Registered> = OnceLock::new();
/// Serialises per-module linking (WAMR's native list is not locked).
static LINK_LOCK: Mutex<()> = Mutex::new(());

/// Registers every `wali` host function with WAMR. Idempotent; call after
/// `wasm_runtime_init`/`wasm_runtime_full_init`.
pub fn register() -> bool {
    let mut ok = true;
    GLOBAL.get_or_init(|| {
        let mut names = Vec::new();
        let mut symbols = Vec::new();
        for sc in crate::spec::SYSCALLS.iter() {
            let imp = find_impl(sc.name);
            for n in std::iter::once(&sc.name).chain(sc.aliases.iter()) {
                let cname = CString::new(format!("SYS_{n}")).unwrap();
                let (func, attach): (RawFn, *mut c_void) = match imp {
                    Some(i) => (i.func, std::ptr::null_mut()),
                    None => (enosys, cname.as_ptr() as *mut c_void),
                };
                // `exit` is imported both as (i32)->i64 and (i32)->(): an
                // empty signature skips WAMR's type check for it.
                let sig = if sc.name == "exit" {
                    std::ptr::null()
                } else if params_of(sc) != sc.params {
                    let own = signature_of(params_of(sc));
                    let p = own.as_ptr();
                    names.push(own);
                    p
                } else {
                    sc.signature.as_ptr()
                };
                symbols.push(w::NativeSymbol {
                    symbol: cname.as_ptr(),
                    func_ptr: func as *mut c_void,
                    signature: sig,
                    attachment: attach,
                });
                names.push(cname);
            }
        }
        for ax in crate::spec::AUX.iter() {
            let cname = CString::new(ax.name).unwrap();
            let (func, attach): (RawFn, *mut c_void) = match aux_impl(ax.name) {
                Some(f) => (f, std::ptr::null_mut()),
                None => (enosys, cname.as_ptr() as *mut c_void),
            };
            symbols.push(w::NativeSymbol {
                symbol: cname.as_ptr(),
                func_ptr: func as *mut c_void,
                signature: ax.signature.as_ptr(),
                attachment: attach,
            });
            names.push(cname);
        }
        // SAFETY: the array and strings are owned by the static Registered
        // and live for the rest of the process, as WAMR requires.
        ok = unsafe {
            w::wasm_runtime_register_natives_raw(
                MODULE.as_ptr(),
                symbols.as_mut_ptr(),
                symbols.len() as u32,
            )
        };
        Registered {
            _names: names,
            _symbols: symbols,
        }
    });
    ok
}

/// A function import of a module: module name, name, parameter and result
/// types.
struct FuncImport {
    module: CString,
    name: String,
    params: Vec<ValType>,
    results: Vec<ValType>,
}

/// The function import `idx` of `module`, if it is a function.
fn func_import(module: w::wasm_module_t, idx: i32) -> Option<FuncImport> {
    // SAFETY: `module` is a loaded module and idx < its import count; the
    // returned strings point into the module, copied out at once.
    unsafe {
        let mut imp: w::wasm_import_t = std::mem::zeroed();
        w::wasm_runtime_get_import_type(module, idx, &mut imp);
        if imp.kind != w::WASM_IMPORT_EXPORT_KIND_FUNC
            || imp.module_name.is_null()
            || imp.name.is_null()
        {
            return None;
        }
        let ft = imp.u.func_type;
        let kind = |k: w::wasm_valkind_t| match k as u32 {
            w::WASM_I32 => ValType::I32,
            w::WASM_I64 => ValType::I64,
            w::WASM_F32 => ValType::F32,
            w::WASM_F64 => ValType::F64,
            _ => ValType::Other,
        };
        Some(FuncImport {
            module: CStr::from_ptr(imp.module_name).to_owned(),
            name: CStr::from_ptr(imp.name).to_string_lossy().into_owned(),
            params: (0..w::wasm_func_type_get_param_count(ft))
                .map(|i| kind(w::wasm_func_type_get_param_valkind(ft, i)))
                .collect(),
            results: (0..w::wasm_func_type_get_result_count(ft))
                .map(|i| kind(w::wasm_func_type_get_result_valkind(ft, i)))
                .collect(),
        })
    }
}

/// Import module of the `invoke_*` trampolines that clang's setjmp lowering
/// calls (see [`crate::sjlj`]).
pub const SJLJ_MODULE: &CStr = c"env";

/// The raw entry of every `env.invoke_*` import. Its attachment is the
/// import's [`InvokeType`](crate::sjlj::InvokeType).
unsafe extern "C" fn invoke_entry(env: w::wasm_exec_env_t, args: *mut u64) {
    // SAFETY: the attachment is the interned, never freed InvokeType this
    // import was linked with (`link_module`), and WAMR has checked the
    // import against its signature, so `args` is WAMR's raw buffer with one
    // slot per parameter: the index and `ty.params`.
    unsafe {
        let ty = &*(w::wasm_runtime_get_function_attachment(env) as *const crate::sjlj::InvokeType);
        let c = ctx(env, args);
        let slots = std::slice::from_raw_parts_mut(args, ty.params.len() + 1);
        crate::sjlj::invoke(&c, ty, slots);
    }
}

/// One `invoke_*` type with its WAMR signature, interned: WAMR keeps
/// pointers to both for as long as modules linked with them live.
fn intern_invoke(ty: crate::sjlj::InvokeType) -> &'static (CString, crate::sjlj::InvokeType) {
    static TYPES: Mutex<Vec<&'static (CString, crate::sjlj::InvokeType)>> = Mutex::new(Vec::new());
    let mut types = TYPES.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(t) = types.iter().find(|t| t.1 == ty) {
        return t;
    }
    let sig = CString::new(ty.signature()).unwrap();
    let leaked: &'static (CString, crate::sjlj::InvokeType) = Box::leak(Box::new((sig, ty)));
    types.push(leaked);
    leaked
}

/// Whether an import of `name` with this type is served by the global table.
fn globally_linked(name: &str, params: &[ValType], results: &[ValType]) -> bool {
    if let Some(sys) = name.strip_prefix("SYS_") {
        return match Syscall::find(sys) {
            Some(sc) if sc.name == "exit" => params == [ValType::I32] && results.len() <= 1,
            Some(sc) => params == params_of(sc) && results == [ValType::I64],
            None => false,
        };
    }
    match crate::spec::AUX.iter().find(|a| a.name == name) {
        Some(ax) => params == ax.params && results == ax.result.as_slice(),
        None => false,
    }
}

/// Names of stubbed imports. The ENOSYS stub reads its name (attachment) at
/// call time, so each name lives for the rest of the process; interning keeps
/// that to one copy per distinct name however many modules are loaded.
fn intern(name: CString) -> &'static CStr {
    static NAMES: Mutex<Vec<&'static CStr>> = Mutex::new(Vec::new());
    let mut names = NAMES.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(n) = names.iter().find(|n| **n == name.as_c_str()) {
        return n;
    }
    let leaked: &'static CStr = Box::leak(name.into_boxed_c_str());
    names.push(leaked);
    leaked
}

/// Links every `wali` import of a module loaded with `no_resolve`, then
/// resolves all of its imports. Imports the spec does not know, or declared
/// with another type than the spec's, return `-ENOSYS` when called.
/// Returns false if some import (of another module name) stays unlinked.
///
/// # Safety
/// `module` must be a module loaded by `wasm_runtime_load_ex` and not
/// unloaded.
pub unsafe fn link_module(module: w::wasm_module_t) -> bool {
    register();
    let _guard = LINK_LOCK.lock().unwrap_or_else(|e| e.into_inner());
    // SAFETY: `module` is a loaded module.
    let count = unsafe { w::wasm_runtime_get_import_count(module) };
    let mut extra: HashMap<String, CString> = HashMap::new();
    let mut invokes: Vec<w::NativeSymbol> = Vec::new();
    for idx in 0..count.max(0) {
        let Some(imp) = func_import(module, idx) else {
            continue;
        };
        if imp.module.as_c_str() == SJLJ_MODULE && imp.name.starts_with("invoke_") {
            if let Some(ty) = crate::sjlj::InvokeType::of_import(&imp.params, &imp.results) {
                let ty = intern_invoke(ty);
                invokes.push(w::NativeSymbol {
                    symbol: intern(CString::new(imp.name).unwrap()).as_ptr(),
                    func_ptr: invoke_entry as *mut c_void,
                    signature: ty.0.as_ptr(),
                    attachment: &ty.1 as *const crate::sjlj::InvokeType as *mut c_void,
                });
            }
            continue;
        }
        if imp.module.as_c_str() != MODULE || globally_linked(&imp.name, &imp.params, &imp.results)
        {
            continue;
        }
        let name = imp.name;
        // A type that differs from one the engine knows (the spec's, or its
        // table entry's) is worth a warning; names the engine neither types
        // nor implements are reported when called.
        let known = name
            .strip_prefix("SYS_")
            .and_then(Syscall::find)
            .is_some_and(|sc| !params_of(sc).is_empty() || !sc.c_types.is_empty());
        if known {
            crate::wlog!(
                1,
                "import wali.{name} has another type than the engine's: it returns -ENOSYS"
            );
        }
        extra
            .entry(name.clone())
            .or_insert_with(|| CString::new(name).unwrap());
    }
    let names: Vec<&'static CStr> = extra.into_values().map(intern).collect();
    let mut symbols: Vec<w::NativeSymbol> = names
        .iter()
        .map(|n| w::NativeSymbol {
            symbol: n.as_ptr(),
            func_ptr: enosys as *mut c_void,
            signature: std::ptr::null(),
            attachment: n.as_ptr() as *mut c_void,
        })
        .collect();
    // SAFETY: both arrays live until they are unregistered below; WAMR copies
    // the function pointer, signature and attachment pointers (to interned,
    // never freed data) into each import during resolution and keeps no
    // pointer into the arrays afterwards.
    unsafe {
        let groups = [(MODULE, &mut symbols), (SJLJ_MODULE, &mut invokes)];
        for (m, syms) in &groups {
            if !syms.is_empty() {
                w::wasm_runtime_register_natives_raw(
                    m.as_ptr(),
                    syms.as_ptr() as *mut _,
                    syms.len() as u32,
                );
            }
        }
        let ok = w::wasm_runtime_resolve_symbols(module);
        for (m, syms) in &groups {
            if !syms.is_empty() {
                w::wasm_runtime_unregister_natives(m.as_ptr(), syms.as_ptr() as *mut _);
            }
        }
        ok
    }
}
