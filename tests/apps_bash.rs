//! GNU Bash (Debian's `bash` source, apps/build-bash.sh) under `iwasm`:
//!
//! * Bash's own test suite (tests/run-*, through apps/test-bash.sh) with the
//!   WALI bash as THIS_SH, in the default mode (fast JIT) and AoT, against
//!   the native build of the same source on the same tests. A test file
//!   that passes natively and fails under the engine fails this test unless
//!   apps/bash/known-failures.txt lists it with its reason. CI runs the
//!   subset CI_TESTS (the whole suite takes too long for CI under the
//!   engine on two cores); `WALI_BASH_FULL=1` (or `make bash-check`) runs
//!   them all.
//! * An interactive session over a pseudo-terminal (apps/bash/pty-session.py):
//!   readline editing, job control (`&`, `jobs`, Ctrl-Z, `fg`, Ctrl-C), and
//!   WALI programs run by path from the shell.

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use support::{aot_of, build_once, sysroot, Mode, ROOT};

/// The test files CI runs (about 5 minutes per engine mode on the 2-core
/// machine): fork/exec, pipes, redirections, here-documents, coprocesses,
/// traps and signals, job control, arithmetic, expansions, arrays,
/// functions, builtins.
const CI_TESTS: &[&str] = &[
    "alias", "arith", "array", "braces", "case", "casemod", "comsub", "cond", "coproc", "dollars",
    "errors", "func", "getopts", "heredoc", "herestr", "ifs", "jobs", "lastpipe", "more-exp",
    "nquote", "posixexp", "procsub", "quote", "redir", "rsh", "set-e", "shopt", "strip", "tilde",
    "trap", "type", "varenv", "vredir",
];

fn built() {
    static DONE: OnceLock<()> = OnceLock::new();
    sysroot();
    build_once(&DONE, "apps/build-bash.sh");
}

fn apps_dir() -> PathBuf {
    Path::new(ROOT).join("build/apps")
}

/// apps/bash/known-failures.txt: test name -> reason, for the given mode
/// (a line `NAME MODES REASON`, MODES `all` or a comma list of jit,aot,interp).
fn known_failures(mode: &str) -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(Path::new(ROOT).join("apps/bash/known-failures.txt"))
        .expect("apps/bash/known-failures.txt");
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let mut f = l.splitn(3, char::is_whitespace);
            let (name, modes, reason) = (f.next()?, f.next()?, f.next().unwrap_or("").trim());
            assert!(!reason.is_empty(), "known-failures: {name} has no reason");
            (modes == "all" || modes.split(',').any(|m| m == mode))
                .then(|| (name.to_string(), reason.to_string()))
        })
        .collect()
}

/// Runs apps/test-bash.sh in MODE on `tests`: name -> pass|fail|timeout.
fn suite(mode: &str, tests: &[String]) -> BTreeMap<String, String> {
    built();
    let mut cmd = Command::new("bash");
    cmd.arg(Path::new(ROOT).join("apps/test-bash.sh"))
        .arg(mode)
        .args(tests)
        .current_dir(ROOT);
    if let Some(i) = std::env::var_os("WALI_IWASM") {
        cmd.env("WALI_IWASM", i);
    } else {
        cmd.env("WALI_IWASM", support::iwasm());
    }
    if mode == "aot" {
        // The AoT file the other tests use, compiled once per content.
        let aot = aot_of(&apps_dir().join("bash.wasm"));
        cmd.env("BASH_AOT", aot);
    }
    let out = cmd.output().expect("apps/test-bash.sh");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "test-bash.sh {mode}: {text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    text.lines()
        .filter_map(|l| {
            let mut f = l.split_whitespace();
            Some((f.next()?.to_string(), f.next()?.to_string()))
        })
        .collect()
}

fn chosen() -> Vec<String> {
    if std::env::var_os("WALI_BASH_FULL").is_some() {
        return vec![];
    }
    CI_TESTS.iter().map(|s| s.to_string()).collect()
}

/// The suite in `mode` against the native reference.
fn check_suite(mode: &str) {
    let tests = chosen();
    let native = suite("native", &tests);
    let wali = suite(mode, &tests);
    let known = known_failures(mode);
    assert!(!native.is_empty(), "no test ran");
    let mut unexpected = vec![];
    for (name, n) in &native {
        let w = wali.get(name).map_or("missing", String::as_str);
        if n == "pass" && w != "pass" && !known.contains_key(name) {
            unexpected.push(format!("{name}: {w} (passes natively)"));
        }
        if w == "pass" && known.contains_key(name) {
            eprintln!("note: {name} is in known-failures.txt but passes in {mode}");
        }
    }
    eprintln!("{mode}: {wali:?}");
    assert!(
        unexpected.is_empty(),
        "bash's tests failing under the engine ({mode}), not in apps/bash/known-failures.txt (outputs in build/apps/bash-tests/{mode}/):\n{}",
        unexpected.join("\n")
    );
}

#[test]
fn suite_jit() {
    check_suite("jit");
}

#[test]
fn suite_aot() {
    check_suite("aot");
}

/// A small WALI `cat` (apps/bash/wcat.c, built by apps/build-bash.sh) the
/// session runs by path.
fn wcat() -> PathBuf {
    apps_dir().join("wcat.wasm")
}

/// The session with `shell`; `wali`: it also runs WALI programs by path
/// (a native bash cannot: the kernel does not run a module by itself
/// without a binfmt_misc entry, which tests must not register).
fn pty_session(shell: Vec<String>, wali: bool) {
    built();
    let hello = Path::new(ROOT).join("build/hello.wasm");
    if wali && !hello.exists() {
        support::build(
            Command::new("make").arg("hello").current_dir(ROOT),
            "make hello",
        );
    }
    let (hello, cat) = if wali {
        (hello, wcat())
    } else {
        ("-".into(), "-".into())
    };
    let out = Command::new("python3")
        .arg(Path::new(ROOT).join("apps/bash/pty-session.py"))
        .args(&shell)
        .arg("--")
        .arg(&hello)
        .arg(&cat)
        .output()
        .expect("python3");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && text.trim_end().ends_with("ok"),
        "{shell:?}: {text}"
    );
}

fn engine_shell(mode: Mode) -> Vec<String> {
    let wasm = apps_dir().join("bash.wasm");
    let file = match mode {
        Mode::Aot => aot_of(&wasm),
        _ => wasm,
    };
    let iwasm = std::env::var_os("WALI_IWASM").map_or_else(support::iwasm, PathBuf::from);
    let mut v = vec![iwasm.display().to_string()];
    v.extend(mode.flag().map(str::to_string));
    v.push("--inherit-env".into());
    v.push(file.display().to_string());
    v
}

#[test]
fn pty_native() {
    built();
    pty_session(
        vec![apps_dir().join("bash.native").display().to_string()],
        false,
    );
}

#[test]
fn pty_interp() {
    built();
    pty_session(engine_shell(Mode::Interp), true);
}

#[test]
fn pty_fast_jit() {
    built();
    pty_session(engine_shell(Mode::FastJit), true);
}

#[test]
fn pty_aot() {
    built();
    pty_session(engine_shell(Mode::Aot), true);
}
