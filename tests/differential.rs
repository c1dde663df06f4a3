//! Differential tests: each C program under tests/c built for WALI and
//! natively must print the same and exit with the same status, in every
//! engine mode (interpreter, fast-JIT, AoT).

mod support;
use support::case;

difftest!(hello, case("hello"));

difftest!(argv_none, case("argv"));
difftest!(
    argv_edge,
    case("argv").args(["", "two words", "-v=9", "--interp", "é ü", "\t\n"])
);
difftest!(
    argv_non_utf8,
    case("argv").args([b"\xff\xfe\x80".as_slice(), b"a\x01b"])
);
difftest!(
    argv_many,
    case("argv").args((0..200).map(|i| format!("arg{i}")))
);
difftest!(
    argv_long,
    case("argv").args(["x".repeat(100_000), "y".repeat(300)])
);

difftest!(env_empty, case("env"));
difftest!(
    env_file,
    case("env").env(["A=1", "B=", "C=two words", "D==eq", "PATH=/usr/bin:/bin"])
);
difftest!(
    env_non_utf8,
    case("env").env([b"X=\xff\xfe".as_slice(), b"Y=ok"])
);

difftest!(exit_return_0, case("exit").args(["return", "0"]));
difftest!(exit_return_1, case("exit").args(["return", "1"]));
difftest!(exit_return_255, case("exit").args(["return", "255"]));
difftest!(exit_return_256, case("exit").args(["return", "256"]));
difftest!(exit_group_0, case("exit").args(["group", "0"]));
difftest!(exit_group_7, case("exit").args(["group", "7"]));
difftest!(exit_group_255, case("exit").args(["group", "255"]));
difftest!(exit_proc_exit_42, case("exit").args(["proc_exit", "42"]));

difftest!(files, case("files"));
difftest!(efault, case("efault"));

difftest!(imports_unknown, case("imports"));
difftest!(imports_exit_void, case("imports").args(["exit_void"]));
difftest!(imports_exit_i64, case("imports").args(["exit_i64"]));
difftest!(imports_all, case("all_imports"));
