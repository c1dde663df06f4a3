//! Host signal dispositions of the engine process: setting, querying and
//! chaining SA_SIGINFO actions, the fault chain's re-entry guard, and the
//! engine's own output with SIGPIPE held off. The guest's own dispositions
//! are emulated in `sys::signal`; these are the host's.

use crate::abi::mem::HostPtr;
use std::cell::Cell;

/// The bit of `sig` in a kernel signal set.
const fn bit(sig: i32) -> u64 {
    1u64 << (sig - 1)
}

thread_local! {
    /// Set while this thread is inside the fault chain (re-entry guard).
    static IN_FAULT: Cell<bool> = const { Cell::new(false) };
}

/// Enters the fault chain of this thread; true if it was already inside
/// (WAMR handed a fault back: nobody handles it).
pub fn enter_fault_chain() -> bool {
    IN_FAULT.with(|f| f.replace(true))
}

/// Leaves the fault chain of this thread.
pub fn leave_fault_chain() {
    IN_FAULT.with(|f| f.set(false));
}

/// After a guest call that ended in an exception: WAMR may have left the
/// fault chain by longjmp (every AoT exception is raised through a fault),
/// skipping the reset of the re-entry guard; the next fault of this thread
/// must reach WAMR again.
pub fn after_guest_unwind() {
    leave_fault_chain();
}

/// Runs `f`, an output of the engine's own (usage, errors, trap messages,
/// logs), with SIGPIPE held off in this thread: a closed pipe is EPIPE for
/// the engine, never a signal that ends the guest's process (whose SIGPIPE
/// disposition is the guest's). A SIGPIPE the write raises is taken back;
/// one already pending before stays pending.
pub fn without_sigpipe<R>(f: impl FnOnce() -> R) -> R {
    let pipe = bit(libc::SIGPIPE);
    let mut set = pipe;
    let mut old: u64 = 0;
    let blocked = host_syscall!(
        libc::SYS_rt_sigprocmask,
        libc::SIG_BLOCK,
        HostPtr::to_host(&mut set),
        HostPtr::to_host(&mut old),
        8
    )
    .is_ok();
    let pending = || {
        let mut p: u64 = 0;
        let _ = host_syscall!(libc::SYS_rt_sigpending, HostPtr::to_host(&mut p), 8);
        p & pipe != 0
    };
    let before = pending();
    let r = f();
    if blocked {
        if !before && pending() {
            let mut zero = [0i64; 2];
            let _ = host_syscall!(
                libc::SYS_rt_sigtimedwait,
                HostPtr::to_host(&mut set),
                HostPtr::NULL,
                HostPtr::to_host(&mut zero),
                8
            );
        }
        let _ = host_syscall!(
            libc::SYS_rt_sigprocmask,
            libc::SIG_SETMASK,
            HostPtr::to_host(&mut old),
            HostPtr::NULL,
            8
        );
    }
    r
}

/// A host signal handler in the SA_SIGINFO form: signal, `siginfo_t`'s
/// `si_code`. Runs in signal context: atomics only.
pub type HostSigHandler = extern "C" fn(libc::c_int, *mut libc::siginfo_t, *mut libc::c_void);

/// What a host signal does.
#[derive(Clone, Copy, Debug)]
pub enum HostAction {
    Default,
    Ignore,
    Handler(HostSigHandler),
}

/// Sets the host disposition of `sig`; returns the previous raw action.
/// Handlers run with SA_SIGINFO, SA_ONSTACK (WAMR's alternate stack) and
/// without SA_RESTART, so a blocking host call returns EINTR and the guest
/// handler can run before the call is restarted or fails.
pub fn set_host_action(
    sig: i32,
    act: HostAction,
) -> Result<libc::sigaction, crate::abi::errno::Errno> {
    // SAFETY: sigaction with a zeroed (valid) struct and a handler of the
    // signature the kernel calls with SA_SIGINFO.
    unsafe {
        let mut sa: libc::sigaction = std::mem::zeroed();
        match act {
            HostAction::Default => sa.sa_sigaction = libc::SIG_DFL,
            HostAction::Ignore => sa.sa_sigaction = libc::SIG_IGN,
            HostAction::Handler(h) => {
                sa.sa_sigaction = h as usize;
                sa.sa_flags = libc::SA_SIGINFO | libc::SA_ONSTACK;
                if sig == libc::SIGSEGV || sig == libc::SIGBUS {
                    // WAMR's fault handler (chained from ours) leaves by
                    // longjmp, e.g. for every exception of AoT code: the
                    // signal must not stay blocked afterwards, or the
                    // thread's next fault kills the process. WAMR installs
                    // it with SA_NODEFER for the same reason.
                    sa.sa_flags |= libc::SA_NODEFER;
                }
            }
        }
        libc::sigemptyset(&mut sa.sa_mask);
        let mut old: libc::sigaction = std::mem::zeroed();
        if libc::sigaction(sig, &sa, &mut old) != 0 {
            return Err(crate::abi::errno::Errno::last());
        }
        Ok(old)
    }
}

/// Whether the host disposition of `sig` is SIG_IGN (false for a signal
/// the C library refuses to report).
pub fn host_ignores(sig: i32) -> bool {
    // SAFETY: a query only (no new action); `old` is plain data the call fills.
    unsafe {
        let mut old: libc::sigaction = std::mem::zeroed();
        libc::sigaction(sig, std::ptr::null(), &mut old) == 0 && old.sa_sigaction == libc::SIG_IGN
    }
}

/// Calls a saved SA_SIGINFO host action (WAMR's fault handler), if it is one.
///
/// # Safety
/// Only from a signal handler for `sig`, with the kernel's `info`/`uctx`.
pub unsafe fn chain_host_action(
    saved: &libc::sigaction,
    sig: libc::c_int,
    info: *mut libc::siginfo_t,
    uctx: *mut libc::c_void,
) -> bool {
    let h = saved.sa_sigaction;
    if h == libc::SIG_DFL || h == libc::SIG_IGN || saved.sa_flags & libc::SA_SIGINFO == 0 {
        return false;
    }
    // SAFETY: `h` was installed as an SA_SIGINFO handler of this type.
    unsafe {
        let f: HostSigHandler = std::mem::transmute::<usize, HostSigHandler>(h);
        f(sig, info, uctx);
    }
    true
}

/// `si_code` of a signal's info: > 0 for a fault raised by the kernel,
/// <= 0 for a signal sent by kill/tkill/sigqueue.
///
/// # Safety
/// `info` must be the kernel's siginfo of the running handler.
pub unsafe fn si_code(info: *const libc::siginfo_t) -> i32 {
    // SAFETY: per the contract `info` is valid for the handler's duration.
    unsafe { (*info).si_code }
}
