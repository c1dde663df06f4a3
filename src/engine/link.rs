//! Linking of one module's imports: the refusal of imports the engine cannot
//! serve safely (before WAMR reads the module), per-module `-ENOSYS` stubs of
//! the module's own types, the raw entries preferred for bytecode, musl's
//! other import forms, and the `env.invoke_*` trampolines of setjmp/longjmp.

use super::ctx;
use super::register::*;
use super::run::TypedFn;
use crate::abi::args::params_of;
use crate::abi::spec_types::{Syscall, ValType};
use crate::ctx::RawFn;
use std::collections::HashMap;
use std::ffi::{c_void, CStr, CString};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use wamr_sys as w;

/// Serialises per-module linking (WAMR's native list is not locked).
static LINK_LOCK: Mutex<()> = Mutex::new(());

/// A function import of a module: module name, name, parameter and result
/// types (`Other` for a reference or vector type), and the declared type as
/// text for messages.
struct FuncImport {
    module: String,
    name: String,
    params: Vec<ValType>,
    results: Vec<ValType>,
    text: String,
}

impl FuncImport {
    /// An import from its names and its value types, each given as the
    /// engine's type and the type's wasm name.
    fn new(
        module: String,
        name: String,
        params: Vec<(ValType, &'static str)>,
        results: Vec<(ValType, &'static str)>,
    ) -> FuncImport {
        let list =
            |ts: &[(ValType, &'static str)]| ts.iter().map(|t| t.1).collect::<Vec<_>>().join(", ");
        let text = format!("({}) -> ({})", list(&params), list(&results));
        FuncImport {
            module,
            name,
            params: params.iter().map(|t| t.0).collect(),
            results: results.iter().map(|t| t.0).collect(),
            text,
        }
    }

    /// `module.name` for messages, quoted where the names hold characters
    /// that would not print plainly (a NUL, controls, spaces).
    fn full_name(&self) -> String {
        let plain = |n: &str| {
            !n.is_empty()
                && n.chars()
                    .all(|c| c.is_ascii_graphic() || (!c.is_ascii() && !c.is_control()))
        };
        let show = |n: &str| {
            if plain(n) {
                n.to_string()
            } else {
                format!("{n:?}")
            }
        };
        format!("{}.{}", show(&self.module), show(&self.name))
    }
}

/// The engine's type and the wasm name of a value type in a module's type
/// section (`0x7f` i32, ...).
fn wasm_valtype(b: u8) -> (ValType, &'static str) {
    match b {
        0x7f => (ValType::I32, "i32"),
        0x7e => (ValType::I64, "i64"),
        0x7d => (ValType::F32, "f32"),
        0x7c => (ValType::F64, "f64"),
        0x7b => (ValType::Other, "v128"),
        0x70 => (ValType::Other, "funcref"),
        0x6f => (ValType::Other, "externref"),
        _ => (ValType::Other, "an unknown type"),
    }
}

/// The same for WAMR's value kinds.
fn wamr_valtype(k: w::wasm_valkind_t) -> (ValType, &'static str) {
    match k as u32 {
        w::WASM_I32 => (ValType::I32, "i32"),
        w::WASM_I64 => (ValType::I64, "i64"),
        w::WASM_F32 => (ValType::F32, "f32"),
        w::WASM_F64 => (ValType::F64, "f64"),
        w::WASM_V128 => (ValType::Other, "v128"),
        w::WASM_FUNCREF => (ValType::Other, "funcref"),
        w::WASM_EXTERNREF => (ValType::Other, "externref"),
        // WAMR reports externref (and v128 without SIMD) of an AoT
        // module's function type as an invalid kind.
        _ => (ValType::Other, "a reference or vector type"),
    }
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
        Some(FuncImport::new(
            CStr::from_ptr(imp.module_name)
                .to_string_lossy()
                .into_owned(),
            CStr::from_ptr(imp.name).to_string_lossy().into_owned(),
            (0..w::wasm_func_type_get_param_count(ft))
                .map(|i| wamr_valtype(w::wasm_func_type_get_param_valkind(ft, i)))
                .collect(),
            (0..w::wasm_func_type_get_result_count(ft))
                .map(|i| wamr_valtype(w::wasm_func_type_get_result_valkind(ft, i)))
                .collect(),
        ))
    }
}

/// Why the engine refuses a module's function imports, if it does: the
/// first `wali` or `env` import whose types the engine cannot serve safely,
/// or whose name holds a NUL (WAMR keeps names as C strings), as one line.
///
/// The engine serves a `wali` import it does not implement, or one declared
/// with another type than its own, by an `-ENOSYS` stub that writes a
/// 64-bit number into the result slot whatever the declared type: for a
/// `funcref` or `externref` result that number would become a forged
/// reference (a table element the engine later calls as a signal handler,
/// thread start routine or `invoke_*` target), and `v128` or several
/// results do not fit the slot. So every `wali` import must have only
/// `i32`/`i64`/`f32`/`f64` parameters and at most one such result; calls the
/// engine implements are linked to their implementation only with exactly
/// the engine's type (else to the stub, under the same rule). `env` imports
/// are the `invoke_*` trampolines of setjmp/longjmp, of the types
/// [`crate::sys::aux::sjlj::InvokeType::of_import`] accepts. An import of any other
/// name that WAMR's registry of natives (which an embedding may extend)
/// does not hold is unknown: named here, before WAMR's loader reads the
/// module (it would refuse a type it cannot read with a message that names
/// nothing).
fn refusal(all: &[FuncImport]) -> Option<String> {
    for imp in all {
        if imp.module.contains('\0') || imp.name.contains('\0') {
            return Some(format!(
                "import {} has a NUL byte in its name",
                imp.full_name()
            ));
        }
        let plain = |ts: &[ValType]| ts.iter().all(|t| *t != ValType::Other);
        if imp.module.as_bytes() == MODULE.to_bytes() {
            if !plain(&imp.params) || !plain(&imp.results) || imp.results.len() > 1 {
                return Some(format!(
                    "import {} has type {}, which the engine cannot serve: a `wali` import \
                     takes only i32, i64, f32 and f64 parameters and returns at most one \
                     such result",
                    imp.full_name(),
                    imp.text
                ));
            }
        } else if imp.module.as_bytes() == SJLJ_MODULE.to_bytes()
            && imp.name.starts_with("invoke_")
            && crate::sys::aux::sjlj::InvokeType::of_import(&imp.params, &imp.results).is_none()
        {
            return Some(format!(
                "import {} has type {}, which the engine cannot serve: an `invoke_*` \
                 trampoline takes an i32 table index, then up to 32 i32, i64, f32 or f64 \
                 parameters, and returns at most one such result",
                imp.full_name(),
                imp.text
            ));
        } else if !ours(imp) && !registered(imp) {
            return Some(unknown(imp));
        }
    }
    None
}

/// Whether the engine links `imp` itself (per module, [`module_natives`]).
fn ours(imp: &FuncImport) -> bool {
    imp.module.as_bytes() == MODULE.to_bytes()
        || (imp.module.as_bytes() == SJLJ_MODULE.to_bytes() && imp.name.starts_with("invoke_"))
}

/// Whether WAMR's registry of natives holds a function of `imp`'s names.
fn registered(imp: &FuncImport) -> bool {
    let (Ok(m), Ok(n)) = (
        CString::new(imp.module.clone()),
        CString::new(imp.name.clone()),
    ) else {
        return false;
    };
    // SAFETY: NUL-terminated names; a lookup in WAMR's registry.
    unsafe { w::wasm_runtime_is_import_func_linked(m.as_ptr(), n.as_ptr()) }
}

/// The refusal of an import the engine does not provide.
fn unknown(imp: &FuncImport) -> String {
    format!(
        "unknown import {} {}: the engine provides `wali` functions and the `env.invoke_*` \
         trampolines of setjmp/longjmp",
        imp.full_name(),
        imp.text
    )
}

/// The first function import of `module` that stayed unlinked after
/// resolution, as one line, for a module that [`refusal`] let through:
/// every `wali` and `env.invoke_*` import is linked then, and every other
/// import is registered by name, so this is one registered with another type
/// (by an embedding).
///
/// # Safety
/// `module` must be a loaded module.
pub unsafe fn unlinked_import(module: w::wasm_module_t) -> String {
    // SAFETY: `module` is a loaded module.
    let count = unsafe { w::wasm_runtime_get_import_count(module) };
    for imp in (0..count.max(0)).filter_map(|idx| func_import(module, idx)) {
        if !ours(&imp) && !registered(&imp) {
            return unknown(&imp);
        }
        if !ours(&imp) {
            return format!(
                "import {} {} has another type than the function registered for it",
                imp.full_name(),
                imp.text
            );
        }
    }
    "an import cannot be linked".into()
}

/// Import module of the `invoke_*` trampolines that clang's setjmp lowering
/// calls (see [`crate::sys::aux::sjlj`]).
pub const SJLJ_MODULE: &CStr = c"env";

/// The raw entry of every `env.invoke_*` import. Its attachment is the
/// import's [`InvokeType`](crate::sys::aux::sjlj::InvokeType).
unsafe extern "C" fn invoke_entry(env: w::wasm_exec_env_t, args: *mut u64) {
    // SAFETY: the attachment is the interned, never freed InvokeType this
    // import was linked with (`link_module`), and WAMR has checked the
    // import against its signature, so `args` is WAMR's raw buffer with one
    // slot per parameter: the index and `ty.params`.
    unsafe {
        let ty = &*(w::wasm_runtime_get_function_attachment(env)
            as *const crate::sys::aux::sjlj::InvokeType);
        let c = ctx(env, args);
        let slots = std::slice::from_raw_parts_mut(args, ty.params.len() + 1);
        crate::sys::aux::sjlj::invoke(&c, ty, slots);
    }
}

/// One `invoke_*` type with its WAMR signature, interned: WAMR keeps
/// pointers to both for as long as modules linked with them live.
fn intern_invoke(
    ty: crate::sys::aux::sjlj::InvokeType,
) -> &'static (CString, crate::sys::aux::sjlj::InvokeType) {
    static TYPES: Mutex<Vec<&'static (CString, crate::sys::aux::sjlj::InvokeType)>> =
        Mutex::new(Vec::new());
    let mut types = TYPES.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(t) = types.iter().find(|t| t.1 == ty) {
        return t;
    }
    let sig = CString::new(ty.signature()).unwrap();
    let leaked: &'static (CString, crate::sys::aux::sjlj::InvokeType) =
        Box::leak(Box::new((sig, ty)));
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
    match crate::abi::spec::AUX.iter().find(|a| a.name == name) {
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

/// A `wali` function import of a module: name and function type.
type WaliImport = (String, Vec<ValType>, Vec<ValType>);

/// The natives registered for one module while its imports are resolved:
/// stubs for what the global table does not serve, (interpreter) the raw
/// entries preferred over the typed ones, and the module's `env.invoke_*`
/// trampolines.
struct ModuleNatives {
    raw: Vec<w::NativeSymbol>,
    typed: Vec<w::NativeSymbol>,
    invokes: Vec<w::NativeSymbol>,
}

/// The per-module natives for `imports` (every function import of a
/// module). `wali` imports the spec does not know, or declared with another
/// type than the engine's, get an `-ENOSYS` stub; `env.invoke_*` imports of
/// a type the engine serves get the trampoline of [`crate::sys::aux::sjlj`].
fn module_natives(all: &[FuncImport], bytecode: bool) -> ModuleNatives {
    let mut invokes: Vec<w::NativeSymbol> = Vec::new();
    for imp in all {
        if imp.module.as_bytes() != SJLJ_MODULE.to_bytes() || !imp.name.starts_with("invoke_") {
            continue;
        }
        // A name with a NUL is refused before linking ([`refusal`]).
        let Ok(cname) = CString::new(imp.name.clone()) else {
            continue;
        };
        if let Some(ty) = crate::sys::aux::sjlj::InvokeType::of_import(&imp.params, &imp.results) {
            let ty = intern_invoke(ty);
            invokes.push(w::NativeSymbol {
                symbol: intern(cname).as_ptr(),
                func_ptr: invoke_entry as *mut c_void,
                signature: ty.0.as_ptr(),
                attachment: &ty.1 as *const crate::sys::aux::sjlj::InvokeType as *mut c_void,
            });
        }
    }
    let imports: Vec<WaliImport> = all
        .iter()
        .filter(|i| i.module.as_bytes() == MODULE.to_bytes() && !i.name.contains('\0'))
        .map(|i| (i.name.clone(), i.params.clone(), i.results.clone()))
        .collect();
    let imports = imports.as_slice();
    let mut extra: HashMap<String, CString> = HashMap::new();
    let mut typed_extra: Vec<(&'static CStr, TypedFn, &'static CStr)> = Vec::new();
    let mut other: Vec<w::NativeSymbol> = Vec::new();
    for (name, params, results) in imports {
        if let Some((sc, stub)) = spec_typed_stub(name, params, results) {
            // Imported with the spec's type where the engine's table gives
            // another: AoT code from our `wamrc` calls it directly with the
            // spec's type, so it needs a typed -ENOSYS stub.
            crate::wlog!(
                1,
                "import wali.{name} has another type than the engine's: it returns -ENOSYS"
            );
            if !typed_extra
                .iter()
                .any(|(n, _, _)| n.to_bytes() == name.as_bytes())
            {
                if let Ok(cname) = CString::new(name.clone()) {
                    typed_extra.push((intern(cname), stub, sc.signature));
                }
            }
        } else if let Some(f) = other_form(name, params, results) {
            // A second type real binaries use for this name.
            other.push(raw_symbol(f.0, Some(f.1), std::ptr::null()));
        } else if !globally_linked(name, params, results) {
            // A type that differs from one the engine knows (the spec's,
            // or its table entry's) is worth a warning; names the engine
            // neither types nor implements are reported when called.
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
            if let Ok(cname) = CString::new(name.clone()) {
                extra.entry(name.clone()).or_insert(cname);
            }
        }
    }
    let names: Vec<&'static CStr> = extra.into_values().map(intern).collect();
    let mut raw: Vec<w::NativeSymbol> = names
        .iter()
        .map(|n| w::NativeSymbol {
            symbol: n.as_ptr(),
            func_ptr: enosys as *mut c_void,
            signature: std::ptr::null(),
            attachment: n.as_ptr() as *mut c_void,
        })
        .collect();
    raw.extend(other);
    if bytecode && RAW_FOR_BYTECODE.load(Ordering::Relaxed) {
        raw.extend(raw_overrides(imports));
    }
    let typed = typed_extra
        .iter()
        .map(|(n, stub, sig)| w::NativeSymbol {
            symbol: n.as_ptr(),
            func_ptr: stub.func as *mut c_void,
            signature: sig.as_ptr(),
            attachment: std::ptr::null_mut(),
        })
        .collect();
    ModuleNatives {
        raw,
        typed,
        invokes,
    }
}

/// Runs `resolve` (WAMR resolving a module's imports) with `natives`
/// registered in front of the global table. The caller holds `LINK_LOCK`.
///
/// # Safety
/// `resolve` may only resolve imports (WAMR copies the function pointer,
/// signature and attachment of each symbol and keeps no pointer into the
/// arrays, which live until they are unregistered here).
unsafe fn with_module_natives<R>(natives: &mut ModuleNatives, resolve: impl FnOnce() -> R) -> R {
    let (raw, typed, invokes) = (&mut natives.raw, &mut natives.typed, &mut natives.invokes);
    // SAFETY: per the contract; names are interned for the process,
    // signatures static or NULL; each typed stub has its signature's types.
    unsafe {
        if !raw.is_empty() {
            w::wasm_runtime_register_natives_raw(
                MODULE.as_ptr(),
                raw.as_mut_ptr(),
                raw.len() as u32,
            );
        }
        if !typed.is_empty() {
            w::wasm_runtime_register_natives(
                MODULE.as_ptr(),
                typed.as_mut_ptr(),
                typed.len() as u32,
            );
        }
        if !invokes.is_empty() {
            w::wasm_runtime_register_natives_raw(
                SJLJ_MODULE.as_ptr(),
                invokes.as_mut_ptr(),
                invokes.len() as u32,
            );
        }
        let r = resolve();
        if !invokes.is_empty() {
            w::wasm_runtime_unregister_natives(SJLJ_MODULE.as_ptr(), invokes.as_mut_ptr());
        }
        if !typed.is_empty() {
            w::wasm_runtime_unregister_natives(MODULE.as_ptr(), typed.as_mut_ptr());
        }
        if !raw.is_empty() {
            w::wasm_runtime_unregister_natives(MODULE.as_ptr(), raw.as_mut_ptr());
        }
        r
    }
}

/// Links every `wali` import of a module loaded with `no_resolve`, then
/// resolves all of its imports. Imports the spec does not know, or declared
/// with another type than the spec's, return `-ENOSYS` when called.
/// Fails, with one line naming the import, if the module declares an import
/// the engine cannot serve safely ([`refusal`]) or if some import (of
/// another module name) stays unlinked.
///
/// A bytecode module run by the fast JIT is better linked while it loads
/// ([`load_linked`]): a stock WAMR starts compiling its functions in
/// background threads at load (ours does not, see wamr-sys/cmake/wali_jit.c),
/// and a call compiled before its import is linked keeps WAMR's generic path.
///
/// # Safety
/// `module` must be a module loaded by `wasm_runtime_load_ex` and not
/// unloaded.
pub unsafe fn link_module(module: w::wasm_module_t) -> Result<(), String> {
    register();
    let _guard = LINK_LOCK.lock().unwrap_or_else(|e| e.into_inner());
    // SAFETY: `module` is a loaded module.
    let count = unsafe { w::wasm_runtime_get_import_count(module) };
    let imports: Vec<FuncImport> = (0..count.max(0))
        .filter_map(|idx| func_import(module, idx))
        .collect();
    if let Some(why) = refusal(&imports) {
        return Err(why);
    }
    report_stubbed_sjlj(&imports);
    // SAFETY: `module` is a loaded module.
    let bytecode =
        unsafe { w::wasm_runtime_get_module_package_type(module) } == w::Wasm_Module_Bytecode;
    let mut natives = module_natives(&imports, bytecode);
    // SAFETY: resolution only; `module` is loaded.
    if unsafe { with_module_natives(&mut natives, || w::wasm_runtime_resolve_symbols(module)) } {
        Ok(())
    } else {
        // SAFETY: `module` is loaded.
        Err(unsafe { unlinked_import(module) })
    }
}

/// Loads a bytecode module with its `wali` and `env.invoke_*` imports linked
/// during the load:
/// `imports` are the module's function imports (read from its bytes), and
/// `load` calls WAMR's loader with symbol resolution on. The caller then
/// checks with `wasm_runtime_resolve_symbols` that nothing else is missing
/// ([`unlinked_import`] names what is). A module with an import the engine
/// cannot serve safely is refused before `load` runs ([`refusal`]).
///
/// # Safety
/// `load` may only load the module whose imports these are.
pub unsafe fn load_linked<R>(
    imports: &[wasm_patch::FuncImport],
    load: impl FnOnce() -> R,
) -> Result<R, String> {
    register();
    let _guard = LINK_LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let imports: Vec<FuncImport> = imports
        .iter()
        .map(|i| {
            FuncImport::new(
                i.module.clone(),
                i.name.clone(),
                i.params.iter().map(|b| wasm_valtype(*b)).collect(),
                i.results.iter().map(|b| wasm_valtype(*b)).collect(),
            )
        })
        .collect();
    if let Some(why) = refusal(&imports) {
        return Err(why);
    }
    report_stubbed_sjlj(&imports);
    let mut natives = module_natives(&imports, true);
    // SAFETY: per the contract.
    Ok(unsafe { with_module_natives(&mut natives, load) })
}

/// At `-v=1` and above, one line per `wali.setjmp`, `wali.sigsetjmp` and
/// `wali.longjmp` import of a module built for the host-side setjmp of older
/// reference toolchains: the engine cannot return twice from an import, so
/// these are stubs (setjmp returns 0 once; longjmp ends the process with a
/// message, [`crate::sys::aux::sjlj::longjmp`]). A module built by `./wali-cc` imports
/// `wali.longjmp` with the `env.invoke_*` trampolines and no `wali.setjmp`:
/// nothing to say then.
fn report_stubbed_sjlj(all: &[FuncImport]) {
    let wali = |n: &str| {
        all.iter()
            .any(|i| i.module.as_bytes() == MODULE.to_bytes() && i.name == n)
    };
    if !wali("setjmp") && !wali("sigsetjmp") {
        return;
    }
    for name in ["setjmp", "sigsetjmp"] {
        if wali(name) {
            crate::wnote!(
                "import wali.{name} is linked to a stub that returns 0 once: the engine \
                 cannot return twice from an import (build with ./wali-cc for setjmp/longjmp \
                 through the compiler's lowering)"
            );
        }
    }
    if wali("longjmp") {
        crate::wnote!(
            "import wali.longjmp is linked to a stub: with no setjmp to return to, a longjmp \
             ends the process with a message and status {}",
            crate::sys::aux::sjlj::LONGJMP_STATUS
        );
    }
}

/// Whether bytecode modules link their well-typed syscall imports to the raw
/// entries: set by the runtime when it runs `.wasm` files in the classic
/// interpreter, which calls a raw native through
/// `wasm_runtime_invoke_native_raw` for less than a typed one through
/// `wasm_runtime_invoke_native` (its generic argument marshalling); the
/// fast JIT and AoT code call typed natives directly.
static RAW_FOR_BYTECODE: AtomicBool = AtomicBool::new(false);

/// See [`RAW_FOR_BYTECODE`].
pub fn link_bytecode_raw(on: bool) {
    RAW_FOR_BYTECODE.store(on, Ordering::Relaxed);
}

/// Raw entries for the spec syscall imports that the global table links
/// (same name and type), overriding the typed ones for one module. With no
/// signature (the type was just checked): WAMR keeps the pointer.
fn raw_overrides(imports: &[WaliImport]) -> Vec<w::NativeSymbol> {
    let mut out: Vec<w::NativeSymbol> = Vec::new();
    for (name, params, results) in imports {
        let Some(sc) = name.strip_prefix("SYS_").and_then(Syscall::find) else {
            continue;
        };
        if sc.name == "exit" || !globally_linked(name, params, results) {
            continue;
        }
        let Ok(cname) = CString::new(name.clone()) else {
            continue;
        };
        let cname = intern(cname);
        if out.iter().any(|s| s.symbol == cname.as_ptr()) {
            continue;
        }
        let func = raw_impl(sc.name);
        out.push(raw_symbol(cname, func, std::ptr::null()));
    }
    out
}

/// The implementation of `name` imported with another type that real
/// binaries use ([`super::entries::OTHER_FORMS`]), and its interned import name.
fn other_form(
    name: &str,
    params: &[ValType],
    results: &[ValType],
) -> Option<(&'static CStr, RawFn)> {
    let sys = name.strip_prefix("SYS_")?;
    if results != [ValType::I64] {
        return None;
    }
    let f = super::entries::OTHER_FORMS
        .iter()
        .find(|f| f.name == sys && f.params == params)?;
    let cname = CString::new(format!("SYS_{}", f.name)).ok()?;
    Some((intern(cname), f.raw))
}

/// For an import of a spec name with the spec's own type (a direct call in
/// AoT code from our `wamrc`, [`Syscall::direct_signature`]) that the global
/// table does not serve because the engine links that name with the types
/// of its table: the name's typed `-ENOSYS` stub, which has the spec's type.
fn spec_typed_stub(
    name: &str,
    params: &[ValType],
    results: &[ValType],
) -> Option<(&'static Syscall, TypedFn)> {
    let sc = Syscall::find(name.strip_prefix("SYS_")?)?;
    sc.direct_signature()?;
    if params != sc.params || results != [ValType::I64] || params_of(sc) == sc.params {
        return None;
    }
    let stub = super::entries::SPEC_TYPED_STUBS
        .iter()
        .find(|(n, _)| *n == sc.name)?
        .1;
    Some((sc, stub))
}

/// Every spec name's typed entry has the parameter types it is registered
/// with (the spec's, or the table's where the spec lists none), so WAMR
/// calls it with the types it reads; and an import with the spec's type,
/// which AoT code may call directly, links to a typed function of that type
/// (the global entry, or the name's stub through `link_module`).
#[cfg(test)]
#[test]
fn typed_entries_match_their_signatures() {
    // WAMR's signature string for `params` returning `i64`, e.g. `(iI)I`.
    let signature_of = |params: &[ValType]| {
        let s: String = params.iter().map(|p| p.sig_char()).collect();
        CString::new(format!("({s})I")).unwrap()
    };
    for sc in crate::abi::spec::SYSCALLS.iter() {
        let typed = typed_entry(sc);
        assert_eq!(typed.params, params_of(sc), "{}", sc.name);
        // The generated signature string is that of the linked types, and
        // the entry is registered under the spec name and its aliases.
        assert_eq!(
            typed.signature,
            signature_of(typed.params).as_c_str(),
            "{}",
            sc.name
        );
        let entry = super::register::entry(sc.name).unwrap();
        let want: Vec<String> = std::iter::once(&sc.name)
            .chain(sc.aliases)
            .map(|n| format!("SYS_{n}"))
            .collect();
        let got: Vec<String> = entry
            .imports
            .iter()
            .map(|n| n.to_string_lossy().into_owned())
            .collect();
        assert_eq!(got, want, "{}", sc.name);
        // A C type and a name for every parameter (the trace pairs them).
        let (params, c_types, arg_names) = crate::abi::args::signature(sc);
        assert_eq!(params.len(), c_types.len(), "{}", sc.name);
        assert_eq!(params.len(), arg_names.len(), "{}", sc.name);
        let Some(sig) = sc.direct_signature() else {
            assert_eq!(sc.name, "exit");
            continue;
        };
        assert_eq!(sig, signature_of(sc.params).as_c_str(), "{}", sc.name);
        let name = format!("SYS_{}", sc.name);
        if params_of(sc) == sc.params {
            assert!(globally_linked(&name, sc.params, &[ValType::I64]), "{name}");
        } else {
            let (_, stub) = spec_typed_stub(&name, sc.params, &[ValType::I64]).unwrap();
            assert_eq!(stub.params, sc.params, "{name}");
            assert_eq!(stub.signature, sig, "{name}");
        }
    }
}
