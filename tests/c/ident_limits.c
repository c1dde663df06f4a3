/* Identity and limits: getpid, getppid, get[e]uid, get[e]gid,
 * getres[ug]id, set*id (no-op values only), getgroups, getpgid, setpgid,
 * getpgrp, getsid, setsid, getrlimit, setrlimit, prlimit64, getrusage,
 * uname, sysinfo, sched_{get,set}affinity, sched_yield,
 * sched_{get,set}{scheduler,param}, {get,set}priority, getcpu, getrandom,
 * prctl, personality, setfs[ug]id, capget, capset (no-op), sched priority
 * ranges, sched_rr_get_interval, sched_{get,set}attr, ioprio_{get,set}. Ids and pids are printed only as relations. */
#include "walitest.h"
#ifndef __wasm__
#include <string.h>
#endif

#define EPERM 1
#define ESRCH 3
#define EFAULT 14
#define EINVAL 22

#define RLIMIT_CORE 4
#define RLIMIT_NOFILE 7
#define RUSAGE_SELF 0
#define RUSAGE_CHILDREN (-1)
#define RUSAGE_THREAD 1
#define PRIO_PROCESS 0
#define SCHED_OTHER 0
#define GRND_NONBLOCK 1
#define PR_SET_PDEATHSIG 1
#define PR_GET_PDEATHSIG 2
#define PR_GET_DUMPABLE 3
#define PR_SET_NAME 15
#define PR_GET_NAME 16
#define PR_GET_TIMERSLACK 30
#define PR_SET_SECCOMP 22
#define PR_GET_CHILD_SUBREAPER 37
#define PR_GET_NO_NEW_PRIVS 39
#define NO_PID 0x3ffffff0 /* above any pid_max */

/* A pointer as prctl's unsigned long argument. */
#define PTRARG(p) ((long long)(unsigned long)(p))

struct t_rlimit {
    unsigned long long cur, max;
};
struct t_timeval {
    long long sec, usec;
};
/* The wasm32 WALI struct rusage: the kernel's 144 bytes, then reserved. */
struct t_rusage {
    struct t_timeval utime, stime;
    long long maxrss, ixrss, idrss, isrss, minflt, majflt, nswap, inblock, oublock;
    long long msgsnd, msgrcv, nsignals, nvcsw, nivcsw;
    long long reserved[16];
};
_Static_assert(sizeof(struct t_rusage) == 272, "rusage");
struct t_utsname {
    char sysname[65], nodename[65], release[65], version[65], machine[65], domainname[65];
};
struct t_sysinfo {
    long long uptime;
    unsigned long long loads[3];
    unsigned long long totalram, freeram, sharedram, bufferram, totalswap, freeswap;
    unsigned short procs, pad;
    unsigned long long totalhigh, freehigh;
    unsigned int mem_unit;
    char reserved[256];
};
_Static_assert(sizeof(struct t_sysinfo) == 368, "sysinfo");

/* The spec leaves these untyped: the C prototypes. */
#ifndef __wasm__
#define W1(n, a) walit_ret(syscall(SYS_##n, a))
#endif
#ifdef __wasm__
WALI_IMPORT("SYS_getresuid") long long w_getresuid(unsigned *, unsigned *, unsigned *);
WALI_IMPORT("SYS_getresgid") long long w_getresgid(unsigned *, unsigned *, unsigned *);
WALI_IMPORT("SYS_sched_setaffinity") long long w_sched_setaffinity(int, unsigned, void *);
WALI_IMPORT("SYS_sched_getscheduler") long long w_sched_getscheduler(int);
WALI_IMPORT("SYS_sched_setscheduler") long long w_sched_setscheduler(int, int, void *);
WALI_IMPORT("SYS_sched_getparam") long long w_sched_getparam(int, void *);
WALI_IMPORT("SYS_sched_setparam") long long w_sched_setparam(int, void *);
WALI_IMPORT("SYS_getpriority") long long w_getpriority(int, int);
WALI_IMPORT("SYS_setpriority") long long w_setpriority(int, int, int);
WALI_IMPORT("SYS_getcpu") long long w_getcpu(unsigned *, unsigned *, void *);
WALI_IMPORT("SYS_personality") long long w_personality(long long);
WALI_IMPORT("SYS_setfsuid") long long w_setfsuid(int);
WALI_IMPORT("SYS_setfsgid") long long w_setfsgid(int);
WALI_IMPORT("SYS_capget") long long w_capget(void *, void *);
WALI_IMPORT("SYS_capset") long long w_capset(void *, void *);
WALI_IMPORT("SYS_sched_get_priority_max") long long w_sched_get_priority_max(int);
WALI_IMPORT("SYS_sched_get_priority_min") long long w_sched_get_priority_min(int);
WALI_IMPORT("SYS_sched_rr_get_interval") long long w_sched_rr_get_interval(int, void *);
WALI_IMPORT("SYS_sched_getattr") long long w_sched_getattr(int, void *, unsigned, unsigned);
WALI_IMPORT("SYS_sched_setattr") long long w_sched_setattr(int, void *, unsigned);
WALI_IMPORT("SYS_ioprio_get") long long w_ioprio_get(int, int);
WALI_IMPORT("SYS_ioprio_set") long long w_ioprio_set(int, int, int);
#else
static long long w_setfsuid(int u) { return W1(setfsuid, u); }
static long long w_setfsgid(int g) { return W1(setfsgid, g); }
static long long w_capget(void *h, void *d) { return walit_ret(syscall(SYS_capget, h, d)); }
static long long w_capset(void *h, void *d) { return walit_ret(syscall(SYS_capset, h, d)); }
static long long w_sched_get_priority_max(int p) { return W1(sched_get_priority_max, p); }
static long long w_sched_get_priority_min(int p) { return W1(sched_get_priority_min, p); }
static long long w_sched_rr_get_interval(int p, void *t) {
    return walit_ret(syscall(SYS_sched_rr_get_interval, p, t));
}
static long long w_sched_getattr(int p, void *a, unsigned s, unsigned f) {
    return walit_ret(syscall(SYS_sched_getattr, p, a, s, f));
}
static long long w_sched_setattr(int p, void *a, unsigned f) {
    return walit_ret(syscall(SYS_sched_setattr, p, a, f));
}
static long long w_ioprio_get(int w, int who) { return walit_ret(syscall(SYS_ioprio_get, w, who)); }
static long long w_ioprio_set(int w, int who, int p) {
    return walit_ret(syscall(SYS_ioprio_set, w, who, p));
}
static long long w_getresuid(unsigned *r, unsigned *e, unsigned *s) {
    return walit_ret(syscall(SYS_getresuid, r, e, s));
}
static long long w_getresgid(unsigned *r, unsigned *e, unsigned *s) {
    return walit_ret(syscall(SYS_getresgid, r, e, s));
}
static long long w_sched_setaffinity(int p, unsigned n, void *m) {
    return walit_ret(syscall(SYS_sched_setaffinity, p, n, m));
}
static long long w_sched_getscheduler(int p) { return W1(sched_getscheduler, p); }
static long long w_sched_setscheduler(int p, int pol, void *prm) {
    return walit_ret(syscall(SYS_sched_setscheduler, p, pol, prm));
}
static long long w_sched_getparam(int p, void *prm) {
    return walit_ret(syscall(SYS_sched_getparam, p, prm));
}
static long long w_sched_setparam(int p, void *prm) {
    return walit_ret(syscall(SYS_sched_setparam, p, prm));
}
static long long w_getpriority(int w, int who) {
    return walit_ret(syscall(SYS_getpriority, w, who));
}
static long long w_setpriority(int w, int who, int prio) {
    return walit_ret(syscall(SYS_setpriority, w, who, prio));
}
static long long w_getcpu(unsigned *c, unsigned *n, void *t) {
    return walit_ret(syscall(SYS_getcpu, c, n, t));
}
static long long w_personality(long long p) { return W1(personality, (unsigned long)p); }
#endif

static void ids(void) {
    out("-- ids\n");
    long long pid = sys_getpid(), ppid = sys_getppid();
    show("pid_positive", pid > 0);
    show("ppid_positive", ppid > 0 && ppid != pid);
    unsigned r = 7, e = 7, s = 7;
    show("getresuid", w_getresuid(&r, &e, &s));
    show("ruid_is_getuid", r == sys_getuid());
    show("euid_is_geteuid", e == sys_geteuid());
    show("suid_is_euid", s == e);
    show("getresuid_efault0", w_getresuid(BAD_PTR, &e, &s));
    show("getresuid_efault1", w_getresuid(&r, BAD_PTR, &s));
    show("getresuid_efault2", w_getresuid(&r, &e, BAD_PTR));
    show("getresgid", w_getresgid(&r, &e, &s));
    show("rgid_is_getgid", r == sys_getgid());
    show("egid_is_getegid", e == sys_getegid());
    show("getresgid_efault", w_getresgid(&r, &e, BAD_PTR));

    /* Setting ids to their current values changes nothing. */
    show("setuid_same", sys_setuid((int)sys_getuid()));
    show("setgid_same", sys_setgid((int)sys_getgid()));
    show("setreuid_keep", sys_setreuid(-1, -1));
    show("setregid_keep", sys_setregid(-1, -1));
    show("setresuid_keep", sys_setresuid(-1, -1, -1));
    show("setresgid_keep", sys_setresgid(-1, -1, -1));
    show("setuid_invalid", sys_setuid(-1));
    show("setgid_invalid", sys_setgid(-1));

    long long n = sys_getgroups(0, NULL);
    show("getgroups_count_ok", n >= 0);
    unsigned groups[256];
    show("getgroups_same_count", sys_getgroups(256, groups) == n);
    show("getgroups_negative", sys_getgroups(-1, groups));
    show("getgroups_efault", n > 0 ? sys_getgroups(256, BAD_PTR) : -EFAULT);
    show("getgroups_too_small", n > 1 ? sys_getgroups(1, groups) : -EINVAL);
}

static void groups_sessions(void) {
    out("-- process groups\n");
    long long pid = sys_getpid();
    show("getpgrp_is_getpgid0", sys_getpgrp() == sys_getpgid(0));
    show("getpgid_self", sys_getpgid((int)pid) == sys_getpgrp());
    show("getpgid_none", sys_getpgid(NO_PID));
    show("getsid_self", sys_getsid(0) == sys_getsid((int)pid));
    show("getsid_positive", sys_getsid(0) > 0);
    show("getsid_none", sys_getsid(NO_PID));
    show("setpgid_negative", sys_setpgid(-1, 0));
    show("setpgid_bad_group", sys_setpgid(0, -1));
    show("setpgid_none", sys_setpgid(NO_PID, 0));
    /* Become a group leader; a group leader cannot start a session. */
    show("setpgid_self", sys_setpgid(0, 0));
    show("pgrp_is_pid", sys_getpgrp() == pid);
    show("setsid_leader", sys_setsid());
    show("setpgid_foreign_group", sys_setpgid(0, NO_PID));
}

static void limits(void) {
    out("-- limits\n");
    struct t_rlimit rl, old, set;
    show("getrlimit", sys_getrlimit(RLIMIT_NOFILE, &rl));
    show("nofile_cur_le_max", rl.cur <= rl.max && rl.cur > 0);
    show("getrlimit_bad_resource", sys_getrlimit(99, &rl));
    show("getrlimit_efault", sys_getrlimit(RLIMIT_NOFILE, BAD_PTR));
    show("setrlimit_same", sys_setrlimit(RLIMIT_NOFILE, &rl));

    show("getrlimit_core", sys_getrlimit(RLIMIT_CORE, &old));
    set.cur = 0;
    set.max = old.max;
    show("setrlimit_core_0", sys_setrlimit(RLIMIT_CORE, &set));
    show("getrlimit_core_0", (sys_getrlimit(RLIMIT_CORE, &rl), rl.cur == 0 && rl.max == old.max));
    set.cur = 2;
    set.max = 1;
    show("setrlimit_cur_above_max", sys_setrlimit(RLIMIT_CORE, &set));
    show("setrlimit_efault", sys_setrlimit(RLIMIT_CORE, BAD_PTR));
    show("setrlimit_null", sys_setrlimit(RLIMIT_CORE, NULL));

    struct t_rlimit got;
    set.cur = 4096;
    set.max = old.max;
    show("prlimit64_set", sys_prlimit64(0, RLIMIT_CORE, &set, &got));
    show("prlimit64_old", got.cur == 0 && got.max == old.max);
    show("prlimit64_get", sys_prlimit64(0, RLIMIT_CORE, NULL, &got));
    show("prlimit64_got", got.cur == 4096);
    /* As on Linux, the new limit is set before the old one faults. */
    set.cur = 8192;
    show("prlimit64_old_efault", sys_prlimit64(0, RLIMIT_CORE, &set, BAD_PTR));
    show("prlimit64_set_anyway", (sys_prlimit64(0, RLIMIT_CORE, NULL, &got), got.cur == 8192));
    show("prlimit64_new_efault", sys_prlimit64(0, RLIMIT_CORE, BAD_PTR, NULL));
    show("prlimit64_none", sys_prlimit64(NO_PID, RLIMIT_CORE, NULL, &got));
    show("prlimit64_bad_resource", sys_prlimit64(0, 99, NULL, &got));
    show("restore_core", sys_setrlimit(RLIMIT_CORE, &old));

    struct t_rusage ru;
    memset(&ru, 0x55, sizeof ru);
    show("getrusage", sys_getrusage(RUSAGE_SELF, &ru));
    show("rusage_times", ru.utime.usec >= 0 && ru.utime.usec < 1000000 && ru.stime.usec < 1000000);
    show("rusage_maxrss", ru.maxrss > 0);
    show("rusage_reserved_untouched", ru.reserved[0] == 0x5555555555555555LL);
    show("getrusage_children", sys_getrusage(RUSAGE_CHILDREN, &ru));
    show("getrusage_thread", sys_getrusage(RUSAGE_THREAD, &ru));
    show("getrusage_bad_who", sys_getrusage(5, &ru));
    show("getrusage_efault", sys_getrusage(RUSAGE_SELF, BAD_PTR));
}

static void system_info(void) {
    out("-- system\n");
    struct t_utsname u;
    show("uname", sys_uname(&u));
    out("sysname=");
    out(u.sysname);
    out("\nmachine=");
    out(u.machine);
    out("\n");
    show("release_set", u.release[0] != 0);
    show("uname_efault", sys_uname(BAD_PTR));

    struct t_sysinfo si;
    show("sysinfo", sys_sysinfo(&si));
    show("sysinfo_sane", si.mem_unit > 0 && si.totalram > 0 && si.freeram <= si.totalram);
    show("sysinfo_procs", si.procs > 0);
    show("sysinfo_efault", sys_sysinfo(BAD_PTR));

    unsigned char mask[128], saved[128];
    memset(mask, 0, sizeof mask);
    long long n = sys_sched_getaffinity(0, sizeof mask, mask);
    show("getaffinity_size_ok", n > 0 && n <= 128 && n % 8 == 0);
    int cpus = 0;
    for (int i = 0; i < 128; i++)
        for (int b = 0; b < 8; b++) cpus += (mask[i] >> b) & 1;
    show("getaffinity_has_cpu", cpus > 0);
    memcpy(saved, mask, sizeof mask);
    show("getaffinity_too_small", sys_sched_getaffinity(0, 1, mask));
    show("getaffinity_efault", sys_sched_getaffinity(0, sizeof mask, BAD_PTR));
    show("getaffinity_none", sys_sched_getaffinity(NO_PID, sizeof mask, mask));
    show("setaffinity_same", w_sched_setaffinity(0, sizeof saved, saved));
    unsigned char empty[128];
    memset(empty, 0, sizeof empty);
    show("setaffinity_empty", w_sched_setaffinity(0, sizeof empty, empty));
    show("setaffinity_efault", w_sched_setaffinity(0, sizeof empty, BAD_PTR));
    show("sched_yield", sys_sched_yield());

    int prm = 99;
    show("getscheduler", w_sched_getscheduler(0));
    show("getscheduler_negative", w_sched_getscheduler(-1));
    show("getscheduler_none", w_sched_getscheduler(NO_PID));
    show("getparam", w_sched_getparam(0, &prm));
    show("param", prm);
    show("getparam_efault", w_sched_getparam(0, BAD_PTR));
    prm = 0;
    show("setscheduler_other", w_sched_setscheduler(0, SCHED_OTHER, &prm));
    show("setparam", w_sched_setparam(0, &prm));
    prm = 5;
    show("setscheduler_bad_prio", w_sched_setscheduler(0, SCHED_OTHER, &prm));
    show("setscheduler_efault", w_sched_setscheduler(0, SCHED_OTHER, BAD_PTR));
    show("setparam_efault", w_sched_setparam(0, BAD_PTR));

    long long prio = w_getpriority(PRIO_PROCESS, 0);
    show("getpriority_range", prio >= 1 && prio <= 40);
    show("setpriority_same", w_setpriority(PRIO_PROCESS, 0, 20 - (int)prio));
    show("getpriority_unchanged", w_getpriority(PRIO_PROCESS, 0) == prio);
    show("getpriority_bad_which", w_getpriority(99, 0));
    show("getpriority_none", w_getpriority(PRIO_PROCESS, NO_PID));

    unsigned cpu = 99999, node = 99999;
    show("getcpu", w_getcpu(&cpu, &node, NULL));
    show("getcpu_in_mask", cpu < 1024 && ((saved[cpu / 8] >> (cpu % 8)) & 1));
    show("getcpu_node", node < 1024);
    show("getcpu_null", w_getcpu(NULL, NULL, NULL));
    show("getcpu_efault", w_getcpu(BAD_PTR, &node, NULL));

    unsigned char r1[32], r2[32];
    show("getrandom", sys_getrandom(r1, sizeof r1, 0));
    show("getrandom_nonblock", sys_getrandom(r2, sizeof r2, GRND_NONBLOCK));
    show("getrandom_differs", t_memcmp(r1, r2, sizeof r1) != 0);
    show("getrandom_zero", sys_getrandom(r1, 0, 0));
    show("getrandom_bad_flags", sys_getrandom(r1, sizeof r1, 0x100));
    show("getrandom_efault", sys_getrandom(BAD_PTR, 16, 0));

    long long persona = w_personality(0xffffffffLL);
    show("personality_query", persona >= 0);
    show("personality_stable", w_personality(0xffffffffLL) == persona);
}

struct t_sched_attr {
    unsigned size, policy;
    unsigned long long flags;
    int nice;
    unsigned priority;
    unsigned long long runtime, deadline, period;
    unsigned util_min, util_max;
};
_Static_assert(sizeof(struct t_sched_attr) == 56, "sched_attr");

static void more_sched(void) {
    out("-- caps and scheduling\n");
    show("setfsuid_query", w_setfsuid(-1) == sys_geteuid());
    show("setfsgid_query", w_setfsgid(-1) == sys_getegid());

    struct {
        unsigned version;
        int pid;
    } hdr = {0, 0};
    unsigned data[6];
    show("capget_unknown_version", w_capget(&hdr, NULL));
    show("capget_preferred_v3", hdr.version == 0x20080522);
    show("capget", w_capget(&hdr, data));
    show("capget_efault", w_capget(&hdr, BAD_PTR));
    show("capget_hdr_efault", w_capget(BAD_PTR, data));
    show("capset_same", w_capset(&hdr, data));
    hdr.pid = NO_PID;
    show("capget_no_pid", w_capget(&hdr, data));

    show("prio_max_fifo", w_sched_get_priority_max(1));
    show("prio_min_fifo", w_sched_get_priority_min(1));
    show("prio_max_other", w_sched_get_priority_max(SCHED_OTHER));
    show("prio_max_bad", w_sched_get_priority_max(99));
    long long ts[2];
    show("rr_get_interval", w_sched_rr_get_interval(0, ts));
    show("rr_get_interval_efault", w_sched_rr_get_interval(0, BAD_PTR));
    show("rr_get_interval_none", w_sched_rr_get_interval(NO_PID, ts));

    struct t_sched_attr at;
    memset(&at, 0x55, sizeof at);
    show("getattr", w_sched_getattr(0, &at, sizeof at, 0));
    show("getattr_size", at.size);
    show("getattr_policy", at.policy);
    show("getattr_small", w_sched_getattr(0, &at, 8, 0));
    show("getattr_efault", w_sched_getattr(0, BAD_PTR, sizeof at, 0));
    show("getattr_bad_flags", w_sched_getattr(0, &at, sizeof at, 1));
    at.size = sizeof at;
    show("setattr_same", w_sched_setattr(0, &at, 0));
    static unsigned char big[4200];
    struct t_sched_attr *huge = (struct t_sched_attr *)big;
    huge->size = 5000;
    show("setattr_too_big", w_sched_setattr(0, huge, 0));
    show("setattr_reports_size", huge->size);
    show("setattr_efault", w_sched_setattr(0, BAD_PTR, 0));

    long long io = w_ioprio_get(1, 0);
    show("ioprio_get_ok", io >= 0);
    show("ioprio_set_same", w_ioprio_set(1, 0, (int)io));
    show("ioprio_get_bad_which", w_ioprio_get(99, 0));
}

static void prctls(void) {
    out("-- prctl\n");
    char name[16];
    show("set_name", sys_prctl(PR_SET_NAME, PTRARG("wali-test-thread-name"), 0, 0, 0));
    memset(name, 'x', sizeof name);
    show("get_name", sys_prctl(PR_GET_NAME, PTRARG(name), 0, 0, 0));
    out("name=");
    out(name);
    out("\n");
    show("get_name_efault", sys_prctl(PR_GET_NAME, PTRARG(BAD_PTR), 0, 0, 0));
    show("set_name_efault", sys_prctl(PR_SET_NAME, PTRARG(BAD_PTR), 0, 0, 0));
    int v = 7;
    show("get_pdeathsig", sys_prctl(PR_GET_PDEATHSIG, PTRARG(&v), 0, 0, 0));
    show("pdeathsig", v);
    show("get_pdeathsig_efault", sys_prctl(PR_GET_PDEATHSIG, PTRARG(BAD_PTR), 0, 0, 0));
    show("set_pdeathsig_bad", sys_prctl(PR_SET_PDEATHSIG, 999, 0, 0, 0));
    v = 7;
    show("get_child_subreaper", sys_prctl(PR_GET_CHILD_SUBREAPER, PTRARG(&v), 0, 0, 0));
    show("child_subreaper", v);
    show("get_no_new_privs", sys_prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
    show("get_timerslack_positive", sys_prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0) > 0);
    show("get_dumpable_ok", sys_prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) >= 0);
    show("unknown_option", sys_prctl(9999, 0, 0, 0, 0));
    /* A pointer-taking option, refused by the engine; Linux rejects the mode. */
    show("set_seccomp_bad_mode", sys_prctl(PR_SET_SECCOMP, 99, 0, 0, 0));
}

int test_main(int argc, char **argv, char **envp) {
    (void)argc, (void)argv, (void)envp;
    ids();
    groups_sessions();
    limits();
    system_info();
    more_sched();
    prctls();
    return 0;
}
