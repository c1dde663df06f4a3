//! The `iwasm` command line: one-line errors a user can act on, usage on a
//! bad flag, traps with the guest call stack, and refusal of bad AoT files.

mod support;
use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;
use support::{aot_of, fresh_dir, iwasm, module_in, run_with, shell_status, wasm_of, Mode};

/// The exit status of a trap (`runtime::TRAP_STATUS`).
const TRAP: i32 = 134;

fn iwasm_run(args: &[&std::ffi::OsStr]) -> Output {
    let mut cmd = Command::new(iwasm());
    cmd.args(args);
    run_with(cmd, b"", Duration::from_secs(60))
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn file_with(name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let p = fresh_dir("cli").join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

#[test]
fn missing_file_is_one_line() {
    let o = iwasm_run(&["/no/such/module.wasm".as_ref()]);
    assert_eq!(shell_status(&o), 1);
    let e = stderr(&o);
    assert_eq!(e.lines().count(), 1, "{e}");
    assert!(e.contains("cannot read /no/such/module.wasm"), "{e}");
}

#[test]
fn unreadable_file() {
    let dir = fresh_dir("cli-dir");
    let o = iwasm_run(&[dir.as_os_str()]);
    assert_eq!(shell_status(&o), 1);
    assert!(stderr(&o).contains("cannot read"), "{}", stderr(&o));
}

#[test]
fn not_wasm_is_refused() {
    let p = file_with("text.wasm", b"#!/bin/sh\necho hi\n");
    let o = iwasm_run(&[p.as_os_str()]);
    assert_eq!(shell_status(&o), 1);
    assert!(
        stderr(&o).contains("not a WebAssembly module or WAMR AoT file"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn invalid_module_reports_the_loader_error() {
    let p = file_with("bad.wasm", b"\0asm\x01\0\0\0\x01\xff\xff\xff");
    let o = iwasm_run(&[p.as_os_str()]);
    assert_eq!(shell_status(&o), 1);
    let e = stderr(&o);
    assert!(e.contains("cannot load module:"), "{e}");
    assert_eq!(e.lines().count(), 1, "{e}");
}

#[test]
fn module_without_start() {
    let p = file_with("empty.wasm", b"\0asm\x01\0\0\0");
    let o = iwasm_run(&[p.as_os_str()]);
    assert_eq!(shell_status(&o), 1);
    assert!(stderr(&o).contains("no `_start`"), "{}", stderr(&o));
}

#[test]
fn bad_flag_prints_usage() {
    let o = iwasm_run(&["--no-such-flag".as_ref(), "x.wasm".as_ref()]);
    assert_eq!(shell_status(&o), 2);
    let e = stderr(&o);
    assert!(
        e.contains("unknown option --no-such-flag") && e.contains("Usage: iwasm"),
        "{e}"
    );
    let o = iwasm_run(&["--stack-size=big".as_ref(), "x.wasm".as_ref()]);
    assert_eq!(shell_status(&o), 2);
}

#[test]
fn help_and_version() {
    let o = iwasm_run(&["--help".as_ref()]);
    assert_eq!(shell_status(&o), 0);
    assert!(String::from_utf8_lossy(&o.stdout).contains("--env-file=PATH"));
    let o = iwasm_run(&["--version".as_ref()]);
    assert_eq!(shell_status(&o), 0);
    assert!(String::from_utf8_lossy(&o.stdout).contains("WAMR 2.4.3"));
}

/// One test per engine mode, `NAME::{interp, fast_jit, aot}`, each calling
/// `check(mode)`.
macro_rules! in_every_mode {
    ($name:ident, $check:ident) => {
        mod $name {
            use super::*;
            #[test]
            fn interp() {
                $check(Mode::Interp);
            }
            #[test]
            fn fast_jit() {
                $check(Mode::FastJit);
            }
            #[test]
            fn aot() {
                $check(Mode::Aot);
            }
        }
    };
}

/// Runs test program `src` under the engine in `mode` with `extra` args.
fn run_in(mode: Mode, src: &str, extra: &[&str]) -> Output {
    let module = module_in(&wasm_of(src), mode);
    let mut args: Vec<&std::ffi::OsStr> =
        mode.flag().into_iter().map(std::ffi::OsStr::new).collect();
    args.push(module.as_os_str());
    args.extend(extra.iter().map(std::ffi::OsStr::new));
    iwasm_run(&args)
}

fn trap_in(mode: Mode, how: &str, expect: &str) {
    let o = run_in(mode, "trap", &[how]);
    assert_eq!(o.status.code(), Some(TRAP), "{}", stderr(&o));
    // The guest's stdout holds only what the guest wrote.
    assert_eq!(String::from_utf8_lossy(&o.stdout), "before trap\n");
    let e = stderr(&o);
    assert!(e.contains(&format!("trap: {expect}")), "{e}");
    if mode != Mode::Aot {
        // Interpreter and fast-JIT name the guest functions on the stack.
        assert!(e.contains("inner_fault") && e.contains("_start"), "{e}");
    }
}

#[test]
fn trap_out_of_bounds_interp() {
    trap_in(Mode::Interp, "0", "out of bounds memory access");
}
#[test]
fn trap_out_of_bounds_fast_jit() {
    trap_in(Mode::FastJit, "0", "out of bounds memory access");
}
#[test]
fn trap_out_of_bounds_aot() {
    trap_in(Mode::Aot, "0", "out of bounds memory access");
}
#[test]
fn trap_unreachable_interp() {
    trap_in(Mode::Interp, "1", "unreachable");
}
#[test]
fn trap_unreachable_aot() {
    trap_in(Mode::Aot, "1", "unreachable");
}

/// Endless guest recursion ends in a trap with the engine's message, never a
/// host crash: the native stack is checked in software (AoT functions check
/// it in their prologue; the interpreter and fast JIT run out of wasm stack
/// first). `how` 2: on the main thread; 3: with a syscall at every level, so
/// host calls are made at the limit; 4: on a spawned thread, which ends the
/// process.
fn endless_recursion(mode: Mode) {
    let expect = if mode == Mode::Aot {
        "native stack overflow"
    } else {
        "wasm operand stack overflow"
    };
    for how in ["2", "3", "4"] {
        let o = run_in(mode, "trap", &[how]);
        let e = stderr(&o);
        assert_eq!(o.status.code(), Some(TRAP), "{how}: {e}");
        assert_eq!(String::from_utf8_lossy(&o.stdout), "before trap\n");
        assert!(e.contains(expect), "{how}: {e}");
    }
}
in_every_mode!(endless_recursion_traps, endless_recursion);

/// A script tells a trap from the guest's own `exit(1)` and from death by a
/// signal: a trap exits with 134 (not a signal), `exit(1)` with 1, and a
/// guest that kills itself with SIGABRT dies of SIGABRT (no status).
fn trap_exit_signal(mode: Mode) {
    let o = run_in(mode, "trap", &["1"]);
    assert_eq!(o.status.code(), Some(TRAP), "{}", stderr(&o));
    let o = run_in(mode, "exit", &["group", "1"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(String::from_utf8_lossy(&o.stdout), "before exit\n");
    let o = run_in(mode, "exit", &["return", "134"]);
    assert_eq!(o.status.code(), Some(134), "{}", stderr(&o));
    assert!(!stderr(&o).contains("trap"), "{}", stderr(&o));
    let o = run_in(mode, "trap", &["5"]);
    use std::os::unix::process::ExitStatusExt;
    assert_eq!(o.status.code(), None, "{}", stderr(&o));
    assert_eq!(o.status.signal(), Some(6), "{}", stderr(&o));
    assert!(!stderr(&o).contains("trap"), "{}", stderr(&o));
    // The same seen from a shell: `$?` is 134 for the trap and for SIGABRT,
    // 1 for exit(1); `kill -l` of the signal death names ABRT.
    let module = module_in(&wasm_of("trap"), mode);
    let flag = mode.flag().unwrap_or("");
    let script = format!(
        "{iw} {flag} {m} 1 2>/dev/null; echo trap=$?; {iw} {flag} {m} 5 2>/dev/null; echo sig=$?",
        iw = iwasm().display(),
        m = module.display()
    );
    let o = Command::new("sh").args(["-c", &script]).output().unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("trap=134\n") && out.contains("sig=134\n"),
        "{out}"
    );
}
in_every_mode!(trap_vs_exit_vs_signal, trap_exit_signal);

#[test]
fn truncated_aot_is_refused() {
    let aot = std::fs::read(aot_of(&wasm_of("hello"))).unwrap();
    let p = file_with("cut.aot", &aot[..aot.len() / 2]);
    let o = iwasm_run(&[p.as_os_str()]);
    assert_eq!(shell_status(&o), 1);
    let e = stderr(&o);
    assert!(e.contains("cannot load module:"), "{e}");
}

#[test]
fn aot_of_another_format_version_is_refused() {
    let mut aot = std::fs::read(aot_of(&wasm_of("hello"))).unwrap();
    assert_eq!(&aot[..4], b"\0aot");
    assert_eq!(
        u32::from_le_bytes(aot[4..8].try_into().unwrap()),
        6,
        "AoT format version"
    );
    aot[4] = 5;
    let p = file_with("old.aot", &aot);
    let o = iwasm_run(&[p.as_os_str()]);
    assert_eq!(shell_status(&o), 1);
    let e = stderr(&o);
    assert!(
        e.contains("cannot load module:") && e.contains("version"),
        "{e}"
    );
}

#[test]
fn aot_runs_and_matches_interp() {
    let wasm = wasm_of("hello");
    let aot = aot_of(&wasm);
    assert!(Path::new(&aot).exists());
    let a = iwasm_run(&[aot.as_os_str()]);
    let i = iwasm_run(&["--interp".as_ref(), wasm.as_os_str()]);
    assert_eq!((shell_status(&a), &a.stdout), (shell_status(&i), &i.stdout));
    assert_eq!(String::from_utf8_lossy(&a.stdout), "hello, wali\n");
}

fn longjmp_in(mode: Mode) {
    let o = run_in(mode, "longjmp", &[]);
    assert_eq!(shell_status(&o), 253, "{}", stderr(&o));
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "setjmp=0\nsigsetjmp=0\n"
    );
    assert!(
        stderr(&o).contains("has no setjmp to return to"),
        "{}",
        stderr(&o)
    );
}

in_every_mode!(longjmp_ends_clearly, longjmp_in);

/// Host calls into the guest by table index (`env.invoke_*`, a signal
/// handler): every value type passes through, and a mistyped or missing
/// entry traps like a wasm `call_indirect` instead of misusing the host's
/// argument buffer.
fn invoke_in(mode: Mode) {
    let o = run_in(mode, "invoke", &["ok"]);
    assert_eq!(shell_status(&o), 0, "{}", stderr(&o));
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "iii=42\nddjf x1000=1649267441664250\njj=9773436690\ncalls=2\n"
    );
    for (how, expect) in [
        ("type", "indirect call type mismatch"),
        ("index", "undefined element"),
        ("handler", "indirect call type mismatch"),
    ] {
        let o = run_in(mode, "invoke", &[how]);
        assert_eq!(o.status.code(), Some(TRAP), "{how}: {}", stderr(&o));
        assert!(
            String::from_utf8_lossy(&o.stdout).starts_with("before\n"),
            "{how}"
        );
        assert!(
            !String::from_utf8_lossy(&o.stdout).contains("not reached"),
            "{how}"
        );
        let e = stderr(&o);
        assert!(e.contains(&format!("trap: {expect}")), "{how}: {e}");
    }
}

in_every_mode!(invoke_checked, invoke_in);

/// The engine has no native-stack guard pages: it runs only AoT code that
/// checks its stack, which wamrc does by default and stamps in the file.
/// Code built with `--stack-bounds-checks=0` is refused with a reason
/// instead of crashing the host on deep recursion; the stamped file runs.
#[test]
fn aot_without_stack_checks_is_refused() {
    let dir = fresh_dir("wamrc-stack");
    let wasm = wasm_of("hello");
    for (flag, runs) in [
        ("--stack-bounds-checks=0", false),
        ("--stack-bounds-checks=1", true),
    ] {
        let out = dir.join("o.aot");
        support::wamrc_with(&[flag], &wasm, &out);
        let o = iwasm_run(&[out.as_os_str()]);
        if runs {
            assert_eq!(shell_status(&o), 0, "{flag}: {}", stderr(&o));
        } else {
            assert_eq!(shell_status(&o), 1, "{flag}: {}", stderr(&o));
            assert!(
                stderr(&o).contains("compiled without native stack checks"),
                "{}",
                stderr(&o)
            );
        }
    }
}

/// `run_in` with iwasm flags before the module.
fn run_flags_in(mode: Mode, src: &str, flags: &[&str]) -> Output {
    let module = module_in(&wasm_of(src), mode);
    let mut args: Vec<&std::ffi::OsStr> =
        mode.flag().into_iter().map(std::ffi::OsStr::new).collect();
    args.extend(flags.iter().map(std::ffi::OsStr::new));
    args.push(module.as_os_str());
    iwasm_run(&args)
}

/// A module built for the host-side setjmp of older reference toolchains
/// (imports `wali.setjmp`, `wali.sigsetjmp`, `wali.longjmp`): at `-v=1`
/// and above one line per such import says it is a stub and why; the
/// longjmp still ends the process with its message; the default verbosity
/// (warnings only) and `-v=0` are quiet.
fn sjlj_stubs_in(mode: Mode) {
    for flags in [&["-v=1"][..], &["-v=3"][..]] {
        let o = run_flags_in(mode, "longjmp", flags);
        assert_eq!(shell_status(&o), 253, "{}", stderr(&o));
        let e = stderr(&o);
        for name in ["setjmp", "sigsetjmp", "longjmp"] {
            let lines: Vec<&str> = e
                .lines()
                .filter(|l| {
                    l.starts_with(&format!("[wali] import wali.{name} is linked to a stub"))
                })
                .collect();
            assert_eq!(lines.len(), 1, "{name} {flags:?}: {e}");
        }
        assert!(e.contains("has no setjmp to return to"), "{e}");
    }
    for quiet in [&[][..], &["-v=0"][..]] {
        let o = run_flags_in(mode, "longjmp", quiet);
        assert_eq!(shell_status(&o), 253);
        assert!(!stderr(&o).contains("[wali]"), "{}", stderr(&o));
    }
    // A module without those imports says nothing of them.
    let o = run_flags_in(mode, "hello", &["-v=1"]);
    assert_eq!(shell_status(&o), 0);
    assert!(!stderr(&o).contains("linked to a stub"), "{}", stderr(&o));
}

in_every_mode!(sjlj_stub_imports_are_named, sjlj_stubs_in);

/// `--env-file` naming a missing file or a directory: one line naming the
/// file, status 1, and the guest never starts.
#[test]
fn env_file_missing_or_directory() {
    let dir = fresh_dir("cli-envfile");
    let missing = dir.join("no-such.env");
    let wasm = wasm_of("env");
    for (path, why) in [
        (missing.as_path(), "No such file"),
        (dir.as_path(), "is a directory"),
    ] {
        let mut flag = std::ffi::OsString::from("--env-file=");
        flag.push(path);
        let o = iwasm_run(&[flag.as_os_str(), wasm.as_os_str()]);
        assert_eq!(shell_status(&o), 1, "{}", stderr(&o));
        let e = stderr(&o);
        assert_eq!(e.lines().count(), 1, "{e}");
        assert!(
            e.contains(&*path.to_string_lossy()) && e.contains(why),
            "{e}"
        );
        assert!(o.stdout.is_empty());
    }
}

/// An AoT file is native code: iwasm refuses one that another user owns or
/// that other users could have rewritten (group/other write), and runs the
/// same bytes once the file is the user's own and not writable by others.
#[test]
fn aot_files_others_could_write_are_refused() {
    use std::os::unix::fs::PermissionsExt;
    let dir = fresh_dir("aot-trust");
    let out = dir.join("o.aot");
    support::wamrc_with(&[], &wasm_of("hello"), &out);
    let set = |mode: u32| {
        std::fs::set_permissions(&out, std::fs::Permissions::from_mode(mode)).expect("chmod")
    };
    for mode in [0o666, 0o646, 0o664] {
        set(mode);
        let o = iwasm_run(&[out.as_os_str()]);
        assert_eq!(shell_status(&o), 1, "{mode:o}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("refusing an AoT file that is writable by other users"),
            "{}",
            stderr(&o)
        );
        assert!(o.stdout.is_empty());
    }
    set(0o644);
    let o = iwasm_run(&[out.as_os_str()]);
    assert_eq!(shell_status(&o), 0, "{}", stderr(&o));
    // Owned by another user (only root can hand a file over).
    if std::process::Command::new("chown")
        .arg("65534")
        .arg(&out)
        .status()
        .is_ok_and(|s| s.success())
    {
        let o = iwasm_run(&[out.as_os_str()]);
        assert_eq!(shell_status(&o), 1, "{}", stderr(&o));
        assert!(
            stderr(&o).contains("is owned by another user"),
            "{}",
            stderr(&o)
        );
    } else {
        eprintln!("aot_files_others_could_write_are_refused: not root, ownership case skipped");
    }
}

/// Every reference-engine flag this engine does not take gets one line
/// naming it and why, with status 2, before the module runs (no usage
/// text: the flag is known, just not offered); `-h` lists them. (`--dir`
/// and `--timeout` are this engine's own: tests/sandbox.rs.)
#[test]
fn reference_flags_refused_in_one_line() {
    let module = wasm_of("hello");
    let flags: &[&[&str]] = &[
        &["--repl"],
        &["--map-dir=/g::/tmp"],
        &["--addr-pool=127.0.0.1/8"],
        &["--allow-resolve=*"],
        &["--disable-bounds-checks"],
        &["--llvm-jit"],
        &["--multi-tier-jit"],
        &["--llvm-jit-size-level=3"],
        &["--llvm-jit-opt-level=3"],
        &["--enable-segue"],
        &["--native-lib=x.so"],
        &["--module-path=."],
        &["-g=127.0.0.1:0"],
        &["--gen-prof-file=p"],
        &["--gc-heap-size=65536"],
        &["--wasi-nn-graph=x"],
    ];
    let help = iwasm_run(&["-h".as_ref()]);
    let help = String::from_utf8_lossy(&help.stdout).into_owned();
    for f in flags {
        let mut args: Vec<&std::ffi::OsStr> = f.iter().map(std::ffi::OsStr::new).collect();
        args.push(module.as_os_str());
        let o = iwasm_run(&args);
        let e = stderr(&o);
        let name = f[0].split('=').next().unwrap();
        assert_eq!(shell_status(&o), 2, "{f:?}: {e}");
        assert!(o.stdout.is_empty(), "{f:?} ran the module");
        assert_eq!(e.lines().count(), 1, "{f:?}: {e}");
        let why = e
            .strip_prefix(&format!("iwasm: {name}: not supported by this engine: "))
            .unwrap_or_else(|| panic!("{f:?}: {e}"));
        assert!(why.trim().len() > 20, "{f:?}: no reason: {e}");
        assert!(help.contains(name), "-h does not list {name}");
    }
}

/// `--env KEY` / `--env=KEY` without a value pass KEY with its value in
/// iwasm's own environment, as wasmtime does; a KEY unset there is not
/// passed; other variables of iwasm's environment stay out. Compared with
/// the native build given exactly the inherited variables.
fn env_inherit_in(mode: Mode) {
    let vars = [("WALI_T_A", "one"), ("WALI_T_B", "b=2 x")];
    let mut native = Command::new(support::native_of("env"));
    native.env_clear().envs(vars);
    let want = run_with(native, b"", Duration::from_secs(60));
    assert_eq!(shell_status(&want), 0);
    let module = module_in(&wasm_of("env"), mode);
    let mut cmd = Command::new(iwasm());
    cmd.args(mode.flag())
        .args([
            "--env",
            "WALI_T_A",
            "--env=WALI_T_B",
            "--env",
            "WALI_T_UNSET",
        ])
        .arg(&module)
        .env_clear()
        .envs(vars)
        .env("WALI_T_OTHER", "not passed");
    let got = run_with(cmd, b"", Duration::from_secs(60));
    assert_eq!(shell_status(&got), 0, "{}", stderr(&got));
    assert_eq!(
        String::from_utf8_lossy(&got.stdout),
        String::from_utf8_lossy(&want.stdout)
    );
    assert!(String::from_utf8_lossy(&got.stdout).contains("WALI_T_B=b=2 x\n"));
}
in_every_mode!(env_inherit, env_inherit_in);

/// `-f NAME ARGS` (the reference engine's flag): calls the export NAME of
/// tests/c/cli_function.c with ARGS parsed by its parameter types (C's
/// strtoul/strtod, base 0) and prints its results in upstream's format
/// (`wasm_application_execute_func`: `0x%x:i32`, `0x%lx:i64`, `%.7g:f64`)
/// on stdout; WALI calls work inside it (write, getpid, exit_group); a trap
/// is status 134 and the trap line; no such export or bad arguments are
/// status 1 and one line.
fn function_in(mode: Mode) {
    let module = module_in(&wasm_of("cli_function"), mode);
    let path = module.display().to_string();
    let run = |flag: &[&str], args: &[&str]| {
        let mut a: Vec<&std::ffi::OsStr> =
            mode.flag().into_iter().map(std::ffi::OsStr::new).collect();
        a.extend(flag.iter().map(std::ffi::OsStr::new));
        a.push(module.as_os_str());
        a.extend(args.iter().map(std::ffi::OsStr::new));
        iwasm_run(&a)
    };
    let ok: &[(&[&str], &[&str], i32, &str)] = &[
        (&["-f", "add"], &["2", "40"], 0, "0x2a:i32\n"),
        (&["--function", "add"], &["0x10", "-1"], 0, "0xf:i32\n"),
        (&["--function=add"], &["-2", "1"], 0, "0xffffffff:i32\n"),
        (&["-f", "half"], &["3"], 0, "1.5:f64\n"),
        (&["-f", "half"], &["1e-3"], 0, "0.0005:f64\n"),
        (&["-f", "half"], &["-inf"], 0, "-inf:f64\n"),
        (&["-f", "half"], &["2.000000000002"], 0, "1:f64\n"),
        (
            &["-f", "wide"],
            &["-1", "0.5"],
            0,
            "0xffffffffffffffff:i64\n",
        ),
        (
            &["-f", "wide"],
            &["0x100000000", "2.5"],
            0,
            "0x100000002:i64\n",
        ),
        (&["-f", "greet"], &[], 0, "hi from greet\n0xe:i32\n"),
        // A function with no results prints an empty line, as upstream.
        (&["-f", "nothing"], &[], 0, "\n"),
        // exit_group inside the function ends the process with its status.
        (&["-f", "quit"], &["7"], 7, ""),
    ];
    for (flag, args, status, out) in ok {
        let o = run(flag, args);
        let what = format!("{flag:?} {args:?}: {}", stderr(&o));
        assert_eq!(shell_status(&o), *status, "{what}");
        assert_eq!(String::from_utf8_lossy(&o.stdout), *out, "{what}");
        assert!(o.stderr.is_empty(), "{what}");
    }
    let bad: &[(&[&str], &str)] = &[
        (&["nope"], "lookup function nope failed"),
        (
            &["add", "1"],
            "invalid input argument count: add takes 2, 1 given",
        ),
        (&["add", "1", "x"], "invalid input argument 1: x"),
        (&["add", "1", ""], "invalid input argument 1"),
        (&["half", "1.5.2"], "invalid input argument 0: 1.5.2"),
    ];
    for (args, msg) in bad {
        let o = run(&["-f", args[0]], &args[1..]);
        assert_eq!(shell_status(&o), 1, "{args:?}: {}", stderr(&o));
        assert!(o.stdout.is_empty(), "{args:?}");
        assert_eq!(stderr(&o), format!("iwasm: {path}: {msg}\n"), "{args:?}");
    }
    let o = run(&["-f", "boom"], &[]);
    let e = stderr(&o);
    assert_eq!(shell_status(&o), TRAP, "{e}");
    assert!(o.stdout.is_empty(), "{e}");
    let line = format!("iwasm: {path}: trap: unreachable");
    assert!(e.lines().any(|l| l == line), "{e}");
}
in_every_mode!(function, function_in);
