//! Process-wide state of the guest: its argv, its environment, verbosity and
//! the exit status once the guest asked to exit.
//!
//! A WALI guest is a Linux process: one guest per host process, so this state
//! is global. Embedders set it through [`crate::capi`] before running.

use crate::errno::Errno;
use std::ffi::CString;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicU32, Ordering};
use std::sync::{Mutex, RwLock};

static VERBOSE: AtomicU32 = AtomicU32::new(1);
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
    /// The memory file behind `EnvSource::Vars`, made on first request.
    env_memfd: Option<(OwnedFd, CString)>,
}

static STATE: RwLock<State> = RwLock::new(State {
    argv: Vec::new(),
    env: EnvSource::Empty,
    env_memfd: None,
});

/// Verbosity as `iwasm -v=N`: 0 silent ... 5 everything.
pub fn verbose() -> u32 {
    VERBOSE.load(Ordering::Relaxed)
}

pub fn set_verbose(v: u32) {
    VERBOSE.store(v, Ordering::Relaxed);
    VERBOSE_GIVEN.store(true, Ordering::Relaxed);
    // -v=5 (and an embedding's wali_set_verbose(5)) traces every call.
    if v >= 5 {
        crate::trace::enable(true, false);
    }
}

/// Whether a verbosity was asked for (`-v=N`, `wali_set_verbose`).
static VERBOSE_GIVEN: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Notes say how a module is run (an interpreter chosen for it, imports
/// linked to stubs). They print at `-v=1` and above when a verbosity was
/// asked for; the default (also 1) prints warnings only, so a module built
/// by the reference toolchain runs as quietly as under the reference engine.
pub fn notes() -> bool {
    VERBOSE_GIVEN.load(Ordering::Relaxed) && verbose() >= 1
}

/// Prints a diagnostic line to stderr when verbosity is at least `level`.
#[macro_export]
macro_rules! wlog {
    ($level:expr, $($fmt:tt)*) => {
        if $crate::process::verbose() >= $level {
            $crate::process::eprint(format_args!("[wali] {}\n", format_args!($($fmt)*)));
        }
    };
}

/// Prints a note (see [`notes`]) to stderr.
#[macro_export]
macro_rules! wnote {
    ($($fmt:tt)*) => {
        if $crate::process::notes() {
            $crate::process::eprint(format_args!("[wali] {}\n", format_args!($($fmt)*)));
        }
    };
}

/// Writes the engine's own output `msg` to stderr: in one piece, errors
/// (a closed pipe) ignored, SIGPIPE held off (see
/// [`crate::signal::without_sigpipe`]); never panics, unlike `eprintln!`.
pub fn eprint(msg: std::fmt::Arguments) {
    let text = msg.to_string();
    crate::signal::without_sigpipe(|| {
        let mut e = std::io::stderr().lock();
        let _ = std::io::Write::write_all(&mut e, text.as_bytes());
    });
}

/// [`eprint`] for stdout (`--help`, `--version`), flushed before SIGPIPE is
/// let through again.
pub fn print(msg: std::fmt::Arguments) {
    let text = msg.to_string();
    crate::signal::without_sigpipe(|| {
        let mut o = std::io::stdout().lock();
        let _ = std::io::Write::write_all(&mut o, text.as_bytes());
        let _ = std::io::Write::flush(&mut o);
    });
}

/// Sets the guest's argv; argv[0] is the module path as given to the runtime.
pub fn set_args(args: Vec<CString>) {
    STATE.write().unwrap().argv = args;
}

pub fn set_env(env: EnvSource) {
    let mut s = STATE.write().unwrap();
    s.env = env;
    s.env_memfd = None;
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
            if let Some((_, path)) = &s.env_memfd {
                return Ok(Some(path.clone()));
            }
            let fd = env_memfd(vars)?;
            let path = CString::new(format!("/proc/self/fd/{}", fd.as_raw_fd())).unwrap();
            s.env_memfd = Some((fd, path.clone()));
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
    let name = c"wali-env";
    // SAFETY: plain FFI calls on a descriptor this function owns.
    unsafe {
        let fd = libc::memfd_create(name.as_ptr(), libc::MFD_CLOEXEC);
        if fd < 0 {
            return Err(Errno::last());
        }
        let fd = OwnedFd::from_raw_fd(fd);
        let mut off = 0;
        while off < text.len() {
            let n = libc::write(
                fd.as_raw_fd(),
                text[off..].as_ptr() as *const libc::c_void,
                text.len() - off,
            );
            if n <= 0 {
                return Err(Errno::last());
            }
            off += n as usize;
        }
        Ok(fd)
    }
}

/// Whether the host process ends as soon as the guest exits
/// ([`set_exit_at_once`]).
static EXIT_AT_ONCE: AtomicBool = AtomicBool::new(false);

/// The `iwasm` command has nothing to do once its guest exits: then the
/// guest's `exit`/`exit_group` ends the host process at once
/// (`crate::proc::exit_process`), without unwinding the guest through an
/// exception (WAMR formats it and records the call stack), tearing the
/// runtime down or running the host's exit handlers; a forked child's exit
/// was several percent of a fork+wait4. An embedding keeps the default
/// (off): it gets the status back.
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

/// Whether WAMR's own output is silenced: while the guest exits, or a
/// `longjmp` unwinds guest frames (see [`crate::sjlj`]), WAMR would print
/// the call stack of the exception that unwinds them; while a module loads,
/// its discarded background compilation would report failures. Called from the
/// print shim compiled into our WAMR build (`wamr-sys/cmake/wali_vprintf.c`).
#[no_mangle]
pub extern "C" fn wali_wamr_output_quiet() -> libc::c_int {
    (EXIT_REQUESTED.load(Ordering::Relaxed)
        || crate::thread::exiting()
        || crate::sjlj::unwinding()
        || crate::runtime::loading()) as libc::c_int
}

/// Forgets an earlier exit request (before running another module).
pub fn clear_exit() {
    EXIT_REQUESTED.store(false, Ordering::SeqCst);
    EXIT_STATUS.store(0, Ordering::SeqCst);
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

/// The engine binary that runs a module the guest `execve`s.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExecEngine {
    /// The running executable (`/proc/self/exe`): `iwasm` itself.
    SelfExe,
    /// `iwasm` found in the engine process's `PATH` at the time of the
    /// execve: an embedding's default (its own executable does not take
    /// `iwasm`'s command line).
    SearchPath,
    /// A binary the embedding named (`wali_set_exec_engine`).
    Path(CString),
}

static EXEC_ENGINE: RwLock<ExecEngine> = RwLock::new(ExecEngine::SearchPath);

pub fn set_exec_engine(e: ExecEngine) {
    *EXEC_ENGINE.write().unwrap_or_else(|e| e.into_inner()) = e;
}

/// The path to execute for a module child: `/proc/self/exe`, the named
/// binary, or the first executable `iwasm` in `PATH` (None: none there).
pub fn exec_engine_path() -> Option<CString> {
    match EXEC_ENGINE
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .clone()
    {
        ExecEngine::SelfExe => Some(c"/proc/self/exe".to_owned()),
        ExecEngine::Path(p) => Some(p),
        ExecEngine::SearchPath => {
            use std::os::unix::ffi::OsStrExt;
            use std::os::unix::fs::PermissionsExt;
            let path = std::env::var_os("PATH")?;
            std::env::split_paths(&path)
                .filter(|d| d.is_absolute())
                .map(|d| d.join("iwasm"))
                .find(|p| {
                    std::fs::metadata(p)
                        .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
                        .unwrap_or(false)
                })
                .and_then(|p| CString::new(p.as_os_str().as_bytes()).ok())
        }
    }
}

/// A memory file of `KEY=VALUE` lines that a program started by execve
/// inherits (no close-on-exec): the environment handed to a fresh engine
/// without any name in a shared directory. Returns the descriptor.
pub fn env_memfd_inheritable(vars: impl Iterator<Item = Vec<u8>>) -> Result<i32, Errno> {
    let vars: Vec<Vec<u8>> = vars.collect();
    let fd = env_memfd(&vars)?;
    let raw = std::os::fd::IntoRawFd::into_raw_fd(fd);
    // Clear FD_CLOEXEC so the new image inherits the descriptor.
    crate::sys!(libc::SYS_fcntl, raw, libc::F_SETFD, 0)?;
    Ok(raw)
}
