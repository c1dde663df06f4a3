//! `iwasm --register-binfmt`: modules run like ELF binaries, tested in a new
//! user + mount namespace with its own binfmt_misc instance (Linux >= 6.7),
//! so the host's binfmt_misc is never touched. Skipped, saying why, where
//! the namespace or the mount is not permitted.

mod support;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;
use support::{aot_of, fresh_dir, iwasm, wasm_of};

fn in_namespace(script: &str, envs: &[(&str, &Path)]) -> Option<Output> {
    support::in_binfmt_namespace(script, envs, Duration::from_secs(120))
}

fn executable(src: &Path, dst: &Path) {
    std::fs::copy(src, dst).unwrap();
    std::fs::set_permissions(dst, std::fs::Permissions::from_mode(0o755)).unwrap();
}

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn argv_lines(args: &[&str]) -> String {
    let mut s = format!("argc={}\n", args.len());
    for (i, a) in args.iter().enumerate() {
        s.push_str(&format!("argv[{i}]={a}\n"));
    }
    s
}

#[test]
fn modules_run_like_elf_binaries() {
    let wasm = wasm_of("binfmt_argv");
    let aot = aot_of(&wasm);
    let exec_main = wasm_of("exec_main");
    let dir = fresh_dir("binfmt");
    executable(&wasm, &dir.join("hello.wasm"));
    executable(&aot, &dir.join("hello.aot"));
    let me = std::fs::canonicalize(iwasm()).unwrap();
    let script = r#"
cd "$DIR"
echo "== register"
"$IWASM" --register-binfmt
grep -E '^(interpreter|flags|magic)' /proc/sys/fs/binfmt_misc/wali-wasm
grep -E '^magic' /proc/sys/fs/binfmt_misc/wali-aot
echo "== wasm"
./hello.wasm a 'b c'
echo "== aot"
./hello.aot x
echo "== sh -c"
sh -c './hello.wasm from-sh'
echo "== PATH lookup"
PATH="$DIR:$PATH" hello.wasm p
echo "== guest execs sh, sh execs the module"
./hello.wasm sh './hello.aot nested'
echo "== guest execve of a module"
"$IWASM" "$EXEC_MAIN" module ./hello.wasm
echo "== again"
"$IWASM" --register-binfmt
echo "== unregister"
"$IWASM" --unregister-binfmt
test ! -e /proc/sys/fs/binfmt_misc/wali-wasm && test ! -e /proc/sys/fs/binfmt_misc/wali-aot
echo gone
"$IWASM" --unregister-binfmt
"#;
    let Some(o) = in_namespace(
        script,
        &[
            ("DIR", &dir),
            ("IWASM", &me),
            ("EXEC_MAIN", exec_main.as_path()),
        ],
    ) else {
        return;
    };
    let (out, err) = text(&o);
    assert!(o.status.success(), "{out}\n{err}");
    let m = me.display();
    let expected = format!(
        "== register\n\
         iwasm: registered wali-wasm: WebAssembly modules (\\0asm) run with {m} (flags PF)\n\
         iwasm: registered wali-aot: WAMR AoT files (\\0aot) run with {m} (flags PF)\n\
         interpreter {m}\n\
         flags: PF\n\
         magic 0061736d01000000\n\
         magic 00616f74\n\
         == wasm\n{}\
         == aot\n{}\
         == sh -c\n{}\
         == PATH lookup\n{}\
         == guest execs sh, sh execs the module\n{}\
         == guest execve of a module\nbefore\n{}\
         == again\n\
         iwasm: replaced wali-wasm: WebAssembly modules (\\0asm) run with {m} (flags PF)\n\
         iwasm: replaced wali-aot: WAMR AoT files (\\0aot) run with {m} (flags PF)\n\
         == unregister\n\
         iwasm: removed wali-wasm\n\
         iwasm: removed wali-aot\n\
         gone\n\
         iwasm: wali-wasm was not registered\n\
         iwasm: wali-aot was not registered\n",
        argv_lines(&["./hello.wasm", "a", "b c"]),
        argv_lines(&["./hello.aot", "x"]),
        argv_lines(&["./hello.wasm", "from-sh"]),
        // argv[0] as typed, the path only for the kernel: flag P.
        argv_lines(&["hello.wasm", "p"]),
        argv_lines(&["./hello.aot", "nested"]),
        argv_lines(&["./hello.wasm", "one", "two three", ""]),
    );
    assert_eq!(out, expected, "stderr: {err}");
}

#[test]
fn persistent_file() {
    let dir = fresh_dir("binfmt-conf");
    let conf = dir.join("etc/binfmt.d/wali.conf");
    let me = std::fs::canonicalize(iwasm()).unwrap();
    let script = r#"
"$IWASM" --register-binfmt --persistent --binfmt-conf="$CONF"
cat "$CONF"
"$IWASM" --unregister-binfmt --persistent --binfmt-conf="$CONF"
test ! -e "$CONF"
"#;
    let Some(o) = in_namespace(script, &[("IWASM", &me), ("CONF", &conf)]) else {
        return;
    };
    let (out, err) = text(&o);
    assert!(o.status.success(), "{out}\n{err}");
    let (m, c) = (me.display(), conf.display());
    let expected = format!(
        "iwasm: registered wali-wasm: WebAssembly modules (\\0asm) run with {m} (flags PF)\n\
         iwasm: registered wali-aot: WAMR AoT files (\\0aot) run with {m} (flags PF)\n\
         iwasm: wrote {c} (systemd-binfmt registers the entries at boot)\n\
         # Written by `iwasm --register-binfmt --persistent`: run WALI WebAssembly\n\
         # modules and WAMR AoT files like ELF binaries (see binfmt.d(5)).\n\
         :wali-wasm:M::\\x00\\x61\\x73\\x6d\\x01\\x00\\x00\\x00::{m}:PF\n\
         :wali-aot:M::\\x00\\x61\\x6f\\x74::{m}:PF\n\
         iwasm: removed wali-wasm\n\
         iwasm: removed wali-aot\n\
         iwasm: removed {c}\n"
    );
    assert_eq!(out, expected, "stderr: {err}");
}

#[test]
fn binfmt_flags_without_a_file_only() {
    let o = Command::new(iwasm())
        .args(["--register-binfmt", "m.wasm"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let o = Command::new(iwasm())
        .args(["--persistent", "m.wasm"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--persistent and --binfmt-conf go with"));
}
