//! The unsafe rule of DEVELOPERS.md ("unsafe") holds where the compiler
//! alone cannot tell: the crate root denies `unsafe_code`, and the only
//! `#[allow(unsafe_code)]` are the permitted ones (a new one elsewhere would
//! silently widen the rule); no `extern "C"` block is written by hand in
//! `src/` (C functions come from bindgen over `wamr-sys/cmake/wali_shims.h`
//! or from the `libc` crate); and every C shim of ours that Rust may call
//! is declared in that one header.

mod support;

use std::path::{Path, PathBuf};

/// Where `allow(unsafe_code)` may stand: file (under src/) and the item
/// the attribute is on (the first line after it that is not an attribute
/// or a comment, trimmed, up to its first `(` or `{`).
const PERMITTED: &[(&str, &str)] = &[
    ("lib.rs", "pub mod capi;"),
    ("lib.rs", "pub mod engine;"),
    ("lib.rs", "pub mod wamr;"),
    ("abi/mod.rs", "pub mod mem;"),
    ("host/mod.rs", "pub fn syscall"),
    ("host/mod.rs", "pub fn fork"),
    ("host/mod.rs", "pub fn loaded_objects"),
    ("host/mod.rs", "pub mod sigaction;"),
    ("host/mod.rs", "pub fn with_signals_blocked<R>"),
    ("host/mod.rs", "pub fn geteuid"),
    ("host/mod.rs", "pub fn exec_fn"),
    ("host/mod.rs", "pub fn memfd_create"),
    ("host/mod.rs", "fn c_parse<T>"),
    ("host/mod.rs", "pub fn strtoul"),
    ("host/mod.rs", "pub fn strtoull"),
    ("host/mod.rs", "pub fn strtof"),
    ("host/mod.rs", "pub fn strtod"),
    ("host/mod.rs", "pub fn format_g7"),
    ("bin/iwasm/main.rs", "#[no_mangle]"),
];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Each `allow(unsafe_code)` in src/ as (file, item it is on).
fn allows() -> Vec<(String, String)> {
    let src = src();
    let files = support::rust_files(&src);
    let mut found = Vec::new();
    for f in files {
        let rel = f.strip_prefix(&src).unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&f).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for (i, l) in lines.iter().enumerate() {
            let t = l.trim();
            if t.starts_with("//") || !t.contains("allow(unsafe_code") {
                continue;
            }
            assert!(
                !t.starts_with("#!["),
                "{rel}:{}: allow(unsafe_code) for a whole file: put it on the permitted items",
                i + 1
            );
            let item = lines[i + 1..]
                .iter()
                .map(|l| l.trim())
                .find(|l| !l.starts_with("#[allow") && !l.starts_with("//") && !l.is_empty())
                .unwrap_or("");
            let item = item
                .split(['(', '{'])
                .next()
                .unwrap_or("")
                .trim()
                .to_string();
            found.push((rel.clone(), item));
        }
    }
    found
}

#[test]
fn the_crate_root_denies_unsafe_code() {
    let lib = std::fs::read_to_string(src().join("lib.rs")).unwrap();
    assert!(lib.contains("#![deny(unsafe_code, unsafe_op_in_unsafe_fn)]"));
    assert!(
        lib.contains("#![warn(clippy::undocumented_unsafe_blocks, clippy::missing_safety_doc)]")
    );
    let bin = std::fs::read_to_string(src().join("bin/iwasm/main.rs")).unwrap();
    assert!(bin.contains("#![deny(unsafe_code, unsafe_op_in_unsafe_fn)]"));
}

#[test]
fn unsafe_code_is_allowed_only_where_permitted() {
    let found = allows();
    let bad: Vec<_> = found
        .iter()
        .filter(|(f, item)| {
            !PERMITTED
                .iter()
                .any(|(pf, pi)| f == pf && item.starts_with(pi))
        })
        .collect();
    assert!(
        bad.is_empty(),
        "allow(unsafe_code) outside the modules DEVELOPERS.md permits: {bad:?}"
    );
    // The list is not stale: each permitted place is still one.
    for (pf, pi) in PERMITTED {
        assert!(
            found
                .iter()
                .any(|(f, item)| f == pf && item.starts_with(pi)),
            "permitted place no longer found (remove it from PERMITTED): {pf}: {pi}"
        );
    }
}

#[test]
fn no_hand_written_extern_blocks() {
    let files = support::rust_files(&src());
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        for (i, l) in text.lines().enumerate() {
            let t = l.trim();
            let block = t.starts_with("extern \"C\" {")
                || t.starts_with("unsafe extern \"C\" {")
                || t.starts_with("extern {")
                || t.starts_with("extern \"C\"{");
            assert!(
                !block,
                "{}:{}: declare C functions in wamr-sys/cmake/wali_shims.h (bindgen) or use libc",
                f.display(),
                i + 1
            );
        }
    }
}

#[test]
fn every_shim_is_declared_in_the_one_header() {
    let cmake = Path::new(env!("CARGO_MANIFEST_DIR")).join("wamr-sys/cmake");
    let header = std::fs::read_to_string(cmake.join("wali_shims.h")).unwrap();
    // Called by WAMR's own sources in place of theirs, or defined in Rust
    // (see the header's comment): not for Rust to call.
    const NOT_FOR_RUST: &[&str] = &[
        "wali_exec_env_memset",
        "wali_loader_mmap",
        "wali_jit_cache_mmap",
        "wali_pthread_getattr_np",
        "wali_loader_thread_create",
        "wali_vprintf",
        "wali_wamr_output_quiet",
    ];
    let mut checked = 0;
    for e in std::fs::read_dir(&cmake).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_none_or(|x| x != "c") {
            continue;
        }
        let text = std::fs::read_to_string(&p).unwrap();
        // A definition: a line starting with the name, after a line with
        // its (non-static) return type.
        let lines: Vec<&str> = text.lines().collect();
        for w in lines.windows(2) {
            let (ty, def) = (w[0].trim_end(), w[1]);
            if !def.starts_with("wali_") || ty.starts_with("static") || ty.contains("static ") {
                continue;
            }
            let name = def.split('(').next().unwrap();
            if NOT_FOR_RUST.contains(&name) {
                continue;
            }
            assert!(
                header.contains(&format!("{name}(")),
                "{name} ({}) is not declared in wali_shims.h",
                p.display()
            );
            // The compiler checks the definition against the declaration.
            assert!(
                text.contains("#include \"wali_shims.h\""),
                "{} defines {name} but does not include wali_shims.h",
                p.display()
            );
            checked += 1;
        }
    }
    assert!(checked >= 10, "found only {checked} shim definitions");
}
