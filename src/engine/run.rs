//! The one choke point every call passes: [`run`] builds the call's
//! context, traces it when the trace is on, runs the handler and then the
//! guest's signal handlers that became due (restarting an interrupted call
//! when the guest's handler asks for it). Also the types of the generated
//! entry points ([`super::entries`]).

use super::ctx_of;
use crate::abi::errno::{to_raw, Errno, SysResult};
use crate::abi::spec_types::ValType;
use crate::ctx::{Ctx, RawFn};
use std::ffi::{c_void, CStr};
use wamr_sys as w;

/// Runs a syscall handler for one call and returns its kernel-convention
/// result. Guest signal handlers run before the call returns to the guest;
/// an interrupted call may restart.
///
/// # Safety
/// `env` must be the live exec env WAMR passed to the running host call.
#[inline(always)]
pub unsafe fn run(
    env: w::wasm_exec_env_t,
    args: [u64; 6],
    name: &'static str,
    h: impl Fn(&Ctx) -> SysResult,
) -> i64 {
    // SAFETY: per the contract.
    let c = unsafe { ctx_of(env, args) };
    // Tracing off: one relaxed load and a branch (measured in `make bench`).
    if crate::ctx::trace::on() {
        return run_traced(&c, name, &h);
    }
    let r = loop {
        let r = h(&c);
        if !crate::sys::signal::after_call(&c, name, &r) {
            break r;
        }
    };
    to_raw(r)
}

/// [`run`] with the trace on (`crate::ctx::trace`): one line per run of the
/// handler (before the signal handlers it is followed by), and its count and
/// time for the summary. Out of line and not generic, so the untraced path
/// of every entry point stays as small as before.
#[cold]
#[inline(never)]
fn run_traced(c: &Ctx, name: &'static str, h: &dyn Fn(&Ctx) -> SysResult) -> i64 {
    let call = crate::ctx::trace::Call::begin(c, name);
    if let Some(e) = call.refused() {
        // It names the trace file's descriptor: it does not run.
        call.end(c, &Err(e), std::time::Duration::ZERO);
        return to_raw(Err(e));
    }
    let r = loop {
        let t0 = std::time::Instant::now();
        let r = h(c);
        call.end(c, &r, t0.elapsed());
        if !crate::sys::signal::after_call(c, name, &r) {
            break r;
        }
    };
    to_raw(r)
}

/// A typed entry point: `extern "C" fn(exec_env, params...) -> i64` with
/// exactly these wasm parameter types (`i32` → `i32`, `i64` → `i64`), as an
/// address to hand to WAMR.
#[derive(Clone, Copy)]
pub struct TypedFn {
    pub params: &'static [ValType],
    /// WAMR's signature string of `params` returning `i64`, e.g. `(iI)I`.
    pub signature: &'static CStr,
    pub func: *const c_void,
}
// SAFETY: `func` is the address of a function (immutable code), shared
// freely between threads like any fn pointer.
unsafe impl Sync for TypedFn {}
// SAFETY: as for Sync: a code address, valid on any thread.
unsafe impl Send for TypedFn {}

/// The entry points of one spec syscall (generated: [`super::entries`]).
pub struct Entry {
    /// Spec name, without `SYS_`.
    pub name: &'static str,
    /// The import names it is registered under: `SYS_<name>` and the
    /// spec's aliases.
    pub imports: &'static [&'static CStr],
    /// The folder of `src/sys` that implements it; None: not implemented.
    pub area: Option<&'static str>,
    /// Typed entry, with the wasm types the call is linked with
    /// ([`crate::abi::args::params_of`]).
    pub typed: TypedFn,
    /// Raw entry; None for a name no area implements.
    pub raw: Option<RawFn>,
}

/// Another import type of a call that real binaries use, with its own raw
/// entry (generated: [`super::entries::OTHER_FORMS`]).
pub struct OtherForm {
    pub name: &'static str,
    pub params: &'static [ValType],
    pub raw: RawFn,
}

/// The result of a call no area implements, reported once (`-v=2`).
pub fn enosys_result(import: &str) -> SysResult {
    crate::ctx::process::report_enosys(import);
    Err(Errno::ENOSYS)
}
