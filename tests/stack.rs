//! Stack defaults: ordinary C recursion runs at the default `--stack-size`
//! in every mode as it does natively, an overflow of the wasm stack names
//! the option that sizes it, and `--stack-size` with an AoT file says that
//! it has no effect there.

mod support;
use std::process::{Command, Output};
use std::time::Duration;
use support::{aot_of, case, fresh_dir, iwasm, module_in, run_with, shell_status, wasm_of, Mode};

// Depth 2,000 (256 KiB, the old default, trapped at about 780 levels of
// the plain function in fast-JIT and 1,500 in the interpreter; 340 and 580
// of the realistic one), on the main thread and on a spawned thread, at the
// default stack size. At 8 MiB the limits are 25,500 plain and 12,000
// realistic levels in fast-JIT, 47,600 and 19,700 in the interpreter.
difftest!(depth_2000, case("stack_depth").args(["2000", "2000"]));
// Deeper: 20,000 plain levels and 10,000 realistic ones.
difftest!(
    depth_20000_and_realistic_10000,
    case("stack_depth").args(["20000", "10000"])
);

fn run(mode: Mode, flags: &[&str], module: &std::path::Path, args: &[&str]) -> Output {
    let mut cmd = Command::new(iwasm());
    cmd.args(mode.flag())
        .args(flags)
        .arg(module)
        .args(args)
        .current_dir(fresh_dir("stack"));
    run_with(cmd, b"", Duration::from_secs(120))
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Past the limit, the trap line names `--stack-size` and its value, on the
/// main thread and on a spawned thread.
fn overflow_names_the_option(mode: Mode) {
    let wasm = wasm_of("stack_depth");
    // Main thread: 100,000 plain levels in a 256 KiB stack.
    let o = run(mode, &["--stack-size=262144"], &wasm, &["100000", "0"]);
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(134), "{e}"); // a trap
    let line = e.lines().find(|l| l.contains("trap:")).unwrap_or_default();
    assert!(
        line.contains("wasm operand stack overflow")
            && line.contains("raise --stack-size=N, now 262144 bytes"),
        "{e}"
    );
    // At the default size; and on a spawned thread (trap.c 4: endless
    // recursion there), whose trap ends the process.
    let o = run(mode, &[], &wasm, &["3000000", "0"]);
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(134), "{e}"); // a trap
    assert!(e.contains("raise --stack-size=N, now 8388608 bytes"), "{e}");
    let o = run(mode, &["--stack-size=1048576"], &wasm_of("trap"), &["4"]);
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(134), "{e}"); // a trap
    let line = e
        .lines()
        .find(|l| l.contains("trap in thread"))
        .unwrap_or_default();
    assert!(
        line.contains("raise --stack-size=N, now 1048576 bytes"),
        "{e}"
    );
}

#[test]
fn overflow_names_stack_size_interp() {
    overflow_names_the_option(Mode::Interp);
}

#[test]
fn overflow_names_stack_size_fast_jit() {
    overflow_names_the_option(Mode::FastJit);
}

/// A larger `--stack-size` goes deeper in the interpreter and fast JIT.
#[test]
fn larger_stack_size_goes_deeper() {
    let wasm = wasm_of("stack_depth");
    for mode in [Mode::Interp, Mode::FastJit] {
        // The default stack overflows: a trap (status 134).
        let o = run(mode, &[], &wasm, &["60000", "0"]);
        assert_eq!(shell_status(&o), 134, "{:?}: {}", mode, stderr(&o));
        let o = run(mode, &["--stack-size=67108864"], &wasm, &["60000", "0"]);
        assert_eq!(shell_status(&o), 0, "{:?}: {}", mode, stderr(&o));
    }
}

/// AoT code keeps its frames on the native stack: `--stack-size` given
/// with an AoT file is reported in one line (at the default verbosity, not
/// at -v=0) and the program runs as without it; not given, nothing is said.
#[test]
fn stack_size_with_aot_is_reported() {
    let aot = aot_of(&wasm_of("stack_depth"));
    let note = "--stack-size has no effect on AoT code";
    let o = run(Mode::Aot, &["--stack-size=4096"], &aot, &["2000", "2000"]);
    let e = stderr(&o);
    assert_eq!(shell_status(&o), 0, "{e}");
    assert_eq!(e.lines().filter(|l| l.contains(note)).count(), 1, "{e}");
    assert_eq!(e.lines().count(), 1, "{e}");
    let plain = run(Mode::Aot, &[], &aot, &["2000", "2000"]);
    assert_eq!(plain.stdout, o.stdout);
    assert!(!stderr(&plain).contains(note), "{}", stderr(&plain));
    let quiet = run(
        Mode::Aot,
        &["-v=0", "--stack-size=4096"],
        &aot,
        &["2000", "2000"],
    );
    assert!(!stderr(&quiet).contains(note), "{}", stderr(&quiet));
    // The same flag with the .wasm says nothing.
    let wasm = module_in(&wasm_of("stack_depth"), Mode::Interp);
    let o = run(
        Mode::Interp,
        &["--stack-size=1048576"],
        &wasm,
        &["2000", "0"],
    );
    assert_eq!(shell_status(&o), 0, "{}", stderr(&o));
    assert!(!stderr(&o).contains(note), "{}", stderr(&o));
}
