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
    println!("cargo:rerun-if-changed=cmake/wali_shims.h");
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

    let interp = patch_interp_classic(&wamr);
    let mut cfg = cmake::Config::new(manifest.join("cmake"));
    cfg.define("WAMR_ROOT_DIR", &wamr)
        .define("WALI_INTERP_CLASSIC", &interp)
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
        // Linked statically into the final binary (asmjit uses little of
        // it): loading and relocating the shared libstdc++ was about a
        // third of iwasm's start-up before a module is even read
        // (bench/README.md, start-up). Not bundled: a C embedding links
        // its own.
        println!("cargo:rustc-link-lib=static:-bundle=stdc++");
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

/// The classic interpreter's exception handling (the legacy Wasm proposal)
/// marks an exception leaving a function with `wasm_set_exception`, which
/// WAMR's thread manager copies to every instance of the cluster, and its
/// return path takes any exception it finds as one thrown by the callee,
/// popping the tag index from the guest's operand stack and indexing the tag
/// table with it unchecked. With guest threads, a throw in one thread (or
/// a trap) would then make another thread read a guest-chosen tag index out
/// of bounds of the host's tag array. The copy compiled instead of
/// `wasm_interp_classic.c` keeps that marker on the throwing instance, acts
/// on it only when it is that marker, and refuses a tag index outside the
/// module's tags. Each replacement must match exactly once: a new WAMR tree
/// fails the build here instead of losing the fix.
fn patch_interp_classic(wamr: &Path) -> PathBuf {
    let src = wamr.join("core/iwasm/interpreter/wasm_interp_classic.c");
    let text = std::fs::read_to_string(&src)
        .unwrap_or_else(|e| fail(&format!("cannot read {}: {e}", src.display())));
    let iwasm = wamr.join("core/iwasm");
    let mut text = text.replace(
        "#include \"../",
        &format!("#include \"{}/", iwasm.display()),
    );
    let local = "/* wali: exception-handling markers stay on this instance\n   \
                 (wamr-sys/build.rs, patch_interp_classic). */\n\
                 static void\nwali_exception_here(WASMModuleInstance *m, const char *e)\n{\n\
                 \x20   exception_lock(m);\n\
                 \x20   if (e)\n\
                 \x20       snprintf(m->cur_exception, sizeof(m->cur_exception), \"Exception: %s\", e);\n\
                 \x20   else\n\
                 \x20       m->cur_exception[0] = '\\0';\n\
                 \x20   exception_unlock(m);\n}\n\
                 static bool\nwali_is_uncaught_marker(WASMModuleInstance *m)\n{\n\
                 \x20   return strcmp(m->cur_exception, \"Exception: uncaught wasm exception\") == 0;\n}\n";
    let patches: [(&str, String); 6] = [
        (
            "#include \"wasm_loader.h\"\n",
            format!("#include \"wasm_loader.h\"\n{local}"),
        ),
        (
            "wasm_set_exception(module,\n                                               \"uncaught wasm exception\");",
            "wali_exception_here(module, \"uncaught wasm exception\");".into(),
        ),
        (
            "        RECOVER_CONTEXT(prev_frame);\n#if WASM_ENABLE_EXCE_HANDLING != 0\n        if (wasm_get_exception(module)) {\n            wasm_set_exception(module, NULL);",
            "        RECOVER_CONTEXT(prev_frame);\n#if WASM_ENABLE_EXCE_HANDLING != 0\n        if (wali_is_uncaught_marker(module)) {\n            wali_exception_here(module, NULL);".into(),
        ),
        (
            "                    && strstr(uncaught_exception, \"uncaught wasm exception\")) {\n                    wasm_set_exception(module, NULL);",
            "                    && strstr(uncaught_exception, \"uncaught wasm exception\")) {\n                    wali_exception_here(module, NULL);".into(),
        ),
        (
            "                              \"exception thrown by stdc++\")) {\n                    wasm_set_exception(module, NULL);",
            "                              \"exception thrown by stdc++\")) {\n                    wali_exception_here(module, NULL);".into(),
        ),
        (
            "                else {\n                    if (module->e->tags[exception_tag_index].is_import_tag) {",
            "                else if (exception_tag_index >= module->e->tag_count) {\n                    wasm_set_exception(module, \"invalid exception tag index\");\n                    goto got_exception;\n                }\n                else {\n                    if (module->e->tags[exception_tag_index].is_import_tag) {".into(),
        ),
    ];
    for (from, to) in patches {
        if text.matches(from).count() != 1 {
            fail(&format!(
                "{}: the exception-handling patch does not apply (WAMR changed?): {from}",
                src.display()
            ));
        }
        text = text.replacen(from, &to, 1);
    }
    let out = PathBuf::from(env::var("OUT_DIR").unwrap()).join("wasm_interp_classic.c");
    std::fs::write(&out, text).expect("write the patched interpreter");
    out
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
        .allowlist_function("wasm_.*|aot_.*|wali_.*")
        .allowlist_type(
            "wasm_.*|WASM.*|NativeSymbol|RuntimeInitArgs|LoadArgs|RunningMode|.*_t|wali_.*",
        )
        .allowlist_var("WASM_.*|Wasm_.*|Package_.*|Mode_.*|Alloc_.*|WALI_.*")
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
