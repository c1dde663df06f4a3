//! Attack on the AoT file the engine runs (issue 16): the engine
//! maps an AoT file while loading it (`wamr::ModuleBytes`), and a mapped
//! file is one of the engine's files, which the guest may not open for
//! writing or truncate (`host::guard`): rewriting it would change native code
//! or data the engine still reads. In the other modes the module file is a
//! `.wasm` read into memory and stays writable (the guest checks both, so
//! the test fails if the protection is missing or applies to any module).
//! The guest never changes the file (no bytes written, truncation to the
//! file's own size).

mod support;
use support::{case, wali_run, Mode};

fn attack(mode: Mode) {
    let o = wali_run(&case("attack_aot_self"), mode);
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.code() == Some(0) && stdout.ends_with("done\n"),
        "[{}]: status {:?}\n--- stdout:\n{stdout}\n--- stderr:\n{}",
        mode.name(),
        o.status,
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn aot_file_is_not_writable() {
    attack(Mode::Aot);
}

#[test]
fn wasm_file_stays_writable_interp() {
    attack(Mode::Interp);
}

#[test]
fn wasm_file_stays_writable_fast_jit() {
    attack(Mode::FastJit);
}
