//! The AoT compilation cache: `iwasm app.wasm` in the default mode runs an
//! AoT compilation of the same module made earlier by this engine's `wamrc`.
//!
//! An entry is `DIR/KEY.aot`, KEY the SHA-256 of the module bytes, the
//! engine's and `wamrc`'s build identities (their ELF build ids), the host
//! CPU (model and features: `wamrc` compiles for the host CPU) and the
//! `wamrc` flags. A miss compiles in the background: a detached worker
//! (`iwasm` itself, started twice removed so the guest can never wait for
//! it) runs `wamrc` at low priority while this run goes on in fast-JIT; the
//! next run finds the entry. Why background and not up front: compiling
//! takes seconds to minutes (Lua 32 s, SQLite minutes on this machine) where
//! a first run takes milliseconds; see bench/README.md.
//!
//! AoT files are native code the engine jumps into, so an entry is trusted
//! only if everything about it says it is ours: the directory is owned by
//! the user and not writable by group or others (else the cache is not
//! used), the entry is a regular file owned by the user and not writable by
//! group or others (`runtime::aot_untrusted`, with the owner the user
//! only), and its trailer holds its length and a checksum of the key and
//! its body. Anything else (truncated, a flipped byte, another key's entry
//! renamed, a file of another user, a wrong version) is removed and
//! compiled again, never loaded. Entries are written to a temporary file in
//! the same directory and renamed into place, so a reader sees a whole
//! entry or none; concurrent first runs compile once (a lock file per key).

use crate::runtime;
use crate::wamr::ModuleBytes;
use sha2::{Digest, Sha256};
use std::ffi::{OsStr, OsString};
use std::io::{Read, Write};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

/// Version of the entry format (the trailer), part of every key.
const FORMAT: u32 = 1;
/// Trailer magic, at the end of each entry.
const MAGIC: &[u8; 8] = b"WALIAOTC";
/// Trailer: magic, format, reserved, body length, checksum.
const TRAILER_LEN: usize = 8 + 4 + 4 + 8 + 8;
/// Largest entry read (an AoT file of a 4 GiB module cannot be loaded anyway).
const MAX_ENTRY: u64 = 1 << 32;
/// The hidden first argument of the compile worker (see [`worker_main`]).
pub const WORKER_FLAG: &str = "--wali-cache-worker";
/// Default LLVM optimisation level of cached compilations (wamrc's default).
pub const DEFAULT_OPT_LEVEL: u32 = 3;

/// What the user asked of the cache.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Settings {
    /// `--no-cache`.
    pub off: bool,
    /// `--cache-dir=DIR`.
    pub dir: Option<OsString>,
    /// `--aot-opt-level=N` (wamrc's `--opt-level`).
    pub opt_level: Option<u32>,
}

/// Why the cache is not used for this run (said once at `-v>=1`), or the
/// cache.
pub enum Open {
    Off(String),
    /// A directory that must not be trusted: a warning at every verbosity.
    Refused(String),
    Ready(Cache),
}

/// An opened cache directory.
pub struct Cache {
    dir: PathBuf,
    wamrc: PathBuf,
    flags: Vec<String>,
    ident: Vec<u8>,
}

/// The directory the settings and environment name, if any: `--cache-dir`,
/// else `$XDG_CACHE_HOME/wali`, else `$HOME/.cache/wali`; none with
/// `--no-cache` or `WALI_CACHE=off` (also `0`, `no`, `false`).
pub fn dir_of(s: &Settings) -> Result<PathBuf, String> {
    if s.off {
        return Err("--no-cache".into());
    }
    if let Some(d) = &s.dir {
        // Absolute: the worker and an exec'd engine run elsewhere.
        return std::path::absolute(d).map_err(|e| format!("--cache-dir: {e}"));
    }
    if let Some(v) = std::env::var_os("WALI_CACHE") {
        let v = v.to_string_lossy().to_ascii_lowercase();
        if matches!(v.as_str(), "off" | "0" | "no" | "false") {
            return Err(format!("WALI_CACHE={v}"));
        }
    }
    let abs = |v: Option<OsString>| v.filter(|p| Path::new(p).is_absolute());
    if let Some(x) = abs(std::env::var_os("XDG_CACHE_HOME")) {
        return Ok(Path::new(&x).join("wali"));
    }
    if let Some(h) = abs(std::env::var_os("HOME")) {
        return Ok(Path::new(&h).join(".cache").join("wali"));
    }
    Err("neither XDG_CACHE_HOME nor HOME is set".into())
}

/// Why a directory may not hold trusted entries, if it may not.
fn dir_untrusted(m: &std::fs::Metadata, euid: u32) -> Option<&'static str> {
    if !m.is_dir() {
        return Some("is not a directory");
    }
    if m.uid() != euid {
        return Some("is owned by another user");
    }
    if m.mode() & 0o022 != 0 {
        return Some("is writable by other users");
    }
    None
}

/// Opens (creating it 0700 if needed) the cache for this run.
pub fn open(s: &Settings) -> Open {
    let dir = match dir_of(s) {
        Ok(d) => d,
        Err(why) => return Open::Off(format!("AoT cache off ({why})")),
    };
    let shown = dir.display().to_string();
    let wamrc = match find_wamrc() {
        Some(w) => w,
        None => {
            return Open::Off(
                "AoT cache off: no wamrc next to iwasm or in PATH (this engine was built \
                 without LLVM?): running without it"
                    .into(),
            )
        }
    };
    if let Some(parent) = dir.parent() {
        // The parents as any program makes them (~/.cache); the cache
        // directory itself is private.
        let _ = std::fs::create_dir_all(parent);
    }
    match std::fs::DirBuilder::new().mode(0o700).create(&dir) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(e) => return Open::Off(format!("AoT cache off: cannot create {shown}: {e}")),
    }
    // Not followed: a symlink planted at the path is refused too.
    match std::fs::symlink_metadata(&dir) {
        Ok(m) => {
            if let Some(why) = dir_untrusted(&m, runtime::effective_uid()) {
                return Open::Refused(format!(
                    "AoT cache directory {shown} {why}: not using it (entries are native code)"
                ));
            }
        }
        Err(e) => return Open::Off(format!("AoT cache off: {shown}: {e}")),
    }
    let opt = s.opt_level.unwrap_or(DEFAULT_OPT_LEVEL).min(3);
    let flags = vec![format!("--opt-level={opt}")];
    let mut ident = Vec::new();
    for part in [
        format!("wali-aot-cache {FORMAT}").into_bytes(),
        format!(
            "{} {} {}",
            env!("CARGO_PKG_VERSION"),
            wamr_sys::WAMR_VERSION,
            crate::abi::spec::SPEC_VERSION
        )
        .into_bytes(),
        build_identity(Path::new("/proc/self/exe")),
        build_identity(&wamrc),
        cpu_identity(),
        flags.join(" ").into_bytes(),
    ] {
        ident.extend_from_slice(&(part.len() as u64).to_le_bytes());
        ident.extend_from_slice(&part);
    }
    Open::Ready(Cache {
        dir,
        wamrc,
        flags,
        ident,
    })
}

/// `wamrc` next to the running `iwasm` (the build tree, an install's bin
/// directory), else the first in `PATH`.
fn find_wamrc() -> Option<PathBuf> {
    let exe = std::fs::read_link("/proc/self/exe").ok();
    let beside = exe
        .as_deref()
        .and_then(Path::parent)
        .map(|d| d.join("wamrc"));
    let in_path = std::env::var_os("PATH").into_iter().flat_map(|p| {
        std::env::split_paths(&p)
            .map(|d| d.join("wamrc"))
            .collect::<Vec<_>>()
    });
    beside
        .into_iter()
        .chain(in_path)
        .find(|p| p.is_absolute() && std::fs::metadata(p).is_ok_and(|m| m.is_file()))
}

/// The build identity of an executable: its ELF GNU build id, else its
/// (device, inode, size, modification time) — which changes whenever it is
/// rebuilt or replaced.
fn build_identity(exe: &Path) -> Vec<u8> {
    if let Some(id) = std::fs::File::open(exe)
        .ok()
        .and_then(|mut f| elf_build_id(&mut f))
    {
        return id;
    }
    match std::fs::metadata(exe) {
        Ok(m) => format!(
            "{}:{}:{}:{}.{}",
            m.dev(),
            m.ino(),
            m.size(),
            m.mtime(),
            m.mtime_nsec()
        )
        .into_bytes(),
        Err(_) => b"?".to_vec(),
    }
}

/// The GNU build id note of an ELF64 little-endian file, read from its
/// program headers (a few hundred bytes, not the whole file).
fn elf_build_id(f: &mut std::fs::File) -> Option<Vec<u8>> {
    use std::os::unix::fs::FileExt;
    let mut eh = [0u8; 64];
    f.read_exact_at(&mut eh, 0).ok()?;
    if &eh[..4] != b"\x7fELF" || eh[4] != 2 || eh[5] != 1 {
        return None;
    }
    let u16_at = |b: &[u8], o: usize| u16::from_le_bytes([b[o], b[o + 1]]) as u64;
    let u32_at = |b: &[u8], o: usize| u32::from_le_bytes(b[o..o + 4].try_into().unwrap_or([0; 4]));
    let u64_at = |b: &[u8], o: usize| u64::from_le_bytes(b[o..o + 8].try_into().unwrap_or([0; 8]));
    let (phoff, phentsize, phnum) = (u64_at(&eh, 32), u16_at(&eh, 54), u16_at(&eh, 60));
    if phentsize < 56 || phnum > 256 {
        return None;
    }
    let mut ph = vec![0u8; (phentsize * phnum) as usize];
    f.read_exact_at(&mut ph, phoff).ok()?;
    for p in ph.chunks_exact(phentsize as usize) {
        if u32_at(p, 0) != 4 {
            continue; // not PT_NOTE
        }
        let (off, size) = (u64_at(p, 8), u64_at(p, 32));
        if size > 4096 {
            continue;
        }
        let mut n = vec![0u8; size as usize];
        f.read_exact_at(&mut n, off).ok()?;
        let mut i = 0usize;
        while i + 12 <= n.len() {
            let (namesz, descsz, ty) = (
                u32_at(&n, i) as usize,
                u32_at(&n, i + 4) as usize,
                u32_at(&n, i + 8),
            );
            let name_at = i + 12;
            let desc_at = name_at + namesz.div_ceil(4) * 4;
            let end = desc_at + descsz.div_ceil(4) * 4;
            if end > n.len() {
                break;
            }
            if ty == 3 && n[name_at..name_at + namesz].starts_with(b"GNU") {
                return Some(n[desc_at..desc_at + descsz].to_vec());
            }
            i = end;
        }
    }
    None
}

/// The host CPU as wamrc sees it by default: its model and feature flags
/// (the first processor of /proc/cpuinfo; the architecture otherwise).
fn cpu_identity() -> Vec<u8> {
    use std::io::BufRead;
    let mut id = std::env::consts::ARCH.as_bytes().to_vec();
    // The first processor's block is enough. The kernel formats the file
    // one processor at a time as it is read (on x86 asking each for its
    // clock rate), so reading it in small pieces and stopping at the end
    // of that block costs one processor's share, not the whole machine's.
    let mut first: Vec<Vec<u8>> = Vec::new();
    if let Ok(f) = std::fs::File::open("/proc/cpuinfo") {
        let mut r = std::io::BufReader::with_capacity(512, f.take(64 * 1024));
        let mut line = Vec::new();
        while matches!(r.read_until(b'\n', &mut line), Ok(n) if n > 0) {
            let l = line.trim_ascii_end();
            if l.is_empty() || l.iter().all(u8::is_ascii_whitespace) {
                break;
            }
            first.push(l.to_vec());
            line.clear();
        }
    }
    for line in &first {
        let key = line.split(|&b| b == b':').next().unwrap_or(b"");
        let key = key.trim_ascii();
        if matches!(
            key,
            b"vendor_id"
                | b"cpu family"
                | b"model"
                | b"model name"
                | b"flags"
                | b"isa"
                | b"Features"
        ) || key.starts_with(b"CPU ")
        {
            id.push(b'\n');
            id.extend_from_slice(line);
        }
    }
    id
}

/// What a lookup found.
pub enum Lookup {
    /// The AoT bytes of a valid entry, and the entry's path.
    Hit(ModuleBytes, PathBuf),
    /// No usable entry: its key (hex), for [`Cache::compile_later`]; and
    /// why an entry there was dropped, if one was.
    Miss(String, Option<String>),
}

impl Cache {
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The entry key of a module: the engine's identity and the module's
    /// SHA-256, which `stamp` (the module file's version, see
    /// [`runtime::ModuleFile::read`]) may find in the index
    /// instead of hashing the module again.
    pub fn key_of(&self, module: &[u8], stamp: Option<runtime::FileStamp>) -> String {
        self.key_of_digest(self.module_digest(module, stamp))
    }

    fn key_of_digest(&self, digest: [u8; 32]) -> String {
        let mut h = Sha256::new();
        h.update(&self.ident);
        h.update(digest);
        hex(&h.finalize())
    }

    /// The module's SHA-256. Hashing costs about 15 cycles per byte (a few
    /// ms for SQLite's 1.4 MB, more than the rest of a warm start), so the
    /// digest of a module file is kept in an index entry named by the
    /// file's device and inode, and used while the file's size,
    /// modification and change times are those recorded. The change time
    /// cannot be set by users and moves with every write; a file changed
    /// within the clock tick of its recorded version could keep its times,
    /// so a version is indexed only once it is 2 s old.
    fn module_digest(&self, module: &[u8], stamp: Option<runtime::FileStamp>) -> [u8; 32] {
        let Some(st) = stamp else {
            return sha256(module);
        };
        if let Some(d) = self.indexed_digest(&st) {
            return d;
        }
        let d = sha256(module);
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |t| t.as_secs() as i64);
        if st[5] < now - 2 {
            let tmp = self
                .dir
                .join(format!(".idx.{}.{}", std::process::id(), st[1] as u64));
            let line = format!("{} {}\n", index_head(&st), hex(&d));
            if write_new(&tmp, line.as_bytes()).is_ok()
                && std::fs::rename(&tmp, self.index_path(&st)).is_err()
            {
                let _ = std::fs::remove_file(&tmp);
            }
        }
        d
    }

    fn index_path(&self, st: &runtime::FileStamp) -> PathBuf {
        self.dir
            .join(format!("{}-{}.idx", st[0] as u64, st[1] as u64))
    }

    /// The digest the index holds for this version of a module file.
    fn indexed_digest(&self, st: &runtime::FileStamp) -> Option<[u8; 32]> {
        let text = read_private(&self.index_path(st), 4096).ok()??;
        let (head, digest) = std::str::from_utf8(&text)
            .ok()?
            .trim_end()
            .rsplit_once(' ')?;
        (head == index_head(st)).then(|| unhex32(digest))?
    }

    fn entry(&self, key: &str) -> PathBuf {
        self.dir.join(format!("{key}.aot"))
    }

    /// Looks `module` up; a bad entry is removed (and reported as a miss).
    pub fn lookup(&self, module: &[u8], stamp: Option<runtime::FileStamp>) -> Lookup {
        self.lookup_key(self.key_of(module, stamp))
    }

    fn lookup_key(&self, key: String) -> Lookup {
        let path = self.entry(&key);
        match read_entry(&path, &key) {
            Ok(Some(body)) => Lookup::Hit(body, path),
            Ok(None) => Lookup::Miss(key, None),
            Err(why) => {
                let _ = std::fs::remove_file(&path);
                Lookup::Miss(key, Some(why))
            }
        }
    }

    /// The entry of a module file found by the file's version alone,
    /// without its bytes: `None` when the index holds no digest for this
    /// version (see [`Self::module_digest`]), else what [`Self::lookup`]
    /// would find.
    pub fn lookup_indexed(&self, stamp: &runtime::FileStamp) -> Option<Lookup> {
        Some(self.lookup_key(self.key_of_digest(self.indexed_digest(stamp)?)))
    }

    /// Drops the entry of `key` (WAMR refused to load it).
    pub fn remove(&self, path: &Path) {
        let _ = std::fs::remove_file(path);
    }

    /// Whether an earlier compile of this key failed (wamrc refused the
    /// module): then it is not tried again with the same wamrc.
    pub fn failed_before(&self, key: &str) -> bool {
        self.dir.join(format!("{key}.fail")).exists()
    }

    /// Starts the background compile of `module` for `key`: writes the
    /// module to a private temporary file in the cache and starts the
    /// detached worker. Returns why not, if it could not.
    pub fn compile_later(&self, key: &str, module: &[u8]) -> Result<(), String> {
        let wasm = self.dir.join(format!(".{key}.{}.wasm", std::process::id()));
        write_new(&wasm, module)
            .map_err(|e| format!("cannot write in {}: {e}", self.dir.display()))?;
        let exe = std::fs::read_link("/proc/self/exe").map_err(|e| e.to_string())?;
        // The first worker only starts the second and exits at once, so the
        // compile is nobody's child here: the guest's wait4(-1) never sees it.
        let started = std::process::Command::new(exe)
            .arg(WORKER_FLAG)
            .arg("spawn")
            .arg(&self.dir)
            .arg(key)
            .arg(&wasm)
            .arg(&self.wamrc)
            .args(&self.flags)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .env_clear()
            .status();
        match started {
            Ok(s) if s.success() => Ok(()),
            Ok(s) => {
                let _ = std::fs::remove_file(&wasm);
                Err(format!("the compile worker failed ({s})"))
            }
            Err(e) => {
                let _ = std::fs::remove_file(&wasm);
                Err(format!("cannot start the compile worker: {e}"))
            }
        }
    }
}

/// The first words of an index entry for a file version: the format and
/// the version's size and times (the name holds device and inode).
fn index_head(st: &runtime::FileStamp) -> String {
    let words: Vec<String> = st[2..].iter().map(|v| v.to_string()).collect();
    format!("wali-idx {FORMAT} {}", words.join(" "))
}

/// Reads and checks the entry at `path`: `Ok(None)` if there is none,
/// `Err(why)` if there is one that must not be used.
fn read_entry(path: &Path, key: &str) -> Result<Option<ModuleBytes>, String> {
    let f = match std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_CLOEXEC)
        .open(path)
    {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot open it: {e}")),
    };
    let m = f.metadata().map_err(|e| e.to_string())?;
    if !m.is_file() {
        return Err("not a regular file".into());
    }
    let euid = runtime::effective_uid();
    if m.uid() != euid {
        return Err("owned by another user".into());
    }
    let owner = runtime::FileOwner {
        uid: m.uid(),
        mode: m.mode(),
    };
    if let Some(why) = runtime::aot_untrusted(owner, euid) {
        return Err(why.into());
    }
    if m.len() > MAX_ENTRY || (m.len() as usize) < TRAILER_LEN {
        return Err("bad size".into());
    }
    // Mapped, not read (wamr::ModuleBytes); a file of the user's own that
    // only the user may write, as checked above.
    let bytes = ModuleBytes::map(&f, m.len() as usize).map_err(|e| e.to_string())?;
    unseal(bytes, key).map(Some)
}

/// The body of an entry, if its trailer says it is whole and of `key`.
fn unseal(mut bytes: ModuleBytes, key: &str) -> Result<ModuleBytes, String> {
    let n = bytes
        .len()
        .checked_sub(TRAILER_LEN)
        .ok_or("shorter than its trailer")?;
    let t = &bytes[n..];
    if &t[..8] != MAGIC {
        return Err("no trailer (truncated or not an entry)".into());
    }
    let word = |o: usize, w: usize| -> u64 {
        let mut b = [0u8; 8];
        b[..w].copy_from_slice(&t[o..o + w]);
        u64::from_le_bytes(b)
    };
    if word(8, 4) != u64::from(FORMAT) {
        return Err("another format version".into());
    }
    if word(16, 8) != n as u64 {
        return Err("length mismatch (truncated)".into());
    }
    if word(24, 8) != checksum(key.as_bytes(), &bytes[..n]) {
        return Err("checksum mismatch (corrupt)".into());
    }
    bytes.truncate(n);
    if runtime::kind_of(&bytes) != Some(runtime::Kind::Aot)
        || wasm_patch::aot_stack_checked(&bytes) != Some(true)
    {
        return Err("not an AoT file of this engine's wamrc".into());
    }
    Ok(bytes)
}

/// `body` with its trailer.
fn seal(mut body: Vec<u8>, key: &str) -> Vec<u8> {
    let sum = checksum(key.as_bytes(), &body);
    let len = body.len() as u64;
    body.extend_from_slice(MAGIC);
    body.extend_from_slice(&FORMAT.to_le_bytes());
    body.extend_from_slice(&0u32.to_le_bytes());
    body.extend_from_slice(&len.to_le_bytes());
    body.extend_from_slice(&sum.to_le_bytes());
    body
}

/// A fast 64-bit checksum of `key` and `body` (corruption and misplaced
/// entries; tampering is kept out by the ownership checks): four lanes of
/// XXH64-style rounds, then a final mix with the length.
fn checksum(key: &[u8], body: &[u8]) -> u64 {
    const P1: u64 = 0x9E37_79B1_85EB_CA87;
    const P2: u64 = 0xC2B2_AE3D_27D4_EB4F;
    const P3: u64 = 0x1656_67B1_9E37_79F9;
    let round = |acc: u64, v: u64| {
        acc.wrapping_add(v.wrapping_mul(P2))
            .rotate_left(31)
            .wrapping_mul(P1)
    };
    let mut lanes = [P1.wrapping_add(P2), P2, 0, 0u64.wrapping_sub(P1)];
    for (i, b) in key.iter().enumerate() {
        lanes[i % 4] = round(lanes[i % 4], u64::from(*b) + 1);
    }
    let mut chunks = body.chunks_exact(32);
    for c in &mut chunks {
        for (l, w) in lanes.iter_mut().zip(c.chunks_exact(8)) {
            *l = round(*l, u64::from_le_bytes(w.try_into().unwrap_or([0; 8])));
        }
    }
    let mut h = lanes[0]
        .rotate_left(1)
        .wrapping_add(lanes[1].rotate_left(7))
        .wrapping_add(lanes[2].rotate_left(12))
        .wrapping_add(lanes[3].rotate_left(18));
    for l in lanes {
        h = (h ^ round(0, l)).wrapping_mul(P1).wrapping_add(P3);
    }
    for b in chunks.remainder() {
        h = (h ^ u64::from(*b).wrapping_mul(P3))
            .rotate_left(11)
            .wrapping_mul(P1);
    }
    h ^= body.len() as u64;
    h ^= h >> 33;
    h = h.wrapping_mul(P2);
    h ^= h >> 29;
    h = h.wrapping_mul(P3);
    h ^ (h >> 32)
}

/// Creates `path` (0600, not there before) holding `data`, synced.
fn write_new(path: &Path, data: &[u8]) -> std::io::Result<()> {
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
        .open(path)?;
    f.write_all(data)?;
    f.sync_data()
}

/// The compile worker: `iwasm --wali-cache-worker spawn|run DIR KEY WASM
/// WAMRC FLAGS...`. `spawn` starts `run` in its own process group (a
/// terminal's Ctrl-C for the guest does not stop it) and returns; `run`
/// compiles `WASM` (a private copy of the module, removed afterwards) into
/// the entry of `KEY`, unless another worker holds the key's lock or the
/// entry is there. Exit status only (its output goes nowhere).
pub fn worker_main(args: &[OsString]) -> i32 {
    let [stage, dir, key, wasm, wamrc, flags @ ..] = args else {
        return 2;
    };
    let (dir, wasm, wamrc) = (Path::new(dir), Path::new(wasm), Path::new(wamrc));
    let key = key.to_string_lossy().into_owned();
    // The module copy must be in the cache and the key a key: this entry
    // point takes nothing else.
    if key.len() != 64
        || !key.bytes().all(|b| b.is_ascii_hexdigit())
        || wasm.parent() != Some(dir)
        || !wasm
            .file_name()
            .is_some_and(|n| n.as_bytes().starts_with(format!(".{key}.").as_bytes()))
    {
        return 2;
    }
    // Nothing of the user's directory is needed (all paths are absolute).
    let _ = std::env::set_current_dir("/");
    if stage == OsStr::new("spawn") {
        use std::os::unix::process::CommandExt;
        let me = match std::fs::read_link("/proc/self/exe") {
            Ok(p) => p,
            Err(_) => return 1,
        };
        let mut rest: Vec<&OsString> = args[1..].iter().collect();
        let run = OsString::from("run");
        rest.insert(0, &run);
        let spawned = std::process::Command::new(me)
            .arg(WORKER_FLAG)
            .args(rest)
            .process_group(0)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn();
        if spawned.is_err() {
            let _ = std::fs::remove_file(wasm);
            return 1;
        }
        return 0;
    }
    let status = compile_entry(dir, &key, wasm, wamrc, flags);
    let _ = std::fs::remove_file(wasm);
    status
}

fn compile_entry(dir: &Path, key: &str, wasm: &Path, wamrc: &Path, flags: &[OsString]) -> i32 {
    // Re-checked here: the worker trusts nothing it was given.
    match std::fs::symlink_metadata(dir) {
        Ok(m) if dir_untrusted(&m, runtime::effective_uid()).is_none() => {}
        _ => return 1,
    }
    // Nice 10: the compile is for later runs and must not slow this one.
    let _ = crate::host_syscall!(libc::SYS_setpriority, libc::PRIO_PROCESS, 0, 10);
    let lock = match std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
        .open(dir.join(format!("{key}.lock")))
    {
        Ok(f) => f,
        Err(_) => return 1,
    };
    if lock.try_lock().is_err() {
        return 0; // another worker compiles this key
    }
    let status = compile_locked(dir, key, wasm, wamrc, flags);
    // The lock file goes with the work (a `.fail` marker stays).
    let _ = std::fs::remove_file(dir.join(format!("{key}.lock")));
    drop(lock);
    status
}

fn compile_locked(dir: &Path, key: &str, wasm: &Path, wamrc: &Path, flags: &[OsString]) -> i32 {
    let entry = dir.join(format!("{key}.aot"));
    if matches!(read_entry(&entry, key), Ok(Some(_))) {
        return 0;
    }
    let out = dir.join(format!(".{key}.{}.out", std::process::id()));
    // In the cache directory: wamrc writes a scratch file (stack usage)
    // into its working directory, which must not be the user's.
    let ok = std::process::Command::new(wamrc)
        .current_dir(dir)
        .args(flags)
        .arg("-o")
        .arg(&out)
        .arg(wasm)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    let body = if ok { std::fs::read(&out).ok() } else { None };
    let _ = std::fs::remove_file(&out);
    let body = body.filter(|b| {
        runtime::kind_of(b) == Some(runtime::Kind::Aot)
            && wasm_patch::aot_stack_checked(b) == Some(true)
    });
    let Some(body) = body else {
        // Not again with this wamrc (its identity is in the key).
        let _ = write_new(&dir.join(format!("{key}.fail")), b"");
        return 1;
    };
    let tmp = dir.join(format!(".{key}.{}.tmp", std::process::id()));
    let _ = std::fs::remove_file(&tmp);
    if write_new(&tmp, &seal(body, key)).is_err() || std::fs::rename(&tmp, &entry).is_err() {
        let _ = std::fs::remove_file(&tmp);
        return 1;
    }
    0
}

fn sha256(data: &[u8]) -> [u8; 32] {
    Sha256::digest(data).into()
}

fn unhex32(s: &str) -> Option<[u8; 32]> {
    let b = s.as_bytes();
    if b.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (o, pair) in out.iter_mut().zip(b.chunks_exact(2)) {
        *o = u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok()?;
    }
    Some(out)
}

/// The content of `path` if it is a regular file of the user's that others
/// cannot write, at most `max` bytes; `Ok(None)` if there is none.
fn read_private(path: &Path, max: u64) -> Result<Option<Vec<u8>>, String> {
    let f = match std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_CLOEXEC)
        .open(path)
    {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e.to_string()),
    };
    let m = f.metadata().map_err(|e| e.to_string())?;
    let euid = runtime::effective_uid();
    if !m.is_file() || m.uid() != euid || m.mode() & 0o022 != 0 || m.len() > max {
        return Err("not a private file".into());
    }
    let mut v = Vec::new();
    f.take(max).read_to_end(&mut v).map_err(|e| e.to_string())?;
    Ok(Some(v))
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_unseal_rejects_damage() {
        // A minimal body that passes the kind check only: unseal's AoT
        // checks come after the trailer's, so damage is seen first.
        let body = b"\0aot-not-really-an-aot-file-but-long-enough".to_vec();
        let key = "k".repeat(64);
        let sealed = seal(body.clone(), &key);
        let e = unseal(sealed.clone().into(), &key).unwrap_err();
        assert!(e.contains("wamrc"), "{e}");
        let mut flipped = sealed.clone();
        flipped[5] ^= 1;
        assert!(unseal(flipped.into(), &key)
            .unwrap_err()
            .contains("checksum"));
        let mut cut = sealed.clone();
        cut.drain(10..11);
        assert!(unseal(cut.into(), &key).is_err());
        assert!(unseal(sealed[..sealed.len() - 1].to_vec().into(), &key).is_err());
        assert!(unseal(sealed.clone().into(), &"j".repeat(64))
            .unwrap_err()
            .contains("checksum"));
        let mut version = sealed;
        let n = version.len() - TRAILER_LEN;
        version[n + 8] ^= 2;
        assert!(unseal(version.into(), &key)
            .unwrap_err()
            .contains("version"));
    }

    #[test]
    fn dir_trust() {
        let d = std::env::temp_dir();
        let m = std::fs::symlink_metadata(&d).unwrap();
        // /tmp is world-writable (sticky): never a cache directory.
        assert!(dir_untrusted(&m, m.uid()).is_some());
    }
}
