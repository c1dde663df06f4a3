//! `wamrc`: compiles WALI modules (enabling multi-thread for shared memory
//! by itself) and refuses bad input with one clear line.

mod support;
use std::process::{Command, Output};
use support::{fresh_dir, shell_status, wamrc, wasm_of};

fn run(args: &[&std::ffi::OsStr]) -> Output {
    Command::new(wamrc())
        .args(args)
        .output()
        .expect("wamrc runs")
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn compiles_shared_memory_module_and_says_so() {
    let out = fresh_dir("wamrc").join("hello.aot");
    let o = run(&["-o".as_ref(), out.as_os_str(), wasm_of("hello").as_os_str()]);
    assert_eq!(shell_status(&o), 0, "{}", err(&o));
    assert!(
        err(&o).contains("multi-thread support enabled"),
        "{}",
        err(&o)
    );
    let bytes = std::fs::read(&out).unwrap();
    assert_eq!(&bytes[..4], b"\0aot");
    assert_eq!(u32::from_le_bytes(bytes[4..8].try_into().unwrap()), 6);
}

#[test]
fn opt_levels_and_bounds_checks_are_accepted() {
    let dir = fresh_dir("wamrc-opt");
    let wasm = wasm_of("hello");
    for flags in [
        ["--opt-level=0", "--bounds-checks=1"],
        ["--opt-level=3", "--size-level=1"],
    ] {
        let out = dir.join("o.aot");
        let mut args: Vec<&std::ffi::OsStr> = flags.iter().map(|f| f.as_ref()).collect();
        args.extend(["-o".as_ref(), out.as_os_str(), wasm.as_os_str()]);
        let o = run(&args);
        assert_eq!(shell_status(&o), 0, "{flags:?}: {}", err(&o));
    }
}

#[test]
fn unreadable_input() {
    let out = fresh_dir("wamrc-e1").join("x.aot");
    let o = run(&["-o".as_ref(), out.as_os_str(), "/no/such.wasm".as_ref()]);
    assert_eq!(shell_status(&o), 1);
    assert_eq!(err(&o).lines().count(), 1, "{}", err(&o));
    assert!(!out.exists());
}

#[test]
fn invalid_module() {
    let dir = fresh_dir("wamrc-e2");
    let bad = dir.join("bad.wasm");
    std::fs::write(&bad, b"\0asm\x01\0\0\0\x01\xff").unwrap();
    let out = dir.join("x.aot");
    let o = run(&["-o".as_ref(), out.as_os_str(), bad.as_os_str()]);
    assert_eq!(shell_status(&o), 1);
    assert!(err(&o).contains("error"), "{}", err(&o));
    assert!(!out.exists());
}

#[test]
fn bad_flag_prints_usage() {
    let o = run(&["--frobnicate".as_ref(), "x.wasm".as_ref()]);
    assert_eq!(shell_status(&o), 2);
    assert!(err(&o).to_lowercase().contains("usage"), "{}", err(&o));
}
