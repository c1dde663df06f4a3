//! Sockets: socket, bind, connect, accept, send/recv and their msghdr forms,
//! socket options.
//!
//! Descriptors, domains, types, flags and option values pass through: the
//! guest's sockets are the host process's. What needs care is memory:
//! * socket addresses are pointer-free (`struct sockaddr_*` is the same in
//!   the wasm32 view), checked for the bytes the kernel may touch: never
//!   more than `sizeof(struct sockaddr_storage)` (128), as Linux copies at
//!   most that much;
//! * `socklen_t *` in/out lengths are copied into host memory for the call
//!   and written back, so another guest thread cannot grow a length between
//!   the check and the kernel's use of it;
//! * `struct msghdr` (36 bytes in wasm32: 4-byte pointers, `int` lengths
//!   with padding) and `struct mmsghdr` (40) are rebuilt as host structs;
//!   iovecs go through [`crate::abi::mem::GuestMem::iovecs`];
//! * control messages: the WALI libc (musl, where `long` is 8 bytes) lays
//!   `struct cmsghdr` out as `socklen_t cmsg_len; int pad; int level; int
//!   type;` with 8-byte alignment, which is x86-64's `size_t cmsg_len`
//!   layout once the pad is zero. Received control data is therefore
//!   written by the kernel straight into guest memory; sent control data is
//!   copied and each header's pad cleared first, as musl does on 64-bit
//!   targets, so a 4-byte `cmsg_len` is read correctly (SCM_RIGHTS,
//!   SCM_CREDENTIALS...);
//! * socket options are an allowlist ([`known_option`]) of those whose
//!   values are plain data laid out alike; `struct sock_fprog`
//!   (SO_ATTACH_FILTER, SO_ATTACH_REUSEPORT_CBPF) is converted;
//!   SO_GET_FILTER's length counts filter blocks; every other option is
//!   `ENOPROTOOPT`;
//! * sent control data is copied only up to `optmem_max` (more is Linux's
//!   `ENOBUFS` before any copy), and `sendmmsg` translates its messages in
//!   bounded batches.

use crate::abi::args;
use crate::abi::errno::{Errno, SysResult};
use crate::abi::layout;
use crate::abi::mem::{host_iovecs, Addr, GuestMem, HostPtr, IOV_MAX};
use crate::ctx::Ctx;
use crate::host_syscall;

/// `sizeof(struct sockaddr_storage)`: Linux never copies more of an address.
pub const SOCKADDR_MAX: u32 = std::mem::size_of::<libc::sockaddr_storage>() as u32;

pub fn socket(_c: &Ctx, a: args::Socket) -> SysResult {
    // Under --net, sockets Landlock's TCP rules would not judge.
    if let Some(e) = crate::host::sandbox::socket_refused(a.domain, a.type_, a.protocol) {
        return Err(e);
    }
    host_syscall!(libc::SYS_socket, a.domain, a.type_, a.protocol)
}

pub fn socketpair(c: &Ctx, a: args::Socketpair) -> SysResult {
    if let Some(e) = crate::host::sandbox::socket_refused(a.domain, a.type_, a.protocol) {
        return Err(e);
    }
    let sv = c.mem.buf(a.sv, 8)?;
    host_syscall!(libc::SYS_socketpair, a.domain, a.type_, a.protocol, sv)
}

pub fn bind(c: &Ctx, a: args::Bind) -> SysResult {
    let addr = addr_in(&c.mem, a.addr, a.addrlen)?;
    host_syscall!(libc::SYS_bind, a.sockfd, addr, a.addrlen)
}

pub fn connect(c: &Ctx, a: args::Connect) -> SysResult {
    let addr = addr_in(&c.mem, a.addr, a.addrlen)?;
    host_syscall!(libc::SYS_connect, a.sockfd, addr, a.addrlen)
}

pub fn listen(_c: &Ctx, a: args::Listen) -> SysResult {
    host_syscall!(libc::SYS_listen, a.sockfd, a.backlog)
}

pub fn accept(c: &Ctx, arg: args::Accept) -> SysResult {
    let f = |a, l| host_syscall!(libc::SYS_accept, arg.sockfd, a, l);
    with_addr_out(&c.mem, arg.addr, arg.addrlen, true, f, close_new)
}

pub fn accept4(c: &Ctx, arg: args::Accept4) -> SysResult {
    let f = |a, l| host_syscall!(libc::SYS_accept4, arg.sockfd, a, l, arg.flags);
    with_addr_out(&c.mem, arg.addr, arg.addrlen, true, f, close_new)
}

pub fn getsockname(c: &Ctx, arg: args::Getsockname) -> SysResult {
    let f = |a, l| host_syscall!(libc::SYS_getsockname, arg.sockfd, a, l);
    with_addr_out(&c.mem, arg.addr, arg.addrlen, false, f, drop)
}

pub fn getpeername(c: &Ctx, arg: args::Getpeername) -> SysResult {
    let f = |a, l| host_syscall!(libc::SYS_getpeername, arg.sockfd, a, l);
    with_addr_out(&c.mem, arg.addr, arg.addrlen, false, f, drop)
}

pub fn sendto(c: &Ctx, a: args::Sendto) -> SysResult {
    let (buf, len) = c.mem.stream_buf(a.buf, a.len as u64)?;
    let addr = addr_in(&c.mem, a.dest_addr, a.addrlen)?;
    host_syscall!(
        libc::SYS_sendto,
        a.sockfd,
        buf,
        len,
        a.flags,
        addr,
        a.addrlen
    )
}

pub fn recvfrom(c: &Ctx, arg: args::Recvfrom) -> SysResult {
    let (buf, len) = c.mem.stream_buf(arg.buf, arg.len as u64)?;
    let f = |a, l| host_syscall!(libc::SYS_recvfrom, arg.sockfd, buf, len, arg.flags, a, l);
    with_addr_out(&c.mem, arg.src_addr, arg.addrlen, true, f, drop)
}

pub fn shutdown(_c: &Ctx, a: args::Shutdown) -> SysResult {
    host_syscall!(libc::SYS_shutdown, a.sockfd, a.how)
}

/// An address the kernel reads: `len` bytes at most 128 (Linux rejects a
/// longer or negative length before reading, so only what it could read is
/// checked).
fn addr_in(mem: &GuestMem, addr: Addr, len: u32) -> Result<HostPtr, Errno> {
    let n = if (len as i32) < 0 {
        0
    } else {
        len.min(SOCKADDR_MAX)
    };
    mem.buf(addr, n as u64)
}

/// Calls `f(addr, lenp)` for an address the kernel writes with its length
/// in `*lenp` (in: room, out: the address's real length), then copies the
/// address out as Linux's `move_addr_to_user` does: the guest's length is
/// read after the call, `min(room, real length)` bytes are written, then
/// the real length. The kernel fills a host buffer, so a guest buffer or
/// length outside memory is `EFAULT` after the call took effect, as on
/// Linux (a datagram is consumed, a connection accepted and then closed:
/// `on_fault` gets the call's result), never a success that skipped the
/// copy. A negative room is `EINVAL`, also after the call.
///
/// `optional`: the call ignores `lenp` when `addr` is NULL (accept,
/// recvfrom), so a NULL address skips the copy.
fn with_addr_out(
    mem: &GuestMem,
    addr: Addr,
    lenp: Addr,
    optional: bool,
    f: impl FnOnce(HostPtr, HostPtr) -> SysResult,
    on_fault: impl FnOnce(i64),
) -> SysResult {
    if addr.is_null() && optional {
        return f(HostPtr::NULL, HostPtr::NULL);
    }
    let mut storage = [0u8; SOCKADDR_MAX as usize];
    let mut klen = SOCKADDR_MAX;
    let r = f(
        HostPtr::to_host_slice(&mut storage),
        HostPtr::to_host(&mut klen),
    )?;
    let copied = (|| {
        let room = mem.read::<u32>(lenp)? as i32;
        // The kernel reports the address's real length, which may exceed
        // the room it was given; only what it wrote is copied.
        let n = room.min(klen.min(SOCKADDR_MAX) as i32);
        if n < 0 {
            return Err(Errno::EINVAL);
        }
        // Nothing to copy: any address, as Linux never touches it.
        if n > 0 {
            mem.write_bytes(addr, &storage[..n as usize])?;
        }
        mem.write(lenp, klen)
    })();
    if let Err(e) = copied {
        on_fault(r);
        return Err(e);
    }
    Ok(r)
}

/// `on_fault` of the calls that copy an address out after creating a
/// descriptor (accept, accept4): Linux releases it.
fn close_new(fd: i64) {
    crate::host::close(fd as i32);
}

/// Offsets of `struct msghdr` and `struct mmsghdr` in the wasm32 view,
/// from their mirrors ([`layout::Msghdr`], checked against the spec).
mod msghdr {
    use crate::abi::layout::{Mmsghdr, Msghdr};
    use std::mem::offset_of;
    pub const NAMELEN: u32 = offset_of!(Msghdr, msg_namelen) as u32;
    pub const CONTROLLEN: u32 = offset_of!(Msghdr, msg_controllen) as u32;
    pub const FLAGS: u32 = offset_of!(Msghdr, msg_flags) as u32;
    /// `struct mmsghdr`: a msghdr then `unsigned int msg_len`.
    pub const MMSG_LEN: u32 = offset_of!(Mmsghdr, msg_len) as u32;
    pub const MMSG_SIZE: u32 = Mmsghdr::SIZE as u32;
}

/// A guest `struct msghdr` rebuilt for the host kernel. The host header
/// points at `iov` and `control`, whose heap buffers stay put while this
/// value lives (moving a `Vec` does not move its buffer).
struct HostMsg {
    hdr: libc::msghdr,
    /// Whether the guest gave a name buffer (the kernel then reports its
    /// length back).
    has_name: bool,
    _iov: Vec<libc::iovec>,
    _control: Vec<u8>,
}

/// Which way a message goes: sent control data is copied and normalised,
/// received control data is written by the kernel in place.
#[derive(Clone, Copy, PartialEq)]
enum Dir {
    Send,
    Recv,
}

impl HostMsg {
    /// Reads and translates the guest msghdr at `at`, with Linux's checks
    /// on the lengths (copy_msghdr_from_user): a name length is ignored
    /// without a name, negative is `EINVAL` and capped at 128; more than
    /// UIO_MAXIOV iovecs is `EMSGSIZE`.
    fn read(mem: &GuestMem, at: Addr, dir: Dir) -> Result<HostMsg, Errno> {
        // One read: the guest may rewrite the header meanwhile.
        let m: layout::Msghdr = mem.read(at)?;
        let name = m.msg_name;
        let mut namelen = if name == 0 { 0 } else { m.msg_namelen };
        if (namelen as i32) < 0 {
            return Err(Errno::EINVAL);
        }
        namelen = namelen.min(SOCKADDR_MAX);
        let iovlen = m.msg_iovlen;
        if iovlen > IOV_MAX {
            return Err(Errno(libc::EMSGSIZE));
        }
        // No iovecs: the kernel never looks at the array pointer.
        let mut iov = match iovlen {
            0 => Vec::new(),
            n => mem.iovecs(Addr(m.msg_iov), n)?,
        };
        let control_at = m.msg_control;
        let controllen = m.msg_controllen;
        let mut control = Vec::new();
        let control_ptr = match dir {
            Dir::Recv => mem.buf(Addr(control_at), controllen as u64)?,
            Dir::Send if control_at == 0 || controllen == 0 => mem.buf(Addr(control_at), 0)?,
            // Linux's own limit, before any copy.
            Dir::Send if controllen > i32::MAX as u32 => return Err(Errno(libc::ENOBUFS)),
            // More than `optmem_max`: Linux's allocation of its copy fails
            // (ENOBUFS) before it reads a byte. The kernel gets the length
            // with a NULL buffer, so it answers that itself (after its own
            // earlier checks: EBADF, ENOTSOCK...) and nothing is copied
            // here; were its limit raised meanwhile, it would fault on NULL.
            Dir::Send if controllen > crate::host::guard::optmem_max() => HostPtr::NULL,
            Dir::Send => {
                control = mem.read_bytes(Addr(control_at), controllen as usize)?;
                clear_cmsg_pads(&mut control);
                HostPtr::to_host_slice(&mut control)
            }
        };
        let hdr = libc::msghdr {
            msg_name: mem.buf(Addr(name), namelen as u64)?.addr() as *mut libc::c_void,
            msg_namelen: namelen,
            msg_iov: host_iovecs(&mut iov).addr() as *mut libc::iovec,
            msg_iovlen: iovlen as usize,
            msg_control: control_ptr.addr() as *mut libc::c_void,
            msg_controllen: controllen as usize,
            msg_flags: m.msg_flags as i32,
        };
        Ok(HostMsg {
            hdr,
            has_name: name != 0,
            _iov: iov,
            _control: control,
        })
    }

    /// Host memory this translation holds (iovecs and control copy).
    fn host_bytes(&self) -> usize {
        self._iov.len() * std::mem::size_of::<libc::iovec>() + self._control.len()
    }

    /// Writes back what recvmsg reports: the name and control lengths
    /// actually used and the message flags.
    fn write_back(&self, mem: &GuestMem, at: Addr) -> Result<(), Errno> {
        write_results(mem, at, &self.hdr, self.has_name)
    }
}

/// Writes the results of a reception into the guest msghdr at `at`.
fn write_results(
    mem: &GuestMem,
    at: Addr,
    hdr: &libc::msghdr,
    has_name: bool,
) -> Result<(), Errno> {
    if has_name {
        mem.write(at + msghdr::NAMELEN, hdr.msg_namelen)?;
    }
    mem.write(at + msghdr::CONTROLLEN, hdr.msg_controllen as u32)?;
    mem.write(at + msghdr::FLAGS, hdr.msg_flags as u32)
}

/// Size of a control message header (`struct cmsghdr`) in both views.
const CMSG_HDR: usize = 16;

/// Clears the 4 bytes after each 4-byte `cmsg_len` (musl's pad, the high
/// half of x86-64's 8-byte `cmsg_len`), walking the headers as CMSG_NXTHDR
/// does: each message starts at the previous one's length rounded up to 8.
fn clear_cmsg_pads(control: &mut [u8]) {
    let mut off = 0usize;
    while off + CMSG_HDR <= control.len() {
        let len = u32::from_le_bytes(control[off..off + 4].try_into().unwrap()) as usize;
        control[off + 4..off + 8].fill(0);
        if len < CMSG_HDR {
            break;
        }
        off += (len + 7) & !7;
    }
}

pub fn sendmsg(c: &Ctx, a: args::Sendmsg) -> SysResult {
    let mut m = HostMsg::read(&c.mem, a.msg, Dir::Send)?;
    host_syscall!(
        libc::SYS_sendmsg,
        a.sockfd,
        HostPtr::to_host(&mut m.hdr),
        a.flags
    )
}

pub fn recvmsg(c: &Ctx, a: args::Recvmsg) -> SysResult {
    let mut m = HostMsg::read(&c.mem, a.msg, Dir::Recv)?;
    let n = host_syscall!(
        libc::SYS_recvmsg,
        a.sockfd,
        HostPtr::to_host(&mut m.hdr),
        a.flags
    )?;
    m.write_back(&c.mem, a.msg)?;
    Ok(n)
}

/// Translates `vlen` guest mmsghdrs (Linux caps `vlen` at UIO_MAXIOV).
fn read_mmsgs(
    mem: &GuestMem,
    at: Addr,
    vlen: u32,
    dir: Dir,
) -> Result<(Vec<HostMsg>, Vec<libc::mmsghdr>), Errno> {
    let vlen = vlen.min(IOV_MAX);
    mem.check(at, vlen as u64 * msghdr::MMSG_SIZE as u64)?;
    let msgs = (0..vlen)
        .map(|i| HostMsg::read(mem, at + i * msghdr::MMSG_SIZE, dir))
        .collect::<Result<Vec<_>, _>>()?;
    let hosts = msgs
        .iter()
        .map(|m| libc::mmsghdr {
            msg_hdr: m.hdr,
            msg_len: 0,
        })
        .collect();
    Ok((msgs, hosts))
}

/// Writes `msg_len` (and for receptions the msghdr results) of the first
/// `n` messages the kernel processed back to the guest.
fn write_mmsgs(
    mem: &GuestMem,
    at: Addr,
    msgs: &[HostMsg],
    hosts: &[libc::mmsghdr],
    n: usize,
    dir: Dir,
) -> Result<(), Errno> {
    for (i, h) in hosts.iter().take(n).enumerate() {
        let m = at + i as u32 * msghdr::MMSG_SIZE;
        mem.write(m + msghdr::MMSG_LEN, h.msg_len)?;
        if dir == Dir::Recv {
            write_results(mem, m, &h.msg_hdr, msgs[i].has_name)?;
        }
    }
    Ok(())
}

/// Host memory one `sendmmsg` batch may hold (translated iovecs and
/// control copies); Linux itself copies one message at a time.
const MMSG_BATCH_BYTES: usize = 1 << 20;

/// `sendmmsg(fd, msgvec, vlen, flags)`: messages are translated and sent
/// in batches of at most [`MMSG_BATCH_BYTES`] of host copies (at least one
/// message each), so 1024 messages with the largest control data do not
/// cost 1024 copies at once. As on Linux, an error after some messages
/// went out returns their count; a later batch starts only when the
/// previous one was sent whole.
pub fn sendmmsg(c: &Ctx, a: args::Sendmmsg) -> SysResult {
    let (fd, at, flags) = (a.sockfd, a.msgvec, a.flags);
    let vlen = a.vlen.min(IOV_MAX);
    if vlen == 0 {
        return host_syscall!(libc::SYS_sendmmsg, fd, HostPtr::NULL, 0, flags);
    }
    c.mem.check(at, vlen as u64 * msghdr::MMSG_SIZE as u64)?;
    let mut sent = 0u32;
    while sent < vlen {
        let batch_at = at + sent * msghdr::MMSG_SIZE;
        let mut msgs = Vec::new();
        let mut bytes = 0usize;
        let mut failed = None;
        while sent + (msgs.len() as u32) < vlen && (msgs.is_empty() || bytes < MMSG_BATCH_BYTES) {
            let m_at = batch_at + msgs.len() as u32 * msghdr::MMSG_SIZE;
            match HostMsg::read(&c.mem, m_at, Dir::Send) {
                Ok(m) => {
                    bytes += m.host_bytes();
                    msgs.push(m);
                }
                Err(e) => {
                    failed = Some(e);
                    break;
                }
            }
        }
        if msgs.is_empty() {
            return match (sent, failed) {
                (0, Some(e)) => Err(e),
                _ => Ok(sent as i64),
            };
        }
        let mut hosts: Vec<libc::mmsghdr> = msgs
            .iter()
            .map(|m| libc::mmsghdr {
                msg_hdr: m.hdr,
                msg_len: 0,
            })
            .collect();
        let vec = mmsg_vec(&mut hosts);
        let n = match host_syscall!(libc::SYS_sendmmsg, fd, vec, hosts.len(), flags) {
            Ok(n) => n as usize,
            Err(e) if sent == 0 => return Err(e),
            Err(_) => return Ok(sent as i64),
        };
        write_mmsgs(&c.mem, batch_at, &msgs, &hosts, n, Dir::Send)?;
        sent += n as u32;
        if n < hosts.len() || failed.is_some() {
            break;
        }
    }
    Ok(sent as i64)
}

/// `recvmmsg(fd, msgvec, vlen, flags, timeout)`.
pub fn recvmmsg(c: &Ctx, a: args::Recvmmsg) -> SysResult {
    let timeout = c.mem.buf(a.timeout, crate::sys::time::TIMESPEC_SIZE)?;
    let (msgs, mut hosts) = read_mmsgs(&c.mem, a.msgvec, a.vlen, Dir::Recv)?;
    let vec = mmsg_vec(&mut hosts);
    let n = host_syscall!(
        libc::SYS_recvmmsg,
        a.sockfd,
        vec,
        hosts.len(),
        a.flags,
        timeout
    )?;
    write_mmsgs(&c.mem, a.msgvec, &msgs, &hosts, n as usize, Dir::Recv)?;
    Ok(n)
}

/// The host mmsghdr array as a syscall argument (NULL when empty: the
/// kernel reads no message then).
fn mmsg_vec(v: &mut [libc::mmsghdr]) -> HostPtr {
    v.first_mut().map_or(HostPtr::NULL, HostPtr::to_host)
}

/// Socket option levels and names needing more than a pointer-free copy.
const SOL_SOCKET: i32 = libc::SOL_SOCKET;
const SO_GET_FILTER: i32 = libc::SO_ATTACH_FILTER;
/// `struct sock_fprog` in wasm32: `u16 len; pad; u32 filter`.
const GUEST_FPROG_SIZE: u32 = layout::SockFprog::SIZE as u32;
/// `struct sock_filter`: one classic BPF instruction.
const SOCK_FILTER_SIZE: u64 = std::mem::size_of::<libc::sock_filter>() as u64;

/// Levels not in the `libc` crate for every target.
const SOL_RAW: i32 = linux_raw_sys::net::SOL_RAW as i32;
const SOL_NETLINK: i32 = linux_raw_sys::net::SOL_NETLINK as i32;
const SOL_ALG: i32 = linux_raw_sys::net::SOL_ALG as i32;
const SOL_TLS: i32 = linux_raw_sys::net::SOL_TLS as i32;
const IPPROTO_MPTCP: i32 = libc::IPPROTO_MPTCP;

/// The allowlist of socket options: those whose values are plain data laid
/// out alike in wasm32 and on the host (integers, fixed structs without
/// pointers or `long`s, strings, byte keys), per level, by number. The
/// kernel answers for numbers it does not have. Everything else is
/// `ENOPROTOOPT`, what Linux says of an option it does not know: among
/// them options carrying user addresses (netfilter table replacement,
/// TCP_ZEROCOPY_RECEIVE, PACKET_FANOUT_DATA, AF_XDP UMEM, RDS, MPTCP_FULL_INFO,
/// SCTP's old connectx), and `struct group_req`/`group_source_req`
/// (MCAST_JOIN_GROUP...), whose `sockaddr_storage` sits at offset 4 in
/// wasm32 and 8 on the host (use IP_ADD_MEMBERSHIP / IPV6_ADD_MEMBERSHIP).
/// SO_ATTACH_FILTER and SO_ATTACH_REUSEPORT_CBPF are converted
/// ([`attach_filter`]).
fn known_option(level: i32, name: i32) -> bool {
    match level {
        // SO_DEBUG .. SO_PASSRIGHTS (asm-generic/socket.h).
        SOL_SOCKET => (1..=83).contains(&name),
        // IP_TOS .. IP_MSFILTER, IP_MULTICAST_ALL .. IP_PROTOCOL.
        libc::IPPROTO_IP => (1..=41).contains(&name) || (49..=52).contains(&name),
        // IPV6_ADDRFORM .. IPV6_HDRINCL, IPV6_RECVPKTINFO .. IPV6_FREEBIND
        // without 63..65 (ip6tables' numbers).
        libc::IPPROTO_IPV6 => {
            (1..=36).contains(&name) || (49..=62).contains(&name) || (66..=80).contains(&name)
        }
        // TCP_NODELAY .. TCP_FASTOPEN_NO_COOKIE, TCP_INQ .. TCP_AO_REPAIR.
        libc::IPPROTO_TCP => (1..=34).contains(&name) || (36..=42).contains(&name),
        // UDP_CORK, UDP_ENCAP .. UDP_GRO.
        libc::IPPROTO_UDP | libc::IPPROTO_UDPLITE => {
            name == 1
                || (100..=104).contains(&name)
                || (level == libc::IPPROTO_UDPLITE && (10..=11).contains(&name))
        }
        // PACKET_ADD_MEMBERSHIP .. PACKET_VNET_HDR_SZ without FANOUT_DATA.
        libc::SOL_PACKET => (1..=21).contains(&name) || (23..=24).contains(&name),
        // ICMP6_FILTER; ICMP_FILTER.
        libc::IPPROTO_ICMPV6 | SOL_RAW => name == 1,
        // NETLINK_ADD_MEMBERSHIP .. NETLINK_GET_STRICT_CHK.
        SOL_NETLINK => (1..=12).contains(&name),
        // ALG_SET_KEY .. ALG_SET_KEY_BY_KEY_SERIAL.
        SOL_ALG => (1..=7).contains(&name),
        // TLS_TX .. TLS_RX_EXPECT_NO_PAD.
        SOL_TLS => (1..=4).contains(&name),
        // MPTCP_INFO .. MPTCP_SUBFLOW_ADDRS.
        IPPROTO_MPTCP => (1..=3).contains(&name),
        _ => false,
    }
}

/// `ENOPROTOOPT` for an option outside the allowlist, after the checks
/// Linux makes first (a bad descriptor is `EBADF`, a non-socket
/// `ENOTSOCK`), found by asking the socket's type.
fn refuse_option(fd: i32) -> SysResult {
    let mut ty: i32 = 0;
    let mut len: u32 = 4;
    host_syscall!(
        libc::SYS_getsockopt,
        fd,
        SOL_SOCKET,
        libc::SO_TYPE,
        HostPtr::to_host(&mut ty),
        HostPtr::to_host(&mut len)
    )?;
    Err(Errno(libc::ENOPROTOOPT))
}

pub fn setsockopt(c: &Ctx, a: args::Setsockopt) -> SysResult {
    let (fd, level, name, val, len) = (a.sockfd, a.level, a.optname, a.optval, a.optlen);
    if !known_option(level, name) {
        return refuse_option(fd);
    }
    if level == SOL_SOCKET
        && (name == libc::SO_ATTACH_FILTER || name == libc::SO_ATTACH_REUSEPORT_CBPF)
    {
        return attach_filter(c, fd, name, val, len);
    }
    let v = c.mem.buf(val, (len as i32).max(0) as u64)?;
    host_syscall!(libc::SYS_setsockopt, fd, level, name, v, len)
}

/// SO_ATTACH_FILTER / SO_ATTACH_REUSEPORT_CBPF: the guest's 8-byte
/// `struct sock_fprog` becomes the host's 16-byte one, its filter pointer
/// checked for `len` instructions. Linux wants exactly the struct's size.
fn attach_filter(c: &Ctx, fd: i32, name: i32, val: Addr, len: u32) -> SysResult {
    if len != GUEST_FPROG_SIZE {
        return Err(Errno::EINVAL);
    }
    let layout::SockFprog {
        len: count,
        filter: filter_at,
        ..
    } = c.mem.read(val)?;
    let filter = c
        .mem
        .buf(Addr(filter_at), count as u64 * SOCK_FILTER_SIZE)?;
    let mut prog = libc::sock_fprog {
        len: count,
        filter: filter.addr() as *mut libc::sock_filter,
    };
    let size = std::mem::size_of::<libc::sock_fprog>();
    host_syscall!(
        libc::SYS_setsockopt,
        fd,
        SOL_SOCKET,
        name,
        HostPtr::to_host(&mut prog),
        size
    )
}

pub fn getsockopt(c: &Ctx, a: args::Getsockopt) -> SysResult {
    let (fd, level, name, val, lenp) = (a.sockfd, a.level, a.optname, a.optval, a.optlen);
    if !known_option(level, name) {
        return refuse_option(fd);
    }
    if lenp.is_null() {
        return host_syscall!(
            libc::SYS_getsockopt,
            fd,
            level,
            name,
            c.mem.buf(val, 0)?,
            HostPtr::NULL
        );
    }
    let mut len: u32 = c.mem.read(lenp)?;
    // SO_GET_FILTER counts its room in filter blocks, not bytes.
    let unit = if level == SOL_SOCKET && name == SO_GET_FILTER {
        SOCK_FILTER_SIZE
    } else {
        1
    };
    let room = (len as i32).max(0) as u64 * unit;
    let v = c.mem.buf(val, room)?;
    let r = host_syscall!(
        libc::SYS_getsockopt,
        fd,
        level,
        name,
        v,
        HostPtr::to_host(&mut len)
    )?;
    c.mem.write(lenp, len)?;
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::abi::spec_types::Struct;

    #[test]
    fn msghdr_layout_is_the_spec_s() {
        let s = Struct::find("struct msghdr").unwrap();
        assert_eq!(s.size, layout::Msghdr::SIZE as usize);
        for (f, off) in [
            ("msg_namelen", msghdr::NAMELEN),
            ("msg_controllen", msghdr::CONTROLLEN),
            ("msg_flags", msghdr::FLAGS),
        ] {
            assert_eq!(s.offset_of(f), Some(off as usize), "{f}");
        }
        assert_eq!(msghdr::MMSG_SIZE, layout::Msghdr::SIZE as u32 + 4);
    }

    #[test]
    fn sockaddr_layouts_match_host() {
        let s = Struct::find("struct sockaddr").unwrap();
        assert_eq!(s.size, std::mem::size_of::<libc::sockaddr>());
        assert_eq!(
            SOCKADDR_MAX as usize,
            std::mem::size_of::<libc::sockaddr_storage>()
        );
        assert_eq!(CMSG_HDR, std::mem::size_of::<libc::cmsghdr>());
    }

    #[test]
    fn option_allowlist() {
        // Address-carrying options stay out: TCP_ZEROCOPY_RECEIVE, the
        // netfilter table replacements (IPT_SO_SET_REPLACE 64 for IPv4 and
        // IPv6), PACKET_FANOUT_DATA, AF_XDP's UMEM registration, RDS,
        // MPTCP_FULL_INFO; group_req (MCAST_JOIN_GROUP 42) differs in layout.
        assert!(!known_option(libc::SOL_TCP, 35));
        assert!(!known_option(libc::SOL_IP, 64));
        assert!(!known_option(libc::SOL_IPV6, 64));
        assert!(!known_option(libc::SOL_PACKET, 22));
        assert!(!known_option(283, 4));
        assert!(!known_option(276, 1));
        assert!(!known_option(IPPROTO_MPTCP, 4));
        assert!(!known_option(libc::SOL_IP, libc::MCAST_JOIN_GROUP));
        assert!(!known_option(12345, 1));
        assert!(known_option(libc::SOL_SOCKET, libc::SO_REUSEADDR));
        assert!(known_option(libc::SOL_SOCKET, libc::SO_RCVTIMEO));
        assert!(known_option(libc::SOL_IP, libc::IP_ADD_MEMBERSHIP));
        assert!(known_option(libc::SOL_IPV6, libc::IPV6_V6ONLY));
        assert!(known_option(libc::SOL_TCP, libc::TCP_NODELAY));
        assert!(known_option(libc::SOL_TCP, libc::TCP_CONGESTION));
        assert!(known_option(libc::SOL_UDP, libc::UDP_GRO));
    }

    #[test]
    fn cmsg_pads_are_cleared_per_header() {
        // Two headers: lengths 20 (next at 24) and 16, pads dirty.
        let mut b = vec![0xAAu8; 40];
        b[0..4].copy_from_slice(&20u32.to_le_bytes());
        b[24..28].copy_from_slice(&16u32.to_le_bytes());
        clear_cmsg_pads(&mut b);
        assert_eq!(&b[4..8], &[0; 4]);
        assert_eq!(&b[28..32], &[0; 4]);
        assert_eq!(b[8], 0xAA);
    }
}
