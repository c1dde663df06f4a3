//! The AoT cache (src/runtime/cache.rs): `iwasm app.wasm` in the default mode runs a
//! cached wamrc compilation made in the background by an earlier run. Each
//! test has its own cache directory (`--cache-dir` or `XDG_CACHE_HOME`,
//! with the rest of the environment cleared), never the user's.

mod support;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};
use support::{expand_arg, fresh_dir, iwasm, run_with, shell_status, wasm_of, Mode};

const HIT: &str = "running the cached AoT compilation";
const MISS: &str = "not in the AoT cache yet";

fn run(args: &[&std::ffi::OsStr], env: &[(&str, &Path)]) -> Output {
    let mut cmd = Command::new(iwasm());
    cmd.args(args).env_clear();
    for (k, v) in env {
        cmd.env(k, v);
    }
    run_with(cmd, b"", Duration::from_secs(120))
}

/// `iwasm -v=1 --cache-dir=DIR [extra] hello.wasm`: checks the guest ran
/// right and returns stderr.
fn hello(dir: &Path, extra: &[&str]) -> String {
    let m = wasm_of("hello");
    let cd = format!("--cache-dir={}", dir.display());
    let mut args: Vec<&std::ffi::OsStr> = vec!["-v=1".as_ref(), cd.as_ref()];
    args.extend(extra.iter().map(std::ffi::OsStr::new));
    args.push(m.as_os_str());
    let o = run(&args, &[]);
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(shell_status(&o), 0, "{err}");
    assert_eq!(o.stdout, b"hello, wali\n", "{err}");
    err
}

fn entries(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|r| r.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default();
    v.retain(|p| p.extension().is_some_and(|e| e == "aot"));
    v.sort();
    v
}

/// Waits (the compile runs in the background) until `dir` holds `n`
/// entries and no worker's temporary or lock file is left.
fn wait_entries(dir: &Path, n: usize) -> Vec<PathBuf> {
    let start = Instant::now();
    loop {
        let all: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        let busy = all
            .iter()
            .any(|f| f.starts_with('.') || f.ends_with(".lock"));
        let e = entries(dir);
        if e.len() >= n && !busy {
            assert_eq!(e.len(), n, "{all:?}");
            return e;
        }
        assert!(
            start.elapsed() < Duration::from_secs(300),
            "no {n} cache entries after 300 s: {all:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn cache_dir(tag: &str) -> PathBuf {
    fresh_dir(tag).join("cache")
}

#[test]
fn miss_then_hit() {
    let dir = cache_dir("cache-hit");
    let e = hello(&dir, &[]);
    assert!(e.contains(MISS), "{e}");
    let m = std::fs::metadata(&dir).unwrap();
    assert_eq!(m.mode() & 0o777, 0o700, "the cache directory is private");
    let entry = &wait_entries(&dir, 1)[0];
    let m = std::fs::metadata(entry).unwrap();
    assert_eq!(m.mode() & 0o077, 0, "entries are private");
    assert!(std::fs::read(entry).unwrap().starts_with(b"\0aot"));
    let e = hello(&dir, &[]);
    assert!(e.contains(HIT), "{e}");
    assert!(!e.contains(MISS), "{e}");
    // Without -v nothing is said.
    let m = wasm_of("hello");
    let cd = format!("--cache-dir={}", dir.display());
    let o = run(&[cd.as_ref(), m.as_os_str()], &[]);
    assert_eq!(
        (o.stdout.as_slice(), o.stderr.as_slice()),
        (&b"hello, wali\n"[..], &b""[..])
    );
}

#[test]
fn corrupt_entries_are_replaced() {
    let dir = cache_dir("cache-corrupt");
    hello(&dir, &[]);
    let entry = wait_entries(&dir, 1).remove(0);
    let good = std::fs::read(&entry).unwrap();
    let mut flipped = good.clone();
    flipped[good.len() / 2] ^= 0x40;
    let bad: [(&str, Vec<u8>); 4] = [
        ("flipped byte", flipped),
        ("truncated", good[..good.len() - 100].to_vec()),
        ("cut to the header", good[..16].to_vec()),
        ("empty", Vec::new()),
    ];
    for (what, bytes) in bad {
        std::fs::write(&entry, &bytes).unwrap();
        let e = hello(&dir, &[]);
        assert!(e.contains("dropped a bad AoT cache entry"), "{what}: {e}");
        assert!(!e.contains(HIT), "{what}: {e}");
        let again = wait_entries(&dir, 1);
        assert_eq!(
            std::fs::read(&again[0]).unwrap(),
            good,
            "{what}: recompiled"
        );
        assert!(hello(&dir, &[]).contains(HIT), "{what}");
    }
    // A symlink at the entry's name is not followed, and is replaced.
    std::fs::remove_file(&entry).unwrap();
    let elsewhere = dir.with_extension("elsewhere.aot");
    std::fs::write(&elsewhere, &good).unwrap();
    std::os::unix::fs::symlink(&elsewhere, &entry).unwrap();
    let e = hello(&dir, &[]);
    assert!(e.contains("dropped a bad AoT cache entry"), "{e}");
    wait_entries(&dir, 1);
    assert!(!std::fs::symlink_metadata(&entry).unwrap().is_symlink());
    // An entry others may write is not trusted.
    std::fs::set_permissions(&entry, std::fs::Permissions::from_mode(0o666)).unwrap();
    let e = hello(&dir, &[]);
    assert!(e.contains("writable by other users"), "{e}");
    wait_entries(&dir, 1);
    assert!(hello(&dir, &[]).contains(HIT));
}

#[test]
fn concurrent_first_runs_compile_once() {
    let dir = cache_dir("cache-concurrent");
    let m = wasm_of("hello");
    let cd = format!("--cache-dir={}", dir.display());
    let children: Vec<_> = (0..4)
        .map(|_| {
            Command::new(iwasm())
                .arg(&cd)
                .arg(&m)
                .env_clear()
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for c in children {
        let o = c.wait_with_output().unwrap();
        assert_eq!(shell_status(&o), 0);
        assert_eq!(o.stdout, b"hello, wali\n");
        assert_eq!(o.stderr, b"");
    }
    let e = wait_entries(&dir, 1);
    assert!(std::fs::read(&e[0]).unwrap().starts_with(b"\0aot"));
    let runs: Vec<_> = (0..4)
        .map(|_| {
            Command::new(iwasm())
                .args(["-v=1", &cd])
                .arg(&m)
                .env_clear()
                .output()
                .unwrap()
        })
        .collect();
    for o in runs {
        assert_eq!(o.stdout, b"hello, wali\n");
        assert!(String::from_utf8_lossy(&o.stderr).contains(HIT));
    }
}

#[test]
fn option_change_is_another_entry() {
    let dir = cache_dir("cache-options");
    hello(&dir, &[]);
    let first = wait_entries(&dir, 1);
    let e = hello(&dir, &["--aot-opt-level=1"]);
    assert!(e.contains(MISS), "{e}");
    let both = wait_entries(&dir, 2);
    assert!(both.contains(&first[0]));
    assert!(hello(&dir, &["--aot-opt-level=1"]).contains(HIT));
    assert!(hello(&dir, &[]).contains(HIT));
}

#[test]
fn off_creates_nothing() {
    let base = fresh_dir("cache-off");
    let m = wasm_of("hello");
    let cd = format!("--cache-dir={}", base.join("c1").display());
    let o = run(
        &[
            "-v=1".as_ref(),
            cd.as_ref(),
            "--no-cache".as_ref(),
            m.as_os_str(),
        ],
        &[],
    );
    assert_eq!(o.stdout, b"hello, wali\n");
    assert!(String::from_utf8_lossy(&o.stderr).contains("--no-cache"));
    let xdg = base.join("xdg");
    let mut cmd = Command::new(iwasm());
    cmd.arg(&m)
        .env_clear()
        .env("XDG_CACHE_HOME", &xdg)
        .env("WALI_CACHE", "off");
    let o = run_with(cmd, b"", Duration::from_secs(60));
    assert_eq!(o.stdout, b"hello, wali\n");
    // A mode flag runs that mode: no cache either.
    for flag in ["--interp", "--fast-jit"] {
        let o = run(&[flag.as_ref(), m.as_os_str()], &[("XDG_CACHE_HOME", &xdg)]);
        assert_eq!(o.stdout, b"hello, wali\n");
    }
    std::thread::sleep(Duration::from_millis(200));
    let left: Vec<_> = std::fs::read_dir(&base).unwrap().collect();
    assert!(left.is_empty(), "{left:?}");
    // XDG_CACHE_HOME is where the default cache goes.
    let o = run(&[m.as_os_str()], &[("XDG_CACHE_HOME", &xdg)]);
    assert_eq!(o.stdout, b"hello, wali\n");
    wait_entries(&xdg.join("wali"), 1);
}

#[test]
fn untrusted_dir_is_refused() {
    let dir = cache_dir("cache-refused");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o777)).unwrap();
    let m = wasm_of("hello");
    let cd = format!("--cache-dir={}", dir.display());
    let o = run(&[cd.as_ref(), m.as_os_str()], &[]);
    assert_eq!(o.stdout, b"hello, wali\n");
    let e = String::from_utf8_lossy(&o.stderr);
    assert_eq!(e.lines().count(), 1, "{e}");
    assert!(
        e.contains("is writable by other users: not using it"),
        "{e}"
    );
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
    // Owned by another user (root can make one).
    if is_root() {
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).unwrap();
        std::os::unix::fs::chown(&dir, Some(65534), Some(65534)).unwrap();
        let o = run(&[cd.as_ref(), m.as_os_str()], &[]);
        assert_eq!(o.stdout, b"hello, wali\n");
        let e = String::from_utf8_lossy(&o.stderr);
        assert!(e.contains("is owned by another user: not using it"), "{e}");
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
    }
}

#[test]
fn read_only_dir_runs_uncached() {
    let dir = cache_dir("cache-ro");
    std::fs::create_dir_all(&dir).unwrap();
    let m = wasm_of("hello");
    let mut cmd = if is_root() {
        // Root writes anywhere: run as nobody over nobody's read-only dir.
        std::os::unix::fs::chown(&dir, Some(65534), Some(65534)).unwrap();
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(iwasm());
        c
    } else {
        Command::new(iwasm())
    };
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o500)).unwrap();
    cmd.arg(format!("--cache-dir={}", dir.display()))
        .arg(&m)
        .env_clear();
    let o = run_with(cmd, b"", Duration::from_secs(60));
    assert_eq!(shell_status(&o), 0);
    assert_eq!(o.stdout, b"hello, wali\n");
    assert_eq!(String::from_utf8_lossy(&o.stderr), "");
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
}

#[test]
fn exec_of_a_module_uses_the_cache() {
    let dir = cache_dir("cache-exec");
    let m = wasm_of("exec_main");
    let target = expand_arg(b"@exe:exec_target", Some(Mode::FastJit));
    let target = std::ffi::OsString::from(String::from_utf8(target).unwrap());
    let cd = format!("--cache-dir={}", dir.display());
    let go = || {
        let o = run(
            &[
                "-v=1".as_ref(),
                cd.as_ref(),
                m.as_os_str(),
                "module".as_ref(),
                &target,
            ],
            &[],
        );
        assert_eq!(
            shell_status(&o),
            42,
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        (o.stdout, String::from_utf8_lossy(&o.stderr).into_owned())
    };
    let (out1, e) = go();
    assert_eq!(e.matches(MISS).count(), 2, "both engines compile: {e}");
    wait_entries(&dir, 2);
    let (out2, e) = go();
    assert_eq!(e.matches(HIT).count(), 2, "both engines hit: {e}");
    assert_eq!(out1, out2);
}

fn is_root() -> bool {
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

#[test]
fn relative_dir_and_nothing_in_the_working_directory() {
    // wamrc writes scratch files into its working directory: the worker's
    // is the cache, never the user's; a relative --cache-dir is taken from
    // where iwasm started.
    let cwd = fresh_dir("cache-cwd");
    let m = wasm_of("hello");
    let mut cmd = Command::new(iwasm());
    cmd.args(["--cache-dir=c"])
        .arg(&m)
        .current_dir(&cwd)
        .env_clear();
    let o = run_with(cmd, b"", Duration::from_secs(60));
    assert_eq!(o.stdout, b"hello, wali\n");
    wait_entries(&cwd.join("c"), 1);
    let left: Vec<_> = std::fs::read_dir(&cwd)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, ["c"]);
}

#[test]
fn a_changed_module_file_is_not_run_from_its_old_entry() {
    // The module's digest is indexed by the file's inode and times (so a
    // warm start does not hash it again): rewriting the file in place with
    // other bytes of the same size must still give the new program.
    let work = fresh_dir("cache-index");
    let dir = work.join("cache");
    let m = work.join("m.wasm");
    let bytes = std::fs::read(wasm_of("hello")).unwrap();
    std::fs::write(&m, &bytes).unwrap();
    // Only versions 2 s old are indexed (whole seconds: up to 3 s).
    std::thread::sleep(Duration::from_millis(3500));
    let cd = format!("--cache-dir={}", dir.display());
    let go = |want: &[u8]| {
        let o = run(&["-v=1".as_ref(), cd.as_ref(), m.as_os_str()], &[]);
        assert_eq!(o.stdout, want, "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8_lossy(&o.stderr).into_owned()
    };
    assert!(go(b"hello, wali\n").contains(MISS));
    wait_entries(&dir, 1);
    assert!(std::fs::read_dir(&dir).unwrap().any(|e| e
        .unwrap()
        .path()
        .extension()
        .is_some_and(|x| x == "idx")));
    let e = go(b"hello, wali\n");
    assert!(e.contains(HIT), "{e}");
    assert!(e.contains("the module was not read"), "{e}");
    let at = bytes.windows(11).position(|w| w == b"hello, wali").unwrap();
    let mut other = bytes.clone();
    other[at + 7..at + 11].copy_from_slice(b"WALI");
    let mut f = std::fs::OpenOptions::new().write(true).open(&m).unwrap();
    std::io::Write::write_all(&mut f, &other).unwrap();
    drop(f);
    assert!(go(b"hello, WALI\n").contains(MISS));
    wait_entries(&dir, 2);
    assert!(go(b"hello, WALI\n").contains(HIT));
}
