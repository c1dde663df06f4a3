//! Host signal dispositions of the engine process: setting, querying and
//! chaining SA_SIGINFO actions, the fault chain's re-entry guard, and the
//! engine's own output with SIGPIPE held off. The guest's own dispositions
//! are emulated in `sys::signal`; these are the host's.

use crate::abi::mem::HostPtr;
use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};

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

/// A host signal handler of the engine's, called with the signal and its
/// delivery. Runs in signal context: atomics only.
pub type SignalFn = fn(i32, &Delivery);

/// What a host signal does.
#[derive(Clone, Copy, Debug)]
pub enum HostAction {
    Default,
    Ignore,
    /// The engine's handler.
    Handler(SignalFn),
    /// The engine's handler behind the fault-tolerant copies' C entry
    /// (`crate::abi::mem::fault_entry`), which sends a fault of a host copy
    /// of guest memory back to that copy first: for SIGSEGV and SIGBUS.
    FaultFront(SignalFn),
}

/// Highest signal number.
const NSIG: usize = 64;

/// The engine's handler of each signal (a [`SignalFn`] as an address; 0:
/// none), read lock-free by [`dispatch`] in signal context.
static HANDLERS: [AtomicUsize; NSIG + 1] = [const { AtomicUsize::new(0) }; NSIG + 1];

/// A signal being delivered to a handler of the engine's: the kernel's
/// arguments. Only [`dispatch`] makes one, and lends it for the handler's
/// duration (not `Clone`, not `Send`).
pub struct Delivery {
    sig: libc::c_int,
    info: *mut libc::siginfo_t,
    uctx: *mut libc::c_void,
}

impl Delivery {
    /// `si_code` of the signal's info: > 0 for a fault raised by the kernel,
    /// <= 0 for a signal sent by kill/tkill/sigqueue.
    pub fn si_code(&self) -> i32 {
        if self.info.is_null() {
            return 0;
        }
        // SAFETY: `info` is the kernel's siginfo of the running handler
        // (Delivery invariant), valid for the handler's duration.
        unsafe { (*self.info).si_code }
    }

    /// Calls `saved`, the action the engine's replaced for this signal, as
    /// the kernel would have (if it is a SA_SIGINFO handler); whether it ran.
    pub fn chain(&self, saved: &SavedAction) -> bool {
        let h = saved.action.sa_sigaction;
        if saved.sig != self.sig
            || h == libc::SIG_DFL
            || h == libc::SIG_IGN
            || saved.action.sa_flags & libc::SA_SIGINFO == 0
        {
            return false;
        }
        type Raw = extern "C" fn(libc::c_int, *mut libc::siginfo_t, *mut libc::c_void);
        // SAFETY: `h` was installed (by WAMR, or whoever came before the
        // engine) as the SA_SIGINFO handler of this very signal, as the
        // kernel returned it when ours replaced it; it is called as the
        // kernel would call it: from the handler of that signal, with the
        // kernel's own info and context (Delivery invariant).
        unsafe {
            let f = std::mem::transmute::<usize, Raw>(h);
            f(self.sig, self.info, self.uctx);
        }
        true
    }
}

/// The host action a signal had before [`set_host_action`] replaced it, as
/// the kernel returned it: only such an action can be chained.
#[derive(Clone, Copy)]
pub struct SavedAction {
    sig: libc::c_int,
    action: libc::sigaction,
}

/// The SA_SIGINFO handler of every engine handler: runs the one recorded
/// for the signal.
extern "C" fn dispatch(sig: libc::c_int, info: *mut libc::siginfo_t, uctx: *mut libc::c_void) {
    let Some(slot) = usize::try_from(sig).ok().and_then(|s| HANDLERS.get(s)) else {
        return;
    };
    let h = slot.load(Ordering::SeqCst);
    if h == 0 {
        return;
    }
    // SAFETY: only `set_host_action` stores into HANDLERS, and only the
    // address of a `SignalFn`.
    let f = unsafe { std::mem::transmute::<usize, SignalFn>(h) };
    f(sig, &Delivery { sig, info, uctx });
}

/// Sets the host disposition of `sig`; returns the previous action.
/// Handlers run with SA_SIGINFO, SA_ONSTACK (WAMR's alternate stack) and
/// without SA_RESTART, so a blocking host call returns EINTR and the guest
/// handler can run before the call is restarted or fails.
pub fn set_host_action(sig: i32, act: HostAction) -> Result<SavedAction, crate::abi::errno::Errno> {
    let slot = usize::try_from(sig)
        .ok()
        .filter(|&s| s > 0)
        .and_then(|s| HANDLERS.get(s))
        .ok_or(crate::abi::errno::Errno::EINVAL)?;
    let handler = match act {
        HostAction::Default => libc::SIG_DFL,
        HostAction::Ignore => libc::SIG_IGN,
        HostAction::Handler(h) => {
            slot.store(h as usize, Ordering::SeqCst);
            dispatch as *const () as usize
        }
        HostAction::FaultFront(h) => {
            slot.store(h as usize, Ordering::SeqCst);
            crate::abi::mem::fault_entry(dispatch) as usize
        }
    };
    // SAFETY: sigaction with a zeroed (valid) struct, then filled, and a
    // handler of the signature the kernel calls with SA_SIGINFO; `old` is
    // plain data the call fills.
    unsafe {
        let mut sa: libc::sigaction = std::mem::zeroed();
        sa.sa_sigaction = handler;
        if matches!(act, HostAction::Handler(_) | HostAction::FaultFront(_)) {
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
        libc::sigemptyset(&mut sa.sa_mask);
        let mut old: libc::sigaction = std::mem::zeroed();
        if libc::sigaction(sig, &sa, &mut old) != 0 {
            return Err(crate::abi::errno::Errno::last());
        }
        Ok(SavedAction { sig, action: old })
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
