//! Differential tests of execve and vfork (tests/c/exec_*.c): execve of
//! native programs with their argv and envp, of a WALI module (its AoT file
//! in AoT mode) through a fresh engine, fork + execve + wait4, and the
//! error paths; vfork with the child exiting.

mod support;
use support::case;

difftest!(native_echo, case("exec_main").args(["echo"]));
difftest!(native_sh_env, case("exec_main").args(["sh"]));
difftest!(
    module,
    case("exec_main").args(["module", "@exe:exec_target"])
);
difftest!(
    fork_exec,
    case("exec_main").args(["fork", "@exe:exec_target"])
);
difftest!(
    errors,
    case("exec_main").args(["errors", "@exe:exec_target"])
);
difftest!(vfork, case("exec_main").args(["vfork"]));
difftest!(
    target_alone,
    case("exec_target").args(["a", "b"]).env(["X=1"])
);
