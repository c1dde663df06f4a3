//! Registration of `.wasm` and `.aot` files with the kernel's binfmt_misc,
//! so that `./prog.wasm a b` runs like an ELF binary (`iwasm
//! --register-binfmt`), and the recognition of a start through it.
//!
//! The entries use flag `P` (preserve argv[0]): the kernel then starts
//! `iwasm PATH ORIGINAL_ARGV0 ARGS...`, where PATH is the file name given to
//! `execve`. Without `P` the original argv[0] is lost (a program run through
//! `PATH` lookup or `exec -a` would see the path instead). `iwasm` tells such
//! a start from a typed `iwasm FILE ...` by the auxiliary vector: the kernel
//! keeps `AT_EXECFN` as the name `execve` was given, which for a binfmt start
//! is PATH itself (argv[1]), and for a typed command is the name of `iwasm`.
//! A file of `iwasm` itself is never handed over by binfmt (its magic is
//! ELF), so argv[1] naming `iwasm` is a typed command (`iwasm iwasm ...`).
//!
//! Flag `F` opens `iwasm` at registration: modules then also run inside
//! containers and chroots that have no `iwasm` at the registered path, and
//! the entry keeps running the file registered even if the path is later
//! replaced by another program. Re-register after installing a new `iwasm`.
//! Flag `C` (credentials of the module file) is not used: a set-user-ID bit
//! on a module must not give the engine, and so the guest, another identity.

use std::ffi::OsString;
use std::io::Write;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

/// Where binfmt_misc is mounted.
pub const MOUNT: &str = "/proc/sys/fs/binfmt_misc";
/// The systemd-binfmt file `--persistent` writes by default.
pub const DEFAULT_CONF: &str = "/etc/binfmt.d/wali.conf";
/// The binfmt_misc flags of both entries (see the module documentation).
pub const FLAGS: &str = "PF";

/// One entry: its name, the magic bytes at offset 0, what it is.
pub struct Entry {
    pub name: &'static str,
    pub magic: &'static [u8],
    pub what: &'static str,
}

/// `.wasm`: magic and version 1 (core modules; components, version 0x0d
/// 0x00 0x01 0x00, are left to other engines). `.aot`: WAMR's magic only
/// (`AOT_MAGIC_NUMBER`), so that `iwasm` itself explains an AoT file of
/// another version (`AOT_CURRENT_VERSION`) instead of "Exec format error".
pub const ENTRIES: [Entry; 2] = [
    Entry {
        name: "wali-wasm",
        magic: b"\0asm\x01\0\0\0",
        what: "WebAssembly modules (\\0asm)",
    },
    Entry {
        name: "wali-aot",
        magic: b"\0aot",
        what: "WAMR AoT files (\\0aot)",
    },
];

/// The line written to `register` (and into the systemd-binfmt file):
/// `:name:M::magic::interpreter:flags`, the magic as `\xHH` escapes (a
/// literal `:` or NUL could not be written).
pub fn register_line(e: &Entry, interpreter: &Path) -> Result<String, String> {
    let shown = interpreter.display();
    let bytes = interpreter.as_os_str().as_bytes();
    if bytes.iter().any(|&b| b == b':' || b == b'\n' || b == 0) || !interpreter.is_absolute() {
        return Err(format!(
            "cannot register {shown}: binfmt_misc needs an absolute interpreter path \
             without ':' or a newline"
        ));
    }
    let magic: String = e.magic.iter().map(|b| format!("\\x{b:02x}")).collect();
    Ok(format!(":{}:M::{magic}::{shown}:{FLAGS}", e.name))
}

/// The content of the systemd-binfmt file.
pub fn conf_text(interpreter: &Path) -> Result<String, String> {
    let mut s = String::from(
        "# Written by `iwasm --register-binfmt --persistent`: run WALI WebAssembly\n\
         # modules and WAMR AoT files like ELF binaries (see binfmt.d(5)).\n",
    );
    for e in &ENTRIES {
        s.push_str(&register_line(e, interpreter)?);
        s.push('\n');
    }
    Ok(s)
}

/// The running `iwasm`, as an absolute path without symbolic links.
pub fn own_path() -> Result<PathBuf, String> {
    std::fs::read_link("/proc/self/exe")
        .and_then(std::fs::canonicalize)
        .map_err(|e| format!("cannot tell where this iwasm is (/proc/self/exe): {e}"))
}

/// Whether binfmt_misc is mounted; mounts it if not and permitted.
fn ensure_mounted() -> Result<(), String> {
    if Path::new(MOUNT).join("register").exists() {
        return Ok(());
    }
    let out = std::process::Command::new("mount")
        .args(["-t", "binfmt_misc", "binfmt_misc", MOUNT])
        .output();
    match out {
        Ok(o) if o.status.success() && Path::new(MOUNT).join("register").exists() => Ok(()),
        Ok(o) => Err(format!(
            "binfmt_misc is not mounted at {MOUNT} and mounting it failed: {}",
            String::from_utf8_lossy(&o.stderr).trim()
        )),
        Err(e) => Err(format!(
            "binfmt_misc is not mounted at {MOUNT} and `mount` could not run: {e}"
        )),
    }
}

/// Removes entry `name` if present; whether it was.
fn remove(name: &str) -> Result<bool, String> {
    let p = Path::new(MOUNT).join(name);
    if !p.exists() {
        return Ok(false);
    }
    std::fs::write(&p, "-1").map_err(|e| format!("cannot remove {}: {e}", p.display()))?;
    Ok(true)
}

/// `--register-binfmt`: the lines to print, or one error.
pub fn register(persistent: bool, conf: &Path) -> Result<Vec<String>, String> {
    let me = own_path()?;
    let lines: Vec<String> = ENTRIES
        .iter()
        .map(|e| register_line(e, &me))
        .collect::<Result<_, _>>()?;
    ensure_mounted()?;
    let mut said = Vec::new();
    for (e, line) in ENTRIES.iter().zip(&lines) {
        let replaced = remove(e.name)?;
        let reg = Path::new(MOUNT).join("register");
        std::fs::OpenOptions::new()
            .write(true)
            .open(&reg)
            .and_then(|mut f| f.write_all(line.as_bytes()))
            .map_err(|err| format!("cannot register {} in {}: {err}", e.name, reg.display()))?;
        said.push(format!(
            "{} {}: {} run with {} (flags {FLAGS})",
            if replaced { "replaced" } else { "registered" },
            e.name,
            e.what,
            me.display()
        ));
    }
    if persistent {
        let text = conf_text(&me)?;
        if let Some(dir) = conf.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
        std::fs::write(conf, text).map_err(|e| format!("cannot write {}: {e}", conf.display()))?;
        said.push(format!(
            "wrote {} (systemd-binfmt registers the entries at boot)",
            conf.display()
        ));
    }
    Ok(said)
}

/// `--unregister-binfmt`: the lines to print, or one error.
pub fn unregister(persistent: bool, conf: &Path) -> Result<Vec<String>, String> {
    let mut said = Vec::new();
    if Path::new(MOUNT).join("register").exists() {
        for e in &ENTRIES {
            said.push(if remove(e.name)? {
                format!("removed {}", e.name)
            } else {
                format!("{} was not registered", e.name)
            });
        }
    } else {
        said.push(format!(
            "binfmt_misc is not mounted at {MOUNT}: no entries to remove"
        ));
    }
    if persistent {
        match std::fs::remove_file(conf) {
            Ok(()) => said.push(format!("removed {}", conf.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                said.push(format!("{} did not exist", conf.display()))
            }
            Err(e) => return Err(format!("cannot remove {}: {e}", conf.display())),
        }
    }
    Ok(said)
}

/// If this `iwasm` was started by binfmt_misc for a module (`args` being
/// its whole argv: `iwasm PATH ORIGINAL_ARGV0 ARGS...`), the guest's argv
/// `ORIGINAL_ARGV0 ARGS...` and PATH; `exec_fn` is `AT_EXECFN`.
pub fn started_for(args: &[OsString], exec_fn: Option<&[u8]>) -> Option<(OsString, Vec<OsString>)> {
    let path = args.get(1)?;
    // With `P` the original argv[0] follows (an empty argv gives "").
    args.get(2)?;
    if exec_fn? != path.as_bytes() {
        return None;
    }
    // `iwasm iwasm ...` typed by hand also has AT_EXECFN == argv[1].
    let me = std::fs::metadata("/proc/self/exe").ok()?;
    if let Ok(m) = std::fs::metadata(path) {
        if m.dev() == me.dev() && m.ino() == me.ino() {
            return None;
        }
    }
    Some((path.clone(), args[2..].to_vec()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines() {
        let l = register_line(&ENTRIES[0], Path::new("/usr/bin/iwasm")).unwrap();
        assert_eq!(
            l,
            ":wali-wasm:M::\\x00\\x61\\x73\\x6d\\x01\\x00\\x00\\x00::/usr/bin/iwasm:PF"
        );
        let l = register_line(&ENTRIES[1], Path::new("/usr/bin/iwasm")).unwrap();
        assert_eq!(l, ":wali-aot:M::\\x00\\x61\\x6f\\x74::/usr/bin/iwasm:PF");
        assert!(register_line(&ENTRIES[0], Path::new("/a:b/iwasm")).is_err());
        assert!(register_line(&ENTRIES[0], Path::new("iwasm")).is_err());
    }

    #[test]
    fn binfmt_start() {
        let a = |v: &[&str]| v.iter().map(OsString::from).collect::<Vec<_>>();
        let args = a(&["/usr/bin/iwasm", "./m.wasm", "m", "x"]);
        let (p, g) = started_for(&args, Some(b"./m.wasm")).unwrap();
        assert_eq!(p, "./m.wasm");
        assert_eq!(g, a(&["m", "x"]));
        assert!(started_for(&args, Some(b"/usr/bin/iwasm")).is_none());
        assert!(started_for(&args, None).is_none());
        assert!(started_for(&a(&["iwasm", "./m.wasm"]), Some(b"./m.wasm")).is_none());
    }
}
