//! Modules that use Wasm exception handling, as the reference toolchain
//! builds them (`-fwasm-exceptions`: setjmp/longjmp through `throw` and
//! `try`/`catch`). WAMR runs the legacy exception-handling proposal in its
//! classic interpreter only: the engine picks that mode for such a module
//! (saying why at -v>=1), refuses `--fast-jit` for it in one line, and our
//! `wamrc` refuses to compile it in one line.
//!
//! The program is tests/c/libc_eh_sjlj.c built with `./wali-cc
//! -fwasm-exceptions` (musl from `make sysroot`) and natively with gcc:
//! same status and stdout.

mod support;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;
use support::{fresh_dir, iwasm, libc_program_with, run_with, shell_status};

const SRC: &str = "libc_eh_sjlj";

/// The WALI module (built with exception handling) and the native program,
/// once per test process.
fn program() -> (PathBuf, PathBuf) {
    libc_program_with(SRC, &["-fwasm-exceptions"])
}

fn iwasm_with(flags: &[&str], module: &Path, args: &[&str]) -> Output {
    let mut cmd = Command::new(iwasm());
    cmd.args(flags)
        .arg(module)
        .args(args)
        .current_dir(fresh_dir("eh"))
        .env_clear();
    run_with(cmd, b"", Duration::from_secs(120))
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Section ids of a module (enough to see a tag section, id 13).
fn section_ids(m: &[u8]) -> Vec<u8> {
    let mut ids = Vec::new();
    let mut pos = 8;
    while pos < m.len() {
        ids.push(m[pos]);
        pos += 1;
        let (mut len, mut shift) = (0usize, 0);
        loop {
            let b = m[pos];
            pos += 1;
            len |= ((b & 0x7f) as usize) << shift;
            shift += 7;
            if b & 0x80 == 0 {
                break;
            }
        }
        pos += len;
    }
    ids
}

/// The module really is built the reference toolchain's way: a tag section
/// and no `env.invoke_*` trampolines of the Emscripten-style lowering.
#[test]
fn module_uses_exception_handling() {
    let bytes = std::fs::read(&program().0).unwrap();
    assert!(section_ids(&bytes).contains(&13), "no tag section");
    assert!(
        !bytes.windows(7).any(|w| w == b"invoke_"),
        "the module still imports invoke_* trampolines"
    );
}

fn same_as_native(flags: &[&str]) -> Output {
    let (wasm, native) = program();
    let mut cmd = Command::new(native);
    cmd.current_dir(fresh_dir("eh-native")).env_clear();
    let n = run_with(cmd, b"", Duration::from_secs(60));
    let w = iwasm_with(flags, &wasm, &[]);
    assert_eq!(
        (shell_status(&n), String::from_utf8_lossy(&n.stdout)),
        (shell_status(&w), String::from_utf8_lossy(&w.stdout)),
        "native vs iwasm {flags:?}; iwasm stderr:\n{}",
        stderr(&w)
    );
    assert_eq!(shell_status(&n), 3);
    w
}

/// `--interp`: runs as natively, and says nothing about the mode.
#[test]
fn runs_in_the_interpreter() {
    let w = same_as_native(&["--interp"]);
    assert!(!stderr(&w).contains("exception handling"), "{}", stderr(&w));
}

/// No mode flag: the engine picks the interpreter. It says why in one line
/// at `-v=1` and above; the default verbosity (warnings only) and `-v=0`
/// say nothing, so reference-built binaries run quietly.
#[test]
fn default_mode_picks_the_interpreter() {
    let w = same_as_native(&["-v=1"]);
    let e = stderr(&w);
    let lines: Vec<&str> = e
        .lines()
        .filter(|l| l.contains("exception handling"))
        .collect();
    assert_eq!(lines.len(), 1, "{e}");
    assert!(lines[0].contains("interpreter"), "{e}");
    for quiet in [&[][..], &["-v=0"][..]] {
        let w = same_as_native(quiet);
        assert!(!stderr(&w).contains("exception handling"), "{}", stderr(&w));
    }
}

/// `--fast-jit` given explicitly: refused in one line, status 1, nothing run.
#[test]
fn forced_fast_jit_is_refused() {
    let o = iwasm_with(&["--fast-jit"], &program().0, &[]);
    let e = stderr(&o);
    assert_eq!(shell_status(&o), 1, "{e}");
    assert!(o.stdout.is_empty());
    assert_eq!(e.lines().count(), 1, "{e}");
    assert!(
        e.contains("exception handling") && e.contains("fast-JIT") && e.contains("--interp"),
        "{e}"
    );
}

/// Our `wamrc` refuses to compile it, in one line naming the reason, and
/// writes no file.
#[test]
fn wamrc_refuses_it() {
    let out = fresh_dir("eh-wamrc").join("x.aot");
    let o = Command::new(support::wamrc())
        .arg("-o")
        .arg(&out)
        .arg(&program().0)
        .output()
        .unwrap();
    let e = stderr(&o);
    assert!(!o.status.success());
    assert!(!out.exists());
    assert_eq!(e.lines().count(), 1, "{e}");
    assert!(e.contains("exception handling") && e.contains("AoT"), "{e}");
}

/// A jump that no frame catches (a jmp_buf never set: every setjmp on the
/// stack passes it on) ends in a trap (status 134), not a host crash.
#[test]
fn uncaught_jump_traps() {
    let o = iwasm_with(&[], &program().0, &["stale"]);
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(134), "{e}");
    assert!(e.contains("trap:") && e.contains("exception"), "{e}");
}
