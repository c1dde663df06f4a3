//! `iwasm`: runs a WALI module. See `iwasm --help`.
//!
//! No Rust `main`: std's start-up would set SIGPIPE to ignored for the whole
//! process (so a guest writing to a closed pipe would get EPIPE instead of
//! dying, and the programs it execs would inherit SIG_IGN). The C `main`
//! below leaves every disposition as the engine was started with; std still
//! collects the arguments (glibc passes them to its initialisers), and the
//! engine's own output goes through `process::eprint`/`print`, which hold
//! SIGPIPE off.
// Under `cargo test` the harness brings its own `main` (the unit tests
// of the command line, `cli.rs`).
#![cfg_attr(not(test), no_main)]
// No unsafe in the command line (DEVELOPERS.md, "unsafe"); `main` is the
// one exception: `#[no_mangle]` on the C entry point.
#![deny(unsafe_code, unsafe_op_in_unsafe_fn)]
#![warn(clippy::undocumented_unsafe_blocks, clippy::missing_safety_doc)]
// Without the C `main`, its helpers are unused in the test build.
#![cfg_attr(test, allow(dead_code))]

use std::ffi::CString;
use std::os::unix::ffi::OsStrExt;
use std::process::exit;
use wali::runtime::cache;
mod cli;
use cli::{Action, Env};
use wali::ctx::process::{self, EnvSource};
use wali::runtime::{self, Error, Module};

/// Fast-JIT code cache for runs that do not JIT-compile: one page, room for
/// the stubs WAMR writes into it at start-up (WAMR zeroes and so commits all
/// of it, and every guest fork copies what is committed).
const NO_JIT_CODE_CACHE: u32 = 4096;
/// Fast-JIT code cache per byte of a module's wasm code and per function,
/// when the user gives no size. WAMR zeroes the whole cache at start-up (time
/// and RSS), and a function that does not fit traps when called. Measured
/// least caches: sqlite3 (1.27 MB of code, 1776 functions) 6.1 MiB, Lua
/// (313 KB, 914) 1.8 MiB, 8000 one-line functions (73 KB) 1.4 MiB, i.e.
/// about 6 bytes per byte of code, and 180 bytes per function for tiny ones.
const JIT_CODE_CACHE_PER_CODE_BYTE: u64 = 32;
const JIT_CODE_CACHE_PER_FUNCTION: u64 = 512;
/// Least fast-JIT code cache sized that way.
const JIT_CODE_CACHE_MIN: u64 = 2 * 1024 * 1024;

fn fail(msg: impl std::fmt::Display) -> ! {
    process::eprint(format_args!("iwasm: {msg}\n"));
    exit(1)
}

/// The flags a fresh engine started by the guest's `execve` of a module
/// gets: the same mode, limits and verbosity.
fn engine_flags(cli: &cli::Cli) -> Vec<CString> {
    let c = &cli.config;
    let mut f = vec![
        format!("--heap-size={}", c.heap_size),
        format!("--max-threads={}", c.max_threads),
    ];
    // Only what the user chose: the new module may need the mode the
    // engine picks for it (exception handling), and an AoT file has no use
    // for a stack size (the engine notes a given one).
    if cli.mode_given {
        f.push(
            match c.mode {
                runtime::Mode::Interp => "--interp",
                runtime::Mode::FastJit => "--fast-jit",
            }
            .to_string(),
        );
    }
    if cli.stack_size_given {
        f.push(format!("--stack-size={}", c.stack_size));
    }
    if cli.jit_codecache_given {
        f.push(format!("--jit-codecache-size={}", c.jit_codecache_size));
    }
    if let Some(v) = cli.verbose {
        f.push(format!("-v={v}"));
    }
    // The new engine carries on the trace: to the same file, appended (its
    // path made absolute now: the guest may change directory).
    match &cli.trace {
        Some(cli::Trace::Stderr) => f.push("--trace".into()),
        Some(cli::Trace::File { path, .. }) => {
            let abs = std::path::absolute(path).unwrap_or_else(|_| path.into());
            f.push(format!("--trace-append={}", abs.to_string_lossy()));
        }
        None => {}
    }
    if cli.trace_summary {
        f.push("--trace-summary".into());
    }
    // The same cache: the new engine's environment is the guest's, which
    // need not name it (or may name another).
    match cache::dir_of(&cli.cache) {
        Ok(d) => f.push(format!("--cache-dir={}", d.display())),
        Err(_) => f.push("--no-cache".into()),
    }
    if let Some(n) = cli.cache.opt_level {
        f.push(format!("--aot-opt-level={n}"));
    }
    f.into_iter()
        .map(|s| CString::new(s).expect("no NUL in a flag"))
        .collect()
}

/// The C entry point (see the module documentation); `run` always exits.
#[cfg(not(test))]
#[allow(unsafe_code)]
#[no_mangle]
pub extern "C" fn main(
    _argc: std::ffi::c_int,
    _argv: *const *const std::ffi::c_char,
) -> std::ffi::c_int {
    run();
    exit(0)
}

fn run() {
    let all: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if all.get(1).is_some_and(|a| a == cache::WORKER_FLAG) {
        // The AoT cache's background compile (see wali::runtime::cache).
        exit(cache::worker_main(&all[2..]));
    }
    // Started by binfmt_misc for `./prog.wasm ARGS` (`iwasm --register-binfmt`):
    // the module is the file execve was given, the guest's argv the original.
    let binfmt_start = wali::runtime::binfmt::started_for(&all, runtime::exec_fn().as_deref());
    let parsed = match &binfmt_start {
        Some((path, _)) => cli::parse(vec!["--".into(), path.clone()]),
        None => cli::parse(all.into_iter().skip(1).collect()),
    };
    let action = match parsed {
        Ok(a) => a,
        Err(e @ cli::ParseError::Unsupported { .. }) => {
            // A reference-engine flag: the reason is the help, not the usage.
            process::eprint(format_args!("iwasm: {e}\n"));
            exit(2)
        }
        Err(e) => {
            process::eprint(format_args!("iwasm: {e}\n\n{}\n", cli::USAGE));
            exit(2)
        }
    };
    let cli = match action {
        Action::Help => {
            process::print(format_args!("{}\n", cli::USAGE));
            return;
        }
        Action::Version => {
            process::print(format_args!(
                "iwasm (wali {}) on WAMR {}, WALI spec {}\n",
                env!("CARGO_PKG_VERSION"),
                wamr_sys::WAMR_VERSION,
                wali::abi::spec::SPEC_VERSION
            ));
            return;
        }
        Action::Binfmt {
            register,
            persistent,
            conf,
        } => {
            let conf = std::path::Path::new(&conf);
            let done = if register {
                wali::runtime::binfmt::register(persistent, conf)
            } else {
                wali::runtime::binfmt::unregister(persistent, conf)
            };
            match done {
                Ok(lines) => {
                    for l in lines {
                        process::print(format_args!("iwasm: {l}\n"));
                    }
                    return;
                }
                Err(e) => fail(e),
            }
        }
        Action::Run(mut c) => {
            if let Some((_, guest_args)) = binfmt_start {
                c.guest_args = guest_args;
            }
            c
        }
    };
    if let Some(v) = cli.verbose {
        process::set_verbose(v);
    }
    // The trace file is opened (close-on-exec, above the guest's usual
    // descriptors) before anything of the guest runs.
    if let Some(cli::Trace::File { path, append }) = &cli.trace {
        wali::ctx::trace::to_file(path.as_bytes(), *append)
            .unwrap_or_else(|e| fail(format!("--trace: {e}")));
    }
    // (-v=5 turned the trace on in set_verbose above.)
    if cli.trace.is_some() || cli.trace_summary {
        wali::ctx::trace::enable(cli.trace.is_some(), cli.trace_summary);
    }
    if let Env::File(p) = &cli.env {
        // The guest's libc reads the file at start-up and can only end with
        // a start-up status if it cannot: say which file, and why, here.
        let shown = p.to_string_lossy();
        match std::fs::File::open(p).and_then(|f| f.metadata()) {
            Ok(m) if m.is_dir() => fail(format!("--env-file {shown}: is a directory")),
            Ok(_) => {}
            Err(e) => fail(format!("--env-file {shown}: cannot read: {e}")),
        }
    }
    let path = cli.file.to_string_lossy().into_owned();
    let file = runtime::ModuleFile::open(&path).unwrap_or_else(|e| fail(e));
    // The default mode runs a cached AoT compilation of a .wasm module, or
    // starts one for the next run (wali::runtime::cache). The entry of a
    // module file whose version the cache has indexed is found by that
    // version alone, without reading the module.
    let default_mode = !cli.mode_given && cli.config.mode == runtime::Mode::FastJit;
    let cache = (default_mode && !file.looks_aot()).then(|| cache::open(&cli.cache));
    let mut dropped = None;
    let mut cached = None;
    if let (Some(cache::Open::Ready(c)), Some(st)) = (&cache, file.stamp()) {
        match c.lookup_indexed(&st) {
            Some(cache::Lookup::Hit(aot, entry)) => cached = Some((aot, entry)),
            Some(cache::Lookup::Miss(_, why)) => dropped = why,
            None => {}
        }
    }
    let by_version = cached.is_some();
    // The module's bytes (None: not read, its cached AoT compilation runs).
    let (mut wasm, stamp) = match cached {
        Some(_) => (None, None),
        None => {
            let (bytes, stamp) = file.read().unwrap_or_else(|e| fail(e));
            (Some(bytes), stamp)
        }
    };
    if let Some(bytes) = &wasm {
        match runtime::kind_of(bytes) {
            None => fail(format!("{path}: {}", Error::NotWasm)),
            Some(runtime::Kind::Aot) => {
                if let Some(why) = runtime::aot_untrusted(file.owner(), runtime::effective_uid()) {
                    fail(format!(
                        "{path}: refusing an AoT file that {why}: AoT files are native code \
                         (compile the .wasm yourself with wamrc)"
                    ));
                }
            }
            Some(runtime::Kind::Wasm) => {}
        }
    }
    // Closed before the guest runs: its descriptors start where a native
    // program's do.
    drop(file);
    let args: Vec<CString> = cli
        .guest_args
        .iter()
        .map(|a| CString::new(a.as_bytes()).expect("OS arguments hold no NUL"))
        .collect();
    process::set_args(args);
    process::set_engine_flags(engine_flags(&cli));
    // A module the guest execs runs in this same binary.
    wali::host::guard::set_exec_engine(wali::host::guard::ExecEngine::SelfExe);
    // Nothing is left to do after the guest's exit (see below: no unload).
    process::set_exit_at_once(true);
    let mut env = cli.env;
    if cli.sandbox.restricts_files() {
        if let Env::File(p) = &env {
            // The guest's libc opens the file after the policy is in force,
            // where it may not be reachable: hand it over as variables.
            let text = std::fs::read(p).unwrap_or_else(|e| {
                fail(format!(
                    "--env-file {}: cannot read: {e}",
                    p.to_string_lossy()
                ))
            });
            env = Env::Vars(
                text.split(|&b| b == b'\n')
                    .filter(|l| !l.is_empty())
                    .map(<[u8]>::to_vec)
                    .collect(),
            );
        }
    }
    process::set_env(match env {
        Env::Empty => EnvSource::Empty,
        Env::File(p) => EnvSource::File(CString::new(p.as_bytes()).expect("no NUL in a path")),
        Env::Vars(v) => EnvSource::Vars(v),
    });
    // WAMR allocates and zeroes the whole fast-JIT code cache at start-up
    // (64 MiB: most of start-up time and RSS). Runs that never JIT-compile
    // (AoT files, --interp) get a token cache; a guest's execve of another
    // module still hands the user's size on (engine_flags above).
    let mut config = cli.config.clone();
    if let Some(bytes) = &wasm {
        if runtime::kind_of(bytes) == Some(runtime::Kind::Wasm)
            && config.mode == runtime::Mode::FastJit
            && wasm_patch::uses_exceptions(bytes)
        {
            // WAMR implements the exception-handling proposal (legacy
            // try/catch/throw/rethrow/delegate) in its classic interpreter
            // only.
            if cli.mode_given {
                fail(format!(
                    "{path}: uses Wasm exception handling, which fast-JIT cannot run \
                     (only the interpreter can: use --interp or no mode flag)"
                ));
            }
            config.mode = runtime::Mode::Interp;
            wali::wnote!(
                "{path}: uses Wasm exception handling (it has tags), which only the \
                 interpreter runs: running it in the interpreter instead of fast-JIT"
            );
        }
    }
    match (&cache, &wasm) {
        (Some(_), Some(_)) if config.mode != runtime::Mode::FastJit => {}
        (Some(cache::Open::Off(why)), _) => wali::wnote!("{why}"),
        (Some(cache::Open::Refused(why)), _) => {
            process::eprint(format_args!("iwasm: warning: {why}\n"))
        }
        (Some(cache::Open::Ready(c)), Some(bytes)) if cached.is_none() => {
            match c.lookup(bytes, stamp) {
                cache::Lookup::Hit(aot, entry) => cached = Some((aot, entry)),
                cache::Lookup::Miss(key, why) => {
                    if let Some(why) = why.or(dropped) {
                        wali::wnote!("{path}: dropped a bad AoT cache entry ({why})");
                    }
                    if c.failed_before(&key) {
                        wali::wnote!(
                            "{path}: wamrc could not compile this module before: not cached"
                        );
                    } else {
                        match c.compile_later(&key, bytes) {
                            Ok(()) => wali::wnote!(
                                "{path}: not in the AoT cache yet: wamrc compiles it in the \
                                 background into {} for the next run; this run uses fast-JIT",
                                c.dir().display()
                            ),
                            Err(e) => wali::wnote!("{path}: AoT cache not used: {e}"),
                        }
                    }
                }
            }
        }
        _ => {}
    }
    // What is loaded: the cached AoT compilation, else the module file.
    let bytes = match cached.as_mut() {
        Some((aot, entry)) => {
            wali::wnote!(
                "{path}: running the cached AoT compilation {}{}",
                entry.display(),
                match by_version {
                    true => " (found by the file's version: the module was not read)",
                    false => "",
                }
            );
            std::mem::replace(aot, Vec::new().into())
        }
        None => wasm.take().unwrap_or_else(|| Vec::new().into()),
    };
    let kind = runtime::kind_of(&bytes);
    if kind == Some(runtime::Kind::Aot) && cli.stack_size_given {
        wali::wlog!(
            1,
            "--stack-size has no effect on AoT code, which keeps its frames on the \
             native stack (8 MiB per thread); it sizes only the frames of files \
             compiled with wamrc --enable-dump-call-stack"
        );
    }
    let jit = kind == Some(runtime::Kind::Wasm) && config.mode == runtime::Mode::FastJit;
    if !jit {
        config.jit_codecache_size = config.jit_codecache_size.min(NO_JIT_CODE_CACHE);
        config.jit = false;
    } else if !cli.jit_codecache_given {
        if let Some((code, functions)) = wasm_patch::code_size(&bytes) {
            let want = (code as u64 * JIT_CODE_CACHE_PER_CODE_BYTE
                + u64::from(functions) * JIT_CODE_CACHE_PER_FUNCTION)
                .max(JIT_CODE_CACHE_MIN);
            if want < u64::from(config.jit_codecache_size) {
                config.jit_codecache_size = want as u32;
            }
        }
    }
    runtime::init(&config).unwrap_or_else(|e| fail(e));
    let module = match (Module::load(bytes), &cache, cached) {
        (Ok(m), ..) => m,
        (Err(e), Some(cache::Open::Ready(c)), Some((_, entry))) => {
            // Our checks passed but WAMR refused it: drop it, run the
            // module itself (in the interpreter: the JIT code cache was
            // sized for AoT), and compile again next time.
            c.remove(&entry);
            wali::wnote!("{path}: cached AoT compilation not loaded ({e}): dropped it");
            config.mode = runtime::Mode::Interp;
            let bytes = match wasm {
                Some(b) => b,
                None => {
                    runtime::ModuleFile::open(&path)
                        .and_then(|f| f.read())
                        .unwrap_or_else(|e| fail(e))
                        .0
                }
            };
            Module::load(bytes).unwrap_or_else(|e| fail(format!("{path}: {e}")))
        }
        (Err(e), ..) => fail(format!("{path}: {e}")),
    };
    // The sandbox, after everything the engine reads at start-up (the
    // module, the maps of its own files) and before the guest runs; no
    // other thread exists yet (Sandbox::apply checks).
    if !cli.sandbox.is_empty() {
        // The main thread's stack bounds come from /proc/self/maps (glibc,
        // for WAMR's stack checks): read them while the policy allows.
        wali::wamr::cache_stack_boundary();
        match cli.sandbox.apply() {
            Ok(warnings) => {
                for w in warnings {
                    wali::wlog!(1, "{w}");
                }
            }
            Err(e) => fail(e),
        }
    }
    let result = match &cli.function {
        None => runtime::run(&module, &config),
        Some(name) => {
            // `-f NAME`: the arguments after the module are the function's.
            let args: Vec<CString> = cli.guest_args[1..]
                .iter()
                .map(|a| CString::new(a.as_bytes()).expect("OS arguments hold no NUL"))
                .collect();
            match runtime::run_function(&module, &config, name, &args) {
                Ok(runtime::FunctionRun::Returned(line)) => {
                    process::print(format_args!("{line}\n"));
                    Ok(0)
                }
                Ok(runtime::FunctionRun::Exited(s)) => Ok(s),
                Err(e) => Err(e),
            }
        }
    };
    let status = match result {
        Ok(s) => s,
        Err(Error::Trap { message, .. }) => {
            // WAMR has printed the guest call stack to stderr already.
            process::eprint(format_args!("iwasm: {path}: trap: {message}\n"));
            runtime::TRAP_STATUS
        }
        Err(e) => fail(format!("{path}: {e}")),
    };
    // No unload before exiting: the kernel reclaims everything, and
    // unloading joins WAMR's JIT compilation threads, which a forked child
    // does not have (it would wait forever on a thread of its parent).
    std::mem::forget(module);
    wali::ctx::trace::exited(status);
    exit(status)
}
