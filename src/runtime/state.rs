//! The one place that owns per-guest state: what an embedding gets fresh
//! for each guest it runs, and what lives as long as the engine process.
//!
//! A WALI guest is a Linux process, so the engine keeps its state in
//! statics and thread-locals, and an embedding (`include/wali.h`) may run
//! several guests, one after another, in one process. Every static and
//! thread-local of `src/` is listed below, in [`PER_PROCESS`] or
//! [`PER_GUEST`] (a test fails for one that is in neither), except
//! read-only tables (a `&...` or `[...]` type without a cell, lock or
//! atomic in it).
//!
//! * **Per process**: the engine's own set-up (WAMR's runtime, the
//!   registration of the host functions, the fault handlers behind ours),
//!   what the engine knows of its host process (its files, kept
//!   descriptors, the sandbox, which cannot be lifted), the embedding's
//!   settings for the next guest (argv, the environment's source,
//!   verbosity, thread limits, the exec engine: set before a run, kept
//!   until changed), and counters that must stay monotonic or count host
//!   threads that really exist.
//! * **Per guest**: what a guest can change or leave behind: its signal
//!   dispositions, pending signals and emulated per-thread signal state,
//!   its memory map, its threads' pool and per-thread words, its
//!   `setjmp` depth, its exit request, its virtual resource limits, its
//!   environment's memory file, its trace's end and counts. Each area has
//!   its own `reset_for_new_guest` (or `thread_reset`);
//!   [`reset_for_new_guest`] here calls them all, in the documented order,
//!   when a guest starts: `runtime::run`, `runtime::run_function` and the
//!   C API's `wali_run_start`. The kernel state of the process (descriptors,
//!   working directory, root, credentials) is the process's, shared by the
//!   guests as by programs a shell runs one after another in one process:
//!   not reset.
//!
//! A guest cannot be reset while another one runs (two embedding threads
//! in `wali_run_start` at once) or while guest threads of an earlier one
//! are left (a run that ends with threads running ends the process, so
//! this is a defence): the start is refused with one line instead.

use std::sync::atomic::{AtomicBool, Ordering};

/// Whether a guest runs in this process now (claimed by
/// [`reset_for_new_guest`], released when its [`GuestRun`] drops).
static RUNNING: AtomicBool = AtomicBool::new(false);

/// A guest's run on the calling thread. Dropping it (after the run, with no
/// guest thread left) hands the thread and the process back: the signal
/// dispositions go back to the inherited ones, the thread's signal mask to
/// the one it had before the run (signals pending only because the guest
/// blocked them are discarded), and another guest may start.
#[must_use = "the run ends when this drops"]
pub struct GuestRun {
    mask: u64,
    /// The mask is the calling thread's: the run ends on that thread.
    _thread: std::marker::PhantomData<*const ()>,
}

impl Drop for GuestRun {
    fn drop(&mut self) {
        crate::sys::signal::end_guest_run(self.mask);
        RUNNING.store(false, Ordering::SeqCst);
    }
}

/// Starts a new guest on the calling thread: every per-guest state fresh,
/// or a one-line refusal (nothing changed then). Order: the refusals
/// first; the thread pool and per-thread words before the signal state (the
/// earlier guest's pooled threads are gone: no guest thread can take a
/// signal while dispositions change); then, independent of each other, the
/// signal state, the `setjmp` depth, the memory map, the exit request and
/// environment, the virtual limits and the trace.
pub fn reset_for_new_guest() -> Result<GuestRun, String> {
    if RUNNING.swap(true, Ordering::SeqCst) {
        return Err("cannot start a guest: another guest is running in this process".into());
    }
    if crate::sys::thread::teardown_would_wait() {
        RUNNING.store(false, Ordering::SeqCst);
        return Err("cannot start a guest: threads of an earlier guest are still running".into());
    }
    let mask = crate::sys::signal::host_mask();
    crate::sys::thread::reset_for_new_guest();
    crate::sys::signal::reset_for_new_guest();
    crate::sys::aux::sjlj::thread_reset();
    crate::sys::mm::reset();
    crate::ctx::process::reset_for_new_guest();
    crate::host::guard::reset_for_new_guest();
    crate::ctx::trace::reset_for_new_guest();
    Ok(GuestRun {
        mask,
        _thread: std::marker::PhantomData,
    })
}

/// Statics and thread-locals that live as long as the engine process
/// (`file under src/::NAME`, why).
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) const PER_PROCESS: &[(&str, &str)] = &[
    (
        "ctx/process.rs::EXIT_AT_ONCE",
        "the embedding's choice (iwasm: the process ends with its guest)",
    ),
    (
        "engine/register.rs::INDEX",
        "a read-only index of the generated entries, built once",
    ),
    (
        "abi/spec_types.rs::INDEX",
        "a read-only index of the spec's names, built once",
    ),
    (
        "host/sigaction.rs::HANDLERS",
        "the engine's own host signal handlers, installed once at init",
    ),
    (
        "runtime/state.rs::RUNNING",
        "whether a guest runs now: the guard of the reset itself",
    ),
    (
        "runtime/mod.rs::INIT",
        "WAMR is started once per process (iwasm)",
    ),
    (
        "capi.rs::SANDBOX",
        "the embedding's sandbox policy; applied, it holds for the process",
    ),
    (
        "engine/register.rs::GLOBAL",
        "the host functions registered with WAMR, once",
    ),
    ("engine/link.rs::LINK_LOCK", "a lock, no state"),
    (
        "engine/link.rs::TYPES",
        "invoke_* types WAMR keeps pointers to: never freed",
    ),
    (
        "engine/link.rs::NAMES",
        "import names WAMR keeps pointers to: never freed",
    ),
    (
        "engine/link.rs::RAW_FOR_BYTECODE",
        "the engine's mode setting (iwasm --interp)",
    ),
    ("wamr/mod.rs::OF_ENGINE", "iwasm's guest-thread settings"),
    (
        "wamr/mod.rs::OF_EMBEDDING",
        "the embedding's guest-thread settings (wali_set_threads)",
    ),
    (
        "wamr/mod.rs::LOADING",
        "modules being loaded now, not a guest's",
    ),
    (
        "sys/signal/mod.rs::WAMR_FAULT",
        "WAMR's fault handlers, saved once",
    ),
    (
        "sys/signal/mod.rs::INHERITED_IGNORED",
        "dispositions the engine was started with",
    ),
    (
        "sys/signal/mod.rs::DONE",
        "the dispositions above are read once",
    ),
    ("sys/signal/mod.rs::SETUP", "a lock, no state"),
    (
        "sys/thread/mod.rs::HOST_ID",
        "a host thread's identity for the life of the process",
    ),
    (
        "sys/thread/mod.rs::NEXT_HOST_ID",
        "host thread identities are never reused",
    ),
    (
        "sys/thread/mod.rs::SPAWNED",
        "whether a host thread is a pool thread: its role, not a guest's",
    ),
    ("sys/thread/mod.rs::SPAWN_LOCK", "a lock, no state"),
    (
        "sys/thread/mod.rs::HOST_THREADS",
        "host threads that exist, whichever guest made them",
    ),
    (
        "sys/thread/mod.rs::POOL_CHANGED",
        "a condition variable, no state",
    ),
    (
        "sys/thread/mod.rs::LEAVING",
        "host threads still in WAMR's teardown, whichever guest made them",
    ),
    (
        "ctx/trace.rs::FLAGS",
        "trace setting (-v=5, --trace, wali_set_verbose)",
    ),
    ("ctx/trace.rs::OUT", "trace setting: where lines go"),
    (
        "ctx/trace.rs::FILE_FD",
        "trace setting: the trace file's descriptor",
    ),
    (
        "ctx/trace.rs::ORIGIN",
        "the process that turned the trace on",
    ),
    (
        "ctx/process.rs::ENGINE_FLAGS",
        "the embedding's setting for module execs",
    ),
    ("host/log.rs::VERBOSE", "verbosity setting"),
    ("host/log.rs::VERBOSE_GIVEN", "verbosity setting"),
    (
        "host/guard.rs::ENGINE",
        "the engine's own files, recorded before any guest",
    ),
    (
        "host/guard.rs::OPTMEM_MAX",
        "the host's net.core.optmem_max, a property of the host",
    ),
    (
        "host/guard.rs::PROC_ROOT",
        "procfs root kept at a chroot, which outlives the guest",
    ),
    (
        "host/guard.rs::ENGINE_EXE",
        "engine binary kept at a chroot, which outlives the guest",
    ),
    (
        "host/guard.rs::OUTPUT_FILE",
        "the trace file, guarded for the life of the process",
    ),
    ("host/guard.rs::STATE_GEN", "a generation: must only grow"),
    (
        "host/guard.rs::NO_REUSE",
        "a procfs file an earlier guest opened for writing may stay open",
    ),
    (
        "host/guard.rs::EXEC_ENGINE",
        "the embedding's setting (wali_set_exec_engine)",
    ),
    (
        "host/sandbox.rs::NO_NATIVE_EXEC",
        "the sandbox cannot be lifted",
    ),
    (
        "host/sandbox.rs::NET_RESTRICTED",
        "the sandbox cannot be lifted",
    ),
    (
        "host/sandbox.rs::DEADLINE_NS",
        "--timeout ends the whole process",
    ),
    ("abi/mem.rs::ONCE", "unit tests only"),
];

/// Statics and thread-locals a new guest gets fresh (`file::NAME`, who
/// resets it). Thread-locals are reset on the thread that starts the guest
/// (and by `thread_reset` on each host thread that starts a guest thread).
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) const PER_GUEST: &[(&str, &str)] = &[
    ("sys/signal/mod.rs::ACTIONS", "signal::reset_for_new_guest"),
    ("sys/signal/mod.rs::PENDING", "signal::reset_for_new_guest"),
    ("sys/signal/mod.rs::HANDLER_INDEX", "signal::reset_for_new_guest"),
    ("sys/signal/mod.rs::ALTSTACK", "signal::reset_for_new_guest"),
    ("sys/signal/mod.rs::VIRT_BLOCKED", "signal::reset_for_new_guest"),
    ("host/sigaction.rs::IN_FAULT", "signal::reset_for_new_guest (WAMR longjmps out of a fault)"),
    ("sys/mm/mod.rs::STATE", "mm::reset"),
    ("sys/thread/mod.rs::ROBUST_HEAD", "thread::reset_for_new_guest"),
    ("sys/thread/mod.rs::CLEAR_TID", "thread::reset_for_new_guest"),
    ("sys/thread/mod.rs::EXITING", "thread::reset_for_new_guest"),
    ("sys/thread/mod.rs::EXIT_STATUS", "thread::reset_for_new_guest"),
    ("sys/thread/mod.rs::CLOSED", "thread::reset_for_new_guest"),
    ("sys/thread/mod.rs::DYING", "thread::reset_for_new_guest"),
    ("sys/thread/mod.rs::MAIN_GONE", "thread::reset_for_new_guest"),
    ("sys/thread/mod.rs::FORKED_WITH_THREADS", "refused while set (a fork child's threads)"),
    ("sys/thread/mod.rs::LIVE", "refused while not 0 (guest threads running)"),
    ("sys/thread/mod.rs::IDLE", "emptied when each run ends (thread::release_idle)"),
    ("sys/aux/sjlj.rs::DEPTH", "sjlj::thread_reset"),
    ("sys/aux/sjlj.rs::UNWINDING", "sjlj::thread_reset"),
    ("ctx/process.rs::EXIT_REQUESTED", "process::reset_for_new_guest"),
    ("ctx/process.rs::EXIT_STATUS", "process::reset_for_new_guest"),
    ("ctx/process.rs::STATE", "process::reset_for_new_guest (the environment's memory file; argv and the environment's source are settings)"),
    ("ctx/process.rs::REPORTED", "process::reset_for_new_guest"),
    ("host/guard.rs::GUEST_LIMITS", "guard::reset_for_new_guest"),
    ("ctx/trace.rs::ENDED", "trace::reset_for_new_guest"),
    ("ctx/trace.rs::STATS", "trace::reset_for_new_guest (counts zeroed)"),
];

#[cfg(test)]
mod tests {
    use super::{PER_GUEST, PER_PROCESS};
    use std::path::{Path, PathBuf};

    fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).expect("read src") {
            let p = e.expect("dir entry").path();
            if p.is_dir() {
                rust_files(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }

    /// Whether a static of this type can hold no state: a reference or an
    /// array, with no cell, lock, atomic or lazy value named in it.
    fn read_only(ty: &str) -> bool {
        const MUTABLE: &[&str] = &[
            "Cell", "Mutex", "RwLock", "Atomic", "Once", "Condvar", "Lazy", "mut ",
        ];
        (ty.starts_with('&') || ty.starts_with('[')) && !MUTABLE.iter().any(|m| ty.contains(m))
    }

    /// `file::NAME` of every static and thread-local in `src/` that can
    /// hold state.
    fn stateful_items() -> Vec<String> {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = Vec::new();
        rust_files(&src, &mut files);
        let mut out = Vec::new();
        for f in files {
            let rel = f
                .strip_prefix(&src)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let text = std::fs::read_to_string(&f).unwrap();
            let mut in_thread_local = false;
            for line in text.lines() {
                let t = line.trim_start();
                if t.starts_with("//") {
                    continue;
                }
                if t.contains("thread_local!") {
                    in_thread_local = true;
                }
                // `static NAME: TYPE`, with any visibility; not a macro
                // call's argument (`syscall_table!(pub static ...)`: tables).
                let words: Vec<&str> = t.split_whitespace().collect();
                let at = match words.iter().position(|w| *w == "static") {
                    Some(i) if words[..i].iter().all(|w| w.starts_with("pub")) => i,
                    _ => {
                        if in_thread_local && t.starts_with('}') {
                            in_thread_local = false;
                        }
                        continue;
                    }
                };
                let rest = words[at + 1..].join(" ");
                let rest = rest.strip_prefix("mut ").unwrap_or(&rest);
                let Some((name, ty)) = rest.split_once(':') else {
                    continue;
                };
                let ty = ty.trim();
                if !in_thread_local && read_only(ty) {
                    continue;
                }
                out.push(format!("{rel}::{}", name.trim()));
            }
        }
        out.sort();
        out
    }

    /// Every static or thread-local that can hold state is classified, once;
    /// every entry of the tables names one that exists.
    #[test]
    fn every_static_is_per_process_or_per_guest() {
        let found = stateful_items();
        assert!(
            found.iter().any(|f| f == "sys/signal/mod.rs::ACTIONS")
                && found.iter().any(|f| f == "sys/aux/sjlj.rs::DEPTH"),
            "the scan finds nothing: {found:?}"
        );
        let listed: Vec<&str> = PER_PROCESS
            .iter()
            .chain(PER_GUEST)
            .map(|(k, _)| *k)
            .collect();
        let missing: Vec<&String> = found
            .iter()
            .filter(|f| !listed.contains(&f.as_str()))
            .collect();
        assert!(
            missing.is_empty(),
            "statics/thread-locals not classified in src/runtime/state.rs (PER_PROCESS: why \
             it lives for the process; PER_GUEST: which reset_for_new_guest resets it): \
             {missing:?}"
        );
        let stale: Vec<&&str> = listed
            .iter()
            .filter(|l| !found.iter().any(|f| f == *l))
            .collect();
        assert!(stale.is_empty(), "entries naming no static: {stale:?}");
        let mut sorted = listed.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), listed.len(), "an entry is listed twice");
    }

    #[test]
    fn read_only_types() {
        assert!(read_only("&[(&str, RawFn)] = &["));
        assert!(read_only("[Syscall; 362] = ["));
        assert!(!read_only(
            "[AtomicU32; NSIG + 1] = [const { AtomicU32::new(0) }; NSIG + 1];"
        ));
        assert!(!read_only("Mutex<Vec<i32>> = Mutex::new(Vec::new());"));
        assert!(!read_only("OnceLock<Engine> = OnceLock::new();"));
        assert!(!read_only("Engine = Engine::new();"));
    }
}
