//! Hands the location of WAMR's static library and headers (from `wamr-sys`)
//! to the tests, which link a C embedding against `libwali.a` + `libvmlib.a`.
fn main() {
    for (dep, var) in [
        ("DEP_VMLIB_LIBDIR", "WALI_VMLIB_DIR"),
        ("DEP_VMLIB_INCLUDE", "WALI_WAMR_INCLUDE"),
    ] {
        if let Ok(v) = std::env::var(dep) {
            println!("cargo:rustc-env={var}={v}");
        }
    }
    static_unwinder();
    println!("cargo:rerun-if-changed=build.rs");
}

/// Links GCC's unwinder into the engine instead of loading `libgcc_s.so.1`.
///
/// Rust's standard library asks for `-lgcc_s` (its `_Unwind_*` calls: with
/// `panic = "abort"` only for backtraces). A shared library is five more
/// mappings in every engine process: more for the loader to map and
/// relocate at each start, and more for the kernel to duplicate and tear
/// down at each guest `fork`. A `libgcc_s.so` linker script found first on
/// the library path names the static unwinder (`libgcc_eh.a`, which GCC
/// builds position-independent for static PIE) instead. Without a
/// `libgcc_eh.a` (another compiler), or when cross-compiling (the host's
/// `gcc` names the host's library), nothing changes.
fn static_unwinder() {
    if std::env::var("TARGET").ok() != std::env::var("HOST").ok() {
        return;
    }
    let Ok(out) = std::process::Command::new("gcc")
        .arg("-print-file-name=libgcc_eh.a")
        .output()
    else {
        return;
    };
    let path = String::from_utf8_lossy(&out.stdout).trim().to_string();
    if !out.status.success() || !std::path::Path::new(&path).is_absolute() {
        return;
    }
    let Ok(dir) = std::env::var("OUT_DIR") else {
        return;
    };
    let dir = std::path::Path::new(&dir).join("static-unwinder");
    if std::fs::create_dir_all(&dir).is_err()
        || std::fs::write(dir.join("libgcc_s.so"), format!("INPUT({path})\n")).is_err()
    {
        return;
    }
    println!("cargo:rustc-link-search=native={}", dir.display());
}
