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
