//! The coverage report of the WALI surface: every spec name, whether the
//! engine implements it and whether a differential test calls it.
//! `make coverage` prints it; the test fails if an implemented syscall has
//! no test program calling it.

use std::collections::BTreeSet;
use std::path::Path;

/// Names `sys_NAME(` called by the C test programs.
fn tested_names() -> BTreeSet<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/c");
    let mut names = BTreeSet::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let p = entry.path();
        let generated = p.file_name().is_some_and(|n| n == "wali_syscalls.h");
        if generated || p.extension().is_none_or(|e| e != "c" && e != "h") {
            continue;
        }
        let text = std::fs::read_to_string(&p).unwrap();
        // A test's own typed import: `WALI_IMPORT("SYS_name") T ident(...)`,
        // with a native twin `ident` defined beside it; tested if used again
        // (called, or passed to a helper that calls it).
        for line in text.lines() {
            let Some(rest) = line.split("WALI_IMPORT(\"SYS_").nth(1) else {
                continue;
            };
            let Some((name, decl)) = rest.split_once('"') else {
                continue;
            };
            let Some(ident) = decl
                .split('(')
                .next()
                .and_then(|d| d.split_whitespace().last())
                .map(|i| i.trim_start_matches('*'))
            else {
                continue;
            };
            if text.matches(ident).count() >= 3 {
                names.insert(name.to_string());
            }
        }
        for (i, _) in text.match_indices("sys_") {
            // A call: `sys_NAME(` not preceded by an identifier character.
            if i > 0 {
                let prev = text.as_bytes()[i - 1];
                if prev.is_ascii_alphanumeric() || prev == b'_' {
                    continue;
                }
            }
            let rest = &text[i + 4..];
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            if rest[end..].starts_with('(') {
                names.insert(rest[..end].to_string());
            }
        }
    }
    names
}

#[test]
fn coverage_report() {
    let implemented: BTreeSet<&str> = wali::engine::register::implemented_names()
        .into_iter()
        .collect();
    let tested = tested_names();
    let mut rows = Vec::new();
    let (mut n_impl, mut n_tested, mut n_enosys) = (0, 0, 0);
    let mut untested = Vec::new();
    for sc in wali::abi::spec::SYSCALLS.iter() {
        let imp = implemented.contains(sc.name);
        let t = tested.contains(sc.name);
        let status = match (imp, t) {
            (true, true) => "implemented, tested",
            (true, false) => "implemented, NOT TESTED",
            (false, _) => "ENOSYS",
        };
        n_impl += imp as usize;
        n_tested += (imp && t) as usize;
        n_enosys += !imp as usize;
        if imp && !t {
            untested.push(sc.name);
        }
        let spec = if sc.spec_implemented {
            ""
        } else {
            " (spec: unimplemented)"
        };
        rows.push(format!("{:<24} {status}{spec}", sc.name));
    }
    let report = format!(
        "{}\nspec names: {}; implemented: {n_impl}; implemented and tested: {n_tested}; ENOSYS: {n_enosys}\n",
        rows.join("\n"),
        wali::abi::spec::SYSCALLS.len()
    );
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/coverage.txt");
    std::fs::write(&out, &report).unwrap();
    println!("{report}(written to {})", out.display());
    // Every implemented name belongs to the spec, and has a test.
    for name in &implemented {
        assert!(
            wali::abi::spec_types::Syscall::find(name).is_some(),
            "{name} is implemented but not a spec name"
        );
    }
    assert!(
        untested.is_empty(),
        "implemented but untested: {untested:?}"
    );
}
