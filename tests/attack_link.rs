//! Attacks on linking and on the engine's calls into the guest by table
//! index (issue 13.3, 14.12 engine side), in every engine mode.
//!
//! A `wali` import that the engine does not implement is linked to an
//! `-ENOSYS` stub that writes a 64-bit number into the result slot whatever
//! the declared type. Declared with a `funcref` result, that number became a
//! forged function reference: stored in table 0 and used as a signal
//! handler, thread start routine or `invoke_*` target, the engine indexed
//! its function array with it (out of bounds; AoT even wrote there). The
//! engine now refuses such imports at load with one line naming module,
//! field and type, and checks every table element it calls (funcref table,
//! index below the module's function count) before any use.
//!
//! The guests are WAT modules (tests/wat/attack_link_*.wat, built with
//! wabt's `wat2wasm`); AoT runs where `wamrc` compiles the module (a module
//! wamrc refuses cannot reach the engine as AoT). Each attack module comes
//! with a control that differs only in the attack and must run, so a test
//! cannot pass because the module is broken.

mod support;

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;
use support::{fresh_dir, iwasm, run_with, shell_status, wamrc, work_dir, Mode, ROOT};

const MODES: [Mode; 3] = [Mode::Interp, Mode::FastJit, Mode::Aot];

/// `text` (WAT) compiled with `wat2wasm`, cached by content.
/// Numbers the scratch files of concurrent tests apart.
static SCRATCH: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

fn wat(name: &str, text: &str) -> PathBuf {
    let mut h = DefaultHasher::new();
    text.hash(&mut h);
    let dir = work_dir().join("attack_link");
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join(format!("{name}-{:016x}.wasm", h.finish()));
    if !out.exists() {
        // Tests run as threads of one process: the scratch names carry the
        // text's hash and a per-call number, so two tests never share one.
        let n = SCRATCH.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let src = dir.join(format!(
            "{name}-{:016x}-{}-{n}.wat",
            h.finish(),
            std::process::id()
        ));
        std::fs::write(&src, text).unwrap();
        let tmp = out.with_extension(format!("tmp{}-{n}", std::process::id()));
        let o = Command::new("wat2wasm")
            .arg("--enable-threads")
            .arg(&src)
            .arg("-o")
            .arg(&tmp)
            .output()
            .expect("wat2wasm (wabt) runs");
        assert!(
            o.status.success(),
            "wat2wasm {name}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        std::fs::rename(&tmp, &out).unwrap();
        let _ = std::fs::remove_file(&src);
    }
    out
}

/// A WAT guest from tests/wat with `{{KEY}}` placeholders replaced.
fn wat_file(file: &str, subst: &[(&str, &str)]) -> PathBuf {
    let path = Path::new(ROOT).join("tests/wat").join(file);
    let mut text = std::fs::read_to_string(&path).unwrap();
    for (k, v) in subst {
        text = text.replace(&format!("{{{{{k}}}}}"), v);
    }
    assert!(!text.contains("{{"), "{file}: a placeholder is left");
    wat(file.trim_end_matches(".wat"), &text)
}

/// The AoT file of `wasm`, or `None` when wamrc refuses the module (with a
/// message: it must never crash on one).
fn aot(wasm: &Path) -> Option<PathBuf> {
    let out = wasm.with_extension("aot");
    if out.exists() {
        return Some(out);
    }
    let n = SCRATCH.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp = wasm.with_extension(format!("aot-tmp{}-{n}", std::process::id()));
    let o = Command::new(wamrc())
        .arg("-o")
        .arg(&tmp)
        .arg(wasm)
        .output()
        .expect("wamrc runs");
    assert!(
        o.status.code().is_some(),
        "wamrc crashed on {}: {o:?}",
        wasm.display()
    );
    if !o.status.success() {
        return None;
    }
    std::fs::rename(&tmp, &out).unwrap();
    Some(out)
}

/// Runs `wasm` in `mode` (None: AoT, and wamrc refused it).
fn run(mode: Mode, wasm: &Path, flags: &[&str]) -> Option<Output> {
    let file = match mode {
        Mode::Aot => aot(wasm)?,
        _ => wasm.to_path_buf(),
    };
    let mut cmd = Command::new(iwasm());
    cmd.args(mode.flag()).args(flags).arg(&file);
    cmd.current_dir(fresh_dir("attack_link"));
    Some(run_with(cmd, b"", Duration::from_secs(60)))
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The engine refused the module at load: status 1, one line on stderr
/// that says so and holds each of `expect`, and the guest never ran.
fn assert_refused(what: &str, mode: Mode, o: &Output, expect: &[&str]) {
    let e = stderr(o);
    assert_eq!(shell_status(o), 1, "{what} [{}]: {e}", mode.name());
    assert_eq!(e.lines().count(), 1, "{what} [{}]: {e}", mode.name());
    if mode == Mode::Aot && e.contains("SIMD is not enabled in this build") {
        // wamrc compiles v128, this engine's AoT loader refuses it first.
        return;
    }
    assert!(
        e.contains("cannot link module:"),
        "{what} [{}]: {e}",
        mode.name()
    );
    for x in expect {
        assert!(e.contains(x), "{what} [{}]: no `{x}` in {e}", mode.name());
    }
    assert!(o.stdout.is_empty(), "{what} [{}] ran", mode.name());
}

/// The guest trapped with `msg`: status 134 (a trap's) and the engine's trap line, no
/// crash of the engine.
fn assert_trap(what: &str, mode: Mode, o: &Output, msg: &str) {
    let e = stderr(o);
    assert_eq!(o.status.code(), Some(134), "{what} [{}]: {e}", mode.name());
    // `iwasm: FILE: trap: MSG`, or from another thread
    // `iwasm: trap in thread N: Exception: MSG`.
    assert!(
        e.contains("trap") && e.contains(msg),
        "{what} [{}]: no trap `{msg}` in {e}",
        mode.name()
    );
    assert!(!e.contains("panicked"), "{what} [{}]: {e}", mode.name());
}

/// The host → guest entry points, each a WAT guest that calls table 0's
/// element `{{INDEX}}` through the engine, after `{{FORGE}}` ran: a signal
/// handler (rt_sigaction + kill), a thread start routine
/// (`__wasm_thread_spawn`) and an `invoke_*` target. The callee, when
/// called, exits with status 42.
const ENTRIES: [&str; 3] = [
    "attack_link_signal.wat",
    "attack_link_thread.wat",
    "attack_link_invoke.wat",
];

/// The forging import and the instruction that stores its result in table
/// 0 at index 3, the index the engine is then asked to call.
fn forge(result: &str) -> (String, String) {
    let import = format!(r#"(import "wali" "SYS_forge_ref" (func $forge (result {result})))"#);
    let store = match result {
        "funcref" => "(table.set $t (i32.const 3) (call $forge))".to_string(),
        // An externref cannot go into a funcref table: kept in a global, as
        // a guest would keep it to hand over later.
        _ => "(global.set $keep (call $forge))".to_string(),
    };
    (import, store)
}

/// Control: the callee is a real function at index 3; every entry point
/// calls it (status 42), in every mode.
#[test]
fn entries_call_a_valid_element() {
    for file in ENTRIES {
        let wasm = wat_file(file, &[("FORGE_IMPORT", ""), ("FORGE", ""), ("INDEX", "3")]);
        for mode in MODES {
            let o = run(mode, &wasm, &[]).expect("the control compiles for AoT");
            assert_eq!(
                shell_status(&o),
                42,
                "{file} [{}]: {}",
                mode.name(),
                stderr(&o)
            );
        }
    }
}

/// A `funcref`/`externref` result of an unknown `wali` import is refused at
/// load, naming the import and its type, before any guest code runs; so is
/// a known name declared that way.
#[test]
fn forged_references_are_refused_at_load() {
    for file in ENTRIES {
        for result in ["funcref", "externref"] {
            let (import, store) = forge(result);
            let wasm = wat_file(
                file,
                &[("FORGE_IMPORT", &import), ("FORGE", &store), ("INDEX", "3")],
            );
            for mode in MODES {
                // wamrc compiles reference types: the AoT file reaches the
                // engine and must be refused there.
                let o = run(mode, &wasm, &[]).expect("wamrc compiles the attack");
                assert_refused(
                    &format!("{file} {result}"),
                    mode,
                    &o,
                    &["wali.SYS_forge_ref", "cannot serve"],
                );
            }
        }
    }
}

/// Known calls and the auxiliary calls may not be declared with a reference
/// result either (`SYS_exit`'s entry takes any result type), nor may an
/// `invoke_*` trampoline.
#[test]
fn known_names_with_reference_types_are_refused() {
    let cases = [
        (
            r#"(import "wali" "SYS_exit" (func (param i32) (result funcref)))"#,
            "wali.SYS_exit",
        ),
        (
            r#"(import "wali" "SYS_getpid" (func (result externref)))"#,
            "wali.SYS_getpid",
        ),
        (
            r#"(import "wali" "__wasm_thread_spawn" (func (param i32 i32) (result funcref)))"#,
            "wali.__wasm_thread_spawn",
        ),
        (
            r#"(import "wali" "SYS_read" (func (param i32 funcref i32) (result i64)))"#,
            "wali.SYS_read",
        ),
        (
            r#"(import "wali" "SYS_getpid" (func (result i64 i64)))"#,
            "(i64, i64)",
        ),
        (
            r#"(import "wali" "SYS_write" (func (param v128) (result i64)))"#,
            "(v128)",
        ),
        (
            r#"(import "env" "invoke_vi" (func (param i32 funcref)))"#,
            "env.invoke_vi",
        ),
        (
            r#"(import "env" "invoke_i" (func (param i32) (result externref)))"#,
            "env.invoke_i",
        ),
        (
            r#"(import "env" "invoke_v" (func (param i64)))"#,
            "env.invoke_v",
        ),
    ];
    for (i, (import, expect)) in cases.iter().enumerate() {
        let wasm = wat_file("attack_link_import.wat", &[("IMPORT", import)]);
        for mode in MODES {
            let Some(o) = run(mode, &wasm, &[]) else {
                continue; // wamrc refuses it: it cannot run as AoT.
            };
            assert_refused(&format!("case {i}"), mode, &o, &[expect]);
        }
    }
}

/// Mistyped imports the engine can serve (number types only, one result at
/// most) still link, to `-ENOSYS` stubs, and the module runs.
#[test]
fn mistyped_number_imports_run() {
    let cases = [
        r#"(import "wali" "SYS_getpid" (func (param f64) (result f32)))"#,
        r#"(import "wali" "SYS_no_such_call" (func (param i32 i64 f32 f64) (result f64)))"#,
        r#"(import "wali" "__wasm_thread_spawn" (func (param i32 i32) (result i64)))"#,
        r#"(import "wali" "SYS_exit" (func (param i64)))"#,
        r#"(import "env" "invoke_vi" (func (param i32 i32)))"#,
    ];
    for import in cases {
        let wasm = wat_file("attack_link_import.wat", &[("IMPORT", import)]);
        for mode in MODES {
            let o = run(mode, &wasm, &[]).expect("wamrc compiles number types");
            assert_eq!(
                shell_status(&o),
                7,
                "{import} [{}]: {}",
                mode.name(),
                stderr(&o)
            );
        }
    }
}

/// Import names with a NUL byte, and imports of modules the engine does not
/// provide, are refused with one line naming them (no panic).
#[test]
fn bad_and_unknown_import_names() {
    let cases = [
        (
            r#"(import "wali" "SYS_get\00pid" (func (result i64)))"#,
            r#""SYS_get\0pid""#,
            "NUL",
        ),
        (
            r#"(import "wa\00li" "SYS_getpid" (func (result i64)))"#,
            r#""wa\0li""#,
            "NUL",
        ),
        (
            r#"(import "env" "invoke\00_v" (func (param i32)))"#,
            r#""invoke\0_v""#,
            "NUL",
        ),
        (
            r#"(import "env" "frobnicate" (func (param i32) (result i32)))"#,
            "env.frobnicate",
            "unknown import",
        ),
        (
            r#"(import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))"#,
            "wasi_snapshot_preview1.fd_write",
            "unknown import",
        ),
    ];
    for (import, name, why) in cases {
        let wasm = wat_file("attack_link_import.wat", &[("IMPORT", import)]);
        for mode in MODES {
            let Some(o) = run(mode, &wasm, &[]) else {
                continue;
            };
            assert_refused(import, mode, &o, &[name, why]);
        }
    }
}

/// Table indices the engine is asked to call that hold no function: out of
/// range, null, or in a table 0 of externrefs. Each is a clear trap as a
/// wasm `call_indirect` gives, never a crash, in every mode and through
/// every entry point.
#[test]
fn bad_table_indices_trap() {
    for file in ENTRIES {
        for (index, msg) in [
            (
                "0x7fffff",
                "undefined element: function-table index 8388607 is out of range",
            ),
            (
                "-2",
                "undefined element: function-table index 4294967294 is out of range",
            ),
            ("5", "uninitialized element: function-table index 5 is null"),
        ] {
            if file == "attack_link_signal.wat" && index == "-2" {
                continue; // a handler value the ABI reserves (SIG_IGN)
            }
            let wasm = wat_file(
                file,
                &[("FORGE_IMPORT", ""), ("FORGE", ""), ("INDEX", index)],
            );
            for mode in MODES {
                let o = run(mode, &wasm, &[]).expect("compiles for AoT");
                assert_trap(&format!("{file} {index}"), mode, &o, msg);
            }
        }
    }
}

/// Table 0 of externrefs: the engine's indices refer to table 0, which then
/// holds no functions.
#[test]
fn externref_table_zero_traps() {
    let wasm = wat_file("attack_link_externtable.wat", &[]);
    for mode in MODES {
        let Some(o) = run(mode, &wasm, &[]) else {
            continue;
        };
        assert_trap(
            "externref table 0",
            mode,
            &o,
            "undefined element: the module has no function table 0",
        );
    }
}

/// The guest-facing types a generated import may use.
const FUZZ_TYPES: [&str; 7] = ["i32", "i64", "f32", "f64", "v128", "funcref", "externref"];

/// A zero value of a type, as a WAT instruction.
fn zero(t: &str) -> &'static str {
    match t {
        "i32" => "(i32.const 0)",
        "i64" => "(i64.const 0)",
        "f32" => "(f32.const 0)",
        "f64" => "(f64.const 0)",
        "v128" => "(v128.const i64x2 0 0)",
        "funcref" => "(ref.null func)",
        _ => "(ref.null extern)",
    }
}

/// xorshift64*: a fixed sequence, so a failure reproduces.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 33) as usize % n
    }

    /// Mostly number types, so that both outcomes stay frequent with up
    /// to three imports.
    fn fuzz_type(&mut self) -> &'static str {
        if self.below(10) < 8 {
            FUZZ_TYPES[self.below(4)]
        } else {
            FUZZ_TYPES[4 + self.below(3)]
        }
    }
}

/// Whether the engine must refuse an import of this module, name and type:
/// the rule it documents (engine/link.rs, `refusal`), restated independently.
fn must_refuse(module: &str, name: &str, params: &[&str], results: &[&str]) -> bool {
    let number = |t: &&str| matches!(*t, "i32" | "i64" | "f32" | "f64");
    match module {
        "wali" => !params.iter().all(number) || !results.iter().all(number) || results.len() > 1,
        _ if name.starts_with("invoke_") => {
            params.first() != Some(&"i32")
                || !params.iter().all(number)
                || !results.iter().all(number)
                || results.len() > 1
        }
        // Any other `env` function is unknown to the engine.
        _ => true,
    }
}

/// Generated modules with random `wali`/`env` import types (number,
/// vector and reference parameters, 0-3 results) whose `_start` calls each
/// import with zero arguments, run in every mode: each is either refused at
/// load with one line (exactly when the engine's rule says so) or runs to
/// an exit status; never a crash, a panic or a hang.
#[test]
fn fuzz_import_types() {
    let mut rng = Rng(0x5eed_1e55_0bad_cafe);
    let wali_names = [
        "SYS_getpid",
        "SYS_exit",
        "SYS_write",
        "SYS_no_such_call",
        "__cl_get_argc",
        "__wasm_thread_spawn",
        "setjmp",
    ];
    let env_names = ["invoke_v", "invoke_ii", "invoke_xyz", "memcpy"];
    let (mut refused, mut ran) = (0, 0);
    for case in 0..40 {
        let mut imports = String::new();
        let mut calls = String::new();
        let mut refuse = false;
        let mut desc = Vec::new();
        for k in 0..1 + rng.below(3) {
            let (module, name) = if rng.below(10) < 8 {
                ("wali", wali_names[rng.below(wali_names.len())])
            } else {
                ("env", env_names[rng.below(env_names.len())])
            };
            // Mostly number types and at most one result, so that both
            // outcomes stay frequent with up to three imports.
            let n = rng.below(4);
            let params: Vec<&str> = (0..n).map(|_| rng.fuzz_type()).collect();
            let n = if rng.below(10) < 8 {
                rng.below(2)
            } else {
                2 + rng.below(2)
            };
            let results: Vec<&str> = (0..n).map(|_| rng.fuzz_type()).collect();
            desc.push(format!("{module}.{name} {params:?} -> {results:?}"));
            let p = if params.is_empty() {
                String::new()
            } else {
                format!("(param {})", params.join(" "))
            };
            let r = if results.is_empty() {
                String::new()
            } else {
                format!("(result {})", results.join(" "))
            };
            // Distinct field names per import: the same name twice with two
            // types is a second test of its own.
            let field = if k == 0 {
                name.to_string()
            } else {
                format!("{name}{k}")
            };
            refuse |= must_refuse(module, &field, &params, &results);
            imports.push_str(&format!(
                "  (import \"{module}\" \"{field}\" (func $i{k} {p} {r}))\n"
            ));
            let args: String = params.iter().map(|t| zero(t)).collect::<Vec<_>>().join(" ");
            calls.push_str(&format!("    (call $i{k} {args})\n"));
            calls.push_str(&"    drop\n".repeat(results.len()));
        }
        let text = format!(
            "(module\n{imports}  (import \"wali\" \"SYS_exit_group\" (func $exit (param i32) (result i64)))\n  \
             (memory (export \"memory\") 1 1 shared)\n  (func (export \"_start\")\n{calls}    \
             (drop (call $exit (i32.const 5)))))\n"
        );
        let wasm = wat(&format!("fuzz_import_{case}"), &text);
        for mode in MODES {
            let Some(o) = run(mode, &wasm, &[]) else {
                continue;
            };
            let what = format!("case {case} {desc:?}");
            let e = stderr(&o);
            assert!(
                o.status.code().is_some(),
                "{what} [{}]: killed: {e}",
                mode.name()
            );
            assert!(!e.contains("panicked"), "{what} [{}]: {e}", mode.name());
            if refuse {
                assert_refused(&what, mode, &o, &["import"]);
                refused += 1;
            } else {
                assert!(
                    !e.contains("cannot link module"),
                    "{what} [{}]: {e}",
                    mode.name()
                );
                ran += 1;
            }
        }
    }
    // The generator covers both outcomes.
    assert!(refused > 10 && ran > 10, "refused {refused}, ran {ran}");
}
