//! Process-wide state of the guest: its argv, its environment, verbosity and
//! the exit status once the guest asked to exit.
//!
//! A WALI guest is a Linux process: one guest per host process, so this state
//! is global. Embedders set it through [`crate::capi`] before running.

use crate::abi::errno::Errno;
use std::ffi::CString;
use std::os::fd::{AsRawFd, OwnedFd};
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};

// The engine's messages are the host layer's (`crate::host::log`); kept
// reachable here, where callers look for the process's output.
pub use crate::host::log::{eprint, notes, print, verbose};
use std::sync::{Mutex, RwLock};

static EXIT_REQUESTED: AtomicBool = AtomicBool::new(false);
static EXIT_STATUS: AtomicI32 = AtomicI32::new(0);

/// Where the guest's environment comes from (`__get_init_envfile`).
#[derive(Debug, Default)]
pub enum EnvSource {
    /// The guest starts with an empty environment (the reference engine's
    /// default too).
    #[default]
    Empty,
    /// A file of `KEY=VALUE` lines named by the user (`--env-file`).
    File(CString),
    /// Variables given one by one (`--env`, `--inherit-env`), served to the
    /// guest from an anonymous memory file: no name in a shared directory.
    Vars(Vec<Vec<u8>>),
}

#[derive(Debug, Default)]
struct State {
    argv: Vec<CString>,
    env: EnvSource,
    /// The memory file behind `EnvSource::Vars`, made on first request:
    /// its descriptor, path, and (st_dev, st_ino) when made.
    env_memfd: Option<(OwnedFd, CString, (u64, u64))>,
}

/// Lets go of the environment's memory file. The guest may have closed its
/// descriptor, and the number may name another file since (the
/// embedding's): it is closed only while it is still that memory file.
fn drop_env_memfd(memfd: Option<(OwnedFd, CString, (u64, u64))>) {
    if let Some((fd, _, id)) = memfd {
        if crate::host::guard::fstat(fd.as_raw_fd()).ok() != Some(id) {
            let _ = std::os::fd::IntoRawFd::into_raw_fd(fd);
        }
    }
}

static STATE: RwLock<State> = RwLock::new(State {
    argv: Vec::new(),
    env: EnvSource::Empty,
    env_memfd: None,
});

/// Sets the verbosity (`-v=N`, `wali_set_verbose`); 5 also traces every
/// call.
pub fn set_verbose(v: u32) {
    crate::host::log::set_level(v);
    if v >= 5 {
        crate::ctx::trace::enable(true, false);
    }
}

/// Sets the guest's argv; argv[0] is the module path as given to the runtime.
pub fn set_args(args: Vec<CString>) {
    STATE.write().unwrap().argv = args;
}

pub fn set_env(env: EnvSource) {
    let mut s = STATE.write().unwrap();
    s.env = env;
    drop_env_memfd(s.env_memfd.take());
}

pub fn argc() -> usize {
    STATE.read().unwrap().argv.len()
}

/// A copy of argv[idx] (without its NUL), if it exists.
pub fn arg(idx: usize) -> Option<Vec<u8>> {
    STATE
        .read()
        .unwrap()
        .argv
        .get(idx)
        .map(|a| a.as_bytes().to_vec())
}

/// The path of the environment file for `__get_init_envfile`, if any.
pub fn env_file_path() -> Result<Option<CString>, Errno> {
    let mut s = STATE.write().unwrap();
    match &s.env {
        EnvSource::Empty => Ok(None),
        EnvSource::File(p) => Ok(Some(p.clone())),
        EnvSource::Vars(vars) => {
            if let Some((_, path, _)) = &s.env_memfd {
                return Ok(Some(path.clone()));
            }
            let fd = env_memfd(vars)?;
            let id = crate::host::guard::fstat(fd.as_raw_fd())?;
            let path = CString::new(format!("/proc/self/fd/{}", fd.as_raw_fd())).unwrap();
            s.env_memfd = Some((fd, path.clone(), id));
            Ok(Some(path))
        }
    }
}

/// Writes `KEY=VALUE` lines into a close-on-exec memory file.
fn env_memfd(vars: &[Vec<u8>]) -> Result<OwnedFd, Errno> {
    let mut text = Vec::new();
    for v in vars {
        text.extend_from_slice(v);
        text.push(b'\n');
    }
    let fd = crate::host::memfd_create(c"wali-env")?;
    let mut off = 0;
    while off < text.len() {
        let len = text.len() - off;
        let buf = crate::abi::mem::HostPtr::to_host_slice(&mut text[off..]);
        match crate::host_syscall!(libc::SYS_write, fd.as_raw_fd(), buf, len) {
            Ok(n) if n > 0 => off += n as usize,
            Ok(_) => return Err(Errno(libc::EIO)),
            Err(e) => return Err(e),
        }
    }
    Ok(fd)
}

/// Whether the host process ends as soon as the guest exits
/// ([`set_exit_at_once`]).
static EXIT_AT_ONCE: AtomicBool = AtomicBool::new(false);

/// The `iwasm` command has nothing to do once its guest exits: then the
/// guest's `exit`/`exit_group` ends the host process at once
/// (`sys::process::exit_process`), without unwinding the guest through an
/// exception (WAMR formats it and records the call stack), tearing the
/// runtime down or running the host's exit handlers; that was about half of
/// the CPU of a fork+wait4. An embedding keeps the default (off): it gets
/// the status back.
pub fn set_exit_at_once(on: bool) {
    EXIT_AT_ONCE.store(on, Ordering::SeqCst);
}

/// See [`set_exit_at_once`].
pub fn exit_at_once() -> bool {
    EXIT_AT_ONCE.load(Ordering::SeqCst)
}

/// Records that the guest asked to end the process with `status`.
pub fn request_exit(status: i32) {
    EXIT_STATUS.store(status, Ordering::SeqCst);
    EXIT_REQUESTED.store(true, Ordering::SeqCst);
}

/// The status the guest asked to exit with, if it did.
pub fn exit_requested() -> Option<i32> {
    if EXIT_REQUESTED.load(Ordering::SeqCst) {
        Some(EXIT_STATUS.load(Ordering::SeqCst))
    } else {
        None
    }
}

/// A new guest starts (`runtime::state`): no exit request; its environment
/// comes from a fresh memory file (an earlier guest could write or close
/// the old one through `/proc/self/fd`); its missing calls are reported
/// again. argv and the environment's source are the embedding's settings
/// for the next guest and stay.
pub fn reset_for_new_guest() {
    EXIT_REQUESTED.store(false, Ordering::SeqCst);
    EXIT_STATUS.store(0, Ordering::SeqCst);
    drop_env_memfd(STATE.write().unwrap().env_memfd.take());
    REPORTED.lock().unwrap().clear();
}

/// Names reported once at `-v>=2` as not available in the sandbox.
static REPORTED: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// Logs "NAME is not implemented" the first time a guest calls it.
pub fn report_enosys(name: &str) {
    if verbose() < 2 {
        return;
    }
    let mut r = REPORTED.lock().unwrap();
    if !r.iter().any(|n| n == name) {
        r.push(name.to_string());
        eprint(format_args!(
            "[wali] {name}: not available in this engine, returns -ENOSYS\n"
        ));
    }
}

/// The engine's own command-line flags (mode, limits), without the
/// environment options or the module: what `execve` of a module passes to a
/// fresh engine. Set by the front end at start-up.
static ENGINE_FLAGS: RwLock<Vec<CString>> = RwLock::new(Vec::new());

pub fn set_engine_flags(flags: Vec<CString>) {
    *ENGINE_FLAGS.write().unwrap() = flags;
}

pub fn engine_flags() -> Vec<CString> {
    ENGINE_FLAGS.read().unwrap().clone()
}

/// A memory file of `KEY=VALUE` lines that a program started by execve
/// inherits (no close-on-exec): the environment handed to a fresh engine
/// without any name in a shared directory. Returns the descriptor.
pub fn env_memfd_inheritable(vars: impl Iterator<Item = Vec<u8>>) -> Result<i32, Errno> {
    let vars: Vec<Vec<u8>> = vars.collect();
    let fd = env_memfd(&vars)?;
    let raw = std::os::fd::IntoRawFd::into_raw_fd(fd);
    // Clear FD_CLOEXEC so the new image inherits the descriptor.
    crate::host_syscall!(libc::SYS_fcntl, raw, libc::F_SETFD, 0)?;
    Ok(raw)
}
