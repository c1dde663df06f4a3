//! The sandbox (`--dir`, `--net`, `--no-native-exec`, `--scoped`,
//! `--timeout`, `--sandbox`; src/host/sandbox.rs) in every engine mode, for the
//! guest (tests/c/sandbox_ops.c), for a native program it execs and for a
//! `.wasm` module it execs. Where Landlock decides, the WALI run is compared
//! with the native build of the same program run under the same Landlock
//! ruleset (entered between fork and exec), and the key results are also
//! asserted outright. Every run works in a fresh directory under
//! target/wali-tests; tests that need Landlock print why and pass on a
//! kernel without it.

mod support;
use std::collections::BTreeMap;
use std::os::fd::AsRawFd;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;
use support::{fresh_dir, iwasm, module_in, native_of, run_with, shell_status, wasm_of, Mode};
use wali::host::sandbox::Sandbox;

const MODES: [Mode; 3] = [Mode::Interp, Mode::FastJit, Mode::Aot];

/// The kernel's Landlock ABI, or None (with the reason printed) when it is
/// below `need`.
fn landlock(need: i32) -> Option<i32> {
    let abi = wali::host::sandbox::landlock_abi();
    if abi < need {
        eprintln!("skipped: this kernel's Landlock ABI is {abi}, the test needs {need}");
        return None;
    }
    Some(abi)
}

/// A fresh `work` directory (the sandbox) and an `out` directory beside it
/// holding `secret`.
struct Fixture {
    base: PathBuf,
    work: PathBuf,
    out: PathBuf,
}

impl Fixture {
    fn new(tag: &str) -> Fixture {
        let base = fresh_dir(&format!("sandbox-{tag}"));
        let work = base.join("work");
        let out = base.join("out");
        std::fs::create_dir_all(&work).unwrap();
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join("secret"), "s3cret\n").unwrap();
        Fixture { base, work, out }
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.base);
    }
}

/// `label=value` lines of a run's stdout.
fn lines(o: &Output) -> BTreeMap<String, String> {
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn show(o: &Output) -> String {
    format!(
        "status {}\n--- stdout\n{}--- stderr\n{}",
        shell_status(o),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Hands `dir` (opened now, before any policy) to the program as fd 3.
fn with_fd3(cmd: &mut Command, dir: &Path) {
    let f = std::fs::File::open(dir).unwrap();
    // SAFETY: dup2 is async-signal-safe; the file stays open in the closure.
    unsafe {
        cmd.pre_exec(move || {
            // dup2 onto itself would keep close-on-exec.
            let r = if f.as_raw_fd() == 3 {
                libc::fcntl(3, libc::F_SETFD, 0)
            } else {
                libc::dup2(f.as_raw_fd(), 3)
            };
            if r < 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
}

/// sandbox_ops under `iwasm` in `mode` with `flags`, in `cwd`.
fn wali(mode: Mode, flags: &[&str], args: &[&str], cwd: &Path, fd3: Option<&Path>) -> Output {
    let module = module_in(&wasm_of("sandbox_ops"), mode);
    let mut cmd = Command::new(iwasm());
    cmd.args(mode.flag())
        .args(flags)
        .arg(&module)
        .args(args)
        .current_dir(cwd)
        .env_clear();
    if let Some(d) = fd3 {
        with_fd3(&mut cmd, d);
    }
    run_with(cmd, b"", Duration::from_secs(120))
}

/// The native build of sandbox_ops under `policy`'s Landlock ruleset.
fn native(policy: &Sandbox, abi: i32, args: &[&str], cwd: &Path, fd3: Option<&Path>) -> Output {
    // The program itself must stay executable under file rules.
    let policy = if policy.restricts_files() {
        policy.clone().dir(native_of("sandbox_ops"), true)
    } else {
        policy.clone()
    };
    let ruleset = policy.ruleset(abi).unwrap().expect("a Landlock ruleset");
    let mut cmd = Command::new(native_of("sandbox_ops"));
    cmd.args(args).current_dir(cwd).env_clear();
    // SAFETY: restrict makes two system calls and allocates nothing. First,
    // before fd 3 is replaced (the ruleset may be fd 3).
    unsafe {
        cmd.pre_exec(move || {
            wali::host::sandbox::restrict(&ruleset)
                .map_err(|e| std::io::Error::from_raw_os_error(e.0))
        });
    }
    if let Some(d) = fd3 {
        with_fd3(&mut cmd, d);
    }
    run_with(cmd, b"", Duration::from_secs(60))
}

/// Asserts `want` (label, value) pairs in `got`.
fn expect(got: &BTreeMap<String, String>, want: &[(&str, &str)], o: &Output, what: &str) {
    for (k, v) in want {
        assert_eq!(
            got.get(*k).map(String::as_str),
            Some(*v),
            "{what}: {k}\n{}",
            show(o)
        );
    }
}

/// Runs `args` under `flags` in WALI (every mode) and natively under
/// `policy`: the same status and lines, and `want` in both.
fn differential(
    tag: &str,
    flags: &[&str],
    policy: impl Fn(&Fixture) -> Sandbox,
    args: impl Fn(&Fixture) -> Vec<String>,
    fd3: bool,
    want: &[(&str, &str)],
) {
    let Some(abi) = landlock(6) else { return };
    for mode in MODES {
        let fx = Fixture::new(&format!("{tag}-{}", mode.name()));
        let a = args(&fx);
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        let w = wali(mode, flags, &a, &fx.work, fd3.then_some(fx.out.as_path()));
        drop(fx);
        let fx = Fixture::new(&format!("{tag}-native"));
        let a = args(&fx);
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        let n = native(
            &policy(&fx),
            abi,
            &a,
            &fx.work,
            fd3.then_some(fx.out.as_path()),
        );
        let (wl, nl) = (lines(&w), lines(&n));
        expect(&nl, want, &n, &format!("{tag} native"));
        expect(&wl, want, &w, &format!("{tag} {}", mode.name()));
        assert_eq!(
            shell_status(&w),
            shell_status(&n),
            "{tag} {}\n{}",
            mode.name(),
            show(&w)
        );
        assert_eq!(
            wl,
            nl,
            "{tag} {}: differs from native\n{}",
            mode.name(),
            show(&w)
        );
    }
}

fn fs_args(fx: &Fixture) -> Vec<String> {
    vec!["fs".into(), fx.out.display().to_string(), "../out".into()]
}

/// What Landlock says for the file operations with `--dir=.` (read-write).
const FS_RW: &[(&str, &str)] = &[
    ("create_inside", "0"),
    ("write_inside", "5"),
    ("read_inside", "5"),
    ("read_outside", "-13"),
    ("create_outside", "-13"),
    ("dotdot", "-13"),
    ("dotdot_dir", "-13"),
    ("etc_passwd", "-13"),
    ("symlink_make", "0"),
    ("symlink_read", "-13"),
    ("symlink_dir", "0"),
    ("symlink_dir_read", "-13"),
    ("proc_root", "-13"),
    ("proc_cwd_dotdot", "-13"),
    ("hardlink_in", "-18"),
    ("hardlink_out", "-13"),
    ("rename_out", "-13"),
    ("rename_in", "-13"),
    ("truncate_out", "-13"),
    ("unlink_out", "-13"),
    ("mkdir_out", "-13"),
    ("mkdir_in", "0"),
    ("rename_within", "0"),
    ("link_within", "0"),
    ("truncate_in", "0"),
    ("dirfd_secret", "-13"),
    ("dirfd_create", "-13"),
    ("dirfd_dotdot", "-13"),
    ("procfd_secret", "-13"),
    ("procfd_dir", "-13"),
    ("devfd_secret", "-13"),
];

#[test]
fn files_read_write() {
    differential(
        "fs",
        &["--dir=."],
        |fx| Sandbox::new().dir(&fx.work, false),
        fs_args,
        true,
        FS_RW,
    );
}

#[test]
fn files_read_only() {
    differential(
        "fs-ro",
        &["--dir=.:ro"],
        |fx| Sandbox::new().dir(&fx.work, true),
        fs_args,
        true,
        &[
            ("create_inside", "-13"),
            ("read_outside", "-13"),
            ("dotdot", "-13"),
            ("symlink_make", "-13"),
            ("mkdir_in", "-13"),
            ("proc_root", "-13"),
            ("dirfd_secret", "-13"),
        ],
    );
}

/// Without a policy the same program reaches everything (the tests above
/// can fail).
#[test]
fn files_without_policy() {
    for mode in MODES {
        let fx = Fixture::new(&format!("fs-open-{}", mode.name()));
        let a = fs_args(&fx);
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        let w = wali(mode, &[], &a, &fx.work, Some(&fx.out));
        let l = lines(&w);
        expect(
            &l,
            &[
                ("read_outside", "0"),
                ("dotdot", "0"),
                ("proc_root", "0"),
                // (secret was renamed away by rename_in by then)
                ("dirfd_create", "0"),
                ("procfd_dir", "0"),
                ("rename_in", "0"),
                ("symlink_read", "0"),
            ],
            &w,
            mode.name(),
        );
    }
}

/// No descriptor the engine hands the guest leads out of the sandbox.
#[test]
fn engine_descriptors() {
    if landlock(6).is_none() {
        return;
    }
    for mode in MODES {
        let fx = Fixture::new(&format!("fds-{}", mode.name()));
        let w = wali(mode, &["--sandbox"], &["fds"], &fx.work, None);
        expect(&lines(&w), &[("escapes", "0")], &w, mode.name());
        assert_eq!(shell_status(&w), 0, "{}", show(&w));
    }
}

/// A TCP listener on 127.0.0.1 and a port nobody listens on.
fn listener() -> std::net::TcpListener {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap()
}

fn free_port() -> u16 {
    listener().local_addr().unwrap().port()
}

#[test]
fn tcp_ports() {
    let (ok, denied) = (listener(), listener());
    let (okp, deniedp) = (
        ok.local_addr().unwrap().port(),
        denied.local_addr().unwrap().port(),
    );
    let (bok, bdenied) = (free_port(), free_port());
    let flag = format!("--net={okp},{bok}");
    let args = move |_: &Fixture| {
        vec![
            "tcp".to_string(),
            okp.to_string(),
            deniedp.to_string(),
            bok.to_string(),
            bdenied.to_string(),
        ]
    };
    differential(
        "tcp",
        &[&flag],
        |_| Sandbox::new().net_ports(&[okp, bok]),
        args,
        false,
        &[
            ("tcp_socket", "0"),
            ("connect_allowed", "0"),
            ("connect_denied", "-13"),
            ("bind_allowed", "0"),
            ("bind_denied", "-13"),
            ("socketpair_unix", "0"),
        ],
    );
    differential(
        "tcp-none",
        &["--net=none"],
        |_| Sandbox::new().net_ports(&[]),
        args,
        false,
        &[
            ("connect_allowed", "-13"),
            ("connect_denied", "-13"),
            ("bind_allowed", "-13"),
        ],
    );
}

/// Landlock rules TCP only: the engine refuses the other sockets under
/// --net (native programs are not covered: see docs/SECURITY.md).
#[test]
fn other_sockets() {
    if landlock(4).is_none() {
        return;
    }
    for mode in MODES {
        let fx = Fixture::new(&format!("udp-{}", mode.name()));
        let w = wali(mode, &["--net=none"], &["udp"], &fx.work, None);
        expect(
            &lines(&w),
            &[
                ("udp", "-13"),
                ("raw", "-13"),
                ("packet", "-13"),
                ("unix", "0"),
            ],
            &w,
            mode.name(),
        );
        let w = wali(mode, &[], &["udp"], &fx.work, None);
        expect(&lines(&w), &[("udp", "0"), ("unix", "0")], &w, mode.name());
    }
}

/// A process outside the sandbox.
struct Sleeper(std::process::Child);

impl Sleeper {
    fn new() -> Sleeper {
        Sleeper(Command::new("sleep").arg("60").spawn().unwrap())
    }
    fn pid(&self) -> String {
        self.0.id().to_string()
    }
}

impl Drop for Sleeper {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn signals_scoped() {
    let s = Sleeper::new();
    let pid = s.pid();
    let args = move |_: &Fixture| vec!["sig".to_string(), pid.clone()];
    differential(
        "sig",
        &["--scoped"],
        |_| Sandbox::new().scoped(true),
        &args,
        false,
        &[
            ("kill_outside", "-1"),
            ("kill_parent", "-1"),
            ("kill_self", "0"),
            ("kill_child", "0"),
            ("wait_child", "9"),
        ],
    );
    // Without --scoped the same signals reach.
    let fx = Fixture::new("sig-open");
    let w = wali(Mode::Interp, &[], &["sig", &s.pid()], &fx.work, None);
    expect(
        &lines(&w),
        &[("kill_outside", "0"), ("kill_parent", "0")],
        &w,
        "open",
    );
}

#[test]
fn abstract_unix_scoped() {
    use std::os::linux::net::SocketAddrExt;
    let name = format!("wali-sandbox-test-{}", std::process::id());
    let addr = std::os::unix::net::SocketAddr::from_abstract_name(name.as_bytes()).unwrap();
    let _l = std::os::unix::net::UnixListener::bind_addr(&addr).unwrap();
    let n = name.clone();
    differential(
        "unix",
        &["--scoped"],
        |_| Sandbox::new().scoped(true),
        move |_| vec!["unix".to_string(), n.clone()],
        false,
        &[
            ("abstract_outside", "-1"),
            ("bind_inside", "0"),
            ("abstract_inside", "0"),
        ],
    );
    let fx = Fixture::new("unix-open");
    let w = wali(Mode::Interp, &[], &["unix", &name], &fx.work, None);
    expect(&lines(&w), &[("abstract_outside", "0")], &w, "open");
}

/// What `procenv` prints (tests/c/sandbox_ops.c) with `/proc` closed: under
/// `--dir`, nothing of `/proc` is readable (other processes' environment,
/// maps and command line, the engine's own, the directory itself), for the
/// guest as natively under the same ruleset.
const PROC_CLOSED: &[(&str, &str)] = &[
    ("proc_environ", "-13"),
    ("proc_maps", "-13"),
    ("proc_cmdline", "-13"),
    ("self_environ", "-13"),
    ("self_maps", "-13"),
    ("proc_dir", "-13"),
    ("proc_cwd", "-13"),
];

/// The same with `--dir=/proc:ro` given explicitly (documented as widening
/// the sandbox): readable, as natively under that ruleset, while a link
/// there to a directory outside still leads nowhere.
const PROC_WIDENED: &[(&str, &str)] = &[
    ("proc_environ", "0"),
    ("proc_maps", "0"),
    ("self_maps", "0"),
    ("proc_dir", "0"),
    ("proc_cwd", "-13"),
];

/// A shell script for a native child: `cat` of /proc files of `pid` and of
/// itself, each printing `label=status` (0: read, 1: refused).
fn proc_script(pid: &str) -> Vec<String> {
    vec![
        "exec".to_string(),
        "/bin/sh".to_string(),
        "-c".to_string(),
        format!(
            "cat /proc/{pid}/environ >junk 2>&-; echo proc_environ=$?; \
             cat /proc/{pid}/maps >junk 2>&-; echo proc_maps=$?; \
             cat /proc/self/environ >junk 2>&-; echo self_environ=$?; \
             cat /proc/self/maps >junk 2>&-; echo self_maps=$?"
        ),
    ]
}

/// Under --dir, /proc is closed like every other tree outside the allowed
/// ones: to the guest, to a native program it execs and to a module it
/// execs (whose engine then runs without /proc), in every mode; only an
/// explicit --dir=/proc:ro opens it.
#[test]
fn proc_of_others() {
    let s = Sleeper::new();
    differential(
        "procenv",
        &["--dir=."],
        |fx| Sandbox::new().dir(&fx.work, false),
        |_| vec!["procenv".to_string(), s.pid()],
        false,
        PROC_CLOSED,
    );
    differential(
        "procenv-widened",
        &["--dir=.", "--dir=/proc:ro"],
        |fx| Sandbox::new().dir(&fx.work, false).dir("/proc", true),
        |_| vec!["procenv".to_string(), s.pid()],
        false,
        PROC_WIDENED,
    );
    // A native child (the shell and cat, from /usr).
    differential(
        "procenv-native-child",
        &["--dir=/usr:ro", "--dir=."],
        |fx| Sandbox::new().dir("/usr", true).dir(&fx.work, false),
        |_| proc_script(&s.pid()),
        false,
        &[
            ("proc_environ", "1"),
            ("proc_maps", "1"),
            ("self_environ", "1"),
            ("self_maps", "1"),
        ],
    );
    differential(
        "procenv-native-child-widened",
        &["--dir=/usr:ro", "--dir=.", "--dir=/proc:ro"],
        |fx| {
            Sandbox::new()
                .dir("/usr", true)
                .dir(&fx.work, false)
                .dir("/proc", true)
        },
        |_| proc_script(&s.pid()),
        false,
        &[
            ("proc_environ", "0"),
            ("proc_maps", "0"),
            ("self_maps", "0"),
        ],
    );
    // A module the guest execs: the same as for the guest itself.
    if landlock(6).is_none() {
        return;
    }
    for mode in MODES {
        let fx = Fixture::new(&format!("procenv-child-{}", mode.name()));
        let child = child_module(mode, &fx.work);
        for (flags, want) in [
            (&["--dir=."][..], PROC_CLOSED),
            (&["--sandbox"][..], PROC_CLOSED),
            (&["--dir=.", "--dir=/proc:ro"][..], PROC_WIDENED),
        ] {
            let w = wali(
                mode,
                flags,
                &["exec", &child, "procenv", &s.pid()],
                &fx.work,
                None,
            );
            let what = format!("procenv child {flags:?} {}", mode.name());
            expect(&lines(&w), want, &w, &what);
            assert_eq!(shell_status(&w), 0, "{what}\n{}", show(&w));
        }
    }
}

/// The engine's refusal of procfs `mem` files holds where /proc is open to
/// the guest (`--dir=/proc`, even read-write), in the guest and in the
/// engine re-executed for a module inside the domain (which judges the
/// descriptor by its `/proc/self/fd` link, read with `readlink`, not ruled
/// by Landlock; a file it cannot tell would be refused), while other files
/// there stay readable; with /proc closed Landlock refuses first.
#[test]
fn proc_mem_refused() {
    if landlock(6).is_none() {
        return;
    }
    for mode in MODES {
        let fx = Fixture::new(&format!("procmem-{}", mode.name()));
        let child = child_module(mode, &fx.work);
        for (flags, maps) in [
            (&["--dir=.", "--dir=/proc"][..], "0"),
            (&["--dir=.", "--dir=/proc:ro"][..], "0"),
            (&["--dir=."][..], "-13"),
        ] {
            for args in [&["procmem"][..], &["exec", &child, "procmem"][..]] {
                let w = wali(mode, flags, args, &fx.work, None);
                let what = format!("{flags:?} {args:?} {}", mode.name());
                expect(
                    &lines(&w),
                    &[
                        ("self_mem_r", "-13"),
                        ("self_mem_rw", "-13"),
                        ("self_maps", maps),
                    ],
                    &w,
                    &what,
                );
                assert_eq!(shell_status(&w), 0, "{what}\n{}", show(&w));
            }
        }
    }
}

/// Copies `src`'s module of `mode` into `dir` as an executable `name`.
fn module_copy(src: &str, mode: Mode, dir: &Path, name: &str) -> String {
    use std::os::unix::fs::PermissionsExt;
    let dst = dir.join(name);
    std::fs::copy(module_in(&wasm_of(src), mode), &dst).unwrap();
    std::fs::set_permissions(&dst, std::fs::Permissions::from_mode(0o755)).unwrap();
    format!("./{name}")
}

/// A module exec'd from a sandboxed guest runs in an engine that starts
/// inside the Landlock domain, without /proc: its stack bounds still hold.
/// Deep recursion on the main thread and on a spawned thread gives the same
/// results as natively, and endless recursion (on the main thread, with
/// host calls at the limit, on a spawned thread) ends in the engine's trap,
/// never in a signal, in every mode.
#[test]
fn wasm_child_stack() {
    use std::os::unix::process::ExitStatusExt;
    if landlock(6).is_none() {
        return;
    }
    let depth = "200000";
    let native = run_with(
        {
            let mut c = Command::new(native_of("deep_recursion"));
            c.arg(depth);
            c
        },
        b"",
        Duration::from_secs(60),
    );
    assert_eq!(shell_status(&native), 0, "{}", show(&native));
    for mode in MODES {
        let fx = Fixture::new(&format!("child-stack-{}", mode.name()));
        let deep = module_copy("deep_recursion", mode, &fx.work, "deep.wasm");
        let trap = module_copy("trap", mode, &fx.work, "trap.wasm");
        for flags in [&["--dir=."][..], &["--sandbox"][..]] {
            let what = format!("{flags:?} {}", mode.name());
            // The interpreter and fast JIT keep these frames on the wasm
            // stack (as tests/threads.rs); the exec'd engine gets the size.
            let mut big = flags.to_vec();
            big.push("--stack-size=134217728");
            let w = wali(mode, &big, &["exec", &deep, depth], &fx.work, None);
            assert_eq!(shell_status(&w), 0, "deep {what}\n{}", show(&w));
            assert_eq!(w.stdout, native.stdout, "deep {what}\n{}", show(&w));
            let expect = if mode == Mode::Aot {
                "native stack overflow"
            } else {
                "wasm operand stack overflow"
            };
            for how in ["2", "3", "4"] {
                let w = wali(mode, flags, &["exec", &trap, how], &fx.work, None);
                let e = String::from_utf8_lossy(&w.stderr);
                assert_eq!(w.status.signal(), None, "trap {how} {what}\n{}", show(&w));
                assert_ne!(w.status.code(), Some(0), "trap {how} {what}\n{}", show(&w));
                assert_eq!(
                    String::from_utf8_lossy(&w.stdout),
                    "before trap\n",
                    "trap {how} {what}\n{}",
                    show(&w)
                );
                assert!(
                    e.lines()
                        .any(|l| l.contains("iwasm: ") && l.contains("trap") && l.contains(expect)),
                    "trap {how} {what}\n{}",
                    show(&w)
                );
            }
        }
    }
}

/// Copies the module of `mode` into `dir` as an executable `child.wasm`
/// (an exec'd module must be inside the sandbox to be read).
fn child_module(mode: Mode, dir: &Path) -> String {
    use std::os::unix::fs::PermissionsExt;
    let src = module_in(&wasm_of("sandbox_ops"), mode);
    let dst = dir.join("child.wasm");
    std::fs::copy(src, &dst).unwrap();
    std::fs::set_permissions(&dst, std::fs::Permissions::from_mode(0o755)).unwrap();
    "./child.wasm".to_string()
}

/// The policy binds a module the guest execs: files, --no-native-exec,
/// --net's socket refusal and --scoped all hold in the fresh engine.
#[test]
fn wasm_child() {
    if landlock(6).is_none() {
        return;
    }
    let s = Sleeper::new();
    for mode in MODES {
        let fx = Fixture::new(&format!("child-{}", mode.name()));
        let child = child_module(mode, &fx.work);
        let out = fx.out.display().to_string();
        let w = wali(
            mode,
            &["--sandbox"],
            &["exec", &child, "fs", &out, "../out"],
            &fx.work,
            Some(&fx.out),
        );
        expect(&lines(&w), FS_RW, &w, &format!("child fs {}", mode.name()));
        let (l1, l2) = (listener(), listener());
        let (p1, p2) = (
            l1.local_addr().unwrap().port().to_string(),
            l2.local_addr().unwrap().port().to_string(),
        );
        let b = free_port().to_string();
        let net = format!("--net={p1},{b}");
        let a = vec!["exec", &child, "tcp", &p1, &p2, &b, &p2];
        let w = wali(mode, &[&net], &a, &fx.work, None);
        expect(
            &lines(&w),
            &[
                ("connect_allowed", "0"),
                ("connect_denied", "-13"),
                ("bind_allowed", "0"),
                ("bind_denied", "-13"),
            ],
            &w,
            &format!("child tcp {}", mode.name()),
        );
        for (args, want) in [
            (vec!["exec", "/bin/true"], ("execve", "-13")),
            (vec!["udp"], ("udp", "-13")),
            (vec!["sig", &s.pid()], ("kill_outside", "-1")),
        ] {
            let mut a = vec!["exec", &child];
            a.extend(args);
            let w = wali(mode, &["--sandbox"], &a, &fx.work, None);
            expect(&lines(&w), &[want], &w, &format!("child {}", mode.name()));
        }
        // A module outside the sandbox cannot even be read to be run.
        let outside = module_in(&wasm_of("sandbox_ops"), mode)
            .display()
            .to_string();
        let w = wali(
            mode,
            &["--sandbox"],
            &["exec", &outside, "quick"],
            &fx.work,
            None,
        );
        expect(&lines(&w), &[("execve", "-13")], &w, mode.name());
    }
}

/// --no-native-exec refuses native programs (alone and in --sandbox); a
/// module still runs.
#[test]
fn no_native_exec() {
    for mode in MODES {
        let fx = Fixture::new(&format!("noexec-{}", mode.name()));
        for flags in [&["--no-native-exec"][..], &["--sandbox"][..]] {
            if flags == ["--sandbox"] && landlock(6).is_none() {
                continue;
            }
            let w = wali(mode, flags, &["exec", "/bin/true"], &fx.work, None);
            expect(&lines(&w), &[("execve", "-13")], &w, mode.name());
            let w = wali(mode, flags, &["exec", "/no/such/file"], &fx.work, None);
            expect(&lines(&w), &[("execve", "-2")], &w, mode.name());
            let child = child_module(mode, &fx.work);
            let w = wali(mode, flags, &["exec", &child, "quick"], &fx.work, None);
            assert!(
                String::from_utf8_lossy(&w.stdout).contains("done"),
                "{}",
                show(&w)
            );
            assert_eq!(shell_status(&w), 0, "{}", show(&w));
        }
        // Without the flag, the native program runs.
        let w = wali(mode, &[], &["exec", "/bin/true"], &fx.work, None);
        assert_eq!(shell_status(&w), 0, "{}", show(&w));
        assert!(w.stdout.is_empty(), "{}", show(&w));
    }
}

/// A native program the guest execs stays under the file rules: here with
/// /usr readable (the shell and its libraries) and the work directory
/// writable, compared with the native build under the same ruleset.
#[test]
fn native_child() {
    let script = |fx: &Fixture| {
        let out = fx.out.display();
        vec![
            "exec".to_string(),
            "/bin/sh".to_string(),
            "-c".to_string(),
            format!(
                "cat {out}/secret 2>&-; echo cat=$?; (echo hi > in) 2>&-; echo w_in=$?; \
                 (echo hi > {out}/x) 2>&-; echo w_out=$?; cat in; cat ../out/secret 2>&-; \
                 echo dotdot=$?"
            ),
        ]
    };
    differential(
        "native-child",
        &["--dir=/usr:ro", "--dir=."],
        |fx| Sandbox::new().dir("/usr", true).dir(&fx.work, false),
        script,
        false,
        &[("cat", "1"), ("w_in", "0"), ("w_out", "2"), ("dotdot", "1")],
    );
    // With the whole tree readable, reads outside work, writes do not.
    differential(
        "native-child-ro",
        &["--dir=/:ro", "--dir=."],
        |fx| Sandbox::new().dir("/", true).dir(&fx.work, false),
        script,
        false,
        &[("cat", "0"), ("w_in", "0"), ("w_out", "2"), ("dotdot", "0")],
    );
}

/// A native program the guest execs (bash) is held to the TCP port rules
/// and the signal scope, compared with the native build under the same
/// ruleset.
#[test]
fn native_child_net_and_signals() {
    let (ok, denied) = (listener(), listener());
    let (okp, deniedp) = (
        ok.local_addr().unwrap().port(),
        denied.local_addr().unwrap().port(),
    );
    let s = Sleeper::new();
    let pid = s.pid();
    let flag = format!("--net={okp}");
    differential(
        "native-child-net",
        &[&flag, "--scoped"],
        |_| Sandbox::new().net_ports(&[okp]).scoped(true),
        |_| {
            vec![
                "exec".to_string(),
                "/bin/bash".to_string(),
                "-c".to_string(),
                format!(
                    "(exec 3<>/dev/tcp/127.0.0.1/{okp}) 2>/dev/null && echo tcp_ok=0 || echo tcp_ok=1; \
                     (exec 3<>/dev/tcp/127.0.0.1/{deniedp}) 2>/dev/null && echo tcp_denied=0 || echo tcp_denied=1; \
                     kill -0 {pid} 2>&-; echo kill_outside=$?; kill -0 $$; echo kill_self=$?"
                ),
            ]
        },
        false,
        &[
            ("tcp_ok", "0"),
            ("tcp_denied", "1"),
            ("kill_outside", "1"),
            ("kill_self", "0"),
        ],
    );
}

fn timeout_line(o: &Output) -> bool {
    String::from_utf8_lossy(&o.stderr)
        .lines()
        .any(|l| l.starts_with("iwasm: timeout: ") && l.contains("--timeout") && l.contains("124"))
}

/// --timeout ends a loop without system calls with status 124 and one
/// line, in every mode, also in a module the guest execs; a quick program
/// under a timeout ends normally.
#[test]
fn timeout() {
    for mode in MODES {
        let fx = Fixture::new(&format!("timeout-{}", mode.name()));
        let t = std::time::Instant::now();
        let w = wali(mode, &["--timeout=300"], &["loop"], &fx.work, None);
        assert_eq!(shell_status(&w), 124, "{}", show(&w));
        assert!(timeout_line(&w), "{}", show(&w));
        assert!(t.elapsed() >= Duration::from_millis(300));
        let w = wali(mode, &["--timeout=20000"], &["quick"], &fx.work, None);
        assert_eq!(shell_status(&w), 0, "{}", show(&w));
        assert_eq!(w.stdout, b"done\n");
        assert!(w.stderr.is_empty(), "{}", show(&w));
        let child = child_module(mode, &fx.work);
        let w = wali(
            mode,
            &["--timeout=500"],
            &["exec", &child, "loop"],
            &fx.work,
            None,
        );
        assert_eq!(shell_status(&w), 124, "{}", show(&w));
        assert!(timeout_line(&w), "{}", show(&w));
        // A forked child keeps the deadline: the parent ends at once, the
        // output pipes close when the child's own timer ends it.
        let t = std::time::Instant::now();
        let w = wali(mode, &["--timeout=400"], &["forkloop"], &fx.work, None);
        assert_eq!(shell_status(&w), 0, "{}", show(&w));
        assert_eq!(w.stdout, b"parent\n");
        assert!(timeout_line(&w), "{}", show(&w));
        assert!(t.elapsed() < Duration::from_secs(15), "{:?}", t.elapsed());
    }
}

/// Where the kernel lacks a feature: one line naming it and status 1, or
/// with best effort a warning and the run (WALI_LANDLOCK_ABI lowers the
/// ABI the engine sees).
#[test]
fn missing_kernel_features() {
    if landlock(6).is_none() {
        return;
    }
    let fx = Fixture::new("missing");
    let run = |abi: &str, flags: &[&str]| {
        let module = wasm_of("sandbox_ops");
        let mut cmd = Command::new(iwasm());
        cmd.args(flags)
            .arg(&module)
            .arg("quick")
            .current_dir(&fx.work)
            .env_clear()
            .env("WALI_LANDLOCK_ABI", abi);
        run_with(cmd, b"", Duration::from_secs(60))
    };
    for (abi, flags, what) in [
        ("5", &["--sandbox"][..], "scopes (ABI 6)"),
        ("5", &["--scoped"][..], "scopes (ABI 6)"),
        ("3", &["--net=80"][..], "TCP port rules (ABI 4)"),
        ("4", &["--dir=."][..], "device ioctl rules (ABI 5)"),
        ("0", &["--dir=."][..], "lacks Landlock"),
    ] {
        let o = run(abi, flags);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(shell_status(&o), 1, "{flags:?} {}", show(&o));
        assert!(o.stdout.is_empty(), "{}", show(&o));
        assert_eq!(err.lines().count(), 1, "{}", show(&o));
        assert!(err.contains(what), "{what}: {}", show(&o));
        let mut be = flags.to_vec();
        be.push("--sandbox=best-effort");
        let o = run(abi, &be);
        assert_eq!(shell_status(&o), 0, "{}", show(&o));
        assert_eq!(o.stdout, b"done\n");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            err.contains("best effort") && err.contains(what),
            "{}",
            show(&o)
        );
    }
    // --timeout needs no kernel feature.
    let o = run("0", &["--timeout=10000"]);
    assert_eq!(shell_status(&o), 0, "{}", show(&o));
}

/// The C API (include/wali.h) through tests/embed/embed.c: the same
/// policy as --sandbox and the timeout.
#[test]
fn c_api() {
    if landlock(6).is_none() {
        return;
    }
    let bin = support::embed_binary();
    let fx = Fixture::new("capi");
    let run = |env: &[(&str, &str)], args: &[&str]| {
        let mut cmd = Command::new(&bin);
        cmd.arg(wasm_of("sandbox_ops"))
            .args(args)
            .current_dir(&fx.work)
            .env_clear()
            .envs(env.iter().copied());
        run_with(cmd, b"", Duration::from_secs(60))
    };
    let out = fx.out.display().to_string();
    let o = run(&[("EMBED_SANDBOX_DIR", ".")], &["fs", &out, "../out"]);
    expect(
        &lines(&o),
        &[
            ("create_inside", "0"),
            ("read_outside", "-13"),
            ("proc_root", "-13"),
        ],
        &o,
        "capi",
    );
    let o = run(&[("EMBED_SANDBOX_DIR", ".")], &["exec", "/bin/true"]);
    expect(&lines(&o), &[("execve", "-13")], &o, "capi");
    let o = run(&[("EMBED_SANDBOX_DIR", ".")], &["udp"]);
    expect(&lines(&o), &[("udp", "-13")], &o, "capi");
    let o = run(&[("EMBED_TIMEOUT_MS", "300")], &["loop"]);
    assert_eq!(shell_status(&o), 124, "{}", show(&o));
    assert!(timeout_line(&o), "{}", show(&o));
    // Without a policy: the file outside is readable.
    let o = run(&[], &["fs", &out, "../out"]);
    expect(&lines(&o), &[("read_outside", "0")], &o, "capi open");
}
