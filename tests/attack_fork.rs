//! The engine's own mappings, in the process a guest runs in and in the
//! child of a guest `fork` (tests/c/attack_fork_maps.c), read from
//! `/proc/PID/maps` while the guest waits on stdin.
//!
//! A run that never JIT-compiles (an AoT file, `--interp`) has no mapping
//! that is both writable and executable: WAMR's fast-JIT code cache, which
//! WAMR creates in every mode, is mapped without execute permission there
//! (wamr-sys/cmake/wali_jit.c). Under fast-JIT the cache is writable and
//! executable, which the test also checks, so it sees such a mapping when
//! there is one.

mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};
use support::{iwasm, module_in, wasm_of, Mode};

/// The lines of `/proc/PID/maps` whose permissions are `rwx`.
fn rwx_mappings(pid: u32) -> Vec<String> {
    let maps = std::fs::read_to_string(format!("/proc/{pid}/maps"))
        .unwrap_or_else(|e| panic!("/proc/{pid}/maps: {e}"));
    maps.lines()
        .filter(|l| {
            l.split_whitespace()
                .nth(1)
                .is_some_and(|p| p.starts_with("rwx"))
        })
        .map(str::to_string)
        .collect()
}

fn check(mode: Mode) {
    let module = module_in(&wasm_of("attack_fork_maps"), mode);
    let mut cmd = Command::new(iwasm());
    cmd.args(mode.flag()).arg(&module);
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("iwasm runs");
    let engine = child.id();
    let mut stdin = child.stdin.take().expect("piped");
    let mut out = BufReader::new(child.stdout.take().expect("piped"));
    let mut line = String::new();
    out.read_line(&mut line).expect("read");
    assert_eq!(line, "ready\n", "{mode:?}");
    let parent_rwx = rwx_mappings(engine);
    stdin.write_all(b"x").expect("write");
    line.clear();
    out.read_line(&mut line).expect("read");
    let pid: u32 = line
        .strip_prefix("child ")
        .and_then(|p| p.trim().parse().ok())
        .unwrap_or_else(|| panic!("{mode:?}: unexpected {line:?}"));
    let child_rwx = rwx_mappings(pid);
    stdin.write_all(b"y").expect("write");
    drop(stdin);
    let mut rest = String::new();
    out.read_to_string(&mut rest).expect("read");
    let status = child.wait().expect("wait");
    assert!(status.success(), "{mode:?}: {status:?}");
    assert_eq!(rest, "child_status=3\n", "{mode:?}");
    if mode == Mode::FastJit {
        assert!(!parent_rwx.is_empty(), "fast-JIT: no executable code cache");
        assert!(
            !child_rwx.is_empty(),
            "fast-JIT child: no executable code cache"
        );
    } else {
        assert!(parent_rwx.is_empty(), "{mode:?}: {parent_rwx:?}");
        assert!(child_rwx.is_empty(), "{mode:?} child: {child_rwx:?}");
    }
}

#[test]
fn no_writable_executable_mapping_aot() {
    check(Mode::Aot);
}

#[test]
fn no_writable_executable_mapping_interp() {
    check(Mode::Interp);
}

#[test]
fn fast_jit_code_cache_is_executable() {
    check(Mode::FastJit);
}
