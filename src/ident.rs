//! Identity and limits: user and group ids, rlimits, uname, sysinfo, process groups.

crate::syscall_table!(pub static SYSCALLS = {});
