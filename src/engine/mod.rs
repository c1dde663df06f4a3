//! Layer 6: the engine glue. Registration of every `wali` function with
//! WAMR, linking of a module's imports, the `-ENOSYS` stubs, and the typed
//! entry points through which every call reaches its handler in [`crate::sys`].
//!
//! This is where WAMR's raw calls into the host begin, so it is one of the
//! modules allowed `unsafe` (DEVELOPERS.md): an entry point is what turns
//! WAMR's exec env and raw argument buffer into a safe [`Ctx`].

use crate::ctx::Ctx;
use crate::wamr::Env;
use wamr_sys as w;

pub mod entries;
pub mod hooks;
pub mod link;
pub mod register;
pub mod run;

/// Builds the context of a call from its arguments, one 64-bit slot each
/// (an `i32` zero-extended, as in WAMR's raw buffer; unused slots 0).
///
/// # Safety
/// `env` must be the live exec env WAMR passed to the running host call;
/// the Ctx must not outlive that call.
#[inline(always)]
pub unsafe fn ctx_of(env: w::wasm_exec_env_t, args: [u64; 6]) -> Ctx {
    // SAFETY: per the contract.
    Ctx::new(unsafe { Env::from_raw(env) }, args)
}

/// The first 6 slots of WAMR's raw argument array.
///
/// # Safety
/// `args` must be the raw argument array WAMR passes to a raw native: at
/// least 16 slots (WAMR's own buffer) for functions of up to 16 parameters.
#[inline(always)]
pub unsafe fn raw_args(args: *const u64) -> [u64; 6] {
    let mut a = [0u64; 6];
    // SAFETY: per the contract, `args` has at least 6 readable slots.
    unsafe { std::ptr::copy_nonoverlapping(args, a.as_mut_ptr(), 6) };
    a
}

/// Builds the context of a call from WAMR's raw argument array.
///
/// # Safety
/// As for [`raw_args`] and [`ctx_of`]; `env` is the exec env WAMR passed
/// with `args`.
#[inline(always)]
pub unsafe fn ctx(env: w::wasm_exec_env_t, args: *const u64) -> Ctx {
    // SAFETY: per the contract.
    unsafe { ctx_of(env, raw_args(args)) }
}

/// Why [`load_module`] failed.
#[derive(Debug)]
pub enum LoadError {
    /// WAMR's loader refused the file.
    Load(String),
    /// An import cannot be linked: the first bad or unknown one.
    Link(String),
}

/// Loads a `.wasm` (`bytecode`) or `.aot` image and links every `wali`
/// import. A bytecode module's imports are linked while WAMR loads it, so
/// that nothing can compile a call to an import before the import is
/// linked (such a call would take WAMR's generic path for good). Other
/// files (AoT, or bytecode this reader does not understand) are linked
/// after.
pub fn load_module(
    bytes: crate::wamr::ModuleBytes,
    bytecode: bool,
) -> Result<crate::wamr::Module, LoadError> {
    use std::sync::atomic::Ordering;
    // The imports are read from the very bytes WAMR loads below, as
    // `link::load_linked` requires.
    let imports = match bytecode {
        true => wasm_patch::func_imports(&bytes),
        false => None,
    };
    // WAMR's output while loading is discarded: the loader's errors come
    // back in its error buffer.
    crate::wamr::LOADING.fetch_add(1, Ordering::SeqCst);
    let loaded = match &imports {
        // SAFETY: the load loads the module these imports were read from.
        Some(imports) => unsafe {
            link::load_linked(imports, || crate::wamr::Module::load(bytes, false))
        },
        None => Ok(crate::wamr::Module::load(bytes, true)),
    };
    crate::wamr::LOADING.fetch_sub(1, Ordering::SeqCst);
    let module = loaded.map_err(LoadError::Link)?.map_err(LoadError::Load)?;
    // Imports linked during the load stay as they are; this reports any
    // left.
    match imports {
        Some(_) if module.resolve_symbols() => {}
        Some(_) => {
            // SAFETY: a module WAMR just loaded, owned by `module`.
            let why = unsafe { link::unlinked_import(module.raw()) };
            return Err(LoadError::Link(why));
        }
        None => {
            // SAFETY: a module WAMR just loaded (without resolving its
            // imports), owned by `module`.
            unsafe { link::link_module(module.raw()) }.map_err(LoadError::Link)?
        }
    }
    Ok(module)
}
