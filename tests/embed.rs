//! `libwali.a` from C: tests/embed/embed.c, an ordinary WAMR embedding that
//! uses only `wasm_export.h` and `include/wali.h`, is linked with
//! `libwali.a` and WAMR's static library, and runs WALI modules.

mod support;
use std::path::{Path, PathBuf};
use std::process::Command;
use support::{run_with, shell_status, wasm_of, work_dir, ROOT};

fn embed_binary() -> PathBuf {
    static BIN: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BIN.get_or_init(|| {
        let lib = Path::new(ROOT).join("target/release/libwali.a");
        assert!(
            lib.exists(),
            "{} is missing: run `cargo build --release` (make test does)",
            lib.display()
        );
        let out = work_dir().join(format!("embed-{}", std::process::id()));
        let status = Command::new("gcc")
            .arg("-O1")
            .arg(format!("-I{ROOT}/include"))
            .arg(format!("-I{}", env!("WALI_WAMR_INCLUDE")))
            .arg(Path::new(ROOT).join("tests/embed/embed.c"))
            .arg(&lib)
            .arg(format!("{}/libvmlib.a", env!("WALI_VMLIB_DIR")))
            .args(["-lpthread", "-ldl", "-lm", "-lstdc++", "-o"])
            .arg(&out)
            .status()
            .expect("gcc");
        assert!(status.success(), "linking the C embedding failed");
        out
    })
    .clone()
}

fn run(src: &str, args: &[&str]) -> (i32, String) {
    run_file(&wasm_of(src), args)
}

fn run_file(module: &Path, args: &[&str]) -> (i32, String) {
    let mut cmd = Command::new(embed_binary());
    cmd.arg(module).args(args);
    let out = run_with(cmd, b"", std::time::Duration::from_secs(60));
    (
        shell_status(&out),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn c_embedding_runs_hello() {
    assert_eq!(run("hello", &[]), (0, "hello, wali\n".to_string()));
}

#[test]
fn c_embedding_passes_argv_and_env() {
    let (status, out) = run("argv", &["one", "two"]);
    assert_eq!(status, 0);
    assert_eq!(out, "argc=3\n3:one\n3:two\n");
    let (status, out) = run("env", &[]);
    assert_eq!(status, 0);
    assert_eq!(out, "EMBEDDED=yes\nenvc=1\n");
}

#[test]
fn c_embedding_gets_exit_status() {
    let (status, out) = run("exit", &["group", "7"]);
    assert_eq!((status, out.as_str()), (7, "before exit\n"));
    let (status, _) = run("exit", &["return", "3"]);
    assert_eq!(status, 3);
}

/// `wali_aot_stack_checked` tells AoT files from our `wamrc` (stack checks,
/// stamped) from files built without the checks, which the embedding then
/// refuses (exit 8) rather than run without a stack guard.
#[test]
fn c_embedding_tells_stack_checked_aot_files() {
    let dir = support::fresh_dir("embed-aot");
    for (flag, expect) in [
        ("--stack-bounds-checks=1", 0),
        ("--stack-bounds-checks=0", 8),
    ] {
        let out = dir.join("hello.aot");
        support::wamrc_with(&[flag], &wasm_of("hello"), &out);
        let (status, stdout) = run_file(&out, &[]);
        assert_eq!(status, expect, "{flag}: {stdout}");
    }
}

/// The `libwali.a` that `make iwasm` installs in build/ shows its C API to
/// binutils (thin LTO's embedded bitcode used to make `nm` print "no
/// symbols", because binutils hands such objects to an older LLVM plugin).
#[test]
fn installed_libwali_shows_its_symbols_to_nm() {
    let lib = Path::new(ROOT).join("build/libwali.a");
    assert!(
        lib.exists(),
        "{} is missing: run `make iwasm`",
        lib.display()
    );
    let out = Command::new("nm").arg(&lib).output().expect("nm");
    let text = String::from_utf8_lossy(&out.stdout);
    let err = String::from_utf8_lossy(&out.stderr);
    for sym in [
        "wali_register_natives",
        "wali_link_module",
        "wali_run_start",
    ] {
        assert!(
            text.lines().any(|l| l.ends_with(&format!(" T {sym}"))),
            "nm does not list {sym} as a text symbol; stderr: {err}"
        );
    }
    assert!(!err.contains("plugin"), "nm still reads bitcode: {err}");
}
