//! `iwasm`: runs a WALI module. See `iwasm --help`.

use std::ffi::CString;
use std::os::unix::ffi::OsStrExt;
use std::process::exit;
use wali::cli::{self, Action, Env};
use wali::process::{self, EnvSource};
use wali::runtime::{self, Error, Module};

/// Fast-JIT code cache for runs that do not JIT-compile.
const NO_JIT_CODE_CACHE: u32 = 64 * 1024;
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
    eprintln!("iwasm: {msg}");
    exit(1)
}

/// The flags a fresh engine started by the guest's `execve` of a module
/// gets: the same mode, limits and verbosity.
fn engine_flags(cli: &cli::Cli) -> Vec<CString> {
    let c = &cli.config;
    let mut f = vec![
        match c.mode {
            runtime::Mode::Interp => "--interp".to_string(),
            runtime::Mode::FastJit => "--fast-jit".to_string(),
        },
        format!("--stack-size={}", c.stack_size),
        format!("--heap-size={}", c.heap_size),
        format!("--max-threads={}", c.max_threads),
    ];
    if cli.jit_codecache_given {
        f.push(format!("--jit-codecache-size={}", c.jit_codecache_size));
    }
    if let Some(v) = cli.verbose {
        f.push(format!("-v={v}"));
    }
    f.into_iter()
        .map(|s| CString::new(s).expect("no NUL in a flag"))
        .collect()
}

fn main() {
    let action = match cli::parse(std::env::args_os().skip(1).collect()) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("iwasm: {e}\n\n{}", cli::USAGE);
            exit(2)
        }
    };
    let cli = match action {
        Action::Help => {
            println!("{}", cli::USAGE);
            return;
        }
        Action::Version => {
            println!(
                "iwasm (wali {}) on WAMR {}, WALI spec {}",
                env!("CARGO_PKG_VERSION"),
                wamr_sys::WAMR_VERSION,
                wali::spec::SPEC_VERSION
            );
            return;
        }
        Action::Run(c) => c,
    };
    if let Some(v) = cli.verbose {
        process::set_verbose(v);
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
    let bytes = runtime::read_module_file(&path).unwrap_or_else(|e| fail(e));
    if runtime::kind_of(&bytes).is_none() {
        fail(format!("{path}: {}", Error::NotWasm));
    }
    let args: Vec<CString> = cli
        .guest_args
        .iter()
        .map(|a| CString::new(a.as_bytes()).expect("OS arguments hold no NUL"))
        .collect();
    process::set_args(args);
    process::set_engine_flags(engine_flags(&cli));
    process::set_env(match cli.env {
        Env::Empty => EnvSource::Empty,
        Env::File(p) => EnvSource::File(CString::new(p.as_bytes()).expect("no NUL in a path")),
        Env::Vars(v) => EnvSource::Vars(v),
    });
    // WAMR allocates and zeroes the whole fast-JIT code cache at start-up
    // (64 MiB: most of start-up time and RSS). Runs that never JIT-compile
    // (AoT files, --interp) get a token cache; a guest's execve of another
    // module still hands the user's size on (engine_flags above).
    let mut config = cli.config.clone();
    let jit = runtime::kind_of(&bytes) == Some(runtime::Kind::Wasm)
        && config.mode == runtime::Mode::FastJit;
    if !jit {
        config.jit_codecache_size = config.jit_codecache_size.min(NO_JIT_CODE_CACHE);
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
    let module = Module::load(bytes).unwrap_or_else(|e| fail(format!("{path}: {e}")));
    let status = match runtime::run(&module, &config) {
        Ok(s) => s,
        Err(Error::Trap { message, .. }) => {
            // WAMR has printed the guest call stack to stderr already.
            eprintln!("iwasm: {path}: trap: {message}");
            1
        }
        Err(e) => fail(format!("{path}: {e}")),
    };
    // No unload before exiting: the kernel reclaims everything, and
    // unloading joins WAMR's JIT compilation threads, which a forked child
    // does not have (it would wait forever on a thread of its parent).
    std::mem::forget(module);
    exit(status)
}
