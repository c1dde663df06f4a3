//! Time: clocks, sleeps, timers.

crate::syscall_table!(pub static SYSCALLS = {});
