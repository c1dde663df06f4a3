//! `libwali.a` from C: tests/embed/embed.c, an ordinary WAMR embedding that
//! uses only `wasm_export.h` and `include/wali.h`, is linked with
//! `libwali.a` and WAMR's static library, and runs WALI modules.

mod support;
use std::ffi::OsStr;
use std::path::Path;
use std::process::Command;
use support::{embed_binary, iwasm, libc_program, run_with, shell_status, wasm_of, ROOT};

fn run(src: &str, args: &[&str]) -> (i32, String) {
    run_file(&wasm_of(src), args)
}

fn run_file(module: &Path, args: &[&str]) -> (i32, String) {
    run_env(module, args, &[], None)
}

/// Runs the embedding with extra environment variables (its EMBED_*
/// switches) and, if given, `PATH`.
fn run_env(
    module: &Path,
    args: &[&str],
    env: &[(&str, &std::ffi::OsStr)],
    path: Option<&std::ffi::OsStr>,
) -> (i32, String) {
    let mut cmd = Command::new(embed_binary());
    cmd.arg(module).args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    if let Some(p) = path {
        cmd.env("PATH", p);
    }
    let out = run_with(cmd, b"", std::time::Duration::from_secs(60));
    (
        shell_status(&out),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn c_embedding_runs_hello() {
    assert_eq!(run("hello", &[]), (0, "hello, wali\n".to_string()));
}

#[test]
fn c_embedding_passes_argv_and_env() {
    let (status, out) = run("argv", &["one", "two"]);
    assert_eq!(status, 0);
    assert_eq!(out, "argc=3\n3:one\n3:two\n");
    let (status, out) = run("env", &[]);
    assert_eq!(status, 0);
    assert_eq!(out, "EMBEDDED=yes\nenvc=1\n");
}

#[test]
fn c_embedding_gets_exit_status() {
    let (status, out) = run("exit", &["group", "7"]);
    assert_eq!((status, out.as_str()), (7, "before exit\n"));
    let (status, _) = run("exit", &["return", "3"]);
    assert_eq!(status, 3);
}

/// `wali_aot_stack_checked` tells AoT files from our `wamrc` (stack checks,
/// stamped) from files built without the checks, which the embedding then
/// refuses (exit 8) rather than run without a stack guard.
#[test]
fn c_embedding_tells_stack_checked_aot_files() {
    let dir = support::fresh_dir("embed-aot");
    for (flag, expect) in [
        ("--stack-bounds-checks=1", 0),
        ("--stack-bounds-checks=0", 8),
    ] {
        let out = dir.join("hello.aot");
        support::wamrc_with(&[flag], &wasm_of("hello"), &out);
        let (status, stdout) = run_file(&out, &[]);
        assert_eq!(status, expect, "{flag}: {stdout}");
    }
}

/// The `libwali.a` that `make iwasm` installs in build/ shows its C API to
/// binutils (thin LTO's embedded bitcode used to make `nm` print "no
/// symbols", because binutils hands such objects to an older LLVM plugin).
#[test]
fn installed_libwali_shows_its_symbols_to_nm() {
    let lib = Path::new(ROOT).join("build/libwali.a");
    assert!(
        lib.exists(),
        "{} is missing: run `make iwasm`",
        lib.display()
    );
    let out = Command::new("nm").arg(&lib).output().expect("nm");
    let text = String::from_utf8_lossy(&out.stdout);
    let err = String::from_utf8_lossy(&out.stderr);
    for sym in [
        "wali_register_natives",
        "wali_link_module",
        "wali_run_start",
    ] {
        assert!(
            text.lines().any(|l| l.ends_with(&format!(" T {sym}"))),
            "nm does not list {sym} as a text symbol; stderr: {err}"
        );
    }
    assert!(!err.contains("plugin"), "nm still reads bitcode: {err}");
}

#[test]
fn c_embedding_reports_the_version() {
    let out = Command::new(embed_binary())
        .arg("--version")
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!("libwali {}\n", env!("CARGO_PKG_VERSION"))
    );
}

/// `wali_set_threads` gives the guest threads: four pthreads run and join.
/// Without it an embedding's guest has one thread (the old behaviour,
/// still the default): pthread_create fails with EAGAIN.
#[test]
fn c_embedding_runs_guest_threads() {
    let (wasm, _) = libc_program("libc_embed");
    let (status, out) = run_file(&wasm, &["threads"]);
    assert_eq!((status, out.as_str()), (0, "threads total 15005000\n"));
    let (status, out) = run_env(
        &wasm,
        &["threads"],
        &[("EMBED_NO_THREADS", OsStr::new("1"))],
        None,
    );
    assert_eq!(
        (status, out.as_str()),
        (1, "pthread_create: Resource temporarily unavailable\n")
    );
}

/// `wali_prepare_module` makes linear memory growable as iwasm does. A
/// module without memory.grow/memory.size (embed_grow.c, no libc) loaded
/// as built keeps its memory frozen: its 64 MiB mmap fails with ENOMEM;
/// prepared, the mapping succeeds and its pages hold what was written. A
/// libc program's 64 MiB malloc works too.
#[test]
fn c_embedding_grows_memory() {
    let grow = wasm_of("embed_grow");
    assert_eq!(run_file(&grow, &[]), (0, "sum=2088960\n".to_string()));
    let unprepared = [("EMBED_NO_PREPARE", OsStr::new("1"))];
    assert_eq!(
        run_env(&grow, &[], &unprepared, None),
        (2, "mmap=-12\n".to_string())
    );
    let (wasm, _) = libc_program("libc_embed");
    let (status, out) = run_file(&wasm, &["memory"]);
    assert_eq!(
        (status, out.as_str()),
        (0, "malloc 64 MiB ok, sum 2088960\n")
    );
}

/// A module the guest execs runs under `iwasm` from PATH by default, or
/// the engine the embedding names (`wali_set_exec_engine`), with the
/// guest's argv; with neither, execve fails with ENOEXEC.
#[test]
fn c_embedding_execs_a_module_child() {
    let (wasm, _) = libc_program("libc_embed");
    let child = wasm.to_str().unwrap();
    let engine_dir = iwasm().parent().unwrap().to_path_buf();
    let no_iwasm = support::fresh_dir("embed-no-iwasm");
    let sys_path = std::ffi::OsString::from(format!("{}:/usr/bin:/bin", no_iwasm.display()));
    let with_iwasm = std::ffi::OsString::from(format!("{}:/usr/bin:/bin", engine_dir.display()));
    let expect = (7, "before exec\nchild ran: from-exec\n".to_string());
    // Default: iwasm found in PATH.
    assert_eq!(
        run_env(&wasm, &["exec", child], &[], Some(&with_iwasm)),
        expect
    );
    // Named by the embedding (PATH has none).
    assert_eq!(
        run_env(
            &wasm,
            &["exec", child],
            &[("EMBED_EXEC_ENGINE", iwasm().as_os_str())],
            Some(&sys_path)
        ),
        expect
    );
    // Neither: the guest sees ENOEXEC and goes on.
    assert_eq!(
        run_env(&wasm, &["exec", child], &[], Some(&sys_path)),
        (3, "before exec\nexecv: Exec format error\n".to_string())
    );
}

/// A trap: wali_run_start returns -1 and the example exits with
/// WALI_TRAP_STATUS (134), as iwasm does; exit(1) stays 1.
#[test]
fn c_embedding_trap_status() {
    let (status, out) = run("trap", &["1"]);
    assert_eq!((status, out.as_str()), (134, "before trap\n"));
    assert_eq!(run("exit", &["group", "1"]).0, 1);
}

/// Runs the embedding over several guests in one process (`---` between
/// them, see tests/embed/embed.c), with extra environment variables.
fn run_guests(guests: &[&[&str]], env: &[(&str, &OsStr)]) -> std::process::Output {
    let mut cmd = Command::new(embed_binary());
    for (i, g) in guests.iter().enumerate() {
        if i > 0 {
            cmd.arg("---");
        }
        cmd.args(*g);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    run_with(cmd, b"", std::time::Duration::from_secs(60))
}

/// What a fresh process prints for `libc_embed_state check`: the native
/// program, with the embedding's environment for its guests.
fn fresh_check(native: &Path) -> String {
    let mut cmd = Command::new(native);
    cmd.arg("check").env_clear().env("EMBEDDED", "yes");
    let out = run_with(cmd, b"", std::time::Duration::from_secs(60));
    assert_eq!(shell_status(&out), 0);
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Per-guest state (src/runtime/state.rs): a guest installs signal
/// handlers and ignores, blocks signals and leaves two pending (one in the
/// kernel, one sent SIGSEGV in the engine), sets an alternate signal
/// stack, lowers its stack limit, rewrites its environment's memory file
/// and exits 7; the next guest of the same embedding process starts as a
/// fresh process does (the native program run fresh prints the same) and
/// exits 0. Interpreter and AoT.
#[test]
fn c_embedding_second_guest_starts_fresh() {
    let (wasm, native) = libc_program("libc_embed_state");
    let fresh = fresh_check(&native);
    assert!(fresh.contains("SIGUSR1 default") && fresh.contains("env EMBEDDED=yes"));
    for module in [wasm.clone(), support::aot_of(&wasm)] {
        let m = module.to_str().unwrap();
        let out = run_guests(&[&[m, "dirty"], &[m, "check"]], &[]);
        assert_eq!(
            (
                shell_status(&out),
                String::from_utf8_lossy(&out.stdout).into_owned()
            ),
            (
                0,
                format!("env file rewritten\ndirty done\n== status 7\n{fresh}== status 0\n")
            ),
            "{m}; stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// A second guest started while one runs (another embedding thread) is
/// refused: wali_run_start returns -2 with one line on stderr, the running
/// guest goes on, and the refused one runs fresh after it.
#[test]
fn c_embedding_refuses_a_guest_while_one_runs() {
    let (wasm, native) = libc_program("libc_embed_state");
    let m = wasm.to_str().unwrap();
    let out = run_guests(
        &[&[m, "wait"], &[m, "check"]],
        &[("EMBED_PARALLEL", OsStr::new("1"))],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        (
            shell_status(&out),
            String::from_utf8_lossy(&out.stdout).into_owned()
        ),
        (
            0,
            format!(
                "== refused -2\nwaited\n== status 0\n{}== status 0\n",
                fresh_check(&native)
            )
        ),
        "stderr: {err}"
    );
    assert_eq!(
        err.matches("wali: cannot start a guest: another guest is running in this process\n")
            .count(),
        1,
        "{err}"
    );
}

/// Each guest's memory map starts afresh: the first mapping of the second
/// guest lands where the first guest's did.
#[test]
fn c_embedding_second_guest_maps_afresh() {
    let (wasm, _) = libc_program("libc_embed_state");
    let m = wasm.to_str().unwrap();
    let out = run_guests(&[&[m, "map"], &[m, "map"]], &[]);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let maps: Vec<&str> = text.lines().filter(|l| l.starts_with("map ")).collect();
    assert_eq!(maps.len(), 2, "{text}");
    assert_eq!(maps[0], maps[1], "{text}");
    assert_eq!(shell_status(&out), 0);
}

/// With the trace on (wali_set_verbose(5)), each guest's end is reported:
/// the trace's per-guest state is reset too.
#[test]
fn c_embedding_traces_the_end_of_each_guest() {
    let m = wasm_of("exit");
    let m = m.to_str().unwrap();
    let out = run_guests(
        &[&[m, "group", "3"], &[m, "group", "4"]],
        &[("EMBED_VERBOSE", OsStr::new("5"))],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(shell_status(&out), 4, "{err}");
    for s in [3, 4] {
        assert_eq!(
            err.matches(&format!("+++ exited with {s} +++")).count(),
            1,
            "{err}"
        );
    }
}

/// A guest that traps on a fault (an out-of-bounds load) leaves the fault
/// chain by WAMR's longjmp; the next guest's fault on the same embedding
/// thread must still be a trap (status 134), not a crash of the process.
/// Interpreter and AoT.
#[test]
fn c_embedding_second_guest_traps_again() {
    let wasm = wasm_of("trap");
    for module in [wasm.clone(), support::aot_of(&wasm)] {
        let m = module.to_str().unwrap();
        let out = run_guests(&[&[m, "0"], &[m, "0"]], &[]);
        assert_eq!(
            (
                shell_status(&out),
                String::from_utf8_lossy(&out.stdout).into_owned()
            ),
            (
                134,
                "before trap\n== status 134\nbefore trap\n== status 134\n".to_string()
            ),
            "{m}; stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
