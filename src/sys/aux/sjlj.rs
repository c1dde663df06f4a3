//! `setjmp`/`longjmp` for guests built with the compiler's Emscripten-style
//! lowering (`./wali-cc` passes `-mllvm -enable-emscripten-sjlj`).
//!
//! WebAssembly cannot return twice from a call, so clang rewrites every
//! function that calls `setjmp`: each call it makes goes through an import
//! `env.invoke_<sig>(table_index, args...)`, and after each one it checks
//! whether a `longjmp` is in flight (the libc's thread-local `__THREW__`) and
//! whether it targets a `setjmp` of this very invocation; if so it branches
//! to the code after that `setjmp`, otherwise it passes the `longjmp` on.
//! The libc (`sysroot/musl/src/setjmp/wasm32/`) keeps the jump buffers and
//! those flags; the engine provides the two things only it can do:
//!
//! * `invoke_*`: call a table entry and, if a `longjmp` unwinds out of it,
//!   stop the unwinding there and return normally (result 0);
//! * `wali.longjmp(env, val)`, called by the libc's `longjmp` after it set
//!   the flags: unwind the guest's frames up to the innermost `invoke_*`,
//!   by raising a WAMR exception on this thread only.
//!
//! Unwinding frames skips their epilogues, so the guest's shadow-stack
//! pointer stays where the deepest frame left it; the libc puts it back when
//! the jump lands (`__wasm_setjmp_test`). A `longjmp` with no `invoke_*`
//! below it on the stack (a program built without the lowering, or a buffer
//! whose `setjmp` frame has returned) cannot be honoured: the process ends
//! with a clear message and status [`LONGJMP_STATUS`].

use crate::abi::spec_types::ValType;
use crate::ctx::Ctx;
use std::cell::Cell;
use std::ffi::CStr;

/// Exit status of a process whose `longjmp` cannot be honoured: distinct
/// from the libc's start-up statuses and from a trap
/// ([`crate::wamr::TRAP_STATUS`]).
pub const LONGJMP_STATUS: i32 = 253;

/// Most callee parameters of an `invoke_*` import this engine serves.
const MAX_PARAMS: usize = 32;

/// The exception text that carries a `longjmp` through WAMR's frames.
const UNWIND: &CStr = c"wali: longjmp unwinding";

thread_local! {
    /// `invoke_*` calls active on this thread (frames a `longjmp` can reach).
    static DEPTH: Cell<u32> = const { Cell::new(0) };
    /// A `longjmp` is unwinding this thread's guest frames.
    static UNWINDING: Cell<bool> = const { Cell::new(false) };
}

/// A new guest thread starts on this host thread: no `invoke_*` frame, no
/// unwinding (a pooled host thread's previous guest thread may have ended
/// inside one, by `exit` or a trap). Also a new guest's main thread
/// (`runtime::state`).
pub fn thread_reset() {
    DEPTH.with(|d| d.set(0));
    UNWINDING.with(|u| u.set(false));
}

/// Whether this thread is unwinding for a `longjmp` (WAMR's call-stack dumps
/// of that exception are not errors and stay silent).
pub fn unwinding() -> bool {
    UNWINDING.with(|u| u.get())
}

/// The type of one `invoke_*` import: `(i32 index, params...) -> result`.
#[derive(Debug, PartialEq, Eq)]
pub struct InvokeType {
    /// The callee's parameters (the import's, without the table index).
    pub params: Vec<ValType>,
    pub result: Option<ValType>,
}

impl InvokeType {
    /// The type an `invoke_*` import declared, if it is one this engine can
    /// serve: an `i32` table index first, plain number types, one result at
    /// most, and few enough parameters for WAMR's native-call path.
    pub fn of_import(params: &[ValType], results: &[ValType]) -> Option<InvokeType> {
        let (first, rest) = params.split_first()?;
        let plain = |t: &ValType| *t != ValType::Other;
        if *first != ValType::I32 || rest.len() > MAX_PARAMS || !rest.iter().all(plain) {
            return None;
        }
        if results.len() > 1 || !results.iter().all(plain) {
            return None;
        }
        Some(InvokeType {
            params: rest.to_vec(),
            result: results.first().copied(),
        })
    }

    /// WAMR signature string of the import, e.g. `(iiI)i`.
    pub fn signature(&self) -> String {
        let mut s = String::from("(i");
        s.extend(self.params.iter().map(|p| p.sig_char()));
        s.push(')');
        s.extend(self.result.map(|r| r.sig_char()));
        s
    }
}

/// `invoke_*(index, args...)`: calls table entry `index` with `args` (raw
/// argument slots 1..) and returns its result in slot 0; if a `longjmp`
/// unwinds out of the callee, stops it here and returns 0, the libc's
/// flags telling the caller where to land.
pub fn invoke(c: &Ctx, ty: &InvokeType, slots: &mut [u64]) {
    // One cell per 32-bit value, two (low, high) per 64-bit one; at least
    // two, for a 64-bit result.
    let mut buf = [0u32; 2 * MAX_PARAMS];
    let mut n = 0;
    for (t, v) in ty.params.iter().zip(&slots[1..]) {
        buf[n] = *v as u32;
        n += 1;
        if matches!(t, ValType::I64 | ValType::F64) {
            buf[n] = (*v >> 32) as u32;
            n += 1;
        }
    }
    let cells = &mut buf[..n.max(2)];
    let results: &[ValType] = ty.result.as_slice();
    DEPTH.with(|d| d.set(d.get() + 1));
    let returned = c.call_table(slots[0] as u32, &ty.params, results, cells);
    DEPTH.with(|d| d.set(d.get() - 1));
    slots[0] = if returned {
        match ty.result {
            Some(ValType::I64 | ValType::F64) => cells[0] as u64 | (cells[1] as u64) << 32,
            Some(_) => cells[0] as u64,
            None => 0,
        }
    } else {
        if UNWINDING.with(|u| u.get()) && c.take_exception(UNWIND) {
            UNWINDING.with(|u| u.set(false));
        }
        // Any other exception (a trap, the process exiting) keeps unwinding.
        0
    };
}

/// `wali.longjmp(env, val)`: unwinds to the innermost `invoke_*`, or, with
/// none on the stack, ends the process (see the module documentation).
pub fn longjmp(c: &Ctx, a: crate::abi::args::aux::Longjmp) -> i64 {
    if DEPTH.with(|d| d.get()) > 0 {
        UNWINDING.with(|u| u.set(true));
        c.raise_local(UNWIND);
        return 0;
    }
    crate::ctx::process::eprint(format_args!(
        "iwasm: longjmp(env={:#x}, {}) has no setjmp to return to (the program was not \
         built with setjmp support, e.g. by ./wali-cc, or its setjmp frame has returned); \
         ending the process with status {LONGJMP_STATUS}\n",
        a.env, a.val
    ));
    crate::sys::process::exit_process(c, LONGJMP_STATUS);
    0
}

#[cfg(test)]
mod tests {
    use super::*;
    use ValType::*;

    #[test]
    fn invoke_types() {
        let t = InvokeType::of_import(&[I32, I32, I64], &[I32]).unwrap();
        assert_eq!(t.params, vec![I32, I64]);
        assert_eq!(t.signature(), "(iiI)i");
        let v = InvokeType::of_import(&[I32], &[]).unwrap();
        assert_eq!(v.signature(), "(i)");
        assert!(InvokeType::of_import(&[], &[]).is_none());
        assert!(InvokeType::of_import(&[I64], &[]).is_none());
        assert!(InvokeType::of_import(&[I32, Other], &[]).is_none());
        assert!(InvokeType::of_import(&[I32], &[I32, I32]).is_none());
        assert!(InvokeType::of_import(&[I32; 40], &[]).is_none());
    }
}
