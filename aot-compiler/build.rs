//! Builds WAMR's AoT compilation library (plus the runtime parts it needs)
//! from the pinned WAMR tree against the system LLVM, and generates the FFI.
//!
//! Inputs, all local (nothing is downloaded):
//! * the WAMR tree, found by `wamr-src` (submodule, `$WAMR_SRC_DIR`, or the
//!   locked crates.io copy);
//! * LLVM, found through `llvm-config`: `$LLVM_CONFIG` if set, else
//!   `llvm-config-19`, `/usr/lib/llvm-19/bin/llvm-config`, `llvm-config`.
//!   wamrc links LLVM's shared library (`libLLVM-19.so`): a link of a few
//!   seconds. (Debian's static component libraries are not usable as a
//!   set: `llvm-config --link-static` names libPolly and libzstd, which
//!   llvm-19-dev does not bring.)

use std::env;
use std::path::{Path, PathBuf};
use std::process::Command;

use wamr_src::{fail, wamr_target};

/// Runs `llvm-config` with `args`, returning its trimmed stdout.
fn llvm_config(tool: &Path, args: &[&str]) -> Result<String, String> {
    let out = Command::new(tool)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run {}: {e}", tool.display()))?;
    if !out.status.success() {
        return Err(format!(
            "{} {} failed: {}",
            tool.display(),
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn find_llvm_config() -> PathBuf {
    let mut candidates: Vec<PathBuf> = Vec::new();
    if let Some(p) = env::var_os("LLVM_CONFIG") {
        candidates.push(PathBuf::from(p));
    } else {
        candidates.push("llvm-config-19".into());
        candidates.push("/usr/lib/llvm-19/bin/llvm-config".into());
        candidates.push("llvm-config".into());
    }
    for c in &candidates {
        if llvm_config(c, &["--version"]).is_ok() {
            return c.clone();
        }
    }
    fail(
        "llvm-config not found: wamrc needs LLVM's development files (Debian: \
         `apt-get install llvm-19-dev`), or set LLVM_CONFIG to an llvm-config binary",
    )
}

/// Emits `rustc-link-lib`/`rustc-link-search` lines for `-l`/`-L` flags.
fn emit_link_flags(flags: &str) {
    for f in flags.split_whitespace() {
        if let Some(lib) = f.strip_prefix("-l") {
            println!("cargo:rustc-link-lib=dylib={lib}");
        } else if let Some(dir) = f.strip_prefix("-L") {
            println!("cargo:rustc-link-search=native={dir}");
        } else if f.ends_with(".so") || f.ends_with(".a") {
            // A full library path (some llvm-config builds print these).
            println!("cargo:rustc-link-arg={f}");
        }
    }
}

fn main() {
    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap());
    let workspace = manifest.parent().unwrap().to_path_buf();
    let wamr = wamr_src::locate(&workspace).unwrap_or_else(|e| fail(&e));
    let arch = env::var("CARGO_CFG_TARGET_ARCH").unwrap();
    let target = wamr_target(&arch);

    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=cmake/CMakeLists.txt");
    println!("cargo:rerun-if-changed=wrapper.h");
    for v in ["WAMR_SRC_DIR", "LLVM_CONFIG"] {
        println!("cargo:rerun-if-env-changed={v}");
    }

    let llvm = find_llvm_config();
    let q = |args: &[&str]| llvm_config(&llvm, args).unwrap_or_else(|e| fail(&e));
    let llvm_version = q(&["--version"]);
    let major: u32 = llvm_version
        .split('.')
        .next()
        .and_then(|m| m.parse().ok())
        .unwrap_or(0);
    if major < 15 {
        fail(&format!(
            "{} reports LLVM {llvm_version}; WAMR's AoT compiler needs LLVM 15 or newer (19 is tested)",
            llvm.display()
        ));
    }
    let cmake_dir = q(&["--cmakedir"]);
    let lib_dir = q(&["--libdir"]);
    if q(&["--shared-mode"]) != "shared" {
        fail(&format!(
            "{} does not link a shared libLLVM (--shared-mode is not `shared`); wamrc links LLVM dynamically",
            llvm.display()
        ));
    }

    let mut cfg = cmake::Config::new(manifest.join("cmake"));
    cfg.define("WAMR_ROOT_DIR", &wamr)
        .define("LLVM_DIR", &cmake_dir)
        .define("WAMR_BUILD_PLATFORM", "linux")
        .define("WAMR_BUILD_TARGET", target)
        // The bytecode loader (the compiler's front half) comes with the
        // classic interpreter; the AoT loader/runtime with AOT.
        .define("WAMR_BUILD_INTERP", "1")
        .define("WAMR_BUILD_FAST_INTERP", "0")
        .define("WAMR_BUILD_AOT", "1")
        .define("WAMR_BUILD_JIT", "0")
        .define("WAMR_BUILD_FAST_JIT", "0")
        .define("WAMR_BUILD_LIBC_BUILTIN", "0")
        .define("WAMR_BUILD_LIBC_WASI", "0")
        .define("WAMR_BUILD_LIB_PTHREAD", "0")
        .define("WAMR_BUILD_LIB_WASI_THREADS", "0")
        // Proposals the compiler accepts.
        .define("WAMR_BUILD_SHARED_MEMORY", "1")
        .define("WAMR_BUILD_THREAD_MGR", "1")
        .define("WAMR_BUILD_BULK_MEMORY", "1")
        .define("WAMR_BUILD_REF_TYPES", "1")
        .define("WAMR_BUILD_TAIL_CALL", "1")
        .define("WAMR_BUILD_MULTI_MODULE", "0")
        .define("WAMR_BUILD_MEMORY64", "0")
        .define("WAMR_BUILD_GC", "0")
        // Names and stack frames, for call-stack dumps of AoT code.
        .define("WAMR_BUILD_CUSTOM_NAME_SECTION", "1")
        .define("WAMR_BUILD_LOAD_CUSTOM_SECTION", "1")
        .define("WAMR_BUILD_DUMP_CALL_STACK", "1")
        .define("WAMR_BUILD_AOT_STACK_FRAME", "1")
        // The compiler never runs wasm code: no signal-based bounds checks.
        .define("WAMR_DISABLE_HW_BOUND_CHECK", "1")
        .define("CMAKE_BUILD_TYPE", "Release")
        .profile("Release")
        .build_target("wamrc_core");
    let dst = cfg.build();
    let core_dir = dst.join("build");
    println!("cargo:rustc-link-search=native={}", core_dir.display());
    println!("cargo:rustc-link-lib=static=wamrc_core");

    // LLVM after WAMR (the static library refers to it).
    println!("cargo:rustc-link-search=native={lib_dir}");
    emit_link_flags(&q(&["--link-shared", "--libs"]));
    emit_link_flags(&q(&["--link-shared", "--system-libs"]));
    // Debian's libLLVM is on the default search path; other installs
    // (an LLVM unpacked under /opt, say) are found through the rpath.
    println!("cargo:rustc-link-arg-bins=-Wl,-rpath,{lib_dir}");
    for l in ["stdc++", "m", "dl", "pthread"] {
        println!("cargo:rustc-link-lib=dylib={l}");
    }

    let bindings = bindgen::Builder::default()
        .header(manifest.join("wrapper.h").to_string_lossy())
        .clang_arg(format!("-I{}", wamr.join("core/iwasm/include").display()))
        .allowlist_function(
            "wasm_runtime_(full_init|destroy|load|unload|free|set_log_level|get_version)\
             |get_package_type|aot_.*",
        )
        .allowlist_type("RuntimeInitArgs|AOTCompOption|AOTCallStackFeatures|AOTStackFrameType")
        .allowlist_var("AOT_.*|Alloc_.*|WASM_LOG_LEVEL_.*|Wasm_Module_.*")
        .prepend_enum_name(false)
        .layout_tests(false)
        .derive_default(true)
        .generate()
        .unwrap_or_else(|e| fail(&format!("bindgen failed on aot_export.h: {e}")));
    let out = PathBuf::from(env::var("OUT_DIR").unwrap());
    bindings
        .write_to_file(out.join("bindings.rs"))
        .expect("write bindings");
}
