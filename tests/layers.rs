//! The crate's layers hold: no module imports from a layer above its own.
//!
//! The layers are the top-level folders of `src/` (see `src/lib.rs`), from
//! the bottom: `abi`, `host`, `wamr`, `ctx`, `sys`, `engine`, then `runtime`
//! and `capi.rs`. A file may name (`crate::x::...`, `$crate::x::...`) or call
//! a macro of (`name!`) its own layer or a lower one. Grouped paths at the
//! crate root (`crate::{a, b}`) are refused: they hide what a file imports
//! from this check and from a reader.

mod support;

use std::collections::HashMap;
use std::path::Path;

/// Layers, lowest first: a top-level module (folder or file under src/).
const LAYERS: &[&[&str]] = &[
    &["abi"],
    &["host"],
    &["wamr"],
    &["ctx"],
    &["sys"],
    &["engine"],
    &["runtime", "capi"],
];

fn layer_of_module(name: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&name))
}

/// The layer of a source file, from its path under src/ (None: the crate
/// root and the binary, which may use every layer).
fn layer_of_file(src: &Path, file: &Path) -> Option<usize> {
    let rel = file.strip_prefix(src).ok()?;
    let first = rel.components().next()?.as_os_str().to_str()?;
    layer_of_module(first.trim_end_matches(".rs"))
}

/// The identifier at the start of `s`.
fn ident(s: &str) -> &str {
    let end = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(s.len());
    &s[..end]
}

/// The text of a file without `//` comments (doc links may point anywhere).
fn code_of(text: &str) -> String {
    text.lines()
        .map(|l| match l.find("//") {
            // A `//` inside a string literal is rare in this crate; a URL
            // in a string would only hide text from the check, not add any.
            Some(i) => &l[..i],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn no_layer_imports_from_a_higher_one() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let files = support::rust_files(&src);

    // Exported macros and the layer that defines each.
    let mut macros: HashMap<String, usize> = HashMap::new();
    for f in &files {
        let Some(layer) = layer_of_file(&src, f) else {
            continue;
        };
        let text = std::fs::read_to_string(f).expect("read source");
        for (i, _) in text.match_indices("macro_rules!") {
            let name = ident(text[i + "macro_rules!".len()..].trim_start());
            macros.insert(name.to_string(), layer);
        }
    }

    let mut bad = Vec::new();
    for f in &files {
        let Some(layer) = layer_of_file(&src, f) else {
            continue;
        };
        let rel = f.strip_prefix(&src).unwrap().display().to_string();
        let code = code_of(&std::fs::read_to_string(f).expect("read source"));
        for (i, _) in code.match_indices("crate::") {
            let rest = &code[i + "crate::".len()..];
            if rest.starts_with('{') {
                bad.push(format!("{rel}: grouped `crate::{{...}}` path"));
                continue;
            }
            let name = ident(rest);
            if let Some(target) = layer_of_module(name) {
                if target > layer {
                    bad.push(format!(
                        "{rel} (layer {}) uses crate::{name} (layer {})",
                        LAYERS[layer][0], LAYERS[target][0]
                    ));
                }
            }
        }
        for (name, &target) in &macros {
            if target > layer && code.contains(&format!("{name}!")) {
                bad.push(format!(
                    "{rel} (layer {}) calls macro {name}! (layer {})",
                    LAYERS[layer][0], LAYERS[target][0]
                ));
            }
        }
    }
    bad.sort();
    bad.dedup();
    assert!(bad.is_empty(), "layering violations:\n{}", bad.join("\n"));
}

/// The check itself sees a violation (it would pass vacuously if, say, it
/// found no files or misread paths).
#[test]
fn the_check_sees_files_and_layers() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let files = support::rust_files(&src);
    let layered = files
        .iter()
        .filter(|f| layer_of_file(&src, f).is_some())
        .count();
    assert!(layered > 20, "only {layered} layered files under src/");
    assert_eq!(layer_of_file(&src, &src.join("abi/mem.rs")), Some(0));
    assert_eq!(layer_of_file(&src, &src.join("sys/io/mod.rs")), Some(4));
    assert_eq!(layer_of_file(&src, &src.join("capi.rs")), Some(6));
    assert_eq!(layer_of_file(&src, &src.join("lib.rs")), None);
    assert_eq!(ident("engine::run::run"), "engine");
}
