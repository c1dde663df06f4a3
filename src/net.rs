//! Sockets: socket, bind, connect, accept, send/recv and their msghdr forms, socket options.

crate::syscall_table!(pub static SYSCALLS = {});
