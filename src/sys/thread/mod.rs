//! Threads: `__wasm_thread_spawn`, `set_tid_address`, `futex`, `gettid`,
//! `tkill`.
//!
//! Each guest thread is a host thread with its own instance of the module
//! over the shared linear memory (see `runtime::ThreadEnv`), so futexes on
//! guest memory are futexes on the same host addresses. The engine imposes
//! no shadow stack: the guest's start routine sets `__stack_pointer` to the
//! stack its libc allocated, as a Linux libc passes one to clone().
//!
//! Creating an instance costs far more than creating a thread, so a thread
//! whose start routine has returned (or called `exit`) keeps its instance and
//! waits, a few of them at most, in an idle pool for the next spawn. A spawn
//! then costs one hand-over. A returning thread has released everything the
//! guest can see: its TID word is cleared and woken (CLONE_CHILD_CLEARTID),
//! its exception cleared, and it counts as gone for `--max-threads`.

use crate::abi::args;
use crate::abi::errno::{Errno, SysResult};
use crate::abi::mem::{Addr, GuestMem};
use crate::ctx::Ctx;
use crate::host::guard;
use crate::host_syscall;
use crate::wamr::ThreadEnv;
use std::cell::Cell;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::mpsc::{channel, sync_channel, Sender, SyncSender, TryRecvError};
use std::sync::{Condvar, Mutex, RwLock};

/// `struct robust_list_head` in the wasm32 view: list pointer, `long`
/// futex_offset and pending pointer, 4 bytes each (musl's wasm32 `long`).
const GUEST_ROBUST_HEAD_SIZE: u32 = 12;

thread_local! {
    /// The guest's robust futex list head (`set_robust_list`), per thread.
    static ROBUST_HEAD: Cell<Addr> = const { Cell::new(Addr::NULL) };
    /// Whether this host thread runs a spawned guest thread (not `_start`).
    static SPAWNED: Cell<bool> = const { Cell::new(false) };
    /// The guest's `set_tid_address` word, cleared when the thread ends.
    static CLEAR_TID: Cell<Addr> = const { Cell::new(Addr::NULL) };
    /// Set by `exit` on a spawned thread: its unwind is a thread exit.
    static EXITING: Cell<bool> = const { Cell::new(false) };
    /// The status given to `exit` by this thread.
    static EXIT_STATUS: Cell<i32> = const { Cell::new(0) };
    /// This host thread's identity for the pool (see [`host_id`]).
    static HOST_ID: Cell<u64> = const { Cell::new(0) };
}

/// Source of [`host_id`]s: never reused, unlike kernel TIDs.
static NEXT_HOST_ID: AtomicU64 = AtomicU64::new(1);

/// A number naming the calling host thread for the life of the process.
fn host_id() -> u64 {
    HOST_ID.with(|h| {
        if h.get() == 0 {
            h.set(NEXT_HOST_ID.fetch_add(1, Ordering::Relaxed));
        }
        h.get()
    })
}

/// Held for reading by a spawn and for writing by `fork`: a fork never
/// copies a spawn half done (WAMR's cluster lock held, a host thread being
/// made).
static SPAWN_LOCK: RwLock<()> = RwLock::new(());
/// Set in a forked child of a process that had other guest threads (live,
/// pooled or being torn down): their instances are still in WAMR's cluster
/// without host threads, so the child never tears WAMR down (which would
/// wait for them) and ends with `exit_group`.
static FORKED_WITH_THREADS: AtomicBool = AtomicBool::new(false);
/// Host threads made for guest threads and not yet gone (running a guest
/// thread, idle in the pool, or ending).
static HOST_THREADS: AtomicU32 = AtomicU32::new(0);
/// Set in a forked child whose forking thread was not the guest's main
/// thread: the last guest thread to end ends the process (status 0), as the
/// last thread of a Linux process does.
static MAIN_GONE: AtomicBool = AtomicBool::new(false);
/// Claimed by the first thread that ends the process for a trap: it alone
/// prints and exits; any other thread unwinding meanwhile stops.
static DYING: AtomicBool = AtomicBool::new(false);

/// Spawned guest threads currently running their start routine.
static LIVE: AtomicU32 = AtomicU32::new(0);

/// Idle host threads with an instance, waiting for a start routine: their
/// TID and the sending end of the channel they wait on. Dropping a sender
/// ends that host thread.
static IDLE: Mutex<Pool> = Mutex::new(Pool {
    idle: Vec::new(),
    finishing: 0,
});
/// Signalled when a finishing thread has gone idle or away.
static POOL_CHANGED: Condvar = Condvar::new();

struct Pool {
    idle: Vec<Idle>,
    /// Threads whose start routine has ended, between the guest's join
    /// (the TID word cleared) and going idle: a spawn waits for one of them
    /// rather than make a new instance and host thread, which a `join` then
    /// `spawn` loop would otherwise do whenever it outran the thread.
    finishing: usize,
}
/// Set once the main instance is being torn down: no thread goes idle then.
static CLOSED: AtomicBool = AtomicBool::new(false);
/// Most idle threads kept; more are destroyed when they end.
pub const POOL_MAX: usize = 8;

/// An idle pooled host thread.
struct Idle {
    tid: i32,
    /// [`host_id`] of the host thread that created it.
    creator: u64,
    /// [`guard::thread_state_generation`] when it was created.
    generation: u64,
    tx: Sender<Job>,
}

/// What a new guest thread runs: table entry `func` called with `(tid, arg)`,
/// and the signal state it inherits from the spawning thread.
struct Job {
    func: u32,
    arg: u32,
    /// The spawning thread's host signal mask.
    mask: u64,
    /// The spawning thread's guest view of SIGSEGV/SIGBUS blocking.
    virt_blocked: u64,
}

/// Spawned guest threads still running.
pub fn live_threads() -> u32 {
    LIVE.load(Ordering::SeqCst)
}

/// Whether the caller is the guest's main thread.
pub fn is_main() -> bool {
    !SPAWNED.with(|s| s.get())
}

/// Whether this process is a forked child of a process that had other
/// guest threads: WAMR must not be torn down (see [`FORKED_WITH_THREADS`]).
pub fn forked_with_threads() -> bool {
    FORKED_WITH_THREADS.load(Ordering::SeqCst)
}

/// Whether ending the guest must skip WAMR's teardown, which waits for
/// every thread of the cluster: other guest threads run (some may be blocked
/// in the kernel for good), or their instances are left over from a fork.
pub fn teardown_would_wait() -> bool {
    live_threads() > 0 || forked_with_threads()
}

/// Claims the end of the process for a trap: true for the first caller.
pub fn claim_dying() -> bool {
    !DYING.swap(true, Ordering::SeqCst)
}

/// [`claim_dying`] for the main thread's trap while other guest threads
/// run. WAMR copies a thread's trap into every instance of the process, so
/// the main thread can meet another thread's trap on its way out of a host
/// call (spawning a thread, say); the thread whose own code trapped claims
/// the process's end once it has unwound, and must be the one to report it,
/// as Linux names the thread that faulted. So the main thread gives it
/// `grace` first (only on this path, which ends the process anyway).
pub fn claim_dying_after_threads(grace: std::time::Duration) -> bool {
    let deadline = std::time::Instant::now() + grace;
    while std::time::Instant::now() < deadline {
        if DYING.load(Ordering::SeqCst) {
            return false;
        }
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    claim_dying()
}

/// Parks the calling thread for good: another thread is ending the process.
pub fn park_forever() -> ! {
    loop {
        std::thread::park();
    }
}

/// `fork()` with other guest threads possibly running, as Linux does it: the
/// child has only the calling thread. Whatever the other threads hold must
/// not be held in the child, so the fork waits, holding the locks they
/// take, until none is inside the engine's critical sections: no spawn
/// under way ([`SPAWN_LOCK`]), the pool consistent ([`IDLE`]), no host
/// thread in WAMR's teardown of a finished thread (it holds WAMR's cluster
/// locks: waited for), no fast-JIT compilation under way (WAMR's compile
/// locks, taken by the shim), no memory-map change (`mm`).
pub fn fork_process(c: &Ctx) -> SysResult {
    let spawn = SPAWN_LOCK.write().unwrap_or_else(|e| e.into_inner());
    let pool = IDLE.lock().unwrap_or_else(|e| e.into_inner());
    wait_leaving();
    let threaded = HOST_THREADS.load(Ordering::SeqCst) > 0 || forked_with_threads();
    // WAMR's locks are taken around the fork and released in parent and
    // child.
    let r = c.env.fork_locked(|| {
        let _guard = crate::sys::mm::fork_guard();
        crate::host::fork()
    });
    let mut pool = pool;
    if r == Ok(0) {
        // Only this thread exists. The senders lead to threads that do not
        // exist in the child; forget them without running anything.
        std::mem::forget(std::mem::take(&mut pool.idle));
        pool.finishing = 0;
        HOST_THREADS.store(0, Ordering::SeqCst);
        LEAVING.lock().unwrap_or_else(|e| e.into_inner()).clear();
        if threaded {
            FORKED_WITH_THREADS.store(true, Ordering::SeqCst);
        }
        if is_main() {
            LIVE.store(0, Ordering::SeqCst);
        } else {
            // This thread is the child's only guest thread.
            LIVE.store(1, Ordering::SeqCst);
            MAIN_GONE.store(true, Ordering::SeqCst);
        }
        // The --timeout thread did not come along.
        crate::host::sandbox::after_fork();
    }
    drop(pool);
    drop(spawn);
    r
}

/// Kernel TIDs of host threads that have left the pool and are in WAMR's
/// teardown (which holds WAMR's cluster locks) or exiting.
static LEAVING: Mutex<Vec<i32>> = Mutex::new(Vec::new());

/// Waits until every host thread in [`LEAVING`] is gone from the process.
fn wait_leaving() {
    let mut leaving = LEAVING.lock().unwrap_or_else(|e| e.into_inner());
    if leaving.is_empty() {
        // The usual case (a guest that never started threads): no syscall
        // on every fork.
        return;
    }
    let pid = host_syscall!(libc::SYS_getpid).unwrap_or(0);
    leaving.retain(|&tid| {
        // A leaving thread waits on nothing the forking thread holds:
        // poll until the kernel no longer knows it (ESRCH).
        while host_syscall!(libc::SYS_tgkill, pid, tid, 0).is_ok() {
            std::thread::yield_now();
        }
        false
    });
}

/// Ends the idle pooled threads (their instances go with them). Called
/// before the main instance is destroyed, which waits for every thread.
pub fn release_idle() {
    let mut idle = IDLE.lock().unwrap_or_else(|e| e.into_inner());
    // Under the lock: a thread finishing its routine now sees CLOSED
    // instead of going idle after this.
    CLOSED.store(true, Ordering::SeqCst);
    idle.idle.clear();
}

/// A new guest starts (called from `runtime::state` only, after it
/// checked that no guest thread is left: [`teardown_would_wait`] is false):
/// its threads may go idle again, nothing is dying, and the calling thread
/// (the new guest's main thread) has no TID word, robust list or exit of
/// an earlier guest.
pub fn reset_for_new_guest() {
    CLOSED.store(false, Ordering::SeqCst);
    DYING.store(false, Ordering::SeqCst);
    MAIN_GONE.store(false, Ordering::SeqCst);
    CLEAR_TID.with(|t| t.set(Addr::NULL));
    EXITING.with(|e| e.set(false));
    EXIT_STATUS.with(|s| s.set(0));
    ROBUST_HEAD.with(|h| h.set(Addr::NULL));
}

/// Whether the calling thread is unwinding from its own `exit` (WAMR's
/// call-stack dump of that unwind is not an error to print).
pub fn exiting() -> bool {
    EXITING.with(|e| e.get())
}

/// Unwinds the calling spawned thread alone (`exit` on a thread).
pub fn exit_thread(c: &Ctx, status: i32) {
    EXITING.with(|e| e.set(true));
    EXIT_STATUS.with(|s| s.set(status));
    c.raise_local(c"wali: thread exit");
}

/// `__wasm_thread_spawn(fn, arg)`: starts a guest thread that calls table
/// entry `fn(tid, arg)`; returns its kernel TID, or -EAGAIN past
/// `--max-threads` or when no instance can be made.
pub fn spawn(c: &Ctx, func: u32, arg: u32) -> SysResult {
    let _spawning = SPAWN_LOCK.read().unwrap_or_else(|e| e.into_inner());
    let max = crate::wamr::max_threads().saturating_sub(1);
    if LIVE.fetch_add(1, Ordering::SeqCst) >= max {
        LIVE.fetch_sub(1, Ordering::SeqCst);
        return Err(Errno::EAGAIN);
    }
    let (mask, virt_blocked) = crate::sys::signal::thread_signal_state();
    let job = Job {
        func,
        arg,
        mask,
        virt_blocked,
    };
    // Read before any thread is made or chosen: a clone made from now on
    // is at least this recent.
    let generation = guard::thread_state_generation();
    let creator = host_id();
    let result = match take_idle(creator, generation) {
        Some((tid, tx)) => match tx.send(job) {
            Ok(()) => Ok(tid as i64),
            Err(e) => start_new(c, e.0, creator, generation),
        },
        None => start_new(c, job, creator, generation),
    };
    if result.is_err() {
        LIVE.fetch_sub(1, Ordering::SeqCst);
    }
    result
}

/// How long a hand-over between the spawning thread and a pooled one is
/// awaited by spinning before sleeping. Waking a sleeping thread on another
/// CPU costs an inter-processor interrupt, 15-25 us each on the development
/// VM: a join-then-spawn loop made three of them per thread (the spawner
/// waiting for the finishing thread, the pooled thread waiting for its job,
/// the joiner) and took 40-60 us per thread whenever the two threads ran on
/// different CPUs, 7 us when they shared one. A finishing thread goes idle
/// within a few microseconds, and a spawn right after a join is the pattern
/// of thread pools and fork-join loops, so both waits spin first (yielding,
/// so a thread on the same CPU still runs), bounded so that a thread nobody
/// reuses costs at most this much CPU when it ends.
const HANDOVER_SPIN: std::time::Duration = std::time::Duration::from_micros(50);

/// Calls `ready` until it gives a value or [`HANDOVER_SPIN`] has passed.
fn spin_for<T>(mut ready: impl FnMut() -> Option<T>) -> Option<T> {
    let start = std::time::Instant::now();
    loop {
        if let Some(v) = ready() {
            return Some(v);
        }
        if start.elapsed() >= HANDOVER_SPIN {
            return None;
        }
        std::hint::spin_loop();
        std::thread::yield_now();
    }
}

impl Pool {
    /// Drops the idle threads made before the last per-thread state change
    /// (they can never be handed over: dropping the sender ends them), and
    /// takes one made by `creator` at `generation`, if any.
    fn take(&mut self, creator: u64, generation: u64) -> Option<(i32, Sender<Job>)> {
        let stale = |t: &Idle| t.generation != generation;
        if self.idle.iter().any(stale) {
            self.idle.retain(|t| !stale(t));
        }
        let at = self.idle.iter().rposition(|t| t.creator == creator)?;
        let t = self.idle.swap_remove(at);
        Some((t.tid, t.tx))
    }
}

/// An idle thread that is a clone of the calling thread as it is now,
/// waiting for a finishing one if need be.
fn take_idle(creator: u64, generation: u64) -> Option<(i32, Sender<Job>)> {
    let mut pool = IDLE.lock().unwrap_or_else(|e| e.into_inner());
    if pool.idle.is_empty() && pool.finishing > 0 {
        drop(pool);
        // Mostly a thread between the guest's join and going idle.
        let _ = spin_for(|| {
            let p = IDLE.lock().unwrap_or_else(|e| e.into_inner());
            (!p.idle.is_empty() || p.finishing == 0).then_some(())
        });
        pool = IDLE.lock().unwrap_or_else(|e| e.into_inner());
    }
    loop {
        if let Some(t) = pool.take(creator, generation) {
            return Some(t);
        }
        if pool.finishing == 0 {
            return None;
        }
        pool = POOL_CHANGED.wait(pool).unwrap_or_else(|e| e.into_inner());
    }
}

/// Starts a new host thread with a new instance for `job`; its TID. The
/// host thread is a clone of the calling one, made at `generation` or later.
fn start_new(c: &Ctx, job: Job, creator: u64, generation: u64) -> SysResult {
    let (tid_tx, tid_rx) = sync_channel::<i32>(1);
    let body = Box::new(move |env: &ThreadEnv| worker(env, job, tid_tx, creator, generation));
    if !c.env.spawn_thread(body) {
        crate::wlog!(2, "thread spawn: WAMR cannot make another instance");
        return Err(Errno::EAGAIN);
    }
    // The new thread reports its TID before it runs guest code.
    tid_rx.recv().map(|t| t as i64).map_err(|_| Errno::EAGAIN)
}

/// Body of a host thread that runs guest threads one after another.
fn worker(env: &ThreadEnv, first: Job, tid_tx: SyncSender<i32>, creator: u64, generation: u64) {
    HOST_THREADS.fetch_add(1, Ordering::SeqCst);
    SPAWNED.with(|s| s.set(true));
    crate::sys::signal::thread_started();
    let tid = host_syscall!(libc::SYS_gettid).unwrap_or(0) as i32;
    let _ = tid_tx.send(tid);
    drop(tid_tx);
    let mut job = first;
    loop {
        run_job(env, &job, tid);
        // The thread has ended for the guest: make it available again,
        // unless a per-thread state change has made it unusable.
        let (tx, rx) = channel::<Job>();
        {
            let mut pool = IDLE.lock().unwrap_or_else(|e| e.into_inner());
            pool.finishing -= 1;
            let keep = pool.idle.len() < POOL_MAX
                && !CLOSED.load(Ordering::SeqCst)
                && guard::thread_state_generation() == generation
                && guard::thread_reuse_allowed();
            if keep {
                pool.idle.push(Idle {
                    tid,
                    creator,
                    generation,
                    tx,
                });
            } else {
                leave(tid);
            }
            drop(pool);
            POOL_CHANGED.notify_all();
            if !keep {
                return;
            }
        }
        // Idle: no signal for the guest is taken here (a process-directed
        // one goes to a running guest thread, as on Linux, where this thread
        // does not exist).
        crate::sys::signal::block_all();
        // A spawn often follows the join at once (see HANDOVER_SPIN).
        let quick = spin_for(|| match rx.try_recv() {
            Ok(j) => Some(Some(j)),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(None),
        });
        match quick.unwrap_or_else(|| rx.recv().ok()) {
            Some(j) => job = j,
            // Released (release_idle, or stale): WAMR destroys the instance.
            None => {
                let _pool = IDLE.lock().unwrap_or_else(|e| e.into_inner());
                leave(tid);
                return;
            }
        }
    }
}

/// Records that host thread `tid` leaves for WAMR's teardown (called with
/// [`IDLE`] held, so `fork` sees either it in the pool or it leaving).
fn leave(tid: i32) {
    HOST_THREADS.fetch_sub(1, Ordering::SeqCst);
    let mut leaving = LEAVING.lock().unwrap_or_else(|e| e.into_inner());
    if leaving.len() >= 64 {
        // Forget the ones long gone (a process that never forks).
        let pid = host_syscall!(libc::SYS_getpid).unwrap_or(0);
        leaving.retain(|&t| host_syscall!(libc::SYS_tgkill, pid, t, 0).is_ok());
    }
    leaving.push(tid);
}

/// Runs one start routine, then releases the thread as Linux does when a
/// thread ends: count, TID word cleared and woken.
fn run_job(env: &ThreadEnv, job: &Job, tid: i32) {
    // A new thread's engine state, whatever this host thread ran before:
    // no TID word, no robust list, no alternate stack, the creator's mask.
    CLEAR_TID.with(|t| t.set(Addr::NULL));
    EXITING.with(|e| e.set(false));
    EXIT_STATUS.with(|s| s.set(0));
    ROBUST_HEAD.with(|h| h.set(Addr::NULL));
    crate::sys::aux::sjlj::thread_reset();
    crate::sys::signal::thread_reset(job.mask, job.virt_blocked);
    if let Some(err) = env.call(job.func, tid as u32, job.arg) {
        if crate::ctx::process::exit_requested().is_some() || DYING.load(Ordering::SeqCst) {
            // The process is ending; the exiting thread ends it.
            park_forever();
        }
        if !EXITING.with(|e| e.get()) {
            // A trap in any thread ends the process, as a fault does.
            if !claim_dying() {
                park_forever();
            }
            let err = crate::wamr::with_stack_hint(err);
            crate::ctx::process::eprint(format_args!("iwasm: trap in thread {tid}: {err}\n"));
            crate::host::exit_group_now(crate::wamr::TRAP_STATUS);
        }
    }
    // Counted as finishing before the guest can see the end (LIVE, the
    // TID word); the worker loop counts it out.
    IDLE.lock().unwrap_or_else(|e| e.into_inner()).finishing += 1;
    let left = LIVE.fetch_sub(1, Ordering::SeqCst) - 1;
    let word = CLEAR_TID.with(|t| t.replace(Addr::NULL));
    if !word.is_null() {
        clear_and_wake(&env.mem(), word);
    }
    if left == 0 && MAIN_GONE.load(Ordering::SeqCst) {
        // The last thread of a forked child whose main thread is not in
        // it: the process ends with this thread's status (0 if its start
        // routine returned), as Linux reports the leader's.
        crate::host::exit_group_now(EXIT_STATUS.with(|s| s.get()));
    }
}

/// CLONE_CHILD_CLEARTID: writes 0 to the TID word and wakes one waiter.
fn clear_and_wake(mem: &GuestMem, word: Addr) {
    if mem.write::<u32>(word, 0).is_ok() {
        if let Ok(p) = mem.buf(word, 4) {
            let _ = host_syscall!(libc::SYS_futex, p, libc::FUTEX_WAKE, 1);
        }
    }
}

/// `set_tid_address(tidptr)`: remembered per thread; the host clears it
/// when the guest thread ends. Returns the caller's TID.
pub fn set_tid_address(_c: &Ctx, a: args::SetTidAddress) -> SysResult {
    CLEAR_TID.with(|t| t.set(a.tidptr));
    host_syscall!(libc::SYS_gettid)
}

pub fn gettid(_c: &Ctx) -> SysResult {
    host_syscall!(libc::SYS_gettid)
}

/// `tkill(tid, sig)`.
pub fn tkill(_c: &Ctx, a: args::Tkill) -> SysResult {
    host_syscall!(libc::SYS_tkill, a.tid, a.sig)
}

/// A futex word: 4-byte aligned (EINVAL) and inside memory (EFAULT).
fn futex_word(c: &Ctx, addr: Addr) -> Result<crate::abi::mem::HostPtr, Errno> {
    if !addr.0.is_multiple_of(4) {
        return Err(Errno::EINVAL);
    }
    c.mem.buf(addr, 4)
}

/// `futex(uaddr, op, val, timeout|val2, uaddr2, val3)`. The words are the
/// same host addresses for every thread (shared memory). Argument 3 is a
/// `struct timespec` (same layout) for the waiting operations and a plain
/// count for the requeueing ones.
pub fn futex(c: &Ctx, a: args::Futex) -> SysResult {
    let op = a.futex_op;
    let cmd = op & !(libc::FUTEX_PRIVATE_FLAG | libc::FUTEX_CLOCK_REALTIME);
    let uaddr = futex_word(c, a.uaddr)?;
    let timeout_is_ptr = matches!(
        cmd,
        libc::FUTEX_WAIT
            | libc::FUTEX_WAIT_BITSET
            | libc::FUTEX_LOCK_PI
            | libc::FUTEX_WAIT_REQUEUE_PI
            | 13 // FUTEX_LOCK_PI2
    );
    let uses_uaddr2 = matches!(
        cmd,
        libc::FUTEX_REQUEUE
            | libc::FUTEX_CMP_REQUEUE
            | libc::FUTEX_WAKE_OP
            | libc::FUTEX_CMP_REQUEUE_PI
            | libc::FUTEX_WAIT_REQUEUE_PI
    );
    let arg3: u64 = if timeout_is_ptr {
        c.mem.buf(a.timeout, 16)?.addr()
    } else {
        a.timeout.wide()
    };
    let uaddr2 = if uses_uaddr2 {
        futex_word(c, a.uaddr2)?.addr()
    } else {
        a.uaddr2.wide()
    };
    host_syscall!(libc::SYS_futex, uaddr, op, a.val, arg3, uaddr2, a.val3)
}

/// `set_robust_list(head, len)`: recorded per thread, never handed to the
/// kernel, whose walk of the list on thread death would read the guest's
/// 32-bit pointers as host pointers. The list is not walked when a guest
/// thread dies (a robust mutex held by a dying thread is not marked
/// OWNER_DIED); `len` is checked as Linux checks it, against the guest's
/// struct size.
pub fn set_robust_list(_c: &Ctx, a: args::SetRobustList) -> SysResult {
    if a.len != GUEST_ROBUST_HEAD_SIZE {
        return Err(Errno::EINVAL);
    }
    ROBUST_HEAD.with(|h| h.set(a.head));
    Ok(0)
}

/// `get_robust_list(pid, head_ptr, len_ptr)`: the calling thread's head
/// (pid 0 or its own tid). Other threads' lists are not kept, so another
/// live id is `EPERM` (as for a thread the caller may not inspect) and an
/// unknown one `ESRCH`.
pub fn get_robust_list(c: &Ctx, a: args::GetRobustList) -> SysResult {
    let pid = a.pid;
    if pid != 0 && i64::from(pid) != host_syscall!(libc::SYS_gettid)? {
        host_syscall!(libc::SYS_kill, pid, 0)?;
        return Err(Errno::EPERM);
    }
    // Linux stores the length first, then the head (NULL for either is
    // EFAULT: GuestMem never writes guest address 0).
    c.mem.write(a.len_ptr, GUEST_ROBUST_HEAD_SIZE)?;
    c.mem.write(a.head_ptr, ROBUST_HEAD.with(|h| h.get()))?;
    Ok(0)
}
