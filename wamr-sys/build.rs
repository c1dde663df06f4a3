//! Builds WAMR's runtime library from the pinned source and generates the FFI.
//!
//! Nothing is downloaded here: the WAMR tree comes from the submodule or the
//! locked crates.io copy (see `wamr-src`), and fast-JIT's asmjit from Debian's
//! `asmjit` source package, unpacked by `make deps` into `.deps/asmjit` (or
//! named by `$ASMJIT_SRC_DIR`).

use std::env;
use std::path::{Path, PathBuf};

use wamr_src::{fail, wamr_target};

fn asmjit_dir(workspace: &Path) -> PathBuf {
    if let Some(d) = env::var_os("ASMJIT_SRC_DIR") {
        return PathBuf::from(d);
    }
    let d = workspace.join(".deps/asmjit");
    if d.join("src/asmjit/asmjit.h").is_file() {
        return d;
    }
    fail(
        "asmjit source not found (fast-JIT needs it): run `make deps`, which unpacks Debian's \
         `asmjit` source package into .deps/asmjit, or set ASMJIT_SRC_DIR",
    )
}

fn version_of(wamr: &Path) -> String {
    let text = std::fs::read_to_string(wamr.join("core/version.h")).unwrap_or_default();
    let num = |key: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(&format!("#define {key} ")))
            .map(|v| v.trim().to_string())
            .unwrap_or_else(|| "?".into())
    };
    format!(
        "{}.{}.{}",
        num("WAMR_VERSION_MAJOR"),
        num("WAMR_VERSION_MINOR"),
        num("WAMR_VERSION_PATCH")
    )
}

fn main() {
    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap());
    let workspace = manifest.parent().unwrap().to_path_buf();
    let wamr = wamr_src::locate(&workspace).unwrap_or_else(|e| fail(&e));
    let arch = env::var("CARGO_CFG_TARGET_ARCH").unwrap();
    let target = wamr_target(&arch);
    let jit = arch == "x86_64" || arch == "aarch64";

    println!("cargo:rerun-if-changed=build.rs");
    // The whole directory: our CMakeLists, wali_config.h and the C shims
    // compiled into WAMR.
    println!("cargo:rerun-if-changed=cmake");
    println!("cargo:rerun-if-changed=wrapper.h");
    for v in ["WAMR_SRC_DIR", "ASMJIT_SRC_DIR", "WALI_CHECK_ONLY"] {
        println!("cargo:rerun-if-env-changed={v}");
    }
    println!("cargo:rustc-env=WAMR_VERSION={}", version_of(&wamr));
    generate_bindings(&wamr, &manifest);

    // `make check-cross` type-checks the crates for aarch64 and riscv64
    // hosts without a cross C toolchain: bindings only, no WAMR build.
    if env::var_os("WALI_CHECK_ONLY").is_some() {
        return;
    }

    let mut cfg = cmake::Config::new(manifest.join("cmake"));
    cfg.define("WAMR_ROOT_DIR", &wamr)
        .define("WAMR_BUILD_PLATFORM", "linux")
        .define("WAMR_BUILD_TARGET", target)
        .define("WAMR_BUILD_INTERP", "1")
        .define("WAMR_BUILD_FAST_INTERP", "0")
        .define("WAMR_BUILD_AOT", "1")
        .define("WAMR_BUILD_JIT", "0")
        .define("WAMR_BUILD_LIBC_BUILTIN", "0")
        .define("WAMR_BUILD_LIBC_WASI", "0")
        .define("WAMR_BUILD_LIB_PTHREAD", "0")
        .define("WAMR_BUILD_LIB_WASI_THREADS", "0")
        .define("WAMR_BUILD_SHARED_MEMORY", "1")
        .define("WAMR_BUILD_THREAD_MGR", "1")
        .define("WAMR_BUILD_BULK_MEMORY", "1")
        .define("WAMR_BUILD_REF_TYPES", "1")
        .define("WAMR_BUILD_SIMD", "0")
        .define("WAMR_BUILD_MULTI_MODULE", "0")
        .define("WAMR_BUILD_CUSTOM_NAME_SECTION", "1")
        .define("WAMR_BUILD_DUMP_CALL_STACK", "1")
        .define("WAMR_BUILD_AOT_STACK_FRAME", "1")
        // Linear memory keeps its hardware bounds check (guard regions);
        // the native stack is checked in software instead of by guard pages
        // (see the note on WASM_STACK_GUARD_SIZE in cmake/CMakeLists.txt).
        .define("WAMR_DISABLE_STACK_HW_BOUND_CHECK", "1")
        .define("CMAKE_BUILD_TYPE", "Release")
        .profile("Release")
        .build_target("vmlib");
    if jit {
        let asmjit = asmjit_dir(&workspace);
        println!("cargo:rerun-if-changed={}", asmjit.display());
        cfg.define("WAMR_BUILD_FAST_JIT", "1")
            .define("FETCHCONTENT_SOURCE_DIR_ASMJIT", &asmjit)
            .define("FETCHCONTENT_FULLY_DISCONNECTED", "ON");
    } else {
        // asmjit has no riscv64 back end: fast-JIT is not offered there.
        cfg.define("WAMR_BUILD_FAST_JIT", "0");
    }
    let dst = cfg.build();
    let libdir = dst.join("build");
    println!("cargo:rustc-link-search=native={}", libdir.display());
    // Not bundled into rlibs/staticlibs: the final binary links it, and a C
    // embedding that uses libwali.a brings its own WAMR.
    println!("cargo:rustc-link-lib=static:-bundle=vmlib");
    if jit {
        println!("cargo:rustc-link-lib=dylib=stdc++");
    }
    for l in ["m", "dl", "pthread"] {
        println!("cargo:rustc-link-lib=dylib={l}");
    }
    // For dependents (DEP_VMLIB_LIBDIR, DEP_VMLIB_INCLUDE, DEP_VMLIB_SRC).
    println!("cargo:libdir={}", libdir.display());
    println!(
        "cargo:include={}",
        wamr.join("core/iwasm/include").display()
    );
    println!("cargo:src={}", wamr.display());
}

fn generate_bindings(wamr: &Path, manifest: &Path) {
    // clang spells riscv64 targets without Rust's "gc" extension letters.
    let target = env::var("TARGET")
        .unwrap()
        .replace("riscv64gc-", "riscv64-");
    let mut builder = bindgen::Builder::default();
    if env::var("TARGET").unwrap() != env::var("HOST").unwrap() {
        // No target libc headers here: clang's own freestanding stdint.h
        // and stdbool.h are all wasm_export.h needs.
        builder = builder.clang_arg("-ffreestanding");
    }
    let bindings = builder
        .header(manifest.join("wrapper.h").to_string_lossy())
        .clang_arg(format!("--target={target}"))
        .clang_arg(format!("-I{}", wamr.join("core/iwasm/include").display()))
        .allowlist_function("wasm_.*|aot_.*")
        .allowlist_type("wasm_.*|WASM.*|NativeSymbol|RuntimeInitArgs|LoadArgs|RunningMode|.*_t")
        .allowlist_var("WASM_.*|Wasm_.*|Package_.*|Mode_.*|Alloc_.*")
        .prepend_enum_name(false)
        .layout_tests(false)
        .derive_default(true)
        .generate()
        .unwrap_or_else(|e| fail(&format!("bindgen failed on wasm_export.h: {e}")));
    let out = PathBuf::from(env::var("OUT_DIR").unwrap());
    bindings
        .write_to_file(out.join("bindings.rs"))
        .expect("write bindings");
}
