//! Attacks on thread state and thread life cycle, through musl
//! (`./wali-cc`), natively and under `iwasm` in every engine mode:
//!
//! * `libc_thread_state.c`: after the main thread drops privileges or
//!   changes another per-thread attribute (libc `setuid` via `__synccall`,
//!   raw `setuid`/`setresgid`, `setgroups`, `capset`, no_new_privs,
//!   affinity, nice, signal mask), a new thread has exactly its state, never
//!   that of a pooled host thread made earlier (which stayed root), and
//!   nothing of what an earlier guest thread left in the engine (alternate
//!   stack, robust list, blocked signals, name).
//! * `libc_thread_fork.c`: fork right after joins (the child died of
//!   SIGSEGV), while threads run or block, threads in the child, fork from
//!   a thread.
//! * `libc_thread_trap.c`: a trap or exit in any thread ends the process
//!   promptly while other threads block in the kernel (a main-thread trap
//!   hung forever).

mod support;

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};
use support::{fresh_dir, libc_program, module_in, run_with, shell_status, Mode};

/// Each run must end well within this (the hangs fixed here were forever).
const LIMIT: Duration = Duration::from_secs(60);

fn native_run(native: &Path, args: &[&str]) -> Output {
    let dir = fresh_dir("attack-thread-native");
    let mut cmd = Command::new(native);
    cmd.args(args).current_dir(&dir).env_clear();
    let out = run_with(cmd, b"", LIMIT);
    let _ = std::fs::remove_dir_all(&dir);
    out
}

fn wali_run(wasm: &Path, args: &[&str], mode: Mode) -> Output {
    let module = module_in(wasm, mode);
    let dir = fresh_dir(&format!("attack-thread-{}", mode.name()));
    let mut cmd = Command::new(support::iwasm());
    cmd.args(mode.flag())
        .arg(&module)
        .args(args)
        .current_dir(&dir)
        .env_clear();
    let out = run_with(cmd, b"", LIMIT);
    let _ = std::fs::remove_dir_all(&dir);
    out
}

/// Same status and stdout as the native build, for each argument list.
fn differential(src: &'static str, runs: &[&[&str]], mode: Mode) {
    let (wasm, native) = libc_program(src);
    for args in runs {
        let n = native_run(&native, args);
        let w = wali_run(&wasm, args, mode);
        assert!(
            !n.stdout.is_empty(),
            "{src} {args:?}: native printed nothing"
        );
        assert!(
            shell_status(&n) == shell_status(&w) && n.stdout == w.stdout,
            "{src} {args:?} [{}] differs from native\n--- native (status {}):\n{}\n--- wali (status {}):\n{}\n--- wali stderr:\n{}",
            mode.name(),
            shell_status(&n),
            String::from_utf8_lossy(&n.stdout),
            shell_status(&w),
            String::from_utf8_lossy(&w.stdout),
            String::from_utf8_lossy(&w.stderr)
        );
    }
}

/// Every per-thread change the state test makes (see libc_thread_state.c).
const STATE_CHANGES: &[&[&str]] = &[
    &["baseline"],
    &["reuse"],
    &["name"],
    &["setuid"],
    &["raw-setuid"],
    &["raw-setresgid"],
    &["setgroups"],
    &["capset"],
    &["no-new-privs"],
    &["affinity"],
    &["nice"],
    &["sigmask"],
    &["comm-file"],
    &["timerslack-file"],
];

/// The state test changes credentials: it needs root (natively too).
fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

fn thread_state(mode: Mode) {
    if !is_root() {
        eprintln!("skipped: libc_thread_state needs root");
        return;
    }
    differential("libc_thread_state", STATE_CHANGES, mode);
}

fn thread_fork(mode: Mode) {
    differential("libc_thread_fork", &[&[]], mode);
}

/// Ends that must be the same as natively: exits from any thread.
fn thread_exit(mode: Mode) {
    differential(
        "libc_thread_trap",
        &[&["main-exit"], &["main-return"], &["thread-exit"]],
        mode,
    );
}

/// A trap (natively a SIGILL) ends the engine promptly with status 134 and
/// its message, whatever thread traps and whatever the others do.
fn thread_trap(mode: Mode) {
    let (wasm, _) = libc_program("libc_thread_trap");
    for (how, message) in [
        ("main-trap", "trap: unreachable"),
        ("thread-trap", "iwasm: trap in thread"),
    ] {
        let start = Instant::now();
        let w = wali_run(&wasm, &[how], mode);
        let took = start.elapsed();
        let err = String::from_utf8_lossy(&w.stderr);
        assert_eq!(w.status.code(), Some(134), "{how} [{}]: {err}", mode.name());
        assert_eq!(
            String::from_utf8_lossy(&w.stdout),
            "three threads blocked\n",
            "{how} [{}]",
            mode.name()
        );
        assert!(err.contains(message), "{how} [{}]: {err}", mode.name());
        assert!(
            took < Duration::from_secs(20),
            "{how} [{}] took {took:?}",
            mode.name()
        );
    }
}

macro_rules! modes {
    ($name:ident, $f:path) => {
        mod $name {
            use super::*;
            #[test]
            fn interp() {
                $f(Mode::Interp);
            }
            #[test]
            fn fast_jit() {
                $f(Mode::FastJit);
            }
            #[test]
            fn aot() {
                $f(Mode::Aot);
            }
        }
    };
}

modes!(attack_thread_state, thread_state);
modes!(attack_thread_fork, thread_fork);
modes!(attack_thread_exit, thread_exit);
modes!(attack_thread_trap, thread_trap);
