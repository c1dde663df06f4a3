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
    println!("cargo:rerun-if-changed=build.rs");
}
