//! The syscall trace (`--trace[=FILE]`, `-v=5`) and `--trace-summary`, in
//! every engine mode: each traced guest still behaves as its native build
//! (status and stdout), and its trace shows the calls it made.
mod support;

use std::process::{Command, Output};
use std::time::Duration;
use support::{
    case, fresh_dir, libc_program, module_in, native_run, run_with, shell_status, wali_run, Mode,
};

/// One test per engine mode: `each_mode!(name, |mode| ...)`.
macro_rules! each_mode {
    ($name:ident, $body:expr) => {
        mod $name {
            use super::*;
            #[test]
            fn interp() {
                ($body)(Mode::Interp)
            }
            #[test]
            fn fast_jit() {
                ($body)(Mode::FastJit)
            }
            #[test]
            fn aot() {
                ($body)(Mode::Aot)
            }
        }
    };
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Runs `src` (a tests/c program over walitest.h) natively and under the
/// engine with `flags`; both must end alike. The engine's output.
fn traced(src: &'static str, mode: Mode, flags: &[&str]) -> Output {
    traced_case(case(src), mode, flags)
}

/// [`traced`] for a case with arguments.
fn traced_case(mut c: support::Case, mode: Mode, flags: &[&str]) -> Output {
    let src = c.src;
    c.engine_flags = flags.iter().map(|f| f.to_string()).collect();
    let native = native_run(&c);
    let wali = wali_run(&c, mode);
    assert_eq!(
        (shell_status(&native), text(&native.stdout)),
        (shell_status(&wali), text(&wali.stdout)),
        "{src} [{}] traced differs from native; stderr:\n{}",
        mode.name(),
        text(&wali.stderr)
    );
    wali
}

/// The line of `trace` that contains every one of `parts`.
fn line_with<'a>(trace: &'a str, parts: &[&str]) -> &'a str {
    trace
        .lines()
        .find(|l| parts.iter().all(|p| l.contains(p)))
        .unwrap_or_else(|| panic!("no trace line with {parts:?} in:\n{trace}"))
}

/// The thread id a trace line starts with (`[1234] ...`).
fn tid_of(line: &str) -> u32 {
    let inner = line
        .strip_prefix('[')
        .and_then(|l| l.split_once(']'))
        .unwrap_or_else(|| panic!("no thread id in {line:?}"))
        .0;
    inner
        .parse()
        .unwrap_or_else(|_| panic!("bad thread id in {line:?}"))
}

/// A libc program under the engine with `flags`, and natively: the same
/// status and stdout. The engine's output.
fn libc_traced(src: &'static str, mode: Mode, flags: &[&str]) -> Output {
    let (wasm, native) = libc_program(src);
    let dir = fresh_dir(&format!("{src}-{}", mode.name()));
    let limit = Duration::from_secs(120);
    let mut cmd = Command::new(&native);
    cmd.current_dir(&dir).env_clear();
    let nat = run_with(cmd, b"", limit);
    let mut cmd = Command::new(support::iwasm());
    cmd.args(mode.flag())
        .args(flags)
        .arg(module_in(&wasm, mode))
        .current_dir(&dir)
        .env_clear();
    let out = run_with(cmd, b"", limit);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(
        (shell_status(&nat), text(&nat.stdout)),
        (shell_status(&out), text(&out.stdout)),
        "{src} [{}] traced differs from native; stderr:\n{}",
        mode.name(),
        text(&out.stderr)
    );
    out
}

// A C program: the failed openat with its decoded arguments and errno, the
// write with its buffer quoted and cut, the thread (spawn, and its own
// calls under its own id), the signal, the exit.
each_mode!(calls_threads_signals_exit, |mode: Mode| {
    let out = libc_traced("libc_trace", mode, &["--trace"]);
    let t = text(&out.stderr);
    let open = line_with(&t, &["openat(AT_FDCWD, \"/nonexistent\", O_RDONLY"]);
    assert!(
        open.ends_with(") = -1 ENOENT (No such file or directory)"),
        "{open}"
    );
    let msg = "a line longer than thirty-two bytes, cut in the trace\n";
    let write = line_with(&t, &["write(1, \"a line longer than thirty-two by\"..., "]);
    assert!(
        write.ends_with(&format!(", {}) = {}", msg.len(), msg.len())),
        "{write}"
    );
    let main = tid_of(open);
    let spawn = line_with(&t, &["__wasm_thread_spawn("]);
    let child: u32 = spawn
        .rsplit_once(" = ")
        .and_then(|(_, r)| r.parse().ok())
        .unwrap_or_else(|| panic!("no thread id result: {spawn}"));
    assert_eq!(tid_of(spawn), main);
    assert_ne!(child, main);
    let in_thread = line_with(&t, &["write(1, \"from the thread\\n\", 16) = 16"]);
    assert_eq!(tid_of(in_thread), child, "{in_thread}");
    let sig = line_with(&t, &["--- SIGUSR1 ---"]);
    assert_eq!(tid_of(sig), main);
    let exit = line_with(&t, &["+++ exited with 7 +++"]);
    assert_eq!(tid_of(exit), main);
    // Every line is whole: a thread id, then one call or event.
    for l in t.lines() {
        tid_of(l);
        assert!(l.matches("] ").count() >= 1, "{l}");
    }
});

// -v=5 traces as --trace does.
each_mode!(verbose_5_traces, |mode: Mode| {
    let out = traced("trace_count", mode, &["-v=5"]);
    let t = text(&out.stderr);
    assert_eq!(t.matches("] getppid() = ").count(), 5, "{t}");
    assert_eq!(
        t.matches("] dup(-1) = -1 EBADF (Bad file descriptor)")
            .count(),
        3,
        "{t}"
    );
    line_with(&t, &["+++ exited with 0 +++"]);
});

// Bad pointers and huge lengths: the engine traces them without crashing,
// showing the address it could not read, and the guest sees what a native
// program sees.
each_mode!(hostile_arguments, |mode: Mode| {
    let out = traced("trace_hostile", mode, &["--trace"]);
    let t = text(&out.stderr);
    let bad = "0xfffffff0";
    for parts in [
        vec!["openat(AT_FDCWD, 0xfffffff0, O_RDONLY, 0) = -1 EFAULT (Bad address)"],
        vec!["write(1, 0xfffffff0, 16) = -1 EFAULT"],
        vec!["write(-1, \"abc", ", 2147483647) = -1 EBADF"],
        vec!["stat(0xfffffff0, 0xfffffff0) = -1 EFAULT"],
        vec!["execve(0xfffffff0, 0xfffffff0, 0xfffffff0) ..."],
        vec!["execve(\"/nonexistent-trace\", [\"x\", \"y\"], 0x", ") ..."],
        vec!["execve(\"/nonexistent-trace\", [\"x\", 0xfffffff0], 0xfffffff0) ..."],
        vec!["readlink(0xfffffff0, 0xfffffff0, 4294967295) = -1 EFAULT"],
        vec!["read(-1, ", ", 4294967295) = -1 EBADF"],
        vec!["rename(0xfffffff0, \"x\") = -1 EFAULT"],
        vec!["mmap(0xfffffff0, 4294967295, ", bad],
    ] {
        line_with(&t, &parts);
    }
    assert_eq!(t.matches("<... execve resumed>) = -1 ").count(), 3, "{t}");
    line_with(&t, &["+++ exited with 0 +++"]);
});

// --trace=FILE: the trace goes to the file, and the guest can neither
// write to, inspect, replace nor close the engine's descriptor of it.
each_mode!(trace_file_unreachable, |mode: Mode| {
    let dir = fresh_dir(&format!("trace-file-{}", mode.name()));
    let file = dir.join("trace.txt");
    let flag = format!("--trace={}", file.display());
    let out = traced("trace_fds", mode, &[&flag]);
    // Descriptors the test runner left open are open natively too (the run
    // above compared the two); the trace file's is not among them.
    let stdout = text(&out.stdout);
    let open = stdout.matches("open fd=").count();
    assert!(
        stdout.contains(&format!("open={open}\nreached=0\nreopened=0\n")),
        "{stdout}"
    );
    let err = text(&out.stderr);
    assert!(!err.contains("+++"), "trace on stderr:\n{err}");
    let t = std::fs::read_to_string(&file).expect("the trace file");
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        !t.contains("\nforged"),
        "the guest wrote into the trace:\n{t}"
    );
    // The engine's descriptor is refused by number, and said so.
    let fd = t
        .lines()
        .filter(|l| l.contains("write(") && l.contains("= -1 EBADF"))
        .count();
    assert_eq!(
        fd,
        1021 - open,
        "a write per closed descriptor 3..1023:\n{t}"
    );
    line_with(&t, &["+++ exited with 0 +++"]);
});

// --trace-summary alone: no per-call lines, and a table whose counts are
// the calls made.
each_mode!(summary_counts, |mode: Mode| {
    let out = traced("trace_count", mode, &["--trace-summary"]);
    let t = text(&out.stderr);
    assert!(!t.contains("getppid()"), "lines without --trace:\n{t}");
    let row = |name: &str| -> Vec<String> {
        let l = t
            .lines()
            .find(|l| l.split_whitespace().last() == Some(name))
            .unwrap_or_else(|| panic!("no row {name}:\n{t}"));
        l.split_whitespace().map(str::to_string).collect()
    };
    // % time, seconds, usecs/call, calls, [errors], name
    let getppid = row("getppid");
    assert_eq!(getppid.len(), 5, "{getppid:?}");
    assert_eq!(getppid[3], "5");
    let dup = row("dup");
    assert_eq!(&dup[3..], ["3", "3", "dup"]);
    assert_eq!(row("getpid")[3], "2");
    assert!(t.starts_with("% time     seconds  usecs/call     calls    errors syscall\n"));
    let total = row("total");
    let calls: u64 = t
        .lines()
        .filter(|l| l.starts_with(' ') || l.starts_with('1'))
        .filter(|l| !l.ends_with("total"))
        .filter_map(|l| l.split_whitespace().nth(3)?.parse::<u64>().ok())
        .sum();
    assert_eq!(total[3], calls.to_string(), "{t}");
});

// A forked child that execs a module: the child traces under its own id, and
// the engine its execve starts carries the trace on into the same file
// (appended, not overwritten by the parent's later lines).
each_mode!(fork_exec_carry_the_trace, |mode: Mode| {
    let dir = fresh_dir(&format!("trace-exec-{}", mode.name()));
    let file = dir.join("trace.txt");
    let flag = format!("--trace={}", file.display());
    let c = case("exec_main").args(["fork", "@exe:exec_target"]);
    traced_case(c, mode, &[&flag]);
    let t = std::fs::read_to_string(&file).expect("the trace file");
    let _ = std::fs::remove_dir_all(&dir);
    let child = tid_of(line_with(&t, &["] fork() = 0"]));
    let exec = line_with(&t, &["execve(\"", "\"child\"], 0x"]);
    assert_eq!(tid_of(exec), child, "{t}");
    // The new engine's own calls and end, under the same process id.
    let end = line_with(&t, &["+++ exited with 42 +++"]);
    assert_eq!(tid_of(end), child, "{t}");
    let wait = line_with(&t, &[&format!("wait4({child}, ")]);
    assert!(wait.ends_with(&format!(" = {child}")), "{wait}");
    let parent = tid_of(line_with(&t, &["+++ exited with 0 +++"]));
    assert_eq!(tid_of(wait), parent);
    assert_ne!(parent, child);
});
