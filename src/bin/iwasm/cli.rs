//! Command line of the WALI `iwasm`, compatible with the reference engine's.

use std::ffi::OsString;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use wali::host::sandbox::Sandbox;
use wali::runtime::{Config, Mode};

pub const USAGE: &str = "\
Usage: iwasm [OPTIONS] FILE [ARGS...]
Runs a WALI WebAssembly module (.wasm) or a WAMR AoT file (.aot).

Options:
  -v=N                     verbosity 0..5 (default: warnings of the engine;
                           -v=1 adds notes on how the module runs; -v=5
                           traces every call, as --trace)
  --trace[=FILE]           print each system call of the guest as strace does
                           (thread id, name, arguments, result), its signals
                           and thread and process events, to stderr or FILE
  --trace-summary          at exit, print a table of calls, errors and time
                           per system call (as strace -c)
  --stack-size=N           wasm stack per thread in bytes, for the interpreter's
                           and fast JIT's frames (default 8388608; AoT code
                           uses the native stack)
  --heap-size=N            WAMR app heap inside linear memory (default 0; WALI
                           guests allocate with brk/mmap)
  --env-file=PATH          the guest's environment: a file of KEY=VALUE lines
  --env=KEY=VALUE          add a variable to the guest's environment (repeatable;
                           also `--env KEY=VALUE`)
  --env=KEY                pass KEY with its value in this process's environment
                           (as wasmtime; nothing if KEY is unset here)
  --inherit-env            pass this process's environment to the guest
  --interp                 run .wasm in the classic interpreter
  --fast-jit               run .wasm with the fast JIT only (no AoT cache)
  --no-cache               without --interp/--fast-jit, .wasm runs from a cached
                           AoT compilation made by wamrc in the background on
                           an earlier run (fast-JIT until then); this turns the
                           cache off (as WALI_CACHE=off does)
  --cache-dir=DIR          the cache directory (default $XDG_CACHE_HOME/wali,
                           else ~/.cache/wali; private to the user)
  --aot-opt-level=N        LLVM optimisation level of cached compilations 0..3
                           (default 3)
  --jit-codecache-size=N   fast-JIT code cache in bytes (default 10485760, as the
                           reference engine; less for a small module: 32
                           bytes per byte of code and 512 per function, at
                           least 2 MiB)
  --max-threads=N          most guest threads (default 256)
  --dir=PATH[:ro]          sandbox: the guest and everything it runs may use
                           only these trees (repeatable; read-only with :ro)
  --net=none|PORT[,PORT]   sandbox: TCP bind/connect only to these ports (none:
                           no network); other sockets than TCP and UNIX are
                           refused
  --no-native-exec         sandbox: execve of anything but a Wasm/AoT module
                           fails with EACCES
  --scoped                 sandbox: signals and abstract UNIX sockets only
                           within the sandbox
  --timeout=MS             end the guest after MS milliseconds, with status 124
  --sandbox                --dir=. --net=none --no-native-exec --scoped
  --sandbox=best-effort    the same, but run (with a warning) where the kernel
                           lacks a Landlock feature instead of refusing
  -f NAME, --function=NAME call the export NAME instead of _start, with the
                           ARGS after FILE parsed by its parameter types (i32,
                           i64, f32, f64), and print its results as the
                           reference engine does (0x2a:i32,1.5:f64); it runs
                           without the C library's start-up (no constructors,
                           stdio set-up or environment), fine for functions
                           that do not rely on it; status 1 if there is no such
                           export or an argument does not fit
  --version                print versions and exit
  --register-binfmt        register .wasm and .aot files with the kernel's
                           binfmt_misc (entries wali-wasm, wali-aot) to run
                           with this iwasm, so `./prog.wasm ARGS` runs like an
                           ELF binary; replaces existing entries (needs root,
                           or the root of a user namespace on Linux >= 6.7)
  --unregister-binfmt      remove those entries
  --persistent             with either: also write (remove) the systemd-binfmt
                           file, so the entries come back at boot
  --binfmt-conf=PATH       that file (default /etc/binfmt.d/wali.conf)
  -h, --help               print this help and exit

Without --env-file, --env or --inherit-env the guest starts with an empty
environment, as with the reference engine. Exit status: the guest's (0-255;
a guest killed by a signal kills iwasm with it), 134 when the guest traps,
1 when the module cannot be read, loaded or started, 2 for a bad flag.

Reference-engine flags this engine refuses, each with one line saying why
(status 2): --repl, --map-dir, --addr-pool,
--allow-resolve, --disable-bounds-checks, --llvm-jit, --multi-tier-jit,
--llvm-jit-size-level, --llvm-jit-opt-level, --enable-segue, --native-lib,
--module-path, -g, --gen-prof-file, --gc-heap-size, --wasi-nn-graph.

The sandbox flags are enforced by the kernel (Landlock); without
best-effort, a kernel lacking a feature they need is refused in one line
(status 1). See the README, \"Sandboxing\".";

/// The reference `iwasm`'s flags that this engine does not take, and why:
/// a WAMR user gets the reason in one line instead of the usage text.
const UNSUPPORTED: &[(&[&str], &str)] = &[
    (
        &["--repl"],
        "a WALI module is a whole Linux program run through _start: an interactive loop \
         of calls would run without the C library's start-up; call one export with -f NAME",
    ),
    (
        &["--map-dir"],
        "WALI guests see the host file system directly under its own names (no WASI \
         preopens to rename); limit what they reach with --dir or --sandbox",
    ),
    (
        &["--addr-pool", "--allow-resolve"],
        "WALI guests use the host's sockets and resolver directly through Linux system \
         calls (no WASI address pool); limit TCP ports with --net, or confine them with \
         a network namespace or firewall",
    ),
    (
        &["--disable-bounds-checks"],
        "bounds checks keep a hostile guest inside its linear memory and are never turned off",
    ),
    (
        &[
            "--llvm-jit",
            "--multi-tier-jit",
            "--llvm-jit-size-level",
            "--llvm-jit-opt-level",
            "--enable-segue",
        ],
        "this engine has no LLVM JIT (its modes are --interp, --fast-jit and AoT files): \
         for LLVM-compiled code use `wamrc` (its --opt-level, --size-level, --enable-segue) \
         and run the .aot file",
    ),
    (
        &["--native-lib"],
        "the engine links a module only to the WALI imports; host shared objects are not \
         loaded into the process",
    ),
    (
        &["--module-path"],
        "built without multi-module linking: a WALI program is one statically linked module",
    ),
    (
        &["-g"],
        "built without WAMR's debug interpreter (no lldb server)",
    ),
    (
        &["--gen-prof-file"],
        "built without LLVM PGO support (wamrc --enable-llvm-pgo files do not run here)",
    ),
    (
        &["--gc-heap-size"],
        "built without the Wasm GC proposal, which C programs do not use",
    ),
    (
        &["--wasi-nn-graph"],
        "built without wasi-nn: WALI provides Linux system calls only",
    ),
];

/// Why a command line cannot be run.
#[derive(Debug, PartialEq, Eq)]
pub enum ParseError {
    /// A malformed or unknown flag, or no file: the usage text helps.
    Usage(String),
    /// A reference-engine flag this engine does not take, and why.
    Unsupported { flag: String, why: &'static str },
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ParseError::Usage(m) => f.write_str(m),
            ParseError::Unsupported { flag, why } => {
                write!(f, "{flag}: not supported by this engine: {why}")
            }
        }
    }
}

impl From<String> for ParseError {
    fn from(m: String) -> Self {
        ParseError::Usage(m)
    }
}

impl From<&str> for ParseError {
    fn from(m: &str) -> Self {
        ParseError::Usage(m.into())
    }
}

/// Where the guest's environment comes from.
#[derive(Debug, Default, PartialEq, Eq)]
pub enum Env {
    #[default]
    Empty,
    File(OsString),
    Vars(Vec<Vec<u8>>),
}

#[derive(Debug, Default)]
pub struct Cli {
    pub verbose: Option<u32>,
    /// `--trace` (stderr) or `--trace=FILE` (`-v=5` is the first).
    pub trace: Option<Trace>,
    /// `--trace-summary`.
    pub trace_summary: bool,
    pub config: Config,
    /// Whether `--jit-codecache-size` was given (else the engine sizes the
    /// cache by the module, up to the default).
    pub jit_codecache_given: bool,
    /// Whether `--interp` or `--fast-jit` was given (else the engine picks
    /// the interpreter for modules that only it can run).
    pub mode_given: bool,
    /// Whether `--stack-size` was given (it has no effect on AoT files).
    pub stack_size_given: bool,
    pub env: Env,
    pub file: OsString,
    /// The guest's argv: the file as given, then its arguments.
    pub guest_args: Vec<OsString>,
    /// The sandbox policy (empty unless a sandbox flag was given).
    pub sandbox: Sandbox,
    /// The AoT cache (`--no-cache`, `--cache-dir`, `--aot-opt-level`).
    pub cache: wali::runtime::cache::Settings,
    /// `-f NAME`: the export to call instead of `_start`.
    pub function: Option<String>,
}

/// Where `--trace` prints.
#[derive(Debug, PartialEq, Eq)]
pub enum Trace {
    Stderr,
    /// A file, created or truncated (`--trace=FILE`), or appended to
    /// (`--trace-append=FILE`: the engine a guest's `execve` of a module
    /// starts carries on the trace of the engine before it).
    File {
        path: OsString,
        append: bool,
    },
}

/// What the command line asks for.
#[derive(Debug)]
pub enum Action {
    Run(Box<Cli>),
    Help,
    Version,
    /// `--register-binfmt` (true) or `--unregister-binfmt` (false).
    Binfmt {
        register: bool,
        persistent: bool,
        conf: OsString,
    },
}

fn num(flag: &str, v: &str) -> Result<u32, String> {
    v.parse::<u32>()
        .map_err(|_| format!("{flag} takes a whole number, not `{v}`"))
}

/// The bytes after the first `=` of a `--flag=VALUE` argument (empty
/// without one), kept as given: a path may not be UTF-8.
fn value_bytes(arg: &OsString) -> &[u8] {
    let raw = arg.as_bytes();
    raw.iter()
        .position(|&b| b == b'=')
        .map_or(&[][..], |i| &raw[i + 1..])
}

/// `--net=none` (no port) or `--net=PORT[,PORT...]`.
fn ports(v: &str) -> Result<Vec<u16>, String> {
    if v == "none" {
        return Ok(Vec::new());
    }
    v.split(',')
        .map(|p| match p.parse::<u16>() {
            Ok(n) if n > 0 => Ok(n),
            _ => Err(format!(
                "--net takes none or TCP ports 1..65535 separated by commas, not `{v}`"
            )),
        })
        .collect()
}

/// Parses `args` (without the program name).
pub fn parse(args: Vec<OsString>) -> Result<Action, ParseError> {
    let mut cli = Cli::default();
    let mut vars: Vec<Vec<u8>> = Vec::new();
    let mut inherit = false;
    let mut binfmt: Option<bool> = None;
    let mut persistent = false;
    let mut conf: Option<OsString> = None;
    // Whether any --env was given (a bare KEY unset here adds no variable).
    let mut env_given = false;
    let mut it = args.into_iter();
    while let Some(a) = it.next() {
        let s = a.to_string_lossy().into_owned();
        if !s.starts_with('-') || s == "-" {
            cli.file = a.clone();
            cli.guest_args.push(a);
            cli.guest_args.extend(it);
            break;
        }
        if s == "--" {
            let f = it.next().ok_or("no module file after --")?;
            cli.file = f.clone();
            cli.guest_args.push(f);
            cli.guest_args.extend(it);
            break;
        }
        let (flag, val) = match s.split_once('=') {
            Some((f, v)) => (f.to_string(), Some(v.to_string())),
            None => (s.clone(), None),
        };
        let need = |v: Option<String>| v.ok_or(format!("{flag} needs a value: {flag}=..."));
        match flag.as_str() {
            "-h" | "--help" => return Ok(Action::Help),
            "--version" => return Ok(Action::Version),
            "-v" => cli.verbose = Some(num("-v", &need(val)?)?.min(5)),
            "--stack-size" => {
                cli.config.stack_size = num(&flag, &need(val)?)?;
                cli.stack_size_given = true;
            }
            "--heap-size" => cli.config.heap_size = num(&flag, &need(val)?)?,
            "--jit-codecache-size" => {
                cli.config.jit_codecache_size = num(&flag, &need(val)?)?;
                cli.jit_codecache_given = true;
            }
            "--max-threads" => cli.config.max_threads = num(&flag, &need(val)?)?.max(1),
            "--interp" | "--fast-jit" => {
                cli.config.mode = if flag == "--interp" {
                    Mode::Interp
                } else {
                    Mode::FastJit
                };
                cli.mode_given = true;
            }
            "--inherit-env" => inherit = true,
            "-f" | "--function" => {
                // `-f NAME`, `--function NAME` (upstream) or `--function=NAME`.
                let name = match val {
                    Some(v) => v,
                    None => it
                        .next()
                        .ok_or(format!("{flag} needs the name of an export: {flag} NAME"))?
                        .to_string_lossy()
                        .into_owned(),
                };
                if name.is_empty() {
                    return Err(format!("{flag} needs the name of an export: {flag} NAME").into());
                }
                cli.function = Some(name);
            }
            "--trace" | "--trace-append" => {
                cli.trace = match (val, flag == "--trace-append") {
                    (None, false) => Some(Trace::Stderr),
                    (Some(_), append) if !value_bytes(&a).is_empty() => Some(Trace::File {
                        path: OsString::from_vec(value_bytes(&a).to_vec()),
                        append,
                    }),
                    _ => return Err(format!("{flag} needs a path: {flag}=FILE").into()),
                };
            }
            "--trace-summary" => cli.trace_summary = true,
            "--no-cache" => cli.cache.off = true,
            "--cache-dir" => {
                let p = value_bytes(&a);
                if p.is_empty() {
                    return Err("--cache-dir needs a path: --cache-dir=DIR".into());
                }
                cli.cache.dir = Some(OsString::from_vec(p.to_vec()));
            }
            "--aot-opt-level" => {
                let n = num(&flag, &need(val)?)?;
                if n > 3 {
                    return Err("--aot-opt-level takes 0 to 3".into());
                }
                cli.cache.opt_level = Some(n);
            }
            "--dir" => {
                let p = value_bytes(&a);
                let (p, ro) = match p.strip_suffix(b":ro") {
                    Some(p) => (p, true),
                    None => (p, false),
                };
                if p.is_empty() {
                    return Err("--dir needs a path: --dir=PATH or --dir=PATH:ro".into());
                }
                let p = OsString::from_vec(p.to_vec());
                cli.sandbox = std::mem::take(&mut cli.sandbox).dir(p, ro);
            }
            "--net" => {
                let p = ports(&need(val)?)?;
                cli.sandbox = std::mem::take(&mut cli.sandbox).net_ports(&p);
            }
            "--no-native-exec" => {
                cli.sandbox = std::mem::take(&mut cli.sandbox).no_native_exec(true);
            }
            "--scoped" => cli.sandbox = std::mem::take(&mut cli.sandbox).scoped(true),
            "--timeout" => {
                let ms = num(&flag, &need(val)?)?;
                if ms == 0 {
                    return Err("--timeout takes milliseconds above 0".into());
                }
                let t = std::time::Duration::from_millis(ms.into());
                cli.sandbox = std::mem::take(&mut cli.sandbox).timeout(t);
            }
            "--sandbox" => {
                let best = match val.as_deref() {
                    None => false,
                    Some("best-effort") => true,
                    Some(v) => {
                        return Err(
                            format!("--sandbox takes no value or =best-effort, not `{v}`").into(),
                        )
                    }
                };
                let mut s = std::mem::take(&mut cli.sandbox)
                    .dir(".", false)
                    .net_ports(&[])
                    .no_native_exec(true)
                    .scoped(true);
                if best {
                    s = s.best_effort(true);
                }
                cli.sandbox = s;
            }
            // Internal: an engine started for a module by a sandboxed
            // engine, which already is in its Landlock domain.
            "--sandbox-inherited" => {
                cli.sandbox = std::mem::take(&mut cli.sandbox).inherited(true);
            }
            "--register-binfmt" | "--unregister-binfmt" => {
                let reg = flag == "--register-binfmt";
                if binfmt.is_some_and(|b| b != reg) {
                    return Err(
                        "--register-binfmt and --unregister-binfmt exclude each other".into(),
                    );
                }
                binfmt = Some(reg);
            }
            "--persistent" => persistent = true,
            "--binfmt-conf" => {
                let p = value_bytes(&a);
                if p.is_empty() {
                    return Err("--binfmt-conf needs a path: --binfmt-conf=PATH".into());
                }
                conf = Some(OsString::from_vec(p.to_vec()));
            }
            "--env-file" => {
                let p = value_bytes(&a);
                if p.is_empty() {
                    return Err("--env-file needs a path: --env-file=PATH".into());
                }
                cli.env = Env::File(OsString::from_vec(p.to_vec()));
            }
            "--env" => {
                // `--env=X` or, as wasmtime takes it, `--env X`.
                let kv = match a.as_bytes().iter().position(|&b| b == b'=') {
                    Some(i) => a.as_bytes()[i + 1..].to_vec(),
                    None => it.next().ok_or("--env needs KEY=VALUE or KEY")?.into_vec(),
                };
                let key_end = kv.iter().position(|&b| b == b'=');
                if kv.is_empty() || key_end == Some(0) {
                    return Err("--env needs a name: KEY=VALUE or KEY".into());
                }
                env_given = true;
                if key_end.is_some() {
                    vars.push(kv);
                } else if let Some(v) = std::env::var_os(OsString::from_vec(kv.clone())) {
                    // Bare KEY: its value here, as wasmtime does; the guest
                    // gets no KEY if it is unset here.
                    let mut e = kv;
                    e.push(b'=');
                    e.extend(v.into_vec());
                    vars.push(e);
                }
            }
            _ => {
                if let Some((_, why)) = UNSUPPORTED.iter().find(|(n, _)| n.contains(&flag.as_str()))
                {
                    return Err(ParseError::Unsupported { flag, why });
                }
                return Err(format!("unknown option {flag}").into());
            }
        }
    }
    if let Some(register) = binfmt {
        if !cli.file.is_empty() {
            return Err("--register-binfmt and --unregister-binfmt take no module file".into());
        }
        return Ok(Action::Binfmt {
            register,
            persistent,
            conf: conf.unwrap_or_else(|| wali::runtime::binfmt::DEFAULT_CONF.into()),
        });
    }
    if persistent || conf.is_some() {
        return Err(
            "--persistent and --binfmt-conf go with --register-binfmt or --unregister-binfmt"
                .into(),
        );
    }
    if cli.file.is_empty() {
        return Err("no module file given".into());
    }
    if inherit || !vars.is_empty() || env_given {
        if matches!(cli.env, Env::File(_)) {
            return Err("--env-file cannot be combined with --env or --inherit-env".into());
        }
        let mut all: Vec<Vec<u8>> = Vec::new();
        if inherit {
            all.extend(std::env::vars_os().map(|(k, v)| {
                let mut kv = k.into_vec();
                kv.push(b'=');
                kv.extend(v.into_vec());
                kv
            }));
        }
        // A later --env overrides an inherited variable of the same name.
        for kv in vars {
            let key_len = kv.iter().position(|&b| b == b'=').unwrap_or(kv.len()) + 1;
            all.retain(|e| e.len() < key_len || e[..key_len] != kv[..key_len]);
            all.push(kv);
        }
        cli.env = Env::Vars(all);
    }
    Ok(Action::Run(Box::new(cli)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(args: &[&str]) -> Result<Action, ParseError> {
        parse(args.iter().map(OsString::from).collect())
    }

    #[test]
    fn flags_then_file_then_guest_args() {
        let Action::Run(c) = p(&[
            "-v=3",
            "--interp",
            "--stack-size=1000",
            "m.wasm",
            "-v=9",
            "x",
        ])
        .unwrap() else {
            panic!()
        };
        assert_eq!(c.verbose, Some(3));
        assert_eq!(c.config.mode, Mode::Interp);
        assert_eq!(c.config.stack_size, 1000);
        assert_eq!(c.guest_args, ["m.wasm", "-v=9", "x"]);
        assert!(!c.jit_codecache_given);
        assert!(c.mode_given && c.stack_size_given);
        let Action::Run(c) = p(&["m.wasm", "--interp"]).unwrap() else {
            panic!()
        };
        assert_eq!(c.config.mode, Mode::FastJit);
        assert!(!c.mode_given && !c.stack_size_given);
    }

    #[test]
    fn trace_flags() {
        let Action::Run(c) = p(&["--trace", "--trace-summary", "m.wasm"]).unwrap() else {
            panic!()
        };
        assert_eq!(c.trace, Some(Trace::Stderr));
        assert!(c.trace_summary);
        let Action::Run(c) = p(&["--trace=/tmp/t", "m.wasm"]).unwrap() else {
            panic!()
        };
        assert_eq!(
            c.trace,
            Some(Trace::File {
                path: "/tmp/t".into(),
                append: false
            })
        );
        let Action::Run(c) = p(&["--trace-append=t", "m.wasm"]).unwrap() else {
            panic!()
        };
        assert_eq!(
            c.trace,
            Some(Trace::File {
                path: "t".into(),
                append: true
            })
        );
        assert!(!c.trace_summary);
        assert!(p(&["--trace=", "m.wasm"]).is_err());
        assert!(p(&["--trace-append", "m.wasm"]).is_err());
    }

    #[test]
    fn jit_codecache_size_given() {
        let Action::Run(c) = p(&["--jit-codecache-size=4096", "m.wasm"]).unwrap() else {
            panic!()
        };
        assert_eq!(c.config.jit_codecache_size, 4096);
        assert!(c.jit_codecache_given);
    }

    #[test]
    fn env_overrides_and_conflicts() {
        let Action::Run(c) = p(&["--env=A=1", "--env=A=2", "--env=B=", "m.wasm"]).unwrap() else {
            panic!()
        };
        assert_eq!(c.env, Env::Vars(vec![b"A=2".to_vec(), b"B=".to_vec()]));
        assert!(p(&["--env-file=f", "--env=A=1", "m.wasm"]).is_err());
        assert!(p(&["--env=", "m.wasm"]).is_err());
        assert!(p(&["--env==1", "m.wasm"]).is_err());
        assert!(p(&["--env"]).is_err());
        // `--env X` takes the next argument, as wasmtime does.
        let Action::Run(c) = p(&["--env", "A=1", "m.wasm"]).unwrap() else {
            panic!()
        };
        assert_eq!(c.env, Env::Vars(vec![b"A=1".to_vec()]));
        // A bare name unset here adds nothing, but still conflicts with a file.
        let Action::Run(c) = p(&["--env=WALI_CLI_UNIT_UNSET", "m.wasm"]).unwrap() else {
            panic!()
        };
        assert_eq!(c.env, Env::Vars(vec![]));
        assert!(p(&["--env-file=f", "--env", "WALI_CLI_UNIT_UNSET", "m.wasm"]).is_err());
    }

    #[test]
    fn reference_flags_refused_with_a_reason() {
        for f in [
            "--repl",
            "--map-dir=/tmp",
            "--addr-pool=1.2.3.4/8",
            "-g=1:2",
        ] {
            let e = p(&[f, "main", "m.wasm"]).unwrap_err();
            assert!(matches!(e, ParseError::Unsupported { .. }), "{f}: {e}");
            assert!(e.to_string().contains(": not supported by this engine: "));
        }
        assert!(matches!(
            p(&["--no-such", "m.wasm"]),
            Err(ParseError::Usage(_))
        ));
    }

    #[test]
    fn function_flag() {
        for args in [
            &["-f", "add", "m.wasm", "1", "2"][..],
            &["--function", "add", "m.wasm", "1", "2"],
            &["--function=add", "m.wasm", "1", "2"],
        ] {
            let Action::Run(c) = p(args).unwrap() else {
                panic!()
            };
            assert_eq!(c.function.as_deref(), Some("add"), "{args:?}");
            assert_eq!(c.file, "m.wasm");
            assert_eq!(c.guest_args, ["m.wasm", "1", "2"]);
        }
        let Action::Run(c) = p(&["m.wasm", "-f", "add"]).unwrap() else {
            panic!()
        };
        assert_eq!(c.function, None);
        for bad in [&["-f"][..], &["--function="], &["--function=", "m.wasm"]] {
            assert!(matches!(p(bad), Err(ParseError::Usage(_))), "{bad:?}");
        }
    }

    #[test]
    fn sandbox_flags() {
        let Action::Run(c) = p(&[
            "--dir=/a",
            "--dir=b:ro",
            "--net=80,443",
            "--no-native-exec",
            "--scoped",
            "--timeout=1500",
            "m.wasm",
        ])
        .unwrap() else {
            panic!()
        };
        let want = Sandbox::new()
            .dir("/a", false)
            .dir("b", true)
            .net_ports(&[80, 443])
            .no_native_exec(true)
            .scoped(true)
            .timeout(std::time::Duration::from_millis(1500));
        assert_eq!(c.sandbox, want);
        let Action::Run(c) = p(&["--sandbox", "m.wasm"]).unwrap() else {
            panic!()
        };
        assert_eq!(c.sandbox, Sandbox::standard());
        let Action::Run(c) = p(&["--sandbox=best-effort", "m.wasm"]).unwrap() else {
            panic!()
        };
        assert_eq!(c.sandbox, Sandbox::standard().best_effort(true));
        let Action::Run(c) = p(&["--net=none", "m.wasm"]).unwrap() else {
            panic!()
        };
        assert_eq!(c.sandbox, Sandbox::new().net_ports(&[]));
        let Action::Run(c) = p(&["m.wasm", "--sandbox"]).unwrap() else {
            panic!()
        };
        assert!(c.sandbox.is_empty());
        for bad in [
            "--dir=",
            "--dir=:ro",
            "--net=",
            "--net=0",
            "--net=70000",
            "--net=80,x",
            "--timeout=0",
            "--timeout=soon",
            "--sandbox=maybe",
        ] {
            assert!(
                matches!(p(&[bad, "m.wasm"]), Err(ParseError::Usage(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn errors() {
        assert!(p(&["--bogus", "m.wasm"]).is_err());
        assert!(p(&["--stack-size=lots", "m.wasm"]).is_err());
        assert!(p(&[]).is_err());
        assert!(matches!(p(&["--version"]), Ok(Action::Version)));
        assert!(matches!(p(&["-h", "m.wasm"]), Ok(Action::Help)));
    }

    #[test]
    fn binfmt_flags() {
        let Ok(Action::Binfmt {
            register,
            persistent,
            conf,
        }) = p(&[
            "--register-binfmt",
            "--persistent",
            "--binfmt-conf=/t/w.conf",
        ])
        else {
            panic!()
        };
        assert!(register && persistent);
        assert_eq!(conf, "/t/w.conf");
        let Ok(Action::Binfmt {
            register,
            persistent,
            conf,
        }) = p(&["--unregister-binfmt"])
        else {
            panic!()
        };
        assert!(!register && !persistent);
        assert_eq!(conf, "/etc/binfmt.d/wali.conf");
        assert!(p(&["--register-binfmt", "--unregister-binfmt"]).is_err());
        assert!(p(&["--register-binfmt", "m.wasm"]).is_err());
        assert!(p(&["--persistent", "m.wasm"]).is_err());
    }
}
