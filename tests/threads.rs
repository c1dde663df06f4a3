//! Guest threads: `__wasm_thread_spawn`, set_tid_address, futex, gettid,
//! thread exit and exit_group from a thread (differential), the main
//! thread's full shadow stack with many allowed threads, and spawn latency.
mod support;
use support::case;

difftest!(counter, case("thread_basic").args(["counter"]));
difftest!(futex_pingpong, case("thread_basic").args(["futex"]));
difftest!(futex_errors, case("thread_basic").args(["errors"]));
difftest!(tid, case("thread_basic").args(["tid"]));
difftest!(exit_thread, case("thread_basic").args(["exit_thread"]));
difftest!(exit_group, case("thread_basic").args(["exit_group"]));
