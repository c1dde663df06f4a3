//! Guest threads: `__wasm_thread_spawn`, set_tid_address, futex, gettid,
//! thread exit and exit_group from a thread (differential), the main
//! thread's full shadow stack with many allowed threads, and spawn latency.
mod support;
use support::case;

difftest!(counter, case("thread_basic").args(["counter"]));
difftest!(futex_pingpong, case("thread_basic").args(["futex"]));
difftest!(futex_errors, case("thread_basic").args(["errors"]));
difftest!(tid, case("thread_basic").args(["tid"]));
difftest!(exit_thread, case("thread_basic").args(["exit_thread"]));
difftest!(exit_group, case("thread_basic").args(["exit_group"]));

/// The main thread keeps its whole shadow stack with --max-threads=256: a
/// module whose stack WAMR bound-checks (it exports __heap_base/__data_end)
/// recurses through ~100 KiB of its 1 MiB stack, in every mode, as natively.
#[test]
fn main_stack_not_shrunk() {
    use std::process::Command;
    let src = format!("{}/tests/c/thread_stack.c", support::ROOT);
    let wasm = support::work_dir().join(format!("thread_stack-{}.wasm", std::process::id()));
    let mut cc = Command::new(std::env::var("WALI_CLANG").unwrap_or("clang-19".into()));
    cc.args(support::WASM_FLAGS)
        .args([
            "-Wl,-z,stack-size=1048576",
            "-Wl,--export=__heap_base",
            "-Wl,--export=__data_end",
        ])
        .arg(format!("-I{}/tests/c", support::ROOT))
        .arg(&src)
        .arg("-o")
        .arg(&wasm);
    assert!(cc.status().unwrap().success(), "WALI build of thread_stack");
    let native = support::native_run(&case("thread_stack"));
    let aot = support::aot_of(&wasm);
    for (flag, module) in [("--interp", &wasm), ("--fast-jit", &wasm), ("", &aot)] {
        let mut cmd = Command::new(support::iwasm());
        if !flag.is_empty() {
            cmd.arg(flag);
        }
        cmd.arg("--max-threads=256").arg(module);
        let out = support::run_with(cmd, b"", std::time::Duration::from_secs(60));
        assert_eq!(
            (support::shell_status(&out), &out.stdout),
            (support::shell_status(&native), &native.stdout),
            "mode {flag:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let _ = std::fs::remove_file(&wasm);
}

/// Spawn + join latency, 1000 threads in a row, per mode and natively.
/// Prints the medians (`cargo test --test threads -- --nocapture latency`);
/// fails only if a spawn costs a fresh instance's time or more (the pool
/// makes it a hand-over).
#[test]
fn latency() {
    let mut report = Vec::new();
    let value = |out: &std::process::Output, key: &str| -> i64 {
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        text.lines()
            .find_map(|l| l.strip_prefix(key)?.strip_prefix('=')?.parse().ok())
            .unwrap_or_else(|| panic!("no {key} in {text}"))
    };
    let timed = |run: &dyn Fn(&support::Case) -> std::process::Output| {
        let t0 = std::time::Instant::now();
        let empty = run(&case("thread_bench").args(["0"]));
        let base = t0.elapsed();
        let t1 = std::time::Instant::now();
        let full = run(&case("thread_bench").args(["1000"]));
        let total = t1.elapsed();
        assert_eq!(support::shell_status(&empty), 0);
        assert_eq!(support::shell_status(&full), 0, "{:?}", full);
        assert_eq!(value(&full, "counter"), 1000);
        let mean_us = total.saturating_sub(base).as_micros() as i64 / 1000;
        (value(&full, "median_ns") / 1000, mean_us)
    };
    let (nm, nmean) = timed(&|c| support::native_run(c));
    report.push(format!("native: median {nm} us, mean {nmean} us"));
    for mode in [
        support::Mode::Interp,
        support::Mode::FastJit,
        support::Mode::Aot,
    ] {
        let (m, mean) = timed(&|c| support::wali_run(c, mode));
        report.push(format!("{}: median {m} us, mean {mean} us", mode.name()));
        assert!(mean < 2000, "spawn+join costs {mean} us in {}", mode.name());
    }
    eprintln!("spawn+join latency (median -1: no clock_gettime in this build):");
    for r in report {
        eprintln!("  {r}");
    }
}

// Deep recursion on the main thread and on a spawned thread, 200,000
// levels (about 6 MiB of native stack in AoT, where the host threads'
// native stack is the limit; the interpreter and fast JIT keep the frames on
// the wasm stack given by --stack-size), in every mode, as natively.
difftest!(deep_recursion, {
    let mut c = case("deep_recursion").args(["200000"]);
    c.engine_flags = vec!["--stack-size=134217728".into()];
    c
});
