//! Layer 4: the context of one call, and the engine process's state.
//!
//! [`Ctx`] carries a call's arguments and the guest's memory (looked up on
//! first use) from the entry point to the handler; [`process`] holds what
//! the engine process knows of its guest (arguments, environment, exit,
//! verbosity); [`trace`] writes the strace-like trace of the calls.

use crate::abi::mem::{Addr, GuestMem, LazyMem};
use crate::abi::spec_types::ValType;
use std::ffi::CStr;
use wamr_sys as w;

pub mod process;
pub mod trace;

/// The exec env WAMR passes to every host function.
pub type ExecEnv = w::wasm_exec_env_t;

/// The arguments of one call into the host, and the guest's memory (looked
/// up on first use).
pub struct Ctx {
    pub env: w::wasm_exec_env_t,
    pub mem: LazyMem,
    args: [u64; 6],
}

/// Positional reads of the arguments, for the trace only: handlers read
/// their arguments by name (`crate::abi::args`).
impl Ctx {
    /// Argument `i` as a 32-bit int (an `i32` import parameter).
    #[inline]
    pub(in crate::ctx) fn i32(&self, i: usize) -> i32 {
        self.args[i] as u32 as i32
    }
    #[inline]
    pub(in crate::ctx) fn u32(&self, i: usize) -> u32 {
        self.args[i] as u32
    }
    /// Argument `i` as a 64-bit int (an `i64` import parameter).
    #[inline]
    pub(in crate::ctx) fn i64(&self, i: usize) -> i64 {
        self.args[i] as i64
    }
    #[inline]
    pub(in crate::ctx) fn u64(&self, i: usize) -> u64 {
        self.args[i]
    }
    /// Argument `i` as a guest address.
    #[inline]
    pub(in crate::ctx) fn addr(&self, i: usize) -> Addr {
        self.args[i] as u32
    }
    /// The instance running this call.
    pub fn instance(&self) -> w::wasm_module_inst_t {
        // SAFETY: `env` is the live exec env WAMR passed to this call.
        unsafe { w::wasm_runtime_get_module_inst(self.env) }
    }
    /// Calls the guest's table entry `index`, checked to be of type
    /// `params -> results` (see [`crate::wamr::call_table`]). False if
    /// the guest raised an exception, which stays set.
    pub fn call_table(
        &self,
        index: u32,
        params: &[ValType],
        results: &[ValType],
        cells: &mut [u32],
    ) -> bool {
        // SAFETY: `env` is the live exec env of this call, run by this thread.
        unsafe { crate::wamr::call_table(self.env, index, params, results, cells) }
    }
    /// Raises `msg` on this thread's instance only: the guest's frames unwind
    /// when this host call returns.
    pub fn raise_local(&self, msg: &CStr) {
        // SAFETY: `env` is the live exec env of this call.
        unsafe { crate::wamr::raise_local(self.env, msg) }
    }
    /// Clears this instance's exception if it is `msg`; whether it was.
    pub fn take_exception(&self, msg: &CStr) -> bool {
        // SAFETY: `env` is the live exec env of this call.
        unsafe { crate::wamr::take_local_exception(self.env, msg) }
    }
}

/// Builds the context of a call from its arguments, one 64-bit slot each
/// (an `i32` zero-extended, as in WAMR's raw buffer; unused slots 0).
///
/// # Safety
/// `env` must be the live exec env WAMR passed to the running host call.
#[inline(always)]
pub unsafe fn ctx_of(env: w::wasm_exec_env_t, args: [u64; 6]) -> Ctx {
    Ctx {
        env,
        // SAFETY: per the contract; the Ctx lives for the call only.
        mem: unsafe { LazyMem::new(env) },
        args,
    }
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
/// As for [`raw_args`]; `env` is the exec env WAMR passed with `args`.
#[inline(always)]
pub unsafe fn ctx(env: w::wasm_exec_env_t, args: *const u64) -> Ctx {
    // SAFETY: per the contract.
    unsafe { ctx_of(env, raw_args(args)) }
}

/// A host function as registered with WAMR (raw convention).
pub type RawFn = unsafe extern "C" fn(w::wasm_exec_env_t, *mut u64);

/// Growth and identity of the linear memory of the instance running a call,
/// for the memory-mapping area (`mm`), which places guest mappings above
/// what the module uses and grows memory through WAMR's public API.
impl GuestMem {
    /// The memory as it is now (another thread, or this call, may have grown
    /// it since the call's view was taken).
    pub fn current(c: &Ctx) -> GuestMem {
        // SAFETY: a Ctx is only built from the live exec env of a call.
        unsafe { GuestMem::of(c.env) }
    }

    /// Largest size the memory may reach, in bytes (its declared maximum,
    /// capped at the 4 GiB a 32-bit address can reach); 0 without memory.
    pub fn max_size(c: &Ctx) -> u64 {
        // SAFETY: live instance of the call; the getters only read.
        unsafe {
            let m = w::wasm_runtime_get_default_memory(c.instance());
            if m.is_null() {
                return 0;
            }
            let pages = w::wasm_memory_get_max_page_count(m);
            let page = w::wasm_memory_get_bytes_per_page(m);
            pages.saturating_mul(page).min(1 << 32)
        }
    }

    /// An identity of the memory for per-memory state: its WAMR memory
    /// instance (threads of one guest share it) and host base address.
    pub fn identity(c: &Ctx) -> (usize, u64) {
        // SAFETY: live instance of the call; the getters only read.
        unsafe {
            let m = w::wasm_runtime_get_default_memory(c.instance());
            if m.is_null() {
                return (0, 0);
            }
            (m as usize, w::wasm_memory_get_base_address(m) as u64)
        }
    }

    /// Grows the memory by `pages` wasm pages (WAMR takes the shared-memory
    /// lock; the base address does not move because WAMR reserves the whole
    /// range up front). False when the maximum would be exceeded or the
    /// host refuses: never a trap.
    pub fn grow(c: &Ctx, pages: u64) -> bool {
        // SAFETY: live instance of the call.
        unsafe { w::wasm_runtime_enlarge_memory(c.instance(), pages) }
    }
}
