//! The engine's own messages: verbosity (`-v=N`), the `wlog!`/`wnote!`
//! diagnostics, and writes to stderr/stdout that never raise SIGPIPE.

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

static VERBOSE: AtomicU32 = AtomicU32::new(1);

/// Verbosity as `iwasm -v=N`: 0 silent ... 5 everything.
pub fn verbose() -> u32 {
    VERBOSE.load(Ordering::Relaxed)
}

/// Sets the verbosity (the trace that `-v=5` also turns on is
/// `ctx::process::set_verbose`'s).
pub fn set_level(v: u32) {
    VERBOSE.store(v, Ordering::Relaxed);
    VERBOSE_GIVEN.store(true, Ordering::Relaxed);
}

/// Whether a verbosity was asked for (`-v=N`, `wali_set_verbose`).
static VERBOSE_GIVEN: AtomicBool = AtomicBool::new(false);

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
        if $crate::host::log::verbose() >= $level {
            $crate::host::log::eprint(format_args!("[wali] {}\n", format_args!($($fmt)*)));
        }
    };
}

/// Prints a note (see [`notes`]) to stderr.
#[macro_export]
macro_rules! wnote {
    ($($fmt:tt)*) => {
        if $crate::host::log::notes() {
            $crate::host::log::eprint(format_args!("[wali] {}\n", format_args!($($fmt)*)));
        }
    };
}

/// Writes the engine's own output `msg` to stderr: in one piece, errors
/// (a closed pipe) ignored, SIGPIPE held off (see
/// [`crate::host::sigaction::without_sigpipe`]); never panics, unlike `eprintln!`.
pub fn eprint(msg: std::fmt::Arguments) {
    let text = msg.to_string();
    crate::host::sigaction::without_sigpipe(|| {
        let mut e = std::io::stderr().lock();
        let _ = std::io::Write::write_all(&mut e, text.as_bytes());
    });
}

/// [`eprint`] for stdout (`--help`, `--version`), flushed before SIGPIPE is
/// let through again.
pub fn print(msg: std::fmt::Arguments) {
    let text = msg.to_string();
    crate::host::sigaction::without_sigpipe(|| {
        let mut o = std::io::stdout().lock();
        let _ = std::io::Write::write_all(&mut o, text.as_bytes());
        let _ = std::io::Write::flush(&mut o);
    });
}
