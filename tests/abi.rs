//! The WALI ABI as binaries of the reference toolchain and real programs
//! use it (../shared/WALI-ABI.md), each case native vs WALI in every mode:
//!
//! * `abi_ref*`: a no-libc module built the way the reference toolchain
//!   builds (SIG_IGN = -2 passed raw, a handler at table index 1, preadv and
//!   pwritev imported in musl's raw five-argument form); it runs without a
//!   word on stderr at the default verbosity.
//! * `libc_sigpipe*`: SIGPIPE through musl (ignored: EPIPE; default: death
//!   by the signal; inherited as ignored from the engine's start, also by a
//!   native program the guest execs; `yes | head` ends).
//! * `libc_time64`: the calls where musl's generic code passes 32-bit
//!   arrays on wasm32 (itimers, alarm, ualarm, sleep, wait3/wait4 rusage,
//!   select/pselect/ppoll timeouts, adjtimex).
//! * `libc_pselect`: pselect with a signal mask, a signal arriving.
//! * `libc_timespec`: struct timespec arguments (4-byte `long` tv_nsec and
//!   4 bytes of padding on wasm32, 8 bytes to the kernel) filled with 0xFF
//!   bytes before their fields are set: sleeps, futex deadlines (cond, sem,
//!   mutex, PI mutex), timerfd, utimensat/futimens/utimes, socket timeouts,
//!   recvmmsg.
//! * `engine_*`: the engine's own output to a closed pipe: EPIPE, no signal,
//!   no panic.

mod support;

use std::ffi::OsStr;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::time::Duration;
use support::{case, fresh_dir, libc_program, module_in, run_with, shell_status, Mode};

const LIMIT: Duration = Duration::from_secs(120);

/// One test per engine mode: `each_mode!(name, |mode| body)`.
macro_rules! each_mode {
    ($name:ident, |$m:ident| $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            fn go($m: Mode) {
                $body
            }
            #[test]
            fn interp() {
                go(Mode::Interp);
            }
            #[test]
            fn fast_jit() {
                go(Mode::FastJit);
            }
            #[test]
            fn aot() {
                go(Mode::Aot);
            }
        }
    };
}

// --- A module built the reference toolchain's way (no libc) ---------------

difftest!(abi_ref, case("abi_ref"));
difftest!(abi_ref_pipe_dfl, case("abi_ref").args(["pipe_dfl"]));

// Every import of it links to the engine's own implementation: nothing is
// reported at the default verbosity.
each_mode!(abi_ref_quiet, |mode| {
    let out = support::wali_run(&case("abi_ref"), mode);
    assert_eq!(
        shell_status(&out),
        0,
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "stderr at the default verbosity:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("handler_at_index_1=1\n"));
});

// --- Programs over the C library ------------------------------------------

/// The command line running `src` natively (`mode` None) or under the
/// engine in `mode`.
fn argv_of(src: &'static str, mode: Option<Mode>) -> Vec<PathBuf> {
    let (wasm, native) = libc_program(src);
    match mode {
        None => vec![native],
        Some(m) => {
            let mut v: Vec<PathBuf> = vec![support::iwasm()];
            v.extend(m.flag().map(PathBuf::from));
            v.push(module_in(&wasm, m));
            v
        }
    }
}

/// Runs `src ARGS` natively or under the engine, wrapped by `wrap` (a shell
/// script receiving the command line as "$@"), in a fresh directory.
fn run_libc(src: &'static str, mode: Option<Mode>, wrap: &str, args: &[&str]) -> Output {
    let dir = fresh_dir(&format!("{src}-{}", mode.map_or("native", |m| m.name())));
    let mut cmd = Command::new("bash");
    cmd.arg("-c")
        .arg(wrap)
        .arg("bash")
        .args(argv_of(src, mode))
        .args(args)
        .current_dir(&dir)
        .env_clear()
        .env("PATH", "/usr/bin:/bin");
    let out = run_with(cmd, b"", LIMIT);
    let _ = std::fs::remove_dir_all(&dir);
    out
}

/// The differential check of `src ARGS` run through `wrap`.
fn libc_check(src: &'static str, mode: Mode, wrap: &str, args: &[&str]) {
    let native = run_libc(src, None, wrap, args);
    let wali = run_libc(src, Some(mode), wrap, args);
    let (ns, ws) = (shell_status(&native), shell_status(&wali));
    assert!(
        !native.stdout.is_empty(),
        "{src} {args:?}: the native run printed nothing (status {ns}):\n{}",
        String::from_utf8_lossy(&native.stderr)
    );
    if ns != ws || native.stdout != wali.stdout {
        panic!(
            "{src} {args:?} [{}] differs from native\n--- native (status {ns}) stdout:\n{}\n--- native stderr:\n{}\n--- wali (status {ws}) stdout:\n{}\n--- wali stderr:\n{}",
            mode.name(),
            String::from_utf8_lossy(&native.stdout),
            String::from_utf8_lossy(&native.stderr),
            String::from_utf8_lossy(&wali.stdout),
            String::from_utf8_lossy(&wali.stderr)
        );
    }
}

/// Runs the command as it is.
const PLAIN: &str = r#"exec "$@""#;
/// Starts the command with SIGPIPE ignored (inherited, as from a shell
/// that ignores it).
const PIPE_IGNORED: &str = r#"trap '' PIPE; exec "$@""#;
/// `CMD | head -n 3`, under a time limit, and the writer's status.
const INTO_HEAD: &str = r#"timeout 60 "$@" | head -n 3; echo "writer status ${PIPESTATUS[0]}""#;

each_mode!(libc_sigpipe_ignore, |mode| libc_check(
    "libc_sigpipe",
    mode,
    PLAIN,
    &["ignore"]
));
each_mode!(libc_sigpipe_default_kills, |mode| {
    libc_check("libc_sigpipe", mode, PLAIN, &["default"]);
    // Killed by the signal (the differential check compared the status).
    let out = run_libc("libc_sigpipe", Some(mode), PLAIN, &["default"]);
    assert_eq!(shell_status(&out), 128 + 13);
});
each_mode!(libc_sigpipe_query, |mode| libc_check(
    "libc_sigpipe",
    mode,
    PLAIN,
    &["query"]
));
each_mode!(libc_sigpipe_inherited_ignore, |mode| {
    libc_check("libc_sigpipe", mode, PIPE_IGNORED, &["query"]);
    let out = run_libc("libc_sigpipe", Some(mode), PIPE_IGNORED, &["query"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("SIGPIPE SIG_IGN"));
});
each_mode!(libc_sigpipe_exec, |mode| {
    libc_check("libc_sigpipe", mode, PLAIN, &["exec"]);
    libc_check("libc_sigpipe", mode, PIPE_IGNORED, &["exec"]);
});
each_mode!(libc_sigpipe_yes_head, |mode| libc_check(
    "libc_sigpipe",
    mode,
    INTO_HEAD,
    &["yes"]
));
each_mode!(libc_sigpipe_handler, |mode| libc_check(
    "libc_sigpipe",
    mode,
    PLAIN,
    &["handler1"]
));
each_mode!(libc_time64, |mode| libc_check(
    "libc_time64",
    mode,
    PLAIN,
    &[]
));
each_mode!(libc_pselect, |mode| libc_check(
    "libc_pselect",
    mode,
    PLAIN,
    &[]
));
each_mode!(libc_timespec, |mode| libc_check(
    "libc_timespec",
    mode,
    PLAIN,
    &[]
));

// --- The engine's own output ----------------------------------------------

/// Runs `iwasm ARGS` with stdout or stderr a pipe whose reader is gone.
fn engine_closed(args: &[&OsStr], closed_stdout: bool) -> Output {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let mut cmd = Command::new(support::iwasm());
    cmd.args(args).stdin(Stdio::null());
    if closed_stdout {
        cmd.stdout(writer).stderr(Stdio::piped());
    } else {
        cmd.stderr(writer).stdout(Stdio::piped());
    }
    cmd.output().unwrap()
}

#[test]
fn engine_help_to_closed_pipe() {
    for flag in ["--help", "--version"] {
        let out = engine_closed(&[OsStr::new(flag)], true);
        assert_eq!(
            shell_status(&out),
            0,
            "{flag}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            out.stderr.is_empty(),
            "{flag}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn engine_errors_to_closed_pipe() {
    // A bad flag: usage on stderr, status 2.
    let out = engine_closed(&[OsStr::new("--no-such-flag")], false);
    assert_eq!(shell_status(&out), 2);
    // A missing file: status 1.
    let out = engine_closed(&[OsStr::new("/nonexistent.wasm")], false);
    assert_eq!(shell_status(&out), 1);
}

// A trap's messages (WAMR's call stack, the engine's line) to a closed
// stderr: the trap's status, not death by SIGPIPE.
each_mode!(engine_trap_to_closed_pipe, |mode| {
    let module = module_in(&support::wasm_of("trap"), mode);
    let mut args: Vec<&OsStr> = mode.flag().map(OsStr::new).into_iter().collect();
    args.push(module.as_os_str());
    args.push(OsStr::new("1")); // `unreachable`
    let out = engine_closed(&args, false);
    assert_eq!(out.status.code(), Some(134)); // a trap's status
});
