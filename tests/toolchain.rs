//! `./wali-cc`, the C compiler driver over the WALI sysroot (`make
//! sysroot`, built by the first test that needs it):
//! * only the imports the toolchain means stay undefined at link time (the
//!   libc's `wali` calls and the `env.invoke_*` trampolines of the setjmp
//!   lowering): a call to a function nothing defines is a link error naming
//!   it, as with a native compiler, so a misspelt call fails the build and
//!   an autoconf link check for a missing function fails;
//! * `-x c` applies to the user's files only (`-x c file.c`, `-x c -`).
//!
//! Programs it builds run in every engine mode.

mod support;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;
use support::{aot_of, fresh_dir, iwasm, run_with, shell_status, sysroot, Mode, ROOT};

/// Runs `./wali-cc args...` in `dir` with `stdin`.
fn wali_cc(dir: &Path, args: &[&str], stdin: &[u8]) -> Output {
    sysroot();
    let mut child = Command::new(Path::new(ROOT).join("wali-cc"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("wali-cc runs");
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

const HELLO: &str = "#include <stdio.h>\nint main(void) { puts(\"hello from -x c\"); return 3; }\n";

/// Runs `wasm` in every mode; each run prints `out` and exits with `status`.
fn runs_everywhere(wasm: &Path, out: &str, status: i32) {
    for mode in [Mode::Interp, Mode::FastJit, Mode::Aot] {
        let file: PathBuf = match mode {
            Mode::Aot => aot_of(wasm),
            _ => wasm.to_path_buf(),
        };
        let mut cmd = Command::new(iwasm());
        cmd.args(mode.flag()).arg(&file);
        let o = run_with(cmd, b"", Duration::from_secs(60));
        assert_eq!(
            shell_status(&o),
            status,
            "[{}] {}",
            mode.name(),
            text(&o.stderr)
        );
        assert_eq!(text(&o.stdout), out, "[{}]", mode.name());
    }
}

/// A call to a function nothing defines is a link error naming it; the same
/// program with the function defined links and runs. The module of a
/// program that uses setjmp/longjmp imports only `wali` functions and
/// `env.invoke_*` trampolines.
#[test]
fn undefined_function_is_a_link_error() {
    let dir = fresh_dir("toolchain-undef");
    let src = "#include <stdio.h>\nint prnitf_typo(const char *);\n\
               int main(void) { return prnitf_typo(\"x\"); }\n";
    std::fs::write(dir.join("typo.c"), src).unwrap();
    let o = wali_cc(&dir, &["-O2", "typo.c", "-o", "typo.wasm"], b"");
    assert!(!o.status.success(), "linked: {}", text(&o.stderr));
    assert!(
        text(&o.stderr).contains("undefined symbol: prnitf_typo"),
        "{}",
        text(&o.stderr)
    );
    assert!(!dir.join("typo.wasm").exists());

    // An autoconf-style link check for a function the libc lacks fails.
    let check = "char GetModuleHandleA(void);\nint main(void) { return GetModuleHandleA(); }\n";
    std::fs::write(dir.join("conftest.c"), check).unwrap();
    let o = wali_cc(&dir, &["conftest.c", "-o", "conftest"], b"");
    assert!(!o.status.success(), "the link check passed");
    assert!(
        text(&o.stderr).contains("GetModuleHandleA"),
        "{}",
        text(&o.stderr)
    );

    // Defined: links and runs.
    let fixed =
        "#include <stdio.h>\nint prnitf_typo(const char *s) { return puts(s) >= 0 ? 4 : 1; }\n\
                 int main(void) { return prnitf_typo(\"x\"); }\n";
    std::fs::write(dir.join("fixed.c"), fixed).unwrap();
    let o = wali_cc(&dir, &["-O2", "fixed.c", "-o", "fixed.wasm"], b"");
    assert!(o.status.success(), "{}", text(&o.stderr));
    runs_everywhere(&dir.join("fixed.wasm"), "x\n", 4);
}

/// The imports a libc program with setjmp/longjmp and threads declares are
/// exactly the toolchain's: `wali.*` and `env.invoke_*`.
#[test]
fn only_the_toolchains_imports_stay_undefined() {
    let dir = fresh_dir("toolchain-imports");
    let src = "#include <setjmp.h>\n#include <stdio.h>\n#include <pthread.h>\n\
               static jmp_buf b;\nstatic void *run(void *a) { return a; }\n\
               int main(void) { pthread_t t; pthread_create(&t, 0, run, 0); pthread_join(t, 0);\n\
               if (!setjmp(b)) { puts(\"set\"); longjmp(b, 1); }\n puts(\"jumped\"); return 0; }\n";
    std::fs::write(dir.join("sj.c"), src).unwrap();
    let o = wali_cc(&dir, &["-O2", "sj.c", "-o", "sj.wasm"], b"");
    assert!(o.status.success(), "{}", text(&o.stderr));
    let wasm = dir.join("sj.wasm");
    let bytes = std::fs::read(&wasm).unwrap();
    let imports = wasm_patch::func_imports(&bytes).expect("a readable module");
    assert!(imports
        .iter()
        .any(|i| i.module == "env" && i.name.starts_with("invoke_")));
    for i in &imports {
        assert!(
            i.module == "wali" || (i.module == "env" && i.name.starts_with("invoke_")),
            "unexpected import {}.{}",
            i.module,
            i.name
        );
    }
    runs_everywhere(&wasm, "set\njumped\n", 0);
}

/// `-x c file` and `-x c -` (source on stdin) compile the user's source as
/// C without applying to crt1.o and the libraries.
#[test]
fn dash_x_c_applies_to_user_files_only() {
    let dir = fresh_dir("toolchain-x");
    std::fs::write(dir.join("hello.txt"), HELLO).unwrap();
    let o = wali_cc(&dir, &["-x", "c", "hello.txt", "-o", "file.wasm"], b"");
    assert!(o.status.success(), "-x c file: {}", text(&o.stderr));
    runs_everywhere(&dir.join("file.wasm"), "hello from -x c\n", 3);
    let o = wali_cc(
        &dir,
        &["-O2", "-x", "c", "-", "-o", "stdin.wasm"],
        HELLO.as_bytes(),
    );
    assert!(o.status.success(), "-x c -: {}", text(&o.stderr));
    runs_everywhere(&dir.join("stdin.wasm"), "hello from -x c\n", 3);
    // -x c then -x none: later files go by their extension again.
    std::fs::write(dir.join("main.c"), HELLO).unwrap();
    let o = wali_cc(
        &dir,
        &["-x", "c", "main.c", "-x", "none", "-o", "none.wasm"],
        b"",
    );
    assert!(o.status.success(), "-x none: {}", text(&o.stderr));
}

/// `-print-sysroot` (as gcc) prints the sysroot the driver compiles against
/// and exits 0: by default the one beside it, which holds the libc and its
/// headers; with `$WALI_SYSROOT`, that one (built or not), and the driver
/// then compiles against it (a missing one is named in its error).
#[test]
fn print_sysroot() {
    let dir = fresh_dir("cc-print-sysroot");
    let o = wali_cc(&dir, &["-print-sysroot"], b"");
    assert_eq!(shell_status(&o), 0, "{}", text(&o.stderr));
    let out = text(&o.stdout);
    let root = Path::new(out.strip_suffix('\n').expect("one line"));
    assert_eq!(root, Path::new(ROOT).join("build/sysroot"));
    assert!(root.join("lib/libc.a").is_file() && root.join("include/stdio.h").is_file());
    let other = dir.join("no-sysroot-here");
    let run = |args: &[&str]| {
        Command::new(Path::new(ROOT).join("wali-cc"))
            .args(args)
            .env("WALI_SYSROOT", &other)
            .current_dir(&dir)
            .output()
            .unwrap()
    };
    let o = run(&["-c", "-print-sysroot"]);
    assert_eq!(shell_status(&o), 0, "{}", text(&o.stderr));
    assert_eq!(text(&o.stdout), format!("{}\n", other.display()));
    // The path printed is the one used: compiling names it as missing.
    let o = run(&["-c", "x.c"]);
    assert_eq!(shell_status(&o), 1);
    assert!(text(&o.stderr).contains(&format!("no sysroot at {}", other.display())));
}
