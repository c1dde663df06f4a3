//! Differential tests of processes, threads and signals: each C program
//! under tests/c (proc_*, thread_*, sig_*) built for WALI and natively must
//! print the same and end the same way (exit status or death by the same
//! signal) in every engine mode.

mod support;
use support::case;

difftest!(exit_sig_term, case("proc_exit").args(["sig", "15"]));
difftest!(exit_sig_kill, case("proc_exit").args(["sig", "9"]));
difftest!(exit_sig_segv, case("proc_exit").args(["sig", "11"]));
difftest!(exit_sig_usr1, case("proc_exit").args(["sig", "10"]));
difftest!(exit_sig_zero, case("proc_exit").args(["sig", "0"]));
difftest!(exit_tkill_term, case("proc_exit").args(["tkill", "15"]));
difftest!(exit_sys_exit, case("proc_exit").args(["exit", "9"]));
difftest!(fork_wait, case("proc_fork"));
