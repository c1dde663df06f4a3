/* musl through ./wali-cc: structs whose wasm32 layout differs from the
 * kernel's (x86-64) and that the port converts or lays out as the kernel
 * does: rusage, sysinfo, tms, statfs, epoll_event, flock (F_SETLK numbers),
 * msghdr/cmsghdr (SCM_RIGHTS over a socketpair). Needs identity/limits
 * (getrusage, sysinfo), time (times), files/io (statfs, fcntl, epoll,
 * pipe2), sockets (socketpair, sendmsg, recvmsg) and memory. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/statfs.h>
#include <sys/sysinfo.h>
#include <sys/times.h>
#include <unistd.h>

static void rusage(void)
{
	struct rusage ru;
	int r = getrusage(RUSAGE_SELF, &ru);
	printf("getrusage %d usec-ok %d maxrss>0 %d nvcsw>=0 %d\n", r,
	       ru.ru_utime.tv_usec >= 0 && ru.ru_utime.tv_usec < 1000000, ru.ru_maxrss > 0,
	       ru.ru_nvcsw >= 0);
}

static void sysinfo_check(void)
{
	struct sysinfo si;
	int r = sysinfo(&si);
	printf("sysinfo %d ram>0 %d free<=total %d procs>0 %d unit>0 %d\n", r, si.totalram > 0,
	       (unsigned long long)si.freeram <= si.totalram, si.procs > 0, si.mem_unit > 0);
}

static void times_check(void)
{
	struct tms t;
	clock_t r = times(&t);
	printf("times ok %d fields>=0 %d\n", r != (clock_t)-1,
	       t.tms_utime >= 0 && t.tms_stime >= 0 && t.tms_cutime >= 0 && t.tms_cstime >= 0);
}

static void statfs_check(void)
{
	struct statfs sf;
	int r = statfs(".", &sf);
	printf("statfs %d bsize>0 %d namelen %ld free<=blocks %d\n", r, sf.f_bsize > 0,
	       (long)sf.f_namelen, sf.f_bfree <= sf.f_blocks);
}

static void epoll_check(void)
{
	int p[2];
	pipe(p);
	int ep = epoll_create1(EPOLL_CLOEXEC);
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = 0x1122334455667788ULL };
	printf("epoll sizeof %zu ctl %d", sizeof ev, epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev));
	write(p[1], "x", 1);
	struct epoll_event out[2];
	memset(out, 0, sizeof out);
	int n = epoll_wait(ep, out, 2, 1000);
	printf(" wait %d events %u data %llx\n", n, out[0].events,
	       (unsigned long long)out[0].data.u64);
}

static void lock_check(void)
{
	int fd = open("lockfile", O_CREAT | O_RDWR, 0644);
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 10 };
	int r = fcntl(fd, F_SETLK, &fl);
	struct flock q = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 10 };
	int g = fcntl(fd, F_GETLK, &q);
	/* Our own lock does not conflict with us: F_GETLK says F_UNLCK. */
	printf("flock setlk %d getlk %d type-unlck %d\n", r, g, q.l_type == F_UNLCK);
}

static void scm_rights(void)
{
	int sv[2], p[2];
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	pipe(p);
	char data = 'd';
	struct iovec iov = { &data, 1 };
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} ctl;
	memset(&ctl, 0, sizeof ctl);
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.buf,
			    .msg_controllen = sizeof ctl.buf };
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &p[1], sizeof(int));
	printf("sendmsg %zd", sendmsg(sv[0], &m, 0));
	char got = 0;
	struct iovec riov = { &got, 1 };
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} rctl;
	struct msghdr rm = { .msg_iov = &riov, .msg_iovlen = 1, .msg_control = rctl.buf,
			     .msg_controllen = sizeof rctl.buf };
	ssize_t n = recvmsg(sv[1], &rm, 0);
	struct cmsghdr *rc = CMSG_FIRSTHDR(&rm);
	int fd = -1;
	if (rc && rc->cmsg_type == SCM_RIGHTS) memcpy(&fd, CMSG_DATA(rc), sizeof fd);
	printf(" recvmsg %zd [%c] rights %d", n, got, rc && rc->cmsg_type == SCM_RIGHTS);
	/* The received descriptor writes into the same pipe. */
	char b = 0;
	printf(" passed-fd-works %d\n", fd >= 0 && write(fd, "z", 1) == 1 && read(p[0], &b, 1) == 1 && b == 'z');
}

int main(void)
{
	rusage();
	sysinfo_check();
	times_check();
	statfs_check();
	epoll_check();
	lock_check();
	scm_rights();
	return 0;
}
