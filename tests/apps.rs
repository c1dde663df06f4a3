//! Programs built against the WALI C sysroot (musl, `./wali-cc`) and real
//! applications from Debian source packages, each run natively and under
//! `iwasm` in every engine mode: same exit status, same stdout.
//!
//! * `libc_*`: C programs in tests/c using the C library (`make sysroot`
//!   is run by the first test that needs it).
//! * `lua_*`: Lua 5.4 (apps/build-lua.sh) running the scripts in apps/lua.
//! * `sqlite_*`: the SQLite shell (apps/build-sqlite.sh) running the SQL
//!   scripts in apps/sqlite.
//!
//! Which engine areas a case needs is noted on it; `WALI_IWASM` may name
//! another `iwasm` binary to run them with.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;
use std::time::Duration;
use support::{build_once, fresh_dir, module_in, run_with, shell_status, sysroot, Mode, ROOT};

fn apps_dir() -> PathBuf {
    Path::new(ROOT).join("build/apps")
}

/// A program: its WALI module and its native executable.
struct Program {
    wasm: PathBuf,
    native: PathBuf,
}

/// tests/c/<src>.c built with ./wali-cc and with gcc, once per process.
fn libc_program(src: &'static str) -> Program {
    let (wasm, native) = support::libc_program(src);
    Program { wasm, native }
}

fn lua() -> Program {
    static DONE: OnceLock<()> = OnceLock::new();
    sysroot();
    build_once(&DONE, "apps/build-lua.sh");
    Program {
        wasm: apps_dir().join("lua.wasm"),
        native: apps_dir().join("lua.native"),
    }
}

fn sqlite() -> Program {
    static DONE: OnceLock<()> = OnceLock::new();
    sysroot();
    build_once(&DONE, "apps/build-sqlite.sh");
    Program {
        wasm: apps_dir().join("sqlite3.wasm"),
        native: apps_dir().join("sqlite3.native"),
    }
}

/// One run of a program: arguments, environment, stdin, and options for
/// the engine.
#[derive(Default)]
struct Run {
    args: Vec<String>,
    env: Vec<(String, String)>,
    stdin: Vec<u8>,
    engine: Vec<String>,
}

fn run(args: &[&str]) -> Run {
    Run {
        args: args.iter().map(|s| s.to_string()).collect(),
        ..Default::default()
    }
}

impl Run {
    fn env(mut self, k: &str, v: &str) -> Self {
        self.env.push((k.into(), v.into()));
        self
    }
    fn stdin(mut self, s: &[u8]) -> Self {
        self.stdin = s.to_vec();
        self
    }
    fn engine(mut self, opt: &str) -> Self {
        self.engine.push(opt.into());
        self
    }
}

fn iwasm() -> PathBuf {
    std::env::var_os("WALI_IWASM").map_or_else(support::iwasm, PathBuf::from)
}

const LIMIT: Duration = Duration::from_secs(300);

fn native_run(p: &Program, r: &Run, tag: &str) -> Output {
    let dir = fresh_dir(&format!("{tag}-native"));
    let mut cmd = Command::new(&p.native);
    cmd.args(&r.args)
        .current_dir(&dir)
        .env_clear()
        .envs(r.env.iter().cloned());
    let out = run_with(cmd, &r.stdin, LIMIT);
    let _ = std::fs::remove_dir_all(&dir);
    out
}

fn wali_run(p: &Program, r: &Run, tag: &str, mode: Mode) -> Output {
    let module = module_in(&p.wasm, mode);
    let dir = fresh_dir(&format!("{tag}-{}", mode.name()));
    let envfile = dir.with_extension("env");
    let text: String = r.env.iter().map(|(k, v)| format!("{k}={v}\n")).collect();
    std::fs::write(&envfile, text).unwrap();
    let mut cmd = Command::new(iwasm());
    cmd.args(mode.flag())
        .args(&r.engine)
        .arg(format!("--env-file={}", envfile.display()))
        .arg(&module)
        .args(&r.args)
        .current_dir(&dir)
        .env_clear();
    let out = run_with(cmd, &r.stdin, LIMIT);
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_file(&envfile);
    out
}

/// The differential check: same status and stdout as the native build.
fn check(p: &Program, r: &Run, tag: &str, mode: Mode) {
    let native = native_run(p, r, tag);
    let wali = wali_run(p, r, tag, mode);
    let (ns, ws) = (shell_status(&native), shell_status(&wali));
    assert!(
        !native.stdout.is_empty(),
        "{tag}: the native run printed nothing (status {ns}):\n{}",
        String::from_utf8_lossy(&native.stderr)
    );
    if ns != ws || native.stdout != wali.stdout {
        panic!(
            "{tag} [{}] differs from native\n--- native (status {ns}) stdout:\n{}\n--- wali (status {ws}) stdout:\n{}\n--- wali stderr:\n{}",
            mode.name(),
            String::from_utf8_lossy(&native.stdout),
            String::from_utf8_lossy(&wali.stdout),
            String::from_utf8_lossy(&wali.stderr)
        );
    }
}

/// One test per engine mode: `apptest!(name, program, run)`, with optional
/// attributes (e.g. `#[ignore = "..."]`) applied to each.
macro_rules! apptest {
    ($(#[$attr:meta])* $name:ident, $prog:expr, $run:expr) => {
        mod $name {
            use super::*;
            fn go(mode: Mode) {
                check(&$prog, &$run, stringify!($name), mode);
            }
            $(#[$attr])*
            #[test]
            fn interp() {
                go(Mode::Interp);
            }
            $(#[$attr])*
            #[test]
            fn fast_jit() {
                go(Mode::FastJit);
            }
            $(#[$attr])*
            #[test]
            fn aot() {
                go(Mode::Aot);
            }
        }
    };
}

// --- C programs over musl -------------------------------------------------

// Needs files/io (writev for stdout, ioctl may be -ENOSYS).
apptest!(
    libc_stdio,
    libc_program("libc_stdio"),
    run(&["first", "two words", ""]).env("WALI_TEST_VAR", "from env file")
);
// Needs memory (brk/mmap for malloc) and files/io.
apptest!(libc_files, libc_program("libc_files"), run(&[]));
// Needs threads (__wasm_thread_spawn, set_tid_address, futex, exit) and
// memory (mmap'd thread stacks).
apptest!(libc_threads, libc_program("libc_threads"), run(&[]));
// Needs processes and signals (fork, wait4, kill, rt_sigaction,
// rt_sigprocmask, pause) and files/io (pipe2).
apptest!(libc_process, libc_program("libc_process"), run(&[]));
// setjmp/longjmp and sigsetjmp/siglongjmp: deep and nested jumps, out of
// libc code, out of a signal handler (mask saved or not), in threads.
apptest!(libc_setjmp, libc_program("libc_setjmp"), run(&[]));
// A three-argument main (the environment as envp), as Bash has: the
// sysroot's weak __main_argc_argv (sysroot/musl/src/env/wasm32).
apptest!(
    libc_main_env,
    libc_program("libc_main_env"),
    run(&["one"])
        .env("FIRST", "1")
        .env("PS1", "X$ ")
        .env("WALI_MAIN_ENV", "a=b c ")
        .env("LAST", "")
);
// A threaded and forking server over loopback: sockets, threads, fork.
apptest!(libc_server, libc_program("libc_server"), run(&[]));

// Needs identity/limits, time, files/io, sockets and memory: the structs
// the port converts or lays out as the x86-64 kernel does.
apptest!(libc_layouts, libc_program("libc_layouts"), run(&[]));

// --- Lua 5.4 ----------------------------------------------------------------

fn lua_script(name: &str) -> Run {
    let script = Path::new(ROOT).join(format!("apps/lua/{name}.lua"));
    run(&[script.to_str().unwrap()]).env("LUA_TEST_VAR", "set for lua")
}

// Needs files/io and memory.
apptest!(lua_strings, lua(), lua_script("strings"));
apptest!(lua_tables, lua(), lua_script("tables"));
// Also time (clock_gettime, time) and identity for os.*.
apptest!(lua_os_io, lua(), lua_script("os_io"));
apptest!(
    lua_stdin,
    lua(),
    run(&["-"]).stdin(b"local n = 0 for i = 1, 10 do n = n + i end print('stdin', n, ...)\n")
);
// Lua 5.4 yields and raises errors with longjmp: the compiler's setjmp
// lowering (./wali-cc) over the engine's invoke_* and unwinding.
apptest!(lua_coroutines, lua(), lua_script("coroutines"));
// An error raised by the error handler itself recurses through C about 200
// levels deep before Lua gives up ("error in error handling"). The
// interpreter and the fast JIT keep guest frames in the engine's own stack,
// sized by --stack-size (native code has its 8 MiB C stack); applications
// are run with an explicit stack size, as the reference engine runs them.
apptest!(
    lua_errors,
    lua(),
    lua_script("errors").engine("--stack-size=4194304")
);

// --- SQLite shell -----------------------------------------------------------

fn sql_script(name: &str) -> Run {
    let sql = std::fs::read(Path::new(ROOT).join(format!("apps/sqlite/{name}.sql"))).unwrap();
    run(&["test.db"]).stdin(&sql)
}

// Needs files/io (pread/pwrite, fcntl locks, fsync, unlink), memory, time.
apptest!(sqlite_basic, sqlite(), sql_script("basic"));
apptest!(sqlite_queries, sqlite(), sql_script("queries"));
