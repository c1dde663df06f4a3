//! Differential tests of signals, timers and futexes (tests/c/sig_*.c):
//! guest handlers, masks, pending sets, rt_sigsuspend, sigaltstack,
//! setitimer/getitimer/alarm with interrupted and restarted calls, tgkill,
//! futex and set_tid_address; natively and in every engine mode.

mod support;
use support::case;

difftest!(basic, case("sig_basic"));
difftest!(default_action, case("sig_basic").args(["dfl"]));
difftest!(reset_hand, case("sig_basic").args(["resethand"]));
difftest!(timers, case("sig_timer"));
difftest!(alarm_pause, case("sig_timer").args(["alarm"]));
difftest!(alarm_default, case("sig_timer").args(["dfl"]));
difftest!(altstack, case("sig_altstack"));
difftest!(futex, case("sig_futex"));
difftest!(sigchld_and_alarm_nanosleep, case("sig_chld"));
difftest!(signalfd_robust_list, case("sig_fd"));
