//! Registration of the `wali` host functions with WAMR.
//!
//! Every spec syscall is registered as a typed native: a C function
//! `extern "C" fn(exec_env, i32, i64, ...) -> i64` with the wasm types it is
//! linked with, generated into [`super::entries`] (and, for the names the
//! engine does not implement, one `-ENOSYS` stub per name). WAMR then calls it the cheapest
//! way each mode allows:
//! * AoT code compiled by our `wamrc` (which registers the same signatures,
//!   [`Syscall::direct_signature`]) calls it directly through the instance's
//!   function-pointer table, checking the exception flag inline;
//! * the fast JIT calls typed natives of up to 4 parameters directly;
//! * the interpreter (and AoT code from another `wamrc`) goes through
//!   `wasm_runtime_invoke_native`.
//!
//! `exit` (imported both as `(i32)->i64` and `(i32)->()`), the auxiliary calls
//! and the per-module stubs stay raw: one entry point receives the arguments
//! as an array of 64-bit slots and writes its result into slot 0, which lets
//! one function body serve whatever type a module declares.
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

use super::run::Entry;
use crate::abi::errno::to_raw;
#[cfg(doc)]
use crate::abi::spec_types::Syscall;
use crate::ctx::RawFn;
use std::collections::HashMap;
use std::ffi::{c_void, CStr};
use std::sync::OnceLock;
use wamr_sys as w;

/// Import module name of every WALI function.
pub const MODULE: &CStr = c"wali";

/// The entry points of a spec syscall name.
pub fn entry(name: &str) -> Option<&'static Entry> {
    // Indexed once: registration and linking look up every spec name and
    // import, and a scan of the ~360 entries each time cost about 5 % of a
    // short AoT run's start-up.
    static INDEX: OnceLock<HashMap<&'static str, &'static Entry>> = OnceLock::new();
    INDEX
        .get_or_init(|| {
            let mut index = HashMap::new();
            for e in super::entries::ENTRIES.iter() {
                index.entry(e.name).or_insert(e);
            }
            index
        })
        .get(name)
        .copied()
}

/// The raw entry of a spec syscall the engine implements.
pub(super) fn raw_impl(name: &str) -> Option<RawFn> {
    entry(name).and_then(|e| e.raw)
}

/// Names (spec names) of every syscall this engine implements.
pub fn implemented_names() -> Vec<&'static str> {
    super::entries::ENTRIES
        .iter()
        .filter(|e| e.raw.is_some())
        .map(|e| e.name)
        .collect()
}

/// A raw native for import `cname`: `func` where the engine implements it,
/// else the `-ENOSYS` stub with the name as its attachment (for its report).
/// `cname` must outlive the registration (WAMR keeps the pointers).
pub(super) fn raw_symbol(
    cname: &CStr,
    func: Option<RawFn>,
    signature: *const std::ffi::c_char,
) -> w::NativeSymbol {
    let (func, attachment): (RawFn, *mut c_void) = match func {
        Some(f) => (f, std::ptr::null_mut()),
        None => (enosys, cname.as_ptr() as *mut c_void),
    };
    w::NativeSymbol {
        symbol: cname.as_ptr(),
        func_ptr: func as *mut c_void,
        signature,
        attachment,
    }
}

/// The stub for names the engine does not provide: returns `-ENOSYS` in any
/// result type. Its attachment is the import name, for the `-v=2` report.
pub(super) unsafe extern "C" fn enosys(env: w::wasm_exec_env_t, args: *mut u64) {
    // SAFETY: the attachment is a leaked, NUL-terminated name set at
    // registration (or NULL); `args` is WAMR's raw buffer.
    unsafe {
        let name = w::wasm_runtime_get_function_attachment(env) as *const std::ffi::c_char;
        if !name.is_null() {
            crate::ctx::process::report_enosys(&CStr::from_ptr(name).to_string_lossy());
        }
        *args = to_raw(Err(crate::abi::errno::Errno::ENOSYS)) as u64;
    }
}

/// The typed entry a spec syscall is registered with: its implementation's,
/// or the `-ENOSYS` stub of its name.
#[cfg(test)]
pub(super) fn typed_entry(sc: &crate::abi::spec_types::Syscall) -> super::run::TypedFn {
    match entry(sc.name) {
        Some(e) => e.typed,
        // The generator emits one entry per spec name, in spec order.
        None => unreachable!("no entry for spec name {}", sc.name),
    }
}

struct Registered {
    // Kept alive for as long as WAMR holds pointers into them (the names
    // and signatures they point to are static).
    _typed: Vec<w::NativeSymbol>,
    _raw: Vec<w::NativeSymbol>,
}
// SAFETY: the pointers inside are to static, immutable data.
unsafe impl Send for Registered {}
// SAFETY: as for Send: nothing mutates the data behind the pointers.
unsafe impl Sync for Registered {}

static GLOBAL: OnceLock<Registered> = OnceLock::new();
/// Registers every `wali` host function with WAMR. Idempotent; call after
/// `wasm_runtime_init`/`wasm_runtime_full_init`.
///
/// Spec syscalls are typed natives with their signature (AoT code from our
/// `wamrc` calls those with [`Syscall::direct_signature`] directly, so each
/// must be a typed function of exactly that type); `exit` and the auxiliary
/// calls are raw. Names and signatures are the generated static C strings
/// of [`super::entries`]: every start of the engine registers ~380
/// functions, and building those strings took more of a short run's
/// start-up than anything else here.
pub fn register() -> bool {
    let mut ok = true;
    GLOBAL.get_or_init(|| {
        let entries = &super::entries::ENTRIES;
        let mut typed = Vec::with_capacity(entries.len() + 16);
        let mut raw = Vec::new();
        for e in entries.iter() {
            for &name in e.imports {
                if e.name == "exit" {
                    // Imported both as (i32)->i64 and (i32)->(): a raw entry
                    // with an empty signature, which skips WAMR's type check.
                    raw.push(raw_symbol(name, e.raw, std::ptr::null()));
                } else {
                    typed.push(w::NativeSymbol {
                        symbol: name.as_ptr(),
                        func_ptr: e.typed.func as *mut c_void,
                        signature: e.typed.signature.as_ptr(),
                        attachment: std::ptr::null_mut(),
                    });
                }
            }
        }
        for ax in crate::abi::spec::AUX.iter() {
            // The generator emits an entry per spec aux call.
            let Some(&(name, func)) = super::entries::AUX_ENTRIES
                .iter()
                .find(|(n, _)| n.to_bytes() == ax.name.as_bytes())
            else {
                unreachable!("no entry for aux call {}", ax.name)
            };
            raw.push(raw_symbol(name, Some(func), ax.signature.as_ptr()));
        }
        // SAFETY: the arrays are owned by the static Registered and the
        // strings they point to are static: all live for the rest of the
        // process, as WAMR requires; every typed symbol is a C function of
        // exactly its signature's types.
        ok = unsafe {
            w::wasm_runtime_register_natives(
                MODULE.as_ptr(),
                typed.as_mut_ptr(),
                typed.len() as u32,
            ) && w::wasm_runtime_register_natives_raw(
                MODULE.as_ptr(),
                raw.as_mut_ptr(),
                raw.len() as u32,
            )
        };
        Registered {
            _typed: typed,
            _raw: raw,
        }
    });
    ok
}
