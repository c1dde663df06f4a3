//! A real autotools package built with `CC=wali-cc`, no `--host`: GNU bc
//! (Debian's source package) runs `./configure && make && make check` in a
//! user + mount namespace where `iwasm --register-binfmt` made `.wasm`
//! executables run like ELF ones (its own binfmt_misc: the host's is never
//! touched; skipped, saying why, where the kernel cannot). So configure's
//! test programs run (it decides it is not cross compiling), and bc's build
//! runs the `fbc` it just linked to generate `libmath.h`. The bc and dc
//! built run arithmetic.
//!
//! The source: the upstream release tarball of Debian's `bc` source package
//! (`apt-get source bc`, as apps/common.sh fetches it), unpacked once under
//! build/autotools/. Debian's patches are not applied: one changes
//! `bc/Makefile.am`, which makes `make` rerun automake (Debian's build runs
//! dh_autoreconf); the release builds with configure and make alone, which
//! is what this test is about. Building bc's manual needs `makeinfo`
//! (texinfo) and `libmath.h` needs `ed`, as natively (scripts/install-deps.sh).

mod support;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;
use support::{fresh_dir, iwasm, ROOT};

const BC: &str = "bc-1.07.1";

/// The unpacked release tree, cached under build/autotools/.
fn bc_source() -> PathBuf {
    let cache = Path::new(ROOT).join("build/autotools");
    let tree = cache.join(BC);
    if tree.join("configure").exists() {
        return tree;
    }
    // apt-get source (cached by apps/common.sh under build/apps/src).
    let o = Command::new("bash")
        .arg("-c")
        .arg("source apps/common.sh && fetch_source bc >/dev/null && ls \"$APPS\"/src/bc_*.orig.tar.*")
        .current_dir(ROOT)
        .output()
        .expect("bash");
    assert!(
        o.status.success(),
        "cannot fetch Debian's bc source (apt-get source bc; deb-src entries: scripts/install-deps.sh): {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let tarball = String::from_utf8_lossy(&o.stdout).trim().to_string();
    let tmp = cache.join(format!(".unpack-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    let st = Command::new("tar")
        .arg("xf")
        .arg(&tarball)
        .current_dir(&tmp)
        .status()
        .unwrap();
    assert!(st.success(), "cannot unpack {tarball}");
    // Another test binary may have won the race: either tree is the same.
    let _ = std::fs::rename(tmp.join(BC), &tree);
    let _ = std::fs::remove_dir_all(&tmp);
    assert!(
        tree.join("configure").exists(),
        "no configure in {}",
        tree.display()
    );
    tree
}

fn have(tool: &str) -> bool {
    Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {tool} >/dev/null"))
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

#[test]
fn gnu_bc_configure_make_check_with_wali_cc() {
    for tool in ["makeinfo", "ed", "make"] {
        assert!(
            have(tool),
            "{tool} is missing (bc's build needs it natively too): run scripts/install-deps.sh"
        );
    }
    support::sysroot();
    let src = bc_source();
    let dir = fresh_dir("autotools-bc");
    // A copy per run (configure writes into the tree), timestamps kept so
    // that make regenerates nothing of the release.
    let st = Command::new("cp")
        .arg("-a")
        .arg(&src)
        .arg(&dir)
        .status()
        .unwrap();
    assert!(st.success());
    let tree = dir.join(BC);
    let iwasm = std::fs::canonicalize(iwasm()).unwrap();
    let cc = Path::new(ROOT).join("wali-cc");
    let script = r#"
"$IWASM" --register-binfmt >/dev/null
cd "$TREE"
fail() { echo "== $1 failed (status $2); end of $1.log:"; tail -n 40 "$1.log"; exit 1; }
CC="$WALI_CC" nice ./configure >configure.log 2>&1 || fail configure $?
grep "checking whether we are cross compiling" configure.log
nice make >make.log 2>&1 || fail make $?
nice make check >check.log 2>&1 || fail check $?
echo "== bc"
echo '2^64' | ./bc/bc
echo 'scale=20; 4*a(1)' | ./bc/bc -l
echo "== dc"
echo '2 100 ^ p' | ./dc/dc
echo "== magic"
head -c 4 bc/bc | od -An -c | tr -s ' '
"#;
    let Some(o) = support::in_binfmt_namespace(
        script,
        &[("IWASM", &iwasm), ("TREE", &tree), ("WALI_CC", &cc)],
        Duration::from_secs(1800),
    ) else {
        return;
    };
    let out = String::from_utf8_lossy(&o.stdout);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        o.status.success(),
        "bc build failed\n--- stdout:\n{out}\n--- stderr:\n{err}"
    );
    assert_eq!(
        out,
        "checking whether we are cross compiling... no\n\
         == bc\n18446744073709551616\n3.14159265358979323844\n\
         == dc\n1267650600228229401496703205376\n\
         == magic\n \\0 a s m\n",
        "stderr:\n{err}"
    );
}
