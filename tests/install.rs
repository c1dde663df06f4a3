//! `make install PREFIX=... DESTDIR=...`: the installed tree alone builds
//! and runs WALI programs and C embeddings. Installs into a fresh DESTDIR
//! (never the host), then, with no path into the source tree:
//! * the embedding example (tests/embed/embed.c) compiled with
//!   `pkg-config --cflags --libs wali` (PKG_CONFIG_SYSROOT_DIR/LIBDIR at
//!   the DESTDIR) runs a module;
//! * the installed `wali-cc` names the installed sysroot and builds a libc
//!   program that the installed `iwasm` runs;
//! * a CMake project configured with the installed toolchain file builds a
//!   static library and a program that runs (and `try_run` through iwasm).

mod support;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;
use support::{fresh_dir, shell_status, wasm_of, ROOT};

const PREFIX: &str = "/opt/wali-test";

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn ok(o: &Output, what: &str) {
    assert!(
        o.status.success(),
        "{what}: status {}\n--- stdout:\n{}\n--- stderr:\n{}",
        shell_status(o),
        text(&o.stdout),
        text(&o.stderr)
    );
}

/// The DESTDIR of one `make install` for this test binary.
fn destdir() -> &'static Path {
    static DEST: OnceLock<PathBuf> = OnceLock::new();
    DEST.get_or_init(|| {
        support::sysroot();
        let dest = fresh_dir("install");
        // `-o iwasm`: the engine is built already (cargo test built it,
        // `make iwasm` copied it); install only.
        let o = Command::new("make")
            .args(["-s", "-o", "iwasm", "install"])
            .arg(format!("PREFIX={PREFIX}"))
            .arg(format!("DESTDIR={}", dest.display()))
            .current_dir(ROOT)
            .output()
            .expect("make");
        ok(&o, "make install");
        dest
    })
}

fn prefix() -> PathBuf {
    destdir().join(PREFIX.trim_start_matches('/'))
}

#[test]
fn installs_the_tree_without_source_paths() {
    let p = prefix();
    for f in [
        "bin/iwasm",
        "bin/wali-cc",
        "lib/libwali.a",
        "lib/wali/libvmlib.a",
        "include/wali/wali.h",
        "include/wali/wasm_export.h",
        "include/wali/lib_export.h",
        "lib/pkgconfig/wali.pc",
        "share/wali/sysroot/lib/libc.a",
        "share/wali/sysroot/lib/crt1.o",
        "share/wali/sysroot/include/stdio.h",
        "share/wali/cmake/wali-toolchain.cmake",
    ] {
        assert!(p.join(f).exists(), "{f} not installed");
    }
    if Path::new(ROOT).join("wamrc").exists() {
        assert!(
            p.join("bin/wamrc").exists(),
            "wamrc built but not installed"
        );
    }
    // Nothing installed points back into the source tree.
    for f in [
        "bin/wali-cc",
        "lib/pkgconfig/wali.pc",
        "share/wali/cmake/wali-toolchain.cmake",
    ] {
        let body = std::fs::read_to_string(p.join(f)).unwrap();
        assert!(!body.contains(ROOT), "{f} names the source tree");
    }
    let pc = std::fs::read_to_string(p.join("lib/pkgconfig/wali.pc")).unwrap();
    assert!(pc.contains(&format!("prefix={PREFIX}\n")), "{pc}");
}

/// The embedding example, compiled and linked with only what pkg-config
/// says about the installed tree.
#[test]
fn embedding_builds_from_the_installed_tree() {
    let dest = destdir();
    let pc = |arg: &str| {
        let o = Command::new("pkg-config")
            .args([arg, "wali"])
            .env("PKG_CONFIG_SYSROOT_DIR", dest)
            .env("PKG_CONFIG_LIBDIR", prefix().join("lib/pkgconfig"))
            .env_remove("PKG_CONFIG_PATH")
            .output()
            .expect("pkg-config");
        ok(&o, "pkg-config");
        text(&o.stdout)
            .split_whitespace()
            .map(String::from)
            .collect::<Vec<_>>()
    };
    let (cflags, libs) = (pc("--cflags"), pc("--libs"));
    // Every directory named is in the installed tree (the DESTDIR).
    let inside = [
        format!("-I{}", dest.display()),
        format!("-L{}", dest.display()),
    ];
    for f in cflags.iter().chain(libs.iter()) {
        if f.starts_with("-I") || f.starts_with("-L") {
            assert!(
                inside.iter().any(|p| f.starts_with(p.as_str())),
                "pkg-config names a directory outside the installed tree: {f}"
            );
        }
    }
    assert!(cflags.iter().any(|f| f.starts_with("-I")), "{cflags:?}");
    assert!(libs.iter().any(|l| l == "-lwali"), "{libs:?}");
    let dir = fresh_dir("install-embed");
    // The example's source only: copied, so no include path can find the
    // source tree's headers next to it.
    std::fs::copy(
        Path::new(ROOT).join("tests/embed/embed.c"),
        dir.join("embed.c"),
    )
    .unwrap();
    let o = Command::new("gcc")
        .arg("-O1")
        .args(&cflags)
        .arg("embed.c")
        .args(&libs)
        .args(["-o", "embed"])
        .current_dir(&dir)
        .output()
        .unwrap();
    ok(&o, "gcc embed.c $(pkg-config --cflags --libs wali)");
    let o = Command::new(dir.join("embed"))
        .arg(wasm_of("hello"))
        .output()
        .unwrap();
    ok(&o, "embed hello.wasm");
    assert_eq!(text(&o.stdout), "hello, wali\n");
}

const LIBC_PROGRAM: &str = r#"#include <stdio.h>
#include <stdlib.h>
#include <string.h>
int main(int argc, char **argv) {
    char *s = malloc(64);
    snprintf(s, 64, "%s has %d args", argv[0], argc - 1);
    printf("%s, strlen %zu\n", s, strlen(s));
    free(s);
    return argc == 3 ? 0 : 9;
}
"#;

/// The installed wali-cc compiles against the installed sysroot (what
/// `-print-sysroot` names), and the installed iwasm runs the result.
#[test]
fn installed_wali_cc_and_iwasm_run_a_libc_program() {
    let p = prefix();
    let o = Command::new(p.join("bin/wali-cc"))
        .arg("-print-sysroot")
        .env_remove("WALI_SYSROOT")
        .output()
        .unwrap();
    ok(&o, "wali-cc -print-sysroot");
    assert_eq!(
        text(&o.stdout),
        format!("{}\n", p.join("share/wali/sysroot").display())
    );
    let dir = fresh_dir("install-cc");
    std::fs::write(dir.join("prog.c"), LIBC_PROGRAM).unwrap();
    let o = Command::new(p.join("bin/wali-cc"))
        .args(["-O2", "prog.c", "-o", "prog.wasm"])
        .env_remove("WALI_SYSROOT")
        .current_dir(&dir)
        .output()
        .unwrap();
    ok(&o, "wali-cc prog.c");
    let o = Command::new(p.join("bin/iwasm"))
        .args(["prog.wasm", "a", "b"])
        .current_dir(&dir)
        .output()
        .unwrap();
    ok(&o, "iwasm prog.wasm");
    assert_eq!(text(&o.stdout), "prog.wasm has 2 args, strlen 20\n");
}

/// A CMake project built with the installed toolchain file: a static
/// library (llvm-ar), a program linked with it, a header check against the
/// sysroot, a `try_run` (through iwasm, CMAKE_CROSSCOMPILING_EMULATOR) and
/// `ctest` running the module.
#[test]
fn cmake_toolchain_builds_a_program_that_runs() {
    if Command::new("cmake").arg("--version").output().is_err() {
        println!("skipped: cmake is not installed (scripts/install-deps.sh installs it)");
        return;
    }
    let p = prefix();
    let src = fresh_dir("install-cmake");
    std::fs::write(
        src.join("CMakeLists.txt"),
        r#"cmake_minimum_required(VERSION 3.16)
project(walidemo C)
include(CheckIncludeFile)
check_include_file(sys/epoll.h HAVE_SYS_EPOLL_H)
if(NOT HAVE_SYS_EPOLL_H)
  message(FATAL_ERROR "sys/epoll.h not found in the WALI sysroot")
endif()
try_run(RUN_RESULT COMPILE_RESULT ${CMAKE_BINARY_DIR}/probe
  ${CMAKE_SOURCE_DIR}/probe.c RUN_OUTPUT_VARIABLE PROBE_OUT)
if(NOT COMPILE_RESULT OR NOT RUN_RESULT EQUAL 5)
  message(FATAL_ERROR "try_run: compiled ${COMPILE_RESULT}, ran ${RUN_RESULT}: ${PROBE_OUT}")
endif()
message(STATUS "probe says: ${PROBE_OUT}")
add_library(greet STATIC greet.c)
add_executable(app main.c)
target_link_libraries(app greet)
enable_testing()
add_test(NAME app COMMAND app x y)
"#,
    )
    .unwrap();
    std::fs::write(
        src.join("probe.c"),
        "#include <stdio.h>\nint main(void) { puts(\"probe ran\"); return 5; }\n",
    )
    .unwrap();
    std::fs::write(
        src.join("greet.c"),
        "#include <stdio.h>\nvoid greet(const char *w) { printf(\"hello from cmake, %s\\n\", w); }\n",
    )
    .unwrap();
    std::fs::write(
        src.join("main.c"),
        "void greet(const char *);\nint main(int argc, char **argv) { greet(argc > 1 ? argv[1] : \"nobody\"); return argc == 3 ? 0 : 4; }\n",
    )
    .unwrap();
    let build = src.join("build");
    let o = Command::new("cmake")
        .arg("-S")
        .arg(&src)
        .arg("-B")
        .arg(&build)
        .arg(format!(
            "-DCMAKE_TOOLCHAIN_FILE={}",
            p.join("share/wali/cmake/wali-toolchain.cmake").display()
        ))
        .env_remove("WALI_SYSROOT")
        .output()
        .unwrap();
    ok(&o, "cmake configure");
    assert!(
        text(&o.stdout).contains("probe says: probe ran"),
        "{}",
        text(&o.stdout)
    );
    let o = Command::new("cmake")
        .arg("--build")
        .arg(&build)
        .output()
        .unwrap();
    ok(&o, "cmake --build");
    let app = build.join("app.wasm");
    let head = std::fs::read(&app).unwrap();
    assert_eq!(&head[..4], b"\0asm", "app.wasm is not a wasm module");
    let o = Command::new(p.join("bin/iwasm"))
        .arg(&app)
        .args(["world", "y"])
        .output()
        .unwrap();
    ok(&o, "iwasm app.wasm");
    assert_eq!(text(&o.stdout), "hello from cmake, world\n");
    let o = Command::new("ctest")
        .arg("--output-on-failure")
        .current_dir(&build)
        .output()
        .unwrap();
    ok(&o, "ctest");
}
