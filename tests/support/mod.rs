//! The differential test harness: builds each C test program for WALI and
//! natively, runs both, and compares exit status and stdout.
//!
//! * WALI build: Debian's `clang-19 --target=wasm32` + `wasm-ld-19`, no libc,
//!   shared memory, atomics and bulk memory (as real WALI binaries are).
//! * Native build: `gcc` against glibc.
//! * Engine modes: `--interp`, `--fast-jit`, and AoT through `wamrc`
//!   (each AoT file compiled once per content and cached).
//!
//! Builds are cached under `target/wali-tests/` by a hash of the source,
//! headers and flags, so a test run compiles each program once.
#![allow(dead_code)]

use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::ffi::OsString;
use std::hash::{Hash, Hasher};
use std::io::Write;
use std::os::unix::ffi::OsStringExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

pub const ROOT: &str = env!("CARGO_MANIFEST_DIR");

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Interp,
    FastJit,
    Aot,
}

impl Mode {
    pub fn name(self) -> &'static str {
        match self {
            Mode::Interp => "interp",
            Mode::FastJit => "fast-jit",
            Mode::Aot => "aot",
        }
    }

    /// The `iwasm` flag that selects this mode (AoT goes by the file).
    pub fn flag(self) -> Option<&'static str> {
        match self {
            Mode::Interp => Some("--interp"),
            Mode::FastJit => Some("--fast-jit"),
            Mode::Aot => None,
        }
    }
}

/// The file `iwasm` runs for `wasm` in `mode`: the module, or its AoT file.
pub fn module_in(wasm: &Path, mode: Mode) -> PathBuf {
    match mode {
        Mode::Aot => aot_of(wasm),
        _ => wasm.to_path_buf(),
    }
}

/// One differential case: a C program, its arguments, environment, stdin.
#[derive(Clone, Debug, Default)]
pub struct Case {
    pub src: &'static str,
    pub args: Vec<Vec<u8>>,
    pub env: Vec<Vec<u8>>,
    pub stdin: Vec<u8>,
    /// Extra iwasm flags (before the module).
    pub engine_flags: Vec<String>,
}

pub fn case(src: &'static str) -> Case {
    Case {
        src,
        ..Default::default()
    }
}

impl Case {
    pub fn args<I: IntoIterator<Item = S>, S: AsRef<[u8]>>(mut self, a: I) -> Self {
        self.args = a.into_iter().map(|s| s.as_ref().to_vec()).collect();
        self
    }
    pub fn env<I: IntoIterator<Item = S>, S: AsRef<[u8]>>(mut self, e: I) -> Self {
        self.env = e.into_iter().map(|s| s.as_ref().to_vec()).collect();
        self
    }
    pub fn stdin(mut self, s: &[u8]) -> Self {
        self.stdin = s.to_vec();
        self
    }
}

pub fn work_dir() -> PathBuf {
    let d = Path::new(ROOT).join("target/wali-tests");
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn tool(name: &str, fallback: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| fallback.to_string())
}

fn hash_of(parts: &[&[u8]]) -> String {
    let mut h = DefaultHasher::new();
    for p in parts {
        p.hash(&mut h);
    }
    format!("{:016x}", h.finish())
}

fn headers() -> Vec<u8> {
    let mut all = Vec::new();
    for h in ["walitest.h", "wali_syscalls.h"] {
        all.extend(std::fs::read(Path::new(ROOT).join("tests/c").join(h)).unwrap());
    }
    all
}

pub const WASM_FLAGS: &[&str] = &[
    "--target=wasm32",
    "-O2",
    "-nostdlib",
    "-matomics",
    "-mbulk-memory",
    "-mmutable-globals",
    "-msign-ext",
    "-Wall",
    "-Werror",
    "-Wno-unused-function",
    "-Wl,--no-entry",
    "-Wl,--shared-memory",
    "-Wl,--export-memory",
    "-Wl,--max-memory=2147483648",
    "-Wl,--import-undefined",
    "-Wl,--export-table",
];

pub const NATIVE_FLAGS: &[&str] = &["-O2", "-Wall", "-Werror", "-Wno-unused-function"];

fn run_build(mut cmd: Command, what: &str) {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("{what}: cannot run {cmd:?}: {e}"));
    if !out.status.success() {
        panic!(
            "{what} failed: {cmd:?}\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// Builds once per process per key; concurrent tests wait for the first.
fn once(key: String, f: impl FnOnce() -> PathBuf) -> PathBuf {
    static CELLS: OnceLock<Mutex<HashMap<String, Arc<OnceLock<PathBuf>>>>> = OnceLock::new();
    let cell = CELLS
        .get_or_init(Default::default)
        .lock()
        .unwrap()
        .entry(key)
        .or_default()
        .clone();
    cell.get_or_init(f).clone()
}

/// Writes `dst` through a temporary file so a concurrent reader never sees
/// half a file.
fn publish(tmp: &Path, dst: &Path) {
    std::fs::rename(tmp, dst).unwrap();
}

/// The WALI build of `tests/c/<src>.c`.
pub fn wasm_of(src: &str) -> PathBuf {
    let c = Path::new(ROOT).join(format!("tests/c/{src}.c"));
    let text = std::fs::read(&c).unwrap_or_else(|e| panic!("{}: {e}", c.display()));
    let key = hash_of(&[&text, &headers(), WASM_FLAGS.join(" ").as_bytes()]);
    let out = work_dir().join(format!("{src}-{key}.wasm"));
    once(out.to_string_lossy().into_owned(), || {
        if !out.exists() {
            let tmp = out.with_extension(format!("tmp{}", std::process::id()));
            let mut cmd = Command::new(tool("WALI_CLANG", "clang-19"));
            cmd.args(WASM_FLAGS)
                .arg(format!("-I{ROOT}/tests/c"))
                .arg(&c)
                .arg("-o")
                .arg(&tmp);
            run_build(cmd, "WALI build");
            publish(&tmp, &out);
        }
        out.clone()
    })
}

/// The native build of `tests/c/<src>.c`.
pub fn native_of(src: &str) -> PathBuf {
    let c = Path::new(ROOT).join(format!("tests/c/{src}.c"));
    let text = std::fs::read(&c).unwrap();
    let key = hash_of(&[&text, &headers(), NATIVE_FLAGS.join(" ").as_bytes()]);
    let out = work_dir().join(format!("{src}-{key}.native"));
    once(out.to_string_lossy().into_owned(), || {
        if !out.exists() {
            let tmp = out.with_extension(format!("tmp{}", std::process::id()));
            let mut cmd = Command::new(tool("WALI_CC", "gcc"));
            cmd.args(NATIVE_FLAGS)
                .arg(format!("-I{ROOT}/tests/c"))
                .arg(&c)
                .arg("-o")
                .arg(&tmp)
                .arg("-lpthread");
            run_build(cmd, "native build");
            publish(&tmp, &out);
        }
        out.clone()
    })
}

/// `wamrc`, built by `make wamrc` (or named by `$WALI_WAMRC`).
pub fn wamrc() -> PathBuf {
    if let Ok(p) = std::env::var("WALI_WAMRC") {
        return PathBuf::from(p);
    }
    let p = Path::new(ROOT).join("target/release/wamrc");
    assert!(
        p.exists(),
        "AoT tests need wamrc: run `make wamrc` (or `make test`, which builds it)"
    );
    p
}

/// Compiles `wasm` to `out` with `wamrc` and extra `flags`; panics with
/// wamrc's message if it fails.
pub fn wamrc_with(flags: &[&str], wasm: &Path, out: &Path) {
    let o = Command::new(wamrc())
        .args(flags)
        .arg("-o")
        .arg(out)
        .arg(wasm)
        .output()
        .expect("wamrc runs");
    assert!(
        o.status.success(),
        "wamrc {flags:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// The AoT file of a `.wasm`, compiled once per content.
pub fn aot_of(wasm: &Path) -> PathBuf {
    let bytes = std::fs::read(wasm).unwrap();
    let wamrc = wamrc();
    // A rebuilt wamrc may compile differently: its size and time are part of the key.
    let meta = std::fs::metadata(&wamrc).map(|m| format!("{}:{:?}", m.len(), m.modified().ok()));
    let stamp = meta.unwrap_or_default();
    let key = hash_of(&[&bytes, wamrc.to_string_lossy().as_bytes(), stamp.as_bytes()]);
    let stem = wasm.file_stem().unwrap().to_string_lossy().into_owned();
    let out = work_dir().join(format!("{stem}-{key}.aot"));
    once(out.to_string_lossy().into_owned(), || {
        if !out.exists() {
            let tmp = out.with_extension(format!("tmp{}", std::process::id()));
            let mut cmd = Command::new(&wamrc);
            cmd.arg("-o").arg(&tmp).arg(wasm);
            run_build(cmd, "wamrc");
            publish(&tmp, &out);
        }
        out.clone()
    })
}

pub fn iwasm() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_iwasm"))
}

/// A fresh, empty directory for one run.
pub fn fresh_dir(tag: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let d = work_dir().join("run").join(format!(
        "{tag}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Runs a command with stdin, a time limit and captured output.
pub fn run_with(mut cmd: Command, stdin: &[u8], limit: Duration) -> Output {
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    let mut input = child.stdin.take().unwrap();
    let data = stdin.to_vec();
    let feeder = std::thread::spawn(move || {
        let _ = input.write_all(&data);
    });
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let out = child.wait_with_output().unwrap();
            panic!(
                "{cmd:?} did not finish within {limit:?}; stdout so far:\n{}",
                String::from_utf8_lossy(&out.stdout)
            );
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    let _ = feeder.join();
    child.wait_with_output().unwrap()
}

/// Exit status as a shell sees it: the code, or 128 + the signal.
pub fn shell_status(o: &Output) -> i32 {
    use std::os::unix::process::ExitStatusExt;
    o.status
        .code()
        .unwrap_or_else(|| 128 + o.status.signal().unwrap_or(0))
}

pub fn native_run(case: &Case) -> Output {
    let exe = native_of(case.src);
    let dir = fresh_dir(&format!("{}-native", case.src));
    let mut cmd = Command::new(&exe);
    let args = case.args.iter().map(|a| expand_arg(a, None));
    cmd.args(args.map(OsString::from_vec))
        .current_dir(&dir)
        .env_clear()
        .envs(case.env.iter().map(|kv| {
            let i = kv.iter().position(|&b| b == b'=').unwrap();
            (
                OsString::from_vec(kv[..i].to_vec()),
                OsString::from_vec(kv[i + 1..].to_vec()),
            )
        }));
    let out = run_with(cmd, &case.stdin, Duration::from_secs(60));
    let _ = std::fs::remove_dir_all(&dir);
    out
}

/// Runs the WALI build under `iwasm` in `mode`, with the environment given
/// through `--env-file` (as the reference test runner does).
pub fn wali_run(case: &Case, mode: Mode) -> Output {
    let module = module_in(&wasm_of(case.src), mode);
    let dir = fresh_dir(&format!("{}-{}", case.src, mode.name()));
    let envfile = dir.with_extension("env");
    let mut text = Vec::new();
    for kv in &case.env {
        text.extend_from_slice(kv);
        text.push(b'\n');
    }
    std::fs::write(&envfile, text).unwrap();
    let args = case.args.iter().map(|a| expand_arg(a, Some(mode)));
    let mut cmd = Command::new(iwasm());
    cmd.args(mode.flag())
        .args(&case.engine_flags)
        .arg(format!("--env-file={}", envfile.display()))
        .arg(&module)
        .args(args.map(OsString::from_vec))
        .current_dir(&dir)
        .env_clear();
    let out = run_with(cmd, &case.stdin, Duration::from_secs(120));
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_file(&envfile);
    out
}

/// Argument substitution for cases that run another test program (execve):
/// `@exe:NAME` becomes the path of `tests/c/NAME.c` built for the run: its
/// native build natively (`mode` None), its WALI module under the engine,
/// or that module's AoT file in AoT mode. Each is made executable, as an
/// execve target must be. Any other argument is passed as it is.
pub fn expand_arg(arg: &[u8], mode: Option<Mode>) -> Vec<u8> {
    let Some(name) = arg.strip_prefix(b"@exe:") else {
        return arg.to_vec();
    };
    let name = std::str::from_utf8(name).expect("program name is UTF-8");
    let path = match mode {
        None => native_of(name),
        Some(Mode::Aot) => aot_of(&wasm_of(name)),
        Some(_) => wasm_of(name),
    };
    make_executable(&path);
    path.into_os_string().into_vec()
}

/// Adds the execute bits to a built file (wamrc writes its output 0644).
fn make_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let mut perm = std::fs::metadata(path).unwrap().permissions();
    if perm.mode() & 0o111 != 0o111 {
        perm.set_mode(perm.mode() | 0o111);
        std::fs::set_permissions(path, perm).unwrap();
    }
}

/// The differential check: the same status and stdout as native.
pub fn check(case: &Case, mode: Mode) {
    let native = native_run(case);
    let wali = wali_run(case, mode);
    let (ns, ws) = (shell_status(&native), shell_status(&wali));
    if ns != ws || native.stdout != wali.stdout {
        panic!(
            "{} [{}] differs from native\n--- native (status {ns}) stdout:\n{}\n--- wali (status {ws}) stdout:\n{}\n--- wali stderr:\n{}",
            case.src,
            mode.name(),
            String::from_utf8_lossy(&native.stdout),
            String::from_utf8_lossy(&wali.stdout),
            String::from_utf8_lossy(&wali.stderr)
        );
    }
    assert!(
        !native.stdout.windows(12).any(|w| w == b"CHECK FAILED"),
        "{}: the native build fails its own checks:\n{}",
        case.src,
        String::from_utf8_lossy(&native.stdout)
    );
}

/// Declares one test per engine mode for a case: `difftest!(name, case)`.
#[macro_export]
macro_rules! difftest {
    ($name:ident, $case:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            #[test]
            fn interp() {
                $crate::support::check(&$case, $crate::support::Mode::Interp);
            }
            #[test]
            fn fast_jit() {
                $crate::support::check(&$case, $crate::support::Mode::FastJit);
            }
            #[test]
            fn aot() {
                $crate::support::check(&$case, $crate::support::Mode::Aot);
            }
        }
    };
}

// --- Programs over the C library (./wali-cc and the musl sysroot) ----------

/// Runs a build command; on failure, panics with what it printed.
pub fn build(cmd: &mut Command, what: &str) {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("{what}: cannot run {cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{what} failed: {cmd:?}\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Runs a build script of the repository once per test process. Scripts are
/// serialised: they share build/ and the machine's cores.
pub fn build_once(cell: &'static std::sync::OnceLock<()>, script: &str) {
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _guard = LOCK.lock().unwrap_or_else(|e| e.into_inner());
    cell.get_or_init(|| {
        build(
            Command::new("bash")
                .arg(Path::new(ROOT).join(script))
                .current_dir(ROOT),
            script,
        )
    });
}

/// Builds the WALI sysroot (`make sysroot`) once per test process.
pub fn sysroot() {
    static DONE: std::sync::OnceLock<()> = std::sync::OnceLock::new();
    build_once(&DONE, "sysroot/build.sh");
}

/// tests/c/SRC.c built with `./wali-cc -O2 -Wall -Werror WALI_FLAGS` and
/// natively with gcc, once per test process and set of flags:
/// (WALI module, native executable).
pub fn libc_program_with(src: &str, wali_flags: &[&str]) -> (PathBuf, PathBuf) {
    type Built = Vec<(String, PathBuf, PathBuf)>;
    static BUILT: std::sync::Mutex<Built> = std::sync::Mutex::new(Vec::new());
    sysroot();
    let key = format!("{src}{}", wali_flags.concat());
    let mut built = BUILT.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, w, n)) = built.iter().find(|(k, _, _)| *k == key) {
        return (w.clone(), n.clone());
    }
    let c = Path::new(ROOT).join(format!("tests/c/{src}.c"));
    let dir = work_dir().join("libc");
    std::fs::create_dir_all(&dir).expect("create the libc build directory");
    let stem = key.replace(|ch: char| !ch.is_ascii_alphanumeric() && ch != '_', "_");
    let wasm = dir.join(format!("{stem}.wasm"));
    let native = dir.join(format!("{src}.native"));
    build(
        Command::new(Path::new(ROOT).join("wali-cc"))
            .args(["-O2", "-Wall", "-Werror"])
            .args(wali_flags)
            .arg(&c)
            .arg("-o")
            .arg(&wasm),
        "wali-cc",
    );
    build(
        Command::new("gcc")
            .args(["-O2", "-Wall"])
            .arg(&c)
            .arg("-o")
            .arg(&native)
            .args(["-lpthread", "-lm"]),
        "gcc",
    );
    built.push((key, wasm.clone(), native.clone()));
    (wasm, native)
}

/// [`libc_program_with`] without extra flags.
pub fn libc_program(src: &str) -> (PathBuf, PathBuf) {
    libc_program_with(src, &[])
}

/// Runs `script` under `sh -e` in a new user + mount namespace after
/// mounting binfmt_misc there (its own instance: Linux >= 6.7; the host's
/// binfmt_misc is never touched), for binfmt tests; None (with the reason printed) if that is
/// not permitted here.
pub fn in_binfmt_namespace(
    script: &str,
    envs: &[(&str, &Path)],
    limit: Duration,
) -> Option<Output> {
    let probe = Command::new("unshare")
        .args(["-Urm", "sh", "-c"])
        .arg("mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc")
        .output();
    match probe {
        Err(e) => {
            eprintln!("SKIP: cannot run unshare: {e}");
            return None;
        }
        Ok(o) if !o.status.success() => {
            eprintln!(
                "SKIP: no user + mount namespace with its own binfmt_misc here \
                 (needs unprivileged user namespaces and Linux >= 6.7): {}",
                String::from_utf8_lossy(&o.stderr).trim()
            );
            return None;
        }
        Ok(_) => {}
    }
    let mut cmd = Command::new("unshare");
    // A new binfmt_misc instance on the existing /proc: the user namespace
    // owns it, no new procfs mount is needed.
    cmd.args(["-Urm", "sh", "-ec"]).arg(format!(
        "mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc\n{script}"
    ));
    for (k, v) in envs {
        cmd.env(k, v);
    }
    Some(run_with(cmd, b"", limit))
}

/// tests/embed/embed.c (a plain WAMR embedding through `include/wali.h`)
/// linked with `libwali.a` and WAMR's static library, once per test process.
pub fn embed_binary() -> PathBuf {
    static BIN: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BIN.get_or_init(|| {
        let lib = Path::new(ROOT).join("target/release/libwali.a");
        assert!(
            lib.exists(),
            "{} is missing: run `cargo build --release` (make test does)",
            lib.display()
        );
        let out = work_dir().join(format!("embed-{}", std::process::id()));
        let status = Command::new("gcc")
            .arg("-O1")
            .arg(format!("-I{ROOT}/include"))
            .arg(format!("-I{}", env!("WALI_WAMR_INCLUDE")))
            .arg(Path::new(ROOT).join("tests/embed/embed.c"))
            .arg(&lib)
            .arg(format!("{}/libvmlib.a", env!("WALI_VMLIB_DIR")))
            .args(["-lpthread", "-ldl", "-lm", "-lstdc++", "-o"])
            .arg(&out)
            .status()
            .expect("gcc");
        assert!(status.success(), "linking the C embedding failed");
        out
    })
    .clone()
}

/// Every `.rs` file below `dir`, sorted (for the source-rule tests:
/// tests/layers.rs, tests/unsafe_rule.rs).
pub fn rust_files(dir: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).expect("read dir") {
            let p = e.expect("dir entry").path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, &mut out);
    out.sort();
    out
}
