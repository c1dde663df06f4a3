//! Finds the WAMR source tree that the build scripts compile.
//!
//! The project pins upstream WAMR at commit
//! e830d9f43729526dc64e8210531b216e5112ebb6 as the `wasm-micro-runtime/`
//! submodule. Machines without network access to GitHub cannot check it out,
//! so the identical tree is taken from the crates.io package `wamrx-sys`
//! 0.3.0 (locked in `Cargo.lock`). That package is declared as a dependency
//! that never compiles (`cfg(any())`), so only its sources are used.
//!
//! Order of search:
//! 1. `$WAMR_SRC_DIR` (an explicit override),
//! 2. the checked-out submodule at `<workspace>/wasm-micro-runtime`,
//! 3. `wamrx-sys-0.3.0/wasm-micro-runtime` in cargo's registry sources,
//! 4. the same after `cargo metadata --offline`, which unpacks locked
//!    packages that `cargo build` skipped.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Upstream commit the project pins.
pub const WAMR_COMMIT: &str = "e830d9f43729526dc64e8210531b216e5112ebb6";
/// Crate that carries the same tree on crates.io.
pub const CRATE_DIR: &str = "wamrx-sys-0.3.0";

fn is_wamr_tree(p: &Path) -> bool {
    p.join("core/iwasm/include/wasm_export.h").is_file()
        && p.join("build-scripts/runtime_lib.cmake").is_file()
}

fn cargo_home() -> Option<PathBuf> {
    if let Some(h) = std::env::var_os("CARGO_HOME") {
        return Some(PathBuf::from(h));
    }
    std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo"))
}

fn search_registry() -> Option<PathBuf> {
    let src = cargo_home()?.join("registry/src");
    let mut found: Vec<PathBuf> = std::fs::read_dir(&src)
        .ok()?
        .flatten()
        .map(|e| e.path().join(CRATE_DIR).join("wasm-micro-runtime"))
        .filter(|p| is_wamr_tree(p))
        .collect();
    found.sort();
    found.pop()
}

/// Returns the WAMR source root, or an error sentence that says how to get it.
///
/// `workspace` is the directory holding the top-level `Cargo.toml`.
pub fn locate(workspace: &Path) -> Result<PathBuf, String> {
    if let Some(dir) = std::env::var_os("WAMR_SRC_DIR") {
        let p = PathBuf::from(dir);
        return if is_wamr_tree(&p) {
            Ok(p)
        } else {
            Err(format!(
                "WAMR_SRC_DIR={} is not a WAMR source tree (no core/iwasm/include/wasm_export.h)",
                p.display()
            ))
        };
    }
    let sub = workspace.join("wasm-micro-runtime");
    if is_wamr_tree(&sub) {
        return Ok(sub);
    }
    if let Some(p) = search_registry() {
        return Ok(p);
    }
    // `cargo build` does not unpack a dependency that never compiles;
    // `cargo metadata` unpacks every locked package (offline: no download).
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let _ = Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--offline"])
        .current_dir(workspace)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status();
    if let Some(p) = search_registry() {
        return Ok(p);
    }
    Err(format!(
        "WAMR source not found: run `git submodule update --init wasm-micro-runtime` \
         (commit {WAMR_COMMIT}) or `cargo fetch` (which unpacks the identical tree from \
         the crates.io package wamrx-sys 0.3.0), or set WAMR_SRC_DIR"
    ))
}

/// Stops a build script with one clear line (cargo shows the panic text).
pub fn fail(msg: &str) -> ! {
    eprintln!("error: {msg}");
    panic!("{msg}");
}

/// WAMR's `WAMR_BUILD_TARGET` for a Rust target architecture.
pub fn wamr_target(arch: &str) -> &'static str {
    match arch {
        "x86_64" => "X86_64",
        "aarch64" => "AARCH64",
        "riscv64" => "RISCV64",
        other => fail(&format!(
            "WAMR is built here for x86_64, aarch64 and riscv64 hosts, not {other}"
        )),
    }
}
