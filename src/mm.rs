//! Memory: mmap and friends inside linear memory, brk.

crate::syscall_table!(pub static SYSCALLS = {});
