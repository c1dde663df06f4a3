//! memcached (Debian's `memcached` over Debian's `libevent`, built by
//! apps/build-memcached.sh) as a server under `iwasm` in every engine mode,
//! and natively as the reference:
//!
//! * a load test from this (second) process: many concurrent connections,
//!   set/get/delete of values of varied sizes, every value read back and
//!   compared, zero errors allowed;
//! * the idle server uses ~0% CPU over 10 s (utime+stime of the whole
//!   process from /proc/PID/stat: libevent must block in epoll_wait, not
//!   spin);
//! * SIGTERM and SIGINT each end it cleanly (exit status 0, as natively).
//!
//! Which engine areas it needs: sockets (accept4, epoll, eventfd or pipes),
//! threads (memcached's worker threads, futexes), signals, time.

mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};
use support::{aot_of, build_once, sysroot, Mode, ROOT};

fn apps_dir() -> PathBuf {
    Path::new(ROOT).join("build/apps")
}

fn built() {
    static DONE: OnceLock<()> = OnceLock::new();
    sysroot();
    build_once(&DONE, "apps/build-memcached.sh");
}

fn iwasm() -> PathBuf {
    std::env::var_os("WALI_IWASM").map_or_else(support::iwasm, PathBuf::from)
}

/// How the server runs: natively, or under the engine in a mode.
#[derive(Clone, Copy, Debug)]
enum How {
    Native,
    Wali(Mode),
}

/// A port no one listens on now (the kernel's pick, released at once).
fn free_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

/// The server, killed if the test fails before it is stopped.
struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(how: How, threads: u32) -> Server {
    built();
    let port = free_port();
    let mut args = vec![
        "-U".to_string(),
        "0".to_string(),
        "-l".to_string(),
        "127.0.0.1".to_string(),
        "-p".to_string(),
        port.to_string(),
        "-t".to_string(),
        threads.to_string(),
        "-m".to_string(),
        "256".to_string(),
        "-c".to_string(),
        "1024".to_string(),
    ];
    // memcached refuses to run as root unless told which user to be.
    // SAFETY: geteuid has no memory effects.
    if unsafe { libc::geteuid() } == 0 {
        args.extend(["-u".to_string(), "root".to_string()]);
    }
    let mut cmd = match how {
        How::Native => Command::new(apps_dir().join("memcached.native")),
        How::Wali(mode) => {
            let wasm = apps_dir().join("memcached.wasm");
            let file = match mode {
                Mode::Aot => aot_of(&wasm),
                _ => wasm,
            };
            let mut c = Command::new(iwasm());
            c.args(mode.flag()).arg(file);
            c
        }
    };
    cmd.args(&args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit());
    let child = cmd.spawn().unwrap();
    let server = Server { child, port };
    // Ready when it accepts a connection (AoT loading and JIT start-up
    // take a while on a loaded machine).
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return server;
        }
        assert!(
            Instant::now() < deadline,
            "{how:?}: memcached did not listen on {port}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A text-protocol client on one connection.
struct Client {
    r: BufReader<TcpStream>,
    w: TcpStream,
}

impl Client {
    fn new(port: u16) -> Client {
        let s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(120))).unwrap();
        s.set_nodelay(true).unwrap();
        Client {
            r: BufReader::new(s.try_clone().unwrap()),
            w: s,
        }
    }
    fn line(&mut self) -> String {
        let mut l = String::new();
        self.r.read_line(&mut l).unwrap();
        l
    }
    fn set(&mut self, key: &str, flags: u32, val: &[u8]) -> String {
        let mut req = format!("set {key} {flags} 0 {}\r\n", val.len()).into_bytes();
        req.extend_from_slice(val);
        req.extend_from_slice(b"\r\n");
        self.w.write_all(&req).unwrap();
        self.line()
    }
    /// GET: Some((flags, value)) or None for a miss.
    fn get(&mut self, key: &str) -> Option<(u32, Vec<u8>)> {
        self.w
            .write_all(format!("get {key}\r\n").as_bytes())
            .unwrap();
        let head = self.line();
        if head == "END\r\n" {
            return None;
        }
        let f: Vec<&str> = head.split_whitespace().collect();
        assert!(
            f.len() == 4 && f[0] == "VALUE" && f[1] == key,
            "bad reply {head:?}"
        );
        let flags = f[2].parse().unwrap();
        let n: usize = f[3].parse().unwrap();
        let mut v = vec![0u8; n + 2];
        self.r.read_exact(&mut v).unwrap();
        assert_eq!(&v[n..], b"\r\n");
        v.truncate(n);
        assert_eq!(self.line(), "END\r\n");
        Some((flags, v))
    }
    fn cmd(&mut self, c: &str) -> String {
        self.w.write_all(format!("{c}\r\n").as_bytes()).unwrap();
        self.line()
    }
}

/// A value for (connection, round): its length varies from 0 bytes to
/// ~600 KiB (past memcached's 512 KiB slab chunk, so large items are
/// chained), its bytes are a function of both, so a value served to the
/// wrong key or mixed with another is seen.
fn value(conn: u32, round: u32) -> Vec<u8> {
    const SIZES: [usize; 9] = [0, 1, 7, 100, 1000, 4096, 65_000, 200_000, 600_000];
    let len = SIZES[((conn + round) as usize) % SIZES.len()];
    let mut x = (u64::from(conn) << 32 | u64::from(round)).wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

/// The load: CONNS connections at once (each its own thread), ROUNDS
/// set/get pairs each plus a delete and a miss; returns the number of
/// operations. Panics on the first wrong reply.
fn load(port: u16, conns: u32, rounds: u32) -> u64 {
    let workers: Vec<_> = (0..conns)
        .map(|c| {
            std::thread::spawn(move || {
                let mut cl = Client::new(port);
                let mut ops = 0u64;
                for r in 0..rounds {
                    let key = format!("k{c}_{r}");
                    let v = value(c, r);
                    assert_eq!(cl.set(&key, c ^ r, &v), "STORED\r\n", "set {key}");
                    let got = cl.get(&key).unwrap_or_else(|| panic!("{key}: missing"));
                    assert_eq!(got.0, c ^ r, "{key}: flags");
                    assert!(got.1 == v, "{key}: value differs ({} bytes)", v.len());
                    ops += 2;
                    if r % 4 == 3 {
                        assert_eq!(cl.cmd(&format!("delete {key}")), "DELETED\r\n");
                        assert!(cl.get(&key).is_none(), "{key}: deleted, still there");
                        ops += 2;
                    }
                }
                // Every value kept is still right at the end.
                for r in (0..rounds).filter(|r| r % 4 != 3) {
                    let key = format!("k{c}_{r}");
                    let got = cl.get(&key).unwrap_or_else(|| panic!("{key}: lost"));
                    assert!(got.1 == value(c, r), "{key}: changed");
                    ops += 1;
                }
                ops
            })
        })
        .collect();
    workers
        .into_iter()
        .map(|w| w.join().expect("a client failed"))
        .sum()
}

/// Seconds of CPU (user + system, all threads) the process has used.
fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    // Fields after the command name (which is in parentheses).
    let rest = &stat[stat.rfind(')').unwrap() + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the line, 12 and 13 here.
    let ticks: u64 = f[11].parse::<u64>().unwrap() + f[12].parse::<u64>().unwrap();
    // SAFETY: sysconf has no memory effects.
    let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as f64;
    ticks as f64 / hz
}

fn stop(mut s: Server, sig: i32, how: How) {
    // SAFETY: kill has no memory effects; the pid is our child's.
    assert_eq!(unsafe { libc::kill(s.child.id() as i32, sig) }, 0);
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(st) = s.child.try_wait().unwrap() {
            assert!(
                st.success(),
                "{how:?}: memcached ended with {st:?} after signal {sig}"
            );
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{how:?}: memcached still running 30 s after signal {sig}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn full(how: How) {
    let s = start(how, 4);
    let ops = load(s.port, 32, 12);
    assert!(ops > 32 * 12 * 2);
    let mut c = Client::new(s.port);
    let stats: Vec<String> = {
        c.w.write_all(b"stats\r\n").unwrap();
        let mut v = vec![];
        loop {
            let l = c.line();
            if l == "END\r\n" {
                break;
            }
            v.push(l);
        }
        v
    };
    assert!(stats.iter().any(|l| l.starts_with("STAT curr_connections")));
    drop(c);
    // Idle: nothing connected, ~0% CPU for 10 s (memcached's clock timer
    // ticks once a second; 0.3 s of 10 allows for a slow machine).
    std::thread::sleep(Duration::from_millis(500));
    let before = cpu_seconds(s.child.id());
    std::thread::sleep(Duration::from_secs(10));
    let idle = cpu_seconds(s.child.id()) - before;
    assert!(
        idle < 0.3,
        "{how:?}: the idle server used {idle:.2} s of CPU in 10 s"
    );
    stop(s, libc::SIGTERM, how);
    // SIGINT on a fresh server, after some traffic.
    let s = start(how, 2);
    load(s.port, 4, 4);
    stop(s, libc::SIGINT, how);
}

#[test]
fn native() {
    full(How::Native);
}

#[test]
fn interp() {
    full(How::Wali(Mode::Interp));
}

#[test]
fn fast_jit() {
    full(How::Wali(Mode::FastJit));
}

#[test]
fn aot() {
    full(How::Wali(Mode::Aot));
}

/// memcached's own Perl tests (t/*.t) that fit a few minutes of CI time;
/// `make memcached-check` runs all of them (apps/test-memcached.sh).
const UPSTREAM_SUBSET: &[&str] = &[
    "00-startup",
    "getset",
    "incrdecr",
    "cas",
    "noreply",
    "flags",
    "flush-all",
    "touch",
    "getandtouch",
    "multiversioning",
    "binary-get",
    "bogus-commands",
    "malicious-commands",
];

/// Runs apps/test-memcached.sh MODE on UPSTREAM_SUBSET: it exits non-zero
/// when a test fails that apps/memcached/known-failures.txt does not list
/// (natively: any failure). Skipped, with the reason, without prove.
fn upstream(mode: &str) {
    let has_prove = Command::new("prove")
        .arg("--version")
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !has_prove {
        eprintln!("skipped: memcached's own tests need perl's `prove` (install perl)");
        return;
    }
    built();
    let mut cmd = Command::new("bash");
    cmd.arg(Path::new(ROOT).join("apps/test-memcached.sh"))
        .arg(mode)
        .args(UPSTREAM_SUBSET)
        .env("WALI_IWASM", iwasm())
        // Its own directory: the results of `make memcached-check` stay.
        .env("MC_TEST_DIR", apps_dir().join(format!("mctest-ci-{mode}")))
        .current_dir(ROOT);
    if mode == "aot" {
        cmd.env("WALI_WAMRC", support::wamrc());
    }
    let out = cmd.output().expect("bash runs apps/test-memcached.sh");
    let text = String::from_utf8_lossy(&out.stdout);
    eprintln!("{text}{}", String::from_utf8_lossy(&out.stderr));
    // One result line per test file: none lost (a crashed script would
    // otherwise pass on an empty report).
    assert_eq!(
        text.lines().count(),
        UPSTREAM_SUBSET.len(),
        "{mode}: a result line per test file"
    );
    assert!(
        out.status.success(),
        "{mode}: memcached's own tests failed outside apps/memcached/known-failures.txt \
         (logs in build/apps/mctest-{mode}/)"
    );
}

#[test]
fn upstream_native() {
    upstream("native");
}

#[test]
fn upstream_fast_jit() {
    upstream("fast-jit");
}

#[test]
fn upstream_aot() {
    upstream("aot");
}
