//! Descriptors and I/O: vectored and positioned I/O, dup, fcntl, ioctl, pipes, poll/select/epoll, eventfd.

crate::syscall_table!(pub static SYSCALLS = {});
