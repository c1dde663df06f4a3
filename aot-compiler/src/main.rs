//! `wamrc`: the WALI project's ahead-of-time compiler front end. It turns a
//! WebAssembly module into a WAMR AoT file (format version 6, WAMR 2.4.3)
//! that WALI's `iwasm` loads.
//!
//! # How it is built
//!
//! WAMR's source tree has no compiler front end of its own here (no
//! `wamr-compiler/`), so this crate supplies both the front end (this file)
//! and the build glue:
//!
//! * `build.rs` locates the pinned WAMR tree with the `wamr-src` crate and
//!   LLVM with `llvm-config` (`$LLVM_CONFIG`, else `llvm-config-19`), then
//!   runs CMake (through the `cmake` crate) on `cmake/CMakeLists.txt`.
//! * That CMakeLists includes WAMR's `build-scripts/runtime_lib.cmake` (as
//!   `wamr-sys` does for the runtime) together with
//!   `core/iwasm/compilation/iwasm_compl.cmake`, defines
//!   `WASM_ENABLE_WAMR_COMPILER=1` and `WASM_ENABLE_SIMD=1`, and produces a
//!   single static library, `libwamrc_core.a`: the LLVM-based compiler, the
//!   bytecode loader, the AoT loader, the common runtime, the thread manager
//!   and the shared platform/utils/mem-alloc code.
//! * `build.rs` links that library, then LLVM's shared library
//!   (`libLLVM-19.so`, as `llvm-config --link-shared --libs` names it) and
//!   the C++ runtime, and runs bindgen over `wasm_export.h` +
//!   `aot_export.h`.
//!
//! The crate is a workspace member but not a default member, so a plain
//! `cargo build` of the WALI host never needs LLVM. Build it with
//! `cargo build --release -p wamrc`, giving `target/release/wamrc` (or
//! `make wamrc`, see `wamrc.mk`, which also copies the binary to
//! `./wamrc`). Nothing is downloaded.
//!
//! # Behaviour
//!
//! The command line follows upstream `wamrc` for the options it shares
//! (`wamrc --help` lists them). A module that declares a shared memory (as
//! every WALI binary does) gets multi-thread support switched on, as with
//! `--enable-multi-thread`, and a one-line note on stderr says so. Errors are
//! one line on stderr and a non-zero exit status (2 for command-line errors,
//! 1 for everything else).

mod ffi;
mod wasm_scan;

use std::ffi::{CStr, CString};
use std::fs::OpenOptions;
use std::os::raw::{c_char, c_int};
use std::path::Path;
use std::process::ExitCode;
use std::ptr;

/// The eight bytes of an empty module, compiled when only a `help` list of
/// targets, ABIs, CPUs or CPU features is wanted.
const EMPTY_MODULE: [u8; 8] = *b"\0asm\x01\0\0\0";

extern "C" {
    /// From LLVM's C API (llvm-c/Support.h), for `--mllvm=`.
    fn LLVMParseCommandLineOptions(
        argc: c_int,
        argv: *const *const c_char,
        overview: *const c_char,
    );
    /// From the C library: WAMR prints through C stdio, wamrc through Rust's
    /// stdout; flushing C's buffers first keeps the two in order.
    fn fflush(stream: *mut std::ffi::c_void) -> c_int;
}

fn flush_c_stdio() {
    // SAFETY: fflush(NULL) flushes every C output stream.
    unsafe { fflush(ptr::null_mut()) };
}

const USAGE: &str = "\
Usage: wamrc [options] -o <output-file> <wasm-file>
Compile a WebAssembly module ahead of time into a WAMR AoT file.

Options:
  -o <file>                 Write the output to <file> (required)
  --target=<arch>           Target architecture, e.g. x86_64, aarch64, riscv64,
                              i386, arm, thumb, xtensa, mips, riscv32
                              (default: the host's); --target=help lists them
  --target-abi=<abi>        Target ABI, e.g. gnu, eabi, lp64d, ilp32d;
                              --target-abi=help lists them
  --cpu=<cpu>               Target CPU (default: the host CPU);
                              --cpu=help lists them
  --cpu-features=<list>     Comma-separated +feature/-feature list;
                              --cpu-features=+help lists them
  --opt-level=<0..3>        LLVM optimization level (default 3)
  --size-level=<0..3>       Code model: 0 large, 1 medium, 2 kernel,
                              3 small (default 3)
  --bounds-checks=<0|1>     Software bounds checks on linear-memory accesses
                              (default: off on 64-bit targets, where the runtime
                              traps out-of-bounds accesses in hardware; on elsewhere)
  --stack-bounds-checks=<0|1>
                            Native stack overflow checks (default: on; the
                              engine has no stack guard pages, so code built
                              without them can overflow the native stack)
  --format=<format>         Output format: aot (default), object (native object
                              file), llvmir-unopt, llvmir-opt (LLVM IR)
  --enable-multi-thread     Enable multi-thread support (implies bulk memory);
                              switched on automatically for modules with a
                              shared memory
  --disable-simd            Disable 128-bit SIMD (by default on for x86_64 and
                              aarch64 targets)
  --disable-bulk-memory     Disable the bulk memory operations
  --disable-ref-types       Disable reference types
  --enable-tail-call        Enable the tail call proposal
  --disable-aux-stack-check Disable the auxiliary (shadow) stack overflow and
                              underflow checks
  --enable-dump-call-stack  Keep stack frames so the runtime can print a call
                              stack with function indexes
  --emit-custom-sections=<names>
                            Copy these custom sections (comma-separated) into
                              the AoT file; `name` carries function names for
                              call-stack dumps
  --disable-llvm-lto        Disable LLVM link-time optimization
  --mllvm=<option>          Pass an option to LLVM (repeatable)
  -v=<0..5>                 Log level (default 2: warnings)
  --version                 Print the version and exit
  -h, --help                Print this help and exit

Example: wamrc -o hello.aot hello.wasm";

/// How the program ends when it does not succeed.
enum Failure {
    /// Bad command line: the message, then the usage text.
    Usage(String),
    /// Anything else: one line.
    Error(String),
}

type Result<T> = std::result::Result<T, Failure>;

fn usage(msg: impl Into<String>) -> Failure {
    Failure::Usage(msg.into())
}

fn error(msg: impl Into<String>) -> Failure {
    Failure::Error(msg.into())
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Aot,
    Object,
    LlvmIrUnopt,
    LlvmIrOpt,
}

struct Options {
    output: Option<String>,
    input: Option<String>,
    target: Option<CString>,
    target_abi: Option<CString>,
    cpu: Option<CString>,
    cpu_features: Option<CString>,
    opt_level: u32,
    size_level: u32,
    bounds_checks: Option<bool>,
    /// On unless `--stack-bounds-checks=0`: the engine needs it.
    stack_bounds_checks: bool,
    format: Format,
    multi_thread: bool,
    simd: bool,
    bulk_memory: bool,
    ref_types: bool,
    tail_call: bool,
    aux_stack_check: bool,
    dump_call_stack: bool,
    disable_llvm_lto: bool,
    custom_sections: Vec<CString>,
    llvm_options: Vec<CString>,
    log_level: u32,
    /// Only a `help` list was asked for: no input or output.
    help_query: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            output: None,
            input: None,
            target: None,
            target_abi: None,
            cpu: None,
            cpu_features: None,
            opt_level: 3,
            size_level: 3,
            bounds_checks: None,
            stack_bounds_checks: true,
            format: Format::Aot,
            multi_thread: false,
            simd: true,
            bulk_memory: true,
            ref_types: true,
            tail_call: false,
            aux_stack_check: true,
            dump_call_stack: false,
            disable_llvm_lto: false,
            custom_sections: Vec::new(),
            llvm_options: Vec::new(),
            log_level: 2,
            help_query: false,
        }
    }
}

/// What the command line asks for.
enum Command {
    Help,
    Version,
    Compile(Box<Options>),
}

fn c_string(flag: &str, value: &str) -> Result<CString> {
    CString::new(value).map_err(|_| usage(format!("{flag}: value contains a NUL byte")))
}

fn non_empty<'a>(flag: &str, value: &'a str) -> Result<&'a str> {
    if value.is_empty() {
        Err(usage(format!("{flag} needs a value")))
    } else {
        Ok(value)
    }
}

fn level(flag: &str, value: &str, max: u32) -> Result<u32> {
    match value.parse::<u32>() {
        Ok(n) if n <= max => Ok(n),
        _ => Err(usage(format!(
            "{flag}={value}: expected a number from 0 to {max}"
        ))),
    }
}

fn switch(flag: &str, value: &str) -> Result<bool> {
    match value {
        "0" => Ok(false),
        "1" => Ok(true),
        _ => Err(usage(format!("{flag}={value}: expected 0 or 1"))),
    }
}

fn parse_args(args: &[String]) -> Result<Command> {
    let mut o = Options::default();
    let mut positional: Vec<String> = Vec::new();
    let mut i = 0;
    let mut only_files = false;
    while i < args.len() {
        let arg = args[i].as_str();
        i += 1;
        if only_files || !arg.starts_with('-') || arg == "-" {
            positional.push(arg.to_string());
            continue;
        }
        let (flag, value) = match arg.split_once('=') {
            Some((f, v)) => (f, Some(v)),
            None => (arg, None),
        };
        // Flags that take no value must not be given one.
        let no_value = |o: &mut Options, set: fn(&mut Options)| -> Result<()> {
            if value.is_some() {
                return Err(usage(format!("{flag} takes no value")));
            }
            set(o);
            Ok(())
        };
        let need = || value.ok_or_else(|| usage(format!("{flag} needs a value: {flag}=...")));
        match flag {
            "-h" | "--help" => return Ok(Command::Help),
            "--version" => return Ok(Command::Version),
            "--" => only_files = true,
            "-o" => {
                if value.is_some() {
                    return Err(usage("-o takes the file name as the next argument"));
                }
                let file = args.get(i).ok_or_else(|| usage("-o needs a file name"))?;
                i += 1;
                o.output = Some(non_empty("-o", file)?.to_string());
            }
            "--target" => {
                let v = non_empty(flag, need()?)?;
                o.help_query |= v == "help";
                o.target = Some(c_string(flag, v)?);
            }
            "--target-abi" => {
                let v = non_empty(flag, need()?)?;
                o.help_query |= v == "help";
                o.target_abi = Some(c_string(flag, v)?);
            }
            "--cpu" => {
                let v = non_empty(flag, need()?)?;
                o.help_query |= v == "help";
                o.cpu = Some(c_string(flag, v)?);
            }
            "--cpu-features" => {
                let v = non_empty(flag, need()?)?;
                o.help_query |= v == "+help";
                o.cpu_features = Some(c_string(flag, v)?);
            }
            "--opt-level" => o.opt_level = level(flag, need()?, 3)?,
            "--size-level" => o.size_level = level(flag, need()?, 3)?,
            "--bounds-checks" => o.bounds_checks = Some(switch(flag, need()?)?),
            "--stack-bounds-checks" => o.stack_bounds_checks = switch(flag, need()?)?,
            "--format" => {
                o.format = match need()? {
                    "aot" => Format::Aot,
                    "object" => Format::Object,
                    "llvmir-unopt" => Format::LlvmIrUnopt,
                    "llvmir-opt" => Format::LlvmIrOpt,
                    other => {
                        return Err(usage(format!(
                            "--format={other}: expected aot, object, llvmir-unopt or llvmir-opt"
                        )))
                    }
                }
            }
            "--enable-multi-thread" => no_value(&mut o, |o| {
                o.multi_thread = true;
                o.bulk_memory = true;
            })?,
            // Upstream keeps --enable-simd as an obsolete no-op.
            "--enable-simd" => no_value(&mut o, |o| o.simd = true)?,
            "--disable-simd" => no_value(&mut o, |o| o.simd = false)?,
            "--disable-bulk-memory" => no_value(&mut o, |o| o.bulk_memory = false)?,
            "--disable-ref-types" => no_value(&mut o, |o| o.ref_types = false)?,
            "--enable-tail-call" => no_value(&mut o, |o| o.tail_call = true)?,
            "--disable-aux-stack-check" => no_value(&mut o, |o| o.aux_stack_check = false)?,
            "--enable-dump-call-stack" => no_value(&mut o, |o| o.dump_call_stack = true)?,
            "--disable-llvm-lto" => no_value(&mut o, |o| o.disable_llvm_lto = true)?,
            "--emit-custom-sections" => {
                for name in non_empty(flag, need()?)?.split(',') {
                    let name = non_empty(flag, name)?;
                    o.custom_sections.push(c_string(flag, name)?);
                }
            }
            "--mllvm" => {
                let v = non_empty(flag, need()?)?;
                o.llvm_options.push(c_string(flag, v)?);
            }
            "-v" => o.log_level = level(flag, need()?, 5)?,
            _ => return Err(usage(format!("unknown option {arg}"))),
        }
    }
    match positional.len() {
        0 => {}
        1 => o.input = positional.pop(),
        _ => {
            return Err(usage(format!(
                "one input file expected, got {}: {}",
                positional.len(),
                positional.join(" ")
            )))
        }
    }
    if !o.help_query {
        if o.input.is_none() {
            return Err(usage("no input file"));
        }
        if o.output.is_none() {
            return Err(usage("no output file (-o <file>)"));
        }
    }
    Ok(Command::Compile(Box::new(o)))
}

fn version() -> String {
    let (mut major, mut minor, mut patch) = (0u32, 0u32, 0u32);
    // SAFETY: writes three integers; needs no initialized runtime.
    unsafe { ffi::wasm_runtime_get_version(&mut major, &mut minor, &mut patch) };
    format!("wamrc {major}.{minor}.{patch}")
}

/// WAMR's last compiler error, or a fallback.
fn last_aot_error(what: &str) -> String {
    let msg = raw_aot_error();
    if msg.is_empty() {
        format!("{what} failed")
    } else {
        msg
    }
}

/// WAMR's last compiler error as is (empty when none was set).
fn raw_aot_error() -> String {
    // SAFETY: returns a pointer to a static, NUL-terminated buffer.
    let p = unsafe { ffi::aot_get_last_error() };
    if p.is_null() {
        return String::new();
    }
    // SAFETY: non-NULL and NUL-terminated, see above.
    let msg = unsafe { CStr::from_ptr(p) }.to_string_lossy();
    // aot_set_last_error() prefixes "Error: "; ours already says so.
    let msg = msg.trim();
    msg.strip_prefix("Error: ").unwrap_or(msg).to_string()
}

/// Fails early, before a possibly long compilation, if `path` cannot be
/// written. Leaves no file behind when there was none.
fn check_writable(path: &Path) -> Result<()> {
    let shown = path.display();
    if path.is_dir() {
        return Err(error(format!(
            "cannot write output file '{shown}': it is a directory"
        )));
    }
    let existed = path.exists();
    let opened = if existed {
        OpenOptions::new().append(true).open(path)
    } else {
        OpenOptions::new().write(true).create_new(true).open(path)
    };
    match opened {
        Ok(f) => {
            drop(f);
            if !existed {
                let _ = std::fs::remove_file(path);
            }
            Ok(())
        }
        Err(e) => Err(error(format!("cannot write output file '{shown}': {e}"))),
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    if a == b {
        return true;
    }
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

/// The initialized WAMR runtime; destroyed on drop.
struct Runtime;

impl Runtime {
    fn init(log_level: u32) -> Result<Runtime> {
        let mut args = ffi::RuntimeInitArgs {
            mem_alloc_type: ffi::Alloc_With_System_Allocator,
            ..Default::default()
        };
        // SAFETY: `args` is a fully initialized RuntimeInitArgs.
        if !unsafe { ffi::wasm_runtime_full_init(&mut args) } {
            return Err(error("cannot initialize the WAMR runtime"));
        }
        // WAMR's levels stop at VERBOSE (4); upstream's -v accepts 5.
        let level = log_level.min(ffi::WASM_LOG_LEVEL_VERBOSE);
        // SAFETY: plain setter.
        unsafe { ffi::wasm_runtime_set_log_level(level) };
        register_direct_imports()?;
        Ok(Runtime)
    }
}

include!(concat!(env!("OUT_DIR"), "/direct_imports.rs"));

/// Never called: the compiler only needs a non-NULL address to resolve an
/// import; the engine links its own typed function at load time.
extern "C" fn not_called() {
    std::process::abort();
}

/// Registers the `wali` syscalls the engine serves with typed natives of a
/// fixed signature (`DIRECT_IMPORTS`, from the engine's spec table), so the
/// loader resolves a module's imports of those names with that signature
/// (only when the module's import type matches it) and the compiler emits a
/// direct call to them instead of a call through `aot_invoke_native`.
fn register_direct_imports() -> Result<()> {
    let symbols: Vec<ffi::NativeSymbol> = DIRECT_IMPORTS
        .iter()
        .map(|(name, sig)| ffi::NativeSymbol {
            symbol: name.as_ptr(),
            func_ptr: not_called as *mut std::ffi::c_void,
            signature: sig.as_ptr(),
            attachment: ptr::null_mut(),
        })
        .collect();
    // WAMR keeps the array (and sorts it) for as long as the runtime lives.
    let symbols: &'static mut [ffi::NativeSymbol] = symbols.leak();
    // SAFETY: the names and signatures are static C strings; the array lives
    // for the rest of the process.
    let ok = unsafe {
        ffi::wasm_runtime_register_natives(
            c"wali".as_ptr(),
            symbols.as_mut_ptr(),
            symbols.len() as u32,
        )
    };
    if ok {
        Ok(())
    } else {
        Err(error("cannot register the wali imports"))
    }
}

impl Drop for Runtime {
    fn drop(&mut self) {
        // SAFETY: paired with the successful wasm_runtime_full_init.
        unsafe { ffi::wasm_runtime_destroy() };
    }
}

/// A loaded bytecode module; borrows the bytes it was loaded from, which
/// WAMR keeps referring to.
struct Module<'a> {
    raw: ffi::wasm_module_t,
    _bytes: std::marker::PhantomData<&'a mut [u8]>,
}

impl<'a> Module<'a> {
    fn load(_rt: &Runtime, bytes: &'a mut [u8], name: &str) -> Result<Module<'a>> {
        let size = u32::try_from(bytes.len()).map_err(|_| {
            error(format!(
                "'{name}': module too large for WAMR (4 GiB or more)"
            ))
        })?;
        let mut err = [0 as c_char; 256];
        // SAFETY: buffer and error buffer are valid for the given sizes and
        // the buffer outlives the module (lifetime 'a).
        let raw = unsafe {
            ffi::wasm_runtime_load(bytes.as_mut_ptr(), size, err.as_mut_ptr(), err.len() as u32)
        };
        if raw.is_null() {
            // SAFETY: WAMR writes a NUL-terminated message into `err`.
            let msg = unsafe { CStr::from_ptr(err.as_ptr()) }
                .to_string_lossy()
                .trim()
                .to_string();
            let msg = if msg.is_empty() {
                "WASM module load failed".to_string()
            } else {
                msg
            };
            return Err(error(format!("'{name}': {msg}")));
        }
        Ok(Module {
            raw,
            _bytes: std::marker::PhantomData,
        })
    }
}

impl Drop for Module<'_> {
    fn drop(&mut self) {
        // SAFETY: `raw` came from wasm_runtime_load and is unloaded once.
        unsafe { ffi::wasm_runtime_unload(self.raw) };
    }
}

/// Compilation data derived from a module; destroyed on drop.
struct CompData<'m> {
    raw: ffi::aot_comp_data_t,
    _module: std::marker::PhantomData<&'m Module<'m>>,
}

impl<'m> CompData<'m> {
    fn create(module: &'m Module<'_>, target: Option<&CString>) -> Result<CompData<'m>> {
        let arch = target.map_or(ptr::null(), |t| t.as_ptr());
        // SAFETY: `module.raw` is a loaded bytecode module; `arch` is NULL or
        // a NUL-terminated string that lives across the call.
        let raw = unsafe { ffi::aot_create_comp_data(module.raw as *mut _, arch, false) };
        if raw.is_null() {
            return Err(error(last_aot_error("creating the compilation data")));
        }
        Ok(CompData {
            raw,
            _module: std::marker::PhantomData,
        })
    }
}

impl Drop for CompData<'_> {
    fn drop(&mut self) {
        // SAFETY: created by aot_create_comp_data, destroyed once.
        unsafe { ffi::aot_destroy_comp_data(self.raw) };
    }
}

/// An LLVM compilation context; destroyed on drop.
struct CompContext<'d> {
    raw: ffi::aot_comp_context_t,
    _data: std::marker::PhantomData<&'d CompData<'d>>,
}

impl Drop for CompContext<'_> {
    fn drop(&mut self) {
        // SAFETY: created by aot_create_comp_context, destroyed once.
        unsafe { ffi::aot_destroy_comp_context(self.raw) };
    }
}

/// Fills WAMR's option structure. The returned value points into `o` and
/// `section_ptrs`, which must outlive it.
fn comp_option(o: &Options, section_ptrs: &mut [*mut c_char]) -> ffi::AOTCompOption {
    let opt_ptr = |s: &Option<CString>| {
        s.as_ref()
            .map_or(ptr::null_mut(), |c| c.as_ptr() as *mut c_char)
    };
    let mut opt = ffi::AOTCompOption {
        target_arch: opt_ptr(&o.target),
        target_abi: opt_ptr(&o.target_abi),
        target_cpu: opt_ptr(&o.cpu),
        cpu_features: opt_ptr(&o.cpu_features),
        opt_level: o.opt_level,
        size_level: o.size_level,
        output_format: match o.format {
            Format::Aot => ffi::AOT_FORMAT_FILE,
            Format::Object => ffi::AOT_OBJECT_FILE,
            Format::LlvmIrUnopt => ffi::AOT_LLVMIR_UNOPT_FILE,
            Format::LlvmIrOpt => ffi::AOT_LLVMIR_OPT_FILE,
        },
        // 2 = "not set": the compiler picks the default for the target.
        bounds_checks: o.bounds_checks.map_or(2, u32::from),
        // On by default: the engine checks the native stack in software, with
        // no guard pages for AoT code to fault on (wamr-sys/cmake/CMakeLists.txt).
        stack_bounds_checks: u32::from(o.stack_bounds_checks),
        enable_simd: o.simd,
        enable_bulk_memory: o.bulk_memory,
        // The runtime pairs these as WAMR's config_common.cmake does:
        // bulk memory brings memory.copy/fill, reference types bring the
        // multi-byte call_indirect table index. The compiler turns each off
        // again when the module does not use it.
        enable_bulk_memory_opt: o.bulk_memory,
        enable_ref_types: o.ref_types,
        enable_call_indirect_overlong: o.ref_types,
        enable_thread_mgr: o.multi_thread,
        enable_tail_call: o.tail_call,
        enable_aux_stack_check: o.aux_stack_check,
        disable_llvm_lto: o.disable_llvm_lto,
        aux_stack_frame_type: if o.dump_call_stack {
            ffi::AOT_STACK_FRAME_TYPE_STANDARD
        } else {
            ffi::AOT_STACK_FRAME_OFF
        },
        ..Default::default()
    };
    // SAFETY: initializes the plain-bool feature struct.
    unsafe { ffi::aot_call_stack_features_init_default(&mut opt.call_stack_features) };
    if !section_ptrs.is_empty() {
        opt.custom_sections = section_ptrs.as_mut_ptr();
        opt.custom_sections_count = section_ptrs.len() as u32;
    }
    opt
}

fn compile(mut o: Options) -> Result<()> {
    // Inputs and outputs first: cheap checks before LLVM starts.
    let mut bytes: Vec<u8>;
    let name: String;
    if o.help_query {
        bytes = EMPTY_MODULE.to_vec();
        name = "(help)".into();
    } else {
        let input = o.input.clone().unwrap_or_default();
        let output = o.output.clone().unwrap_or_default();
        if same_file(Path::new(&input), Path::new(&output)) {
            return Err(error(format!(
                "input and output are the same file: '{input}'"
            )));
        }
        bytes = std::fs::read(&input)
            .map_err(|e| error(format!("cannot read input file '{input}': {e}")))?;
        if bytes.starts_with(b"\0aot") {
            return Err(error(format!(
                "'{input}' is already a WAMR AoT file, not a WebAssembly module"
            )));
        }
        if !bytes.starts_with(b"\0asm") {
            return Err(error(format!(
                "'{input}' is not a WebAssembly module (no \\0asm magic header)"
            )));
        }
        // WAMR's AoT compiler has no exception handling (its loader would
        // say "invalid section id" at the tag section); iwasm runs such
        // modules in its interpreter.
        if wasm_patch::uses_exceptions(&bytes) {
            return Err(error(format!(
                "'{input}' uses Wasm exception handling (it has tags), which WAMR's AoT \
                 compiler cannot compile: run the .wasm with iwasm (its interpreter runs it)"
            )));
        }
        check_writable(Path::new(&output))?;
        name = input;
        // WALI modules grow memory through the host (mmap/brk); keep WAMR's
        // loader from freezing the memory of one without memory.grow.
        if let Some(marked) = wasm_patch::mark_growable(&bytes) {
            bytes = marked;
        }
    }

    let rt = Runtime::init(o.log_level)?;

    if !o.llvm_options.is_empty() {
        let mut argv: Vec<*const c_char> = vec![c"wamrc".as_ptr()];
        argv.extend(o.llvm_options.iter().map(|s| s.as_ptr()));
        // SAFETY: argv holds NUL-terminated strings alive for the call.
        unsafe {
            LLVMParseCommandLineOptions(argv.len() as c_int, argv.as_ptr(), c"wamrc".as_ptr())
        };
    }

    // WAMR keeps pointers into the buffer, so scan it before lending it out.
    let shared = !o.help_query && wasm_scan::has_shared_memory(&bytes) == Some(true);
    let module = Module::load(&rt, &mut bytes, &name)?;
    if shared && !o.multi_thread {
        eprintln!(
            "wamrc: '{name}' has a shared memory: multi-thread support enabled (as with --enable-multi-thread)"
        );
        o.multi_thread = true;
        o.bulk_memory = true;
    }

    let data = CompData::create(&module, o.target.as_ref())?;

    let mut section_ptrs: Vec<*mut c_char> = o
        .custom_sections
        .iter()
        .map(|s| s.as_ptr() as *mut c_char)
        .collect();
    let mut option = comp_option(&o, &mut section_ptrs);
    // SAFETY: `data.raw` is valid; `option` and everything it points to
    // (strings in `o`, `section_ptrs`) outlive the context.
    let raw = unsafe { ffi::aot_create_comp_context(data.raw, &mut option) };
    if raw.is_null() {
        if o.help_query {
            // WAMR (or LLVM) printed the list it was asked for, unless the
            // query itself was wrong (say --cpu-features=+help without --cpu).
            let msg = raw_aot_error();
            return if msg.is_empty() {
                Ok(())
            } else {
                Err(error(msg))
            };
        }
        return Err(error(format!(
            "'{name}': {}",
            last_aot_error("creating the compilation context")
        )));
    }
    let ctx = CompContext {
        raw,
        _data: std::marker::PhantomData,
    };
    if o.help_query {
        return Ok(());
    }

    // SAFETY: a valid context for a loaded module.
    if !unsafe { ffi::aot_compile_wasm(ctx.raw) } {
        return Err(error(format!(
            "'{name}': {}",
            last_aot_error("compilation")
        )));
    }

    let output = o.output.clone().unwrap_or_default();
    match o.format {
        Format::Aot => {
            let mut size = 0u32;
            // SAFETY: valid context and data; WAMR allocates the buffer.
            let buf = unsafe { ffi::aot_emit_aot_file_buf(ctx.raw, data.raw, &mut size) };
            if buf.is_null() {
                return Err(error(format!(
                    "'{name}': {}",
                    last_aot_error("emitting the AoT file")
                )));
            }
            // SAFETY: `buf` holds `size` bytes until freed below.
            let mut aot = unsafe { std::slice::from_raw_parts(buf, size as usize) }.to_vec();
            // SAFETY: allocated by WAMR's allocator, freed once.
            unsafe { ffi::wasm_runtime_free(buf.cast()) };
            // The engine runs only AoT code that checks its native stack
            // (wasm_patch::AOT_STACK_CHECKED says why).
            if o.stack_bounds_checks && !wasm_patch::stamp_aot_stack_checked(&mut aot) {
                return Err(error(format!("'{name}': unexpected AoT file layout")));
            }
            let written = std::fs::write(&output, &aot);
            written.map_err(|e| error(format!("cannot write output file '{output}': {e}")))?;
        }
        Format::Object | Format::LlvmIrUnopt | Format::LlvmIrOpt => {
            let path = c_string("-o", &output)?;
            // SAFETY: valid context; `path` is NUL-terminated.
            let ok = unsafe {
                if o.format == Format::Object {
                    ffi::aot_emit_object_file(ctx.raw, path.as_ptr())
                } else {
                    ffi::aot_emit_llvm_file(ctx.raw, path.as_ptr())
                }
            };
            if !ok {
                return Err(error(format!(
                    "cannot write output file '{output}': {}",
                    last_aot_error("emitting the output")
                )));
            }
        }
    }
    drop(ctx);
    drop(data);
    drop(module);
    drop(rt);
    flush_c_stdio();
    println!("Compile success, file {output} was generated.");
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = match std::env::args_os()
        .skip(1)
        .map(|a| a.into_string())
        .collect::<std::result::Result<_, _>>()
    {
        Ok(a) => a,
        Err(a) => {
            eprintln!(
                "wamrc: error: argument is not valid UTF-8: {}",
                a.to_string_lossy()
            );
            return ExitCode::from(2);
        }
    };
    let result = match parse_args(&args) {
        Ok(Command::Help) => {
            println!("{USAGE}");
            Ok(())
        }
        Ok(Command::Version) => {
            println!("{}", version());
            Ok(())
        }
        Ok(Command::Compile(o)) => compile(*o),
        Err(f) => Err(f),
    };
    flush_c_stdio();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Usage(msg)) => {
            eprintln!("wamrc: error: {msg}");
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
        Err(Failure::Error(msg)) => {
            eprintln!("wamrc: error: {msg}");
            ExitCode::from(1)
        }
    }
}
