//! Signals: guest handlers (function-table indices), masks, delivery at
//! safe points.
//!
//! The guest's dispositions are kept here, with the WALI ABI's handler
//! values (the reference libc's and engine's): SIG_DFL 0, SIG_IGN -2, and
//! every other value, 1 and SIG_ERR (-1) included, a function-table index.
//! Default and ignore are given to the host kernel as they are, so a signal
//! with the default action kills the engine exactly as it kills a native
//! program (same status for a shell), and a native program the guest execs
//! inherits what the guest ignores. The guest starts with the dispositions
//! the engine was started with (a signal ignored then reads back as -2). For a guest handler the host installs [`on_signal`], which only
//! records the signal in a pending set (an atomic: async-signal-safe). The
//! guest handler runs at the next safe point: when a WALI call returns to
//! the guest (the `syscall_table!` wrapper calls [`after_call`]). A blocking
//! call is interrupted (the host handler has no SA_RESTART), the handler
//! runs, then the call is restarted if the guest asked for SA_RESTART and
//! Linux restarts that call, or returns -EINTR.
//!
//! Limits (documented): a loop that makes no WALI call sees its handler at
//! its next call; pending signals are process-wide and run on the first
//! guest thread that reaches a safe point; an SA_SIGINFO handler gets NULL
//! `siginfo` and `ucontext` pointers (the engine owns no guest memory to put
//! them in); SIGSEGV and SIGBUS stay with WAMR (its hardware bounds checks
//! turn faults in linear memory into traps): the guest may not block them,
//! its handler for them runs only for SIGSEGV/SIGBUS sent by kill/tkill, and
//! a sent one without a guest handler kills the engine with that signal.
//! SIGUSR1, which WAMR would take to interrupt blocking calls, is the
//! guest's (this engine does not use that WAMR feature).

use crate::abi::args;
use crate::abi::errno::{Errno, SysResult};
use crate::abi::layout;
use crate::abi::mem::{Addr, HostPtr};
use crate::abi::spec_types::ValType;
use crate::ctx::Ctx;
use crate::host::sigaction::{self, HostAction};
use crate::host_syscall;
use std::cell::Cell;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};

use linux_raw_sys::general as k;

/// Signals 1..=64: a guest `sigset_t` as the kernel takes it is one `u64`.
const NSIG: usize = k::_NSIG as usize;
const SIGBUS: i32 = libc::SIGBUS;
const SIGSEGV: i32 = libc::SIGSEGV;
// The guest's `k_sigaction` flags are x86-64's; these are the same on every
// supported host (x86-64, aarch64, riscv64: asm-generic/signal-defs.h).
const SA_NODEFER: u64 = k::SA_NODEFER as u64;
const SA_RESETHAND: u64 = k::SA_RESETHAND as u64;
const SA_RESTART: u64 = k::SA_RESTART as u64;
const SA_SIGINFO: u64 = k::SA_SIGINFO as u64;
/// Bits of signals the guest may not block on the host.
const RESERVED: u64 = bit(SIGSEGV) | bit(SIGBUS) | bit(libc::SIGKILL) | bit(libc::SIGSTOP);
/// The reserved signals the guest may block as far as it can see: the
/// engine keeps them unblocked on the host (WAMR needs its fault handler)
/// and keeps the guest's view of them per thread (see [`VIRT_BLOCKED`]).
const VIRTUAL: u64 = bit(SIGSEGV) | bit(SIGBUS);
/// linux/signal.h (the `libc` crate lacks it).
const SS_AUTODISARM: i32 = k::SS_AUTODISARM as i32;
/// The guest's SIG_DFL. A WALI guest ABI fact, not the host's: the
/// reference libc (wali-musl, include/signal.h) defines SIG_DFL 0.
const GUEST_DFL: u32 = 0;
/// The guest's SIG_IGN: -2 in the WALI ABI (wali-musl, include/signal.h;
/// the host's is 1).
const GUEST_IGN: u32 = -2i32 as u32;

/// Whether a guest handler value is a function-table index (neither
/// SIG_DFL nor SIG_IGN).
const fn is_handler(h: u32) -> bool {
    h != GUEST_DFL && h != GUEST_IGN
}

const fn bit(sig: i32) -> u64 {
    1u64 << (sig - 1)
}

/// A guest `struct k_sigaction` (wasm32, packed, 24 bytes).
type GuestAction = layout::KSigaction;

/// SIG_DFL, no flags, no mask.
const NO_ACTION: GuestAction = GuestAction {
    handler: GUEST_DFL,
    flags: 0,
    restorer: 0,
    mask: 0,
};

static ACTIONS: Mutex<[GuestAction; NSIG + 1]> = Mutex::new([NO_ACTION; NSIG + 1]);

/// Signals recorded by the host handler and not yet run in the guest.
static PENDING: AtomicU64 = AtomicU64::new(0);

/// Signals the engine was started with ignored (read once, by
/// [`inherit_host_dispositions`]): every guest starts with these at SIG_IGN
/// and the rest at SIG_DFL ([`reset_for_new_guest`]).
static INHERITED_IGNORED: AtomicU64 = AtomicU64::new(0);

/// WAMR's fault handlers (SIGSEGV, SIGBUS), behind ours: saved once, then
/// only read, lock-free, by the fault handler of any thread. (A lock here
/// once made two threads faulting at the same time, as AoT code does for
/// every exception, leave one fault unhandled: a crash.)
static WAMR_FAULT: OnceLock<[sigaction::SavedAction; 2]> = OnceLock::new();

thread_local! {
    /// The guest's sigaltstack, emulated: (sp, SS_AUTODISARM or 0, size);
    /// size 0 is a disabled stack.
    static ALTSTACK: Cell<(u32, i32, u32)> = const { Cell::new((0, 0, 0)) };
    /// The guest's blocked bits among [`VIRTUAL`]: reported by
    /// rt_sigprocmask; a sent SIGSEGV/SIGBUS waits in [`PENDING`] while its
    /// bit is set here.
    static VIRT_BLOCKED: Cell<u64> = const { Cell::new(0) };
}

/// Host handler for a signal with a guest handler: records it.
fn on_signal(sig: i32, _: &sigaction::Delivery) {
    PENDING.fetch_or(bit(sig), Ordering::SeqCst);
}

/// Front handler for SIGSEGV/SIGBUS. A fault raised by the kernel goes to
/// WAMR (a trap if it is in linear memory); a signal sent by kill/tkill is
/// the guest's: recorded for its handler, or its default action (death).
fn on_fault(sig: i32, d: &sigaction::Delivery) {
    let sent = d.si_code() <= 0;
    if sent {
        match guest_handler_raw(sig) {
            GUEST_IGN => {} // ignored, as Linux ignores a sent one
            h if is_handler(h) => {
                PENDING.fetch_or(bit(sig), Ordering::SeqCst);
            }
            _ => die_by(sig),
        }
        return;
    }
    if sigaction::enter_fault_chain() {
        // WAMR handed the fault back to us: nobody handles it. Returning
        // re-runs the faulting instruction with the default action.
        let _ = sigaction::set_host_action(sig, HostAction::Default);
        return;
    }
    let idx = (sig == SIGBUS) as usize;
    let saved = WAMR_FAULT.get().map(|a| a[idx]);
    let chained = match saved {
        Some(a) => d.chain(&a),
        None => false,
    };
    if !chained {
        let _ = sigaction::set_host_action(sig, HostAction::Default);
    }
    sigaction::leave_fault_chain();
}

/// The guest's handler index of each signal, mirrored from [`ACTIONS`]
/// (written under its lock) for the host fault handler, which may not block.
static HANDLER_INDEX: [AtomicU32; NSIG + 1] = [const { AtomicU32::new(0) }; NSIG + 1];

/// The guest's handler index for `sig`, without blocking (signal context).
fn guest_handler_raw(sig: i32) -> u32 {
    HANDLER_INDEX[sig as usize].load(Ordering::SeqCst)
}

/// Ends the process by `sig` with its default action, as Linux would: the
/// host disposition becomes SIG_DFL and the signal is sent to this thread
/// (delivered as soon as it is unblocked).
fn die_by(sig: i32) {
    let _ = sigaction::set_host_action(sig, HostAction::Default);
    let mut set: u64 = bit(sig);
    let _ = host_syscall!(
        libc::SYS_rt_sigprocmask,
        libc::SIG_UNBLOCK,
        HostPtr::to_host(&mut set),
        0,
        8
    );
    let pid = host_syscall!(libc::SYS_getpid).unwrap_or(0);
    let tid = host_syscall!(libc::SYS_gettid).unwrap_or(0);
    let _ = host_syscall!(libc::SYS_tgkill, pid, tid, sig);
}

/// Start-up, before WAMR installs its handlers: the guest inherits the
/// dispositions the engine was started with, as a native program does. A
/// signal ignored then stays ignored on the host and reads back as SIG_IGN
/// (-2); handlers cannot be inherited across exec, so the rest is default.
/// Only the first call reads them (the engine's own changes come later).
pub fn inherit_host_dispositions() {
    static DONE: std::sync::Once = std::sync::Once::new();
    DONE.call_once(inherit_now);
}

fn inherit_now() {
    let mut actions = ACTIONS.lock().unwrap_or_else(|e| e.into_inner());
    for sig in 1..=NSIG as i32 {
        if sigaction::host_ignores(sig) {
            actions[sig as usize].handler = GUEST_IGN;
            HANDLER_INDEX[sig as usize].store(GUEST_IGN, Ordering::SeqCst);
            INHERITED_IGNORED.fetch_or(bit(sig), Ordering::SeqCst);
        }
    }
}

/// A new guest starts (called from `runtime::state` only, with no guest
/// thread running): every disposition back to the one the engine inherited
/// (host side too, for the signals the last guest changed), nothing pending
/// for a guest handler, and the calling thread's emulated state fresh (no
/// alternate stack, SIGSEGV/SIGBUS not blocked, outside the fault chain,
/// which WAMR leaves by longjmp when a fault becomes a trap).
pub fn reset_for_new_guest() {
    reset_dispositions();
    VIRT_BLOCKED.with(|v| v.set(0));
    ALTSTACK.with(|a| a.set((0, 0, 0)));
    sigaction::leave_fault_chain();
}

fn reset_dispositions() {
    let ignored = INHERITED_IGNORED.load(Ordering::SeqCst);
    let mut actions = ACTIONS.lock().unwrap_or_else(|e| e.into_inner());
    for sig in 1..=NSIG as i32 {
        let fresh = if ignored & bit(sig) != 0 {
            GUEST_IGN
        } else {
            GUEST_DFL
        };
        if actions[sig as usize].handler != fresh {
            // Only what a guest changed: the host's other dispositions
            // (the C library's internal signals) are not the guest's.
            let _ = set_host(sig, fresh);
        }
        actions[sig as usize] = GuestAction {
            handler: fresh,
            ..NO_ACTION
        };
        HANDLER_INDEX[sig as usize].store(fresh, Ordering::SeqCst);
    }
    drop(actions);
    PENDING.store(0, Ordering::SeqCst);
}

/// The calling thread's host signal mask.
pub fn host_mask() -> u64 {
    thread_signal_state().0
}

/// A guest's run on the calling thread has ended (no guest thread left):
/// the dispositions go back as for a new guest, and the thread gets `mask`
/// back (its mask before the run). Signals that are pending only because
/// the guest blocked them are taken first, without running anything: they
/// were the ended guest's, and unblocking them would run their default
/// action in the embedding.
pub fn end_guest_run(mask: u64) {
    reset_dispositions();
    let unblocked = host_mask() & !mask & !RESERVED;
    if unblocked != 0 {
        let mut set = unblocked;
        let mut zero = [0i64; 2];
        // Each call takes one pending signal of the set; EAGAIN when none
        // is left.
        while host_syscall!(
            libc::SYS_rt_sigtimedwait,
            HostPtr::to_host(&mut set),
            HostPtr::NULL,
            HostPtr::to_host(&mut zero),
            8
        )
        .is_ok()
        {}
    }
    let mut set = mask;
    let _ = host_syscall!(
        libc::SYS_rt_sigprocmask,
        libc::SIG_SETMASK,
        HostPtr::to_host(&mut set),
        HostPtr::NULL,
        8
    );
    PENDING.store(0, Ordering::SeqCst);
}

/// Start-up: runs after WAMR has installed its own handlers.
pub fn init_host() {
    // WAMR takes SIGUSR1 for its blocking-call interruption, which this
    // engine does not use; the guest gets what the engine inherited back.
    let usr1 = match guest_handler_raw(libc::SIGUSR1) {
        GUEST_IGN => HostAction::Ignore,
        _ => HostAction::Default,
    };
    let _ = sigaction::set_host_action(libc::SIGUSR1, usr1);
    unblock_usr1();
    install_fault_front();
}

/// WAMR blocks SIGUSR1 in every thread it prepares; the guest's mask starts
/// empty as on Linux.
fn unblock_usr1() {
    let mut set = bit(libc::SIGUSR1);
    let _ = host_syscall!(
        libc::SYS_rt_sigprocmask,
        libc::SIG_UNBLOCK,
        HostPtr::to_host(&mut set),
        0,
        8
    );
}

/// Puts [`on_fault`] in front of WAMR's fault handlers (again after WAMR's
/// per-thread set-up, which reinstalls its own).
fn install_fault_front() {
    // Serialises the set-up: the first one saves WAMR's handlers.
    static SETUP: Mutex<()> = Mutex::new(());
    let _guard = SETUP.lock().unwrap_or_else(|e| e.into_inner());
    // The C entry first sends a fault of a host copy of guest memory back
    // to that copy (EFAULT, crate::abi::mem), then calls on_fault.
    let segv = sigaction::set_host_action(SIGSEGV, HostAction::FaultFront(on_fault));
    let bus = sigaction::set_host_action(SIGBUS, HostAction::FaultFront(on_fault));
    if let (Ok(s), Ok(b)) = (segv, bus) {
        if WAMR_FAULT.get().is_none() {
            let _ = WAMR_FAULT.set([s, b]);
        }
    }
}

/// The calling thread's signal state a new thread inherits: its host
/// signal mask and its guest view of SIGSEGV/SIGBUS blocking.
pub fn thread_signal_state() -> (u64, u64) {
    let mut mask: u64 = 0;
    let _ = host_syscall!(
        libc::SYS_rt_sigprocmask,
        libc::SIG_BLOCK,
        HostPtr::NULL,
        HostPtr::to_host(&mut mask),
        8
    );
    (mask, VIRT_BLOCKED.with(|v| v.get()))
}

/// Starts a guest thread on this host thread (new or pooled) as Linux
/// starts one: the creator's mask (`mask`, `virt_blocked` from
/// [`thread_signal_state`]), no alternate signal stack, nothing left of
/// what an earlier guest thread of this host thread did.
pub fn thread_reset(mask: u64, virt_blocked: u64) {
    let mut set = mask & !RESERVED;
    let _ = host_syscall!(
        libc::SYS_rt_sigprocmask,
        libc::SIG_SETMASK,
        HostPtr::to_host(&mut set),
        HostPtr::NULL,
        8
    );
    VIRT_BLOCKED.with(|v| v.set(virt_blocked & VIRTUAL));
    ALTSTACK.with(|a| a.set((0, 0, 0)));
    sigaction::leave_fault_chain();
}

/// Blocks every signal the host lets a thread block in the calling thread
/// (an idle pooled thread: no guest signal is taken there).
pub fn block_all() {
    let mut set = !RESERVED;
    let _ = host_syscall!(
        libc::SYS_rt_sigprocmask,
        libc::SIG_SETMASK,
        HostPtr::to_host(&mut set),
        HostPtr::NULL,
        8
    );
}

/// Per-thread set-up of a new host thread that runs guest code.
pub fn thread_started() {
    unblock_usr1();
    install_fault_front();
}

/// Runs pending guest handlers; called when a WALI call returns to the
/// guest. Returns whether the interrupted call `name` (which failed with
/// `r`) should be restarted (SA_RESTART and a call Linux restarts).
#[inline]
pub fn after_call(c: &Ctx, name: &str, r: &SysResult) -> bool {
    if PENDING.load(Ordering::Relaxed) == 0 {
        return false;
    }
    let restart_all = deliver(c);
    restart_all && *r == Err(Errno(libc::EINTR)) && restartable(name)
}

/// Calls Linux never restarts after a handler, whatever SA_RESTART says.
fn restartable(name: &str) -> bool {
    !matches!(
        name,
        "pause"
            | "rt_sigsuspend"
            | "nanosleep"
            | "clock_nanosleep"
            | "poll"
            | "ppoll"
            | "select"
            | "pselect6"
            | "epoll_wait"
            | "epoll_pwait"
            | "rt_sigtimedwait"
    )
}

/// Runs every pending, unblocked signal's guest handler. Returns whether
/// every handler that ran had SA_RESTART; false as soon as a handler left by
/// `longjmp` (its exception unwinds the guest when this call returns), the
/// signals not yet delivered staying pending.
fn deliver(c: &Ctx) -> bool {
    let mut restart = true;
    let held = VIRT_BLOCKED.with(|v| v.get());
    loop {
        let all = PENDING.swap(0, Ordering::SeqCst);
        // A sent SIGSEGV/SIGBUS the guest blocks stays pending.
        if all & held != 0 {
            PENDING.fetch_or(all & held, Ordering::SeqCst);
        }
        let bits = all & !held;
        if bits == 0 {
            return restart;
        }
        for sig in 1..=NSIG as i32 {
            if bits & bit(sig) != 0 {
                match run_handler(c, sig) {
                    Some(r) => restart &= r,
                    None => {
                        let upto = u64::MAX >> (64 - sig); // signals 1..=sig
                        let later = bits & !upto;
                        PENDING.fetch_or(later, Ordering::SeqCst);
                        return false;
                    }
                }
            }
        }
    }
}

/// Runs the guest's handler for `sig` with the handler's mask blocked.
/// Returns whether it had SA_RESTART, or None if the handler did not return
/// (it left by `longjmp`, or trapped): then the mask stays as the handler
/// had it, as on Linux, where only `siglongjmp` restores a saved mask.
fn run_handler(c: &Ctx, sig: i32) -> Option<bool> {
    let act = {
        let mut a = ACTIONS.lock().unwrap_or_else(|e| e.into_inner());
        let act = a[sig as usize];
        if act.flags & SA_RESETHAND != 0 && is_handler(act.handler) {
            a[sig as usize] = NO_ACTION;
            HANDLER_INDEX[sig as usize].store(0, Ordering::SeqCst);
            drop(a);
            let _ = set_host(sig, 0);
        }
        act
    };
    crate::ctx::trace::signal(sig);
    match act.handler {
        GUEST_DFL => {
            crate::ctx::trace::killed(sig);
            die_by(sig);
            return Some(false);
        }
        GUEST_IGN => return Some(true),
        _ => {}
    }
    let mut block = act.mask & !RESERVED;
    if act.flags & SA_NODEFER == 0 {
        block |= bit(sig) & !RESERVED;
    }
    let mut old: u64 = 0;
    let _ = host_syscall!(
        libc::SYS_rt_sigprocmask,
        libc::SIG_BLOCK,
        HostPtr::to_host(&mut block),
        HostPtr::to_host(&mut old),
        8
    );
    let mut args = [sig as u32, 0, 0];
    let n = if act.flags & SA_SIGINFO != 0 { 3 } else { 1 };
    if !c.call_table(act.handler, &[ValType::I32; 3][..n], &[], &mut args) {
        return None;
    }
    let _ = host_syscall!(
        libc::SYS_rt_sigprocmask,
        libc::SIG_SETMASK,
        HostPtr::to_host(&mut old),
        0,
        8
    );
    Some(act.flags & SA_RESTART != 0)
}

/// Installs the host side of guest handler value `handler` for `sig`.
fn set_host(sig: i32, handler: u32) -> Result<(), Errno> {
    if sig == SIGSEGV || sig == SIGBUS {
        return Ok(()); // stays with on_fault / WAMR
    }
    let act = match handler {
        GUEST_DFL => HostAction::Default,
        GUEST_IGN => HostAction::Ignore,
        _ => HostAction::Handler(on_signal),
    };
    sigaction::set_host_action(sig, act).map(|_| ())
}

fn check_sigsetsize(sigsetsize: u32) -> Result<(), Errno> {
    if sigsetsize != 8 {
        return Err(Errno::EINVAL);
    }
    Ok(())
}

/// `rt_sigaction(sig, act, oact, sigsetsize)` with wasm32 `k_sigaction`s.
pub fn rt_sigaction(c: &Ctx, arg: args::RtSigaction) -> SysResult {
    check_sigsetsize(arg.sigsetsize)?;
    let sig = arg.signum;
    if !(1..=NSIG as i32).contains(&sig) {
        return Err(Errno::EINVAL);
    }
    let (act_at, old_at) = (arg.act, arg.oldact);
    let new = if !act_at.is_null() {
        if sig == libc::SIGKILL || sig == libc::SIGSTOP {
            return Err(Errno::EINVAL);
        }
        Some(c.mem.read::<GuestAction>(act_at)?)
    } else {
        None
    };
    // As on Linux, the new action takes effect before the old one is
    // copied out: a bad `oact` is EFAULT after the change.
    let mut actions = ACTIONS.lock().unwrap_or_else(|e| e.into_inner());
    let old = actions[sig as usize];
    if let Some(n) = new {
        set_host(sig, n.handler)?;
        actions[sig as usize] = n;
        HANDLER_INDEX[sig as usize].store(n.handler, Ordering::SeqCst);
    }
    drop(actions);
    if !old_at.is_null() {
        c.mem.write(old_at, old)?;
    }
    Ok(0)
}

/// `rt_sigprocmask(how, set, oldset, sigsetsize)`: the host thread's mask,
/// except for SIGSEGV and SIGBUS, which stay unblocked on the host (WAMR's
/// fault handling) and whose guest bits are kept per thread, so the guest
/// sees the mask it set.
pub fn rt_sigprocmask(c: &Ctx, arg: args::RtSigprocmask) -> SysResult {
    check_sigsetsize(arg.sigsetsize)?;
    let how = arg.how;
    let (set_at, old_at) = (arg.set, arg.oldset);
    let new: Option<u64> = match set_at {
        Addr::NULL => None,
        a => Some(c.mem.read::<u64>(a)?),
    };
    // A bad `oldset` is EFAULT after the mask changed, as on Linux.
    let mut host_set = new.map_or(0, |s| s & !RESERVED);
    let set_p = match new {
        Some(_) => HostPtr::to_host(&mut host_set),
        None => HostPtr::NULL,
    };
    let mut old: u64 = 0;
    host_syscall!(
        libc::SYS_rt_sigprocmask,
        how,
        set_p,
        HostPtr::to_host(&mut old),
        8
    )?;
    let virt = VIRT_BLOCKED.with(|v| v.get());
    if let Some(s) = new {
        // The host accepted `how`, so it is one of the three.
        let s = s & VIRTUAL;
        let next = match how {
            libc::SIG_BLOCK => virt | s,
            libc::SIG_UNBLOCK => virt & !s,
            _ => s,
        };
        VIRT_BLOCKED.with(|v| v.set(next));
    }
    if !old_at.is_null() {
        c.mem.write(old_at, (old & !VIRTUAL) | virt)?;
    }
    Ok(0)
}

/// `rt_sigpending(set, sigsetsize)`: the kernel's pending set plus signals
/// recorded for a guest handler but not yet run. As Linux, a size up to 8
/// is accepted and only that many bytes are written.
pub fn rt_sigpending(c: &Ctx, a: args::RtSigpending) -> SysResult {
    let size = a.sigsetsize;
    if size > 8 {
        return Err(Errno::EINVAL);
    }
    let at = a.set;
    if size > 0 && at.is_null() {
        return Err(Errno::EFAULT);
    }
    c.mem.check(at, size as u64)?;
    let mut set: u64 = 0;
    host_syscall!(libc::SYS_rt_sigpending, HostPtr::to_host(&mut set), 8)?;
    set |= PENDING.load(Ordering::SeqCst);
    c.mem.write_bytes(at, &set.to_le_bytes()[..size as usize])?;
    Ok(0)
}

/// `rt_sigsuspend(mask, sigsetsize)`: waits with the guest's mask; the
/// handler runs as the call returns -EINTR.
pub fn rt_sigsuspend(c: &Ctx, a: args::RtSigsuspend) -> SysResult {
    check_sigsetsize(a.sigsetsize)?;
    let mut set = c.mem.read::<u64>(a.mask)? & !RESERVED;
    if PENDING.load(Ordering::SeqCst) != 0 {
        return Err(Errno(libc::EINTR));
    }
    host_syscall!(libc::SYS_rt_sigsuspend, HostPtr::to_host(&mut set), 8)
}

pub fn pause(_c: &Ctx) -> SysResult {
    if PENDING.load(Ordering::SeqCst) != 0 {
        return Err(Errno(libc::EINTR));
    }
    pause_host()
}

#[cfg(target_arch = "x86_64")]
fn pause_host() -> SysResult {
    host_syscall!(libc::SYS_pause)
}

/// aarch64 and riscv64 have no `pause`: `ppoll` on no descriptors without a
/// timeout sleeps until a signal, as pause does.
#[cfg(not(target_arch = "x86_64"))]
fn pause_host() -> SysResult {
    host_syscall!(libc::SYS_ppoll, 0u64, 0u64, 0u64, 0u64, 8u64)
}

/// `signalfd(fd, mask, sizemask)`: `signalfd4` without flags (the only
/// form aarch64 and riscv64 have).
pub fn signalfd(c: &Ctx, a: args::Signalfd) -> SysResult {
    signalfd_common(c, a.fd, a.mask, a.sizemask, 0)
}

pub fn signalfd4(c: &Ctx, a: args::Signalfd4) -> SysResult {
    signalfd_common(c, a.fd, a.mask, a.sizemask, a.flags)
}

/// The mask (8 bytes, the kernel's sigset size) passes through: a signal
/// the guest blocks stays pending in the kernel, where the descriptor reads
/// it as on Linux (`struct signalfd_siginfo` has no pointers).
fn signalfd_common(c: &Ctx, fd: i32, mask: Addr, sizemask: u32, flags: i32) -> SysResult {
    if sizemask != 8 {
        return Err(Errno::EINVAL);
    }
    let mask = c.mem.buf(mask, 8)?;
    host_syscall!(libc::SYS_signalfd4, fd, mask, 8u32, flags)
}

/// `tgkill(tgid, tid, sig)`: guest threads are host threads with the host's
/// TIDs, so the call passes through; a signal to this thread runs its guest
/// handler as the call returns.
pub fn tgkill(_c: &Ctx, a: args::Tgkill) -> SysResult {
    host_syscall!(libc::SYS_tgkill, a.tgid, a.tid, a.sig)
}

/// `sigaltstack(ss, old)`, emulated per thread with the wasm32 `stack_t`
/// (ss_sp u32, ss_flags i32, ss_size u32): guest handlers run on the guest's
/// own stack at a safe point, so the host's alternate stack (WAMR's) is not
/// the guest's to change. Checks and answers as Linux does: SS_ONSTACK is
/// taken as 0, SS_DISABLE forgets the stack, SS_AUTODISARM is kept, and the
/// reported flags are SS_DISABLE for no stack (a handler never runs on it,
/// so never SS_ONSTACK).
pub fn sigaltstack(c: &Ctx, arg: args::Sigaltstack) -> SysResult {
    let (ss, old) = (arg.ss, arg.old_ss);
    let cur = ALTSTACK.with(|a| a.get());
    // A bad `old` is EFAULT after the change, as on Linux.
    if !ss.is_null() {
        let layout::StackT {
            ss_sp: sp,
            ss_flags: flags,
            ss_size: size,
        } = c.mem.read(ss)?;
        let mode = flags & !SS_AUTODISARM;
        let next = match mode {
            libc::SS_DISABLE => (0, flags & SS_AUTODISARM, 0),
            0 | libc::SS_ONSTACK if (size as usize) < libc::MINSIGSTKSZ => {
                return Err(Errno::ENOMEM)
            }
            0 | libc::SS_ONSTACK => (sp, flags & SS_AUTODISARM, size),
            _ => return Err(Errno::EINVAL),
        };
        ALTSTACK.with(|a| a.set(next));
    }
    if !old.is_null() {
        let (sp, autodisarm, size) = cur;
        let disabled = if size == 0 { libc::SS_DISABLE } else { 0 };
        let reported = layout::StackT {
            ss_sp: sp,
            ss_flags: disabled | autodisarm,
            ss_size: size,
        };
        c.mem.write(old, reported)?;
    }
    Ok(0)
}
