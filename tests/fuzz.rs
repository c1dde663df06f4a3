//! The guest-driven fuzzer of the struct translators (tests/c/fuzz_guest.c,
//! engine only: random structs and arrays in linear memory handed to every
//! call that parses guest memory; results must be plausible and the
//! program's memory outside what a call may write untouched), in every
//! engine mode with a few seeds; and the differential regression cases of
//! what it found (tests/c/fuzz_regress.c).

mod support;
use std::process::{Command, Output};
use std::time::Duration;
use support::{case, fresh_dir, iwasm, module_in, run_with, shell_status, wasm_of, Mode};

/// Iterations per run: about a second in the interpreter.
const ITERATIONS: &str = "3000";
const SEEDS: &[&str] = &["1", "2", "3", "20260101"];

/// Runs the fuzzer in `mode` with `seed`, in a fresh directory (it makes
/// its files there).
fn fuzz_run(mode: Mode, seed: &str) -> Output {
    let module = module_in(&wasm_of("fuzz_guest"), mode);
    let mut cmd = Command::new(iwasm());
    cmd.args(mode.flag());
    let dir = fresh_dir(&format!("fuzz-{}-{seed}", mode.name()));
    cmd.arg(&module)
        .args([seed, ITERATIONS])
        .current_dir(&dir)
        .env_clear();
    let out = run_with(cmd, b"", Duration::from_secs(60));
    let _ = std::fs::remove_dir_all(&dir);
    out
}

fn fuzz(mode: Mode) {
    for seed in SEEDS {
        let o = fuzz_run(mode, seed);
        let stdout = String::from_utf8_lossy(&o.stdout);
        let stderr = String::from_utf8_lossy(&o.stderr);
        let what = format!(
            "fuzz_guest [{}] seed {seed} (status {}); reproduce with `iwasm fuzz_guest.wasm {seed} {ITERATIONS} v`\n--- stdout:\n{stdout}\n--- stderr:\n{stderr}",
            mode.name(),
            shell_status(&o)
        );
        assert_eq!(shell_status(&o), 0, "{what}");
        let last = stdout.lines().last().unwrap_or("");
        assert!(
            last.starts_with("fuzz: ") && last.ends_with(" ok"),
            "{what}"
        );
        assert!(!stdout.contains("FUZZ FAILURE"), "{what}");
        assert!(
            !stderr.contains("trap") && !stderr.contains("panicked"),
            "{what}"
        );
    }
}

#[test]
fn guest_fuzz_interp() {
    fuzz(Mode::Interp);
}

#[test]
fn guest_fuzz_fast_jit() {
    fuzz(Mode::FastJit);
}

#[test]
fn guest_fuzz_aot() {
    fuzz(Mode::Aot);
}

difftest!(regressions, case("fuzz_regress"));

/// Runs the memory-call fuzzer (tests/c/fuzz_mm.c) in `mode`: mm calls at
/// the edges of memory, limits lowered and restored, prctl, a second
/// thread scribbling over what the calls read; `-v=0` because its execve
/// calls, refused while two threads run, would each log a line.
fn fuzz_mm_run(mode: Mode, seed: &str, extra: &[&str]) -> Output {
    let module = module_in(&wasm_of("fuzz_mm"), mode);
    let mut cmd = Command::new(iwasm());
    cmd.args(mode.flag()).arg("-v=0");
    let dir = fresh_dir(&format!("fuzz-mm-{}-{seed}", mode.name()));
    cmd.arg(&module)
        .args([seed, MM_ITERATIONS])
        .args(extra)
        .current_dir(&dir)
        .env_clear();
    let out = run_with(cmd, b"", Duration::from_secs(120));
    let _ = std::fs::remove_dir_all(&dir);
    out
}

const MM_ITERATIONS: &str = "1500";

fn fuzz_mm(mode: Mode) {
    for seed in SEEDS {
        let o = fuzz_mm_run(mode, seed, &[]);
        let stdout = String::from_utf8_lossy(&o.stdout);
        let stderr = String::from_utf8_lossy(&o.stderr);
        let what = format!(
            "fuzz_mm [{}] seed {seed} (status {}); reproduce with `iwasm -v=0 fuzz_mm.wasm {seed} {MM_ITERATIONS}`\n--- stdout:\n{stdout}\n--- stderr:\n{stderr}",
            mode.name(),
            shell_status(&o)
        );
        assert_eq!(shell_status(&o), 0, "{what}");
        assert!(stdout.ends_with(" checks ok\n"), "{what}");
        assert!(stderr.is_empty(), "{what}");
    }
}

#[test]
fn guest_fuzz_mm_interp() {
    fuzz_mm(Mode::Interp);
}

#[test]
fn guest_fuzz_mm_fast_jit() {
    fuzz_mm(Mode::FastJit);
}

#[test]
fn guest_fuzz_mm_aot() {
    fuzz_mm(Mode::Aot);
}

/// The same with the limits also lowered below what the process uses. The
/// safe outcomes: the run completes (the engine refuses such limits), or
/// a re-mapping the kernel now refuses ends the process with the engine's
/// one-line message and a trap's status 134; never a signal, abort or panic.
#[test]
fn guest_fuzz_mm_low_limits() {
    for mode in [Mode::Interp, Mode::FastJit, Mode::Aot] {
        for seed in SEEDS {
            let o = fuzz_mm_run(mode, seed, &["low"]);
            let stdout = String::from_utf8_lossy(&o.stdout);
            let stderr = String::from_utf8_lossy(&o.stderr);
            let status = shell_status(&o);
            let completed = status == 0 && stdout.ends_with(" checks ok\n") && stderr.is_empty();
            let ended = o.status.code() == Some(134)
                && !stdout.contains("FUZZ FAILURE")
                && stderr.starts_with("iwasm: fatal: cannot keep linear memory mapped")
                && stderr.lines().count() == 1;
            assert!(
                completed || ended,
                "fuzz_mm low [{}] seed {seed} (status {status})\n--- stdout:\n{stdout}\n--- stderr:\n{stderr}",
                mode.name()
            );
        }
    }
}
