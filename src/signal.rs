//! Signals: guest handlers (function-table indices), masks, delivery at safe points.

crate::syscall_table!(pub static SYSCALLS = {});
