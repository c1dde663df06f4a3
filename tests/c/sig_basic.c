/* Signals with guest handlers: delivery of a self-sent signal before kill
 * returns, masks and pending signals, rt_sigsuspend, SIG_IGN, sa_mask and
 * SA_NODEFER inside a handler, nested delivery, SA_RESETHAND, tgkill, and
 * the EINVAL/EFAULT paths of rt_sigaction, rt_sigprocmask, rt_sigpending
 * and rt_sigsuspend.
 *   sig_basic            everything that returns
 *   sig_basic dfl        SIG_DFL for SIGUSR1 after a handler: death by it
 *   sig_basic resethand  SA_RESETHAND: the second SIGUSR1 kills
 *
 * Handlers are installed through sigtest.h; queries and errors use the raw
 * call on both sides. */
#include "walitest.h"
#include "sigtest.h"
#ifndef __wasm__
#include <errno.h>
#include <signal.h>
#include <string.h>
#endif

#define T_SIGKILL 9
#define T_SIGUSR1 10
#define T_SIGUSR2 12
#define T_SIGTERM 15
#define T_SIGSTOP 19
#define T_SIG_BLOCK 0
#define T_SIG_UNBLOCK 1
#define T_SIG_SETMASK 2
#define T_SA_RESTART 0x10000000ull
#define T_SA_NODEFER 0x40000000ull
#define T_SA_RESETHAND 0x80000000ull
#define BIT(s) T_BIT(s)

#ifdef __wasm__
WALI_IMPORT("SYS_tgkill") long long x_tgkill(int, int, int);
#else
static long long x_tgkill(int a, int b, int c) { return walit_ret(syscall(SYS_tgkill, a, b, c)); }
#endif


/* The current action of `sig` through the raw call. */
static struct t_ksa query(int sig) {
    struct t_ksa a;
    memset(&a, 0x55, sizeof a);
    long long r = sys_rt_sigaction(sig, NULL, &a, 8);
    CHECK(r == 0);
    return a;
}

static unsigned long long blocked(void) {
    unsigned long long m = 0x5555;
    CHECK(sys_rt_sigprocmask(T_SIG_BLOCK, NULL, &m, 8) == 0);
    return m;
}

static unsigned long long pending(void) {
    unsigned long long p = 0x5555;
    CHECK(sys_rt_sigpending(&p, 8) == 0);
    return p;
}

static void set_mask(int how, unsigned long long m) {
    CHECK(sys_rt_sigprocmask(how, &m, NULL, 8) == 0);
}

static volatile int hits[65];
static volatile unsigned long long mask_inside;
static volatile int usr2_inside_usr1;
static char trace[32];
static volatile int ntrace;

static void on_sig(int sig) {
    hits[sig]++;
    if (ntrace < 31) trace[ntrace++] = sig == T_SIGUSR1 ? 'a' : sig == T_SIGUSR2 ? 'b' : 'x';
    mask_inside = blocked();
}

/* Sends SIGUSR2 to itself from inside the SIGUSR1 handler. */
static void on_usr1_nest(int sig) {
    if (ntrace < 31) trace[ntrace++] = '<';
    sys_kill((int)sys_getpid(), T_SIGUSR2);
    usr2_inside_usr1 = hits[T_SIGUSR2];
    if (ntrace < 31) trace[ntrace++] = '>';
    hits[sig]++;
}

static void reset_hits(void) {
    for (int i = 0; i < 65; i++) hits[i] = 0;
    ntrace = 0;
    mask_inside = 0;
}

static int self(void) { return (int)sys_getpid(); }

static void delivery(void) {
    show("install", install(T_SIGUSR1, on_sig, 0, 0));
    struct t_ksa a = query(T_SIGUSR1);
    show("query_is_handler", a.handler == (unsigned long)on_sig);
    show("query_flags", a.flags & (T_SA_RESTART | T_SA_NODEFER | T_SA_RESETHAND));
    show("query_mask", a.mask);
    show("kill", sys_kill(self(), T_SIGUSR1));
    /* Linux runs the handler before kill returns to the program. */
    show("hits_after_kill", hits[T_SIGUSR1]);
    /* Without SA_NODEFER the signal itself is blocked in its handler. */
    show("self_blocked_inside", (mask_inside & BIT(T_SIGUSR1)) != 0);
    show("mask_after", blocked());
    /* sa_mask and SA_NODEFER. */
    reset_hits();
    show("install_nodefer", install(T_SIGUSR1, on_sig, T_SA_NODEFER | T_SA_RESTART, BIT(T_SIGTERM)));
    a = query(T_SIGUSR1);
    show("query_flags2", a.flags & (T_SA_RESTART | T_SA_NODEFER | T_SA_RESETHAND));
    show("query_mask2", a.mask);
    sys_kill(self(), T_SIGUSR1);
    show("hits_nodefer", hits[T_SIGUSR1]);
    show("self_blocked_nodefer", (mask_inside & BIT(T_SIGUSR1)) != 0);
    show("term_blocked_inside", (mask_inside & BIT(T_SIGTERM)) != 0);
    show("mask_after2", blocked());
}

static void masking(void) {
    reset_hits();
    install(T_SIGUSR1, on_sig, 0, 0);
    set_mask(T_SIG_BLOCK, BIT(T_SIGUSR1));
    show("blocked_usr1", blocked() == BIT(T_SIGUSR1));
    show("kill_blocked", sys_kill(self(), T_SIGUSR1));
    show("hits_while_blocked", hits[T_SIGUSR1]);
    show("pending_usr1", pending() == BIT(T_SIGUSR1));
    /* Standard signals do not queue: a second one merges. */
    sys_kill(self(), T_SIGUSR1);
    set_mask(T_SIG_UNBLOCK, BIT(T_SIGUSR1));
    /* Delivered as the unblocking call returns. */
    show("hits_after_unblock", hits[T_SIGUSR1]);
    show("pending_after", pending());
    /* SIG_SETMASK, and SIGKILL/SIGSTOP are silently never blocked. */
    set_mask(T_SIG_SETMASK, ~0ull);
    show("block_all", (long long)blocked());
    set_mask(T_SIG_SETMASK, 0);
    show("unblock_all", blocked());
    /* oldset with a new set. */
    unsigned long long set = BIT(T_SIGUSR2), old = 99;
    show("block_old", sys_rt_sigprocmask(T_SIG_BLOCK, &set, &old, 8));
    show("old_value", old);
    set_mask(T_SIG_SETMASK, 0);
}

static void suspend(void) {
    reset_hits();
    install(T_SIGUSR1, on_sig, T_SA_RESTART, 0);
    set_mask(T_SIG_SETMASK, BIT(T_SIGUSR1));
    sys_kill(self(), T_SIGUSR1);
    unsigned long long none = 0;
    /* Waits with an empty mask: the pending signal runs, -EINTR (even with
     * SA_RESTART), and the old mask is back. */
    show("sigsuspend", sys_rt_sigsuspend(&none, 8));
    show("hits_suspend", hits[T_SIGUSR1]);
    show("mask_after_suspend", blocked());
    set_mask(T_SIG_SETMASK, 0);
}

static void ignore(void) {
    reset_hits();
    show("ign", install(T_SIGUSR2, T_IGN, 0, 0));
    show("query_ign", query(T_SIGUSR2).handler == (unsigned long)T_IGN);
    show("kill_ign", sys_kill(self(), T_SIGUSR2));
    /* Linux keeps an ignored signal pending while it is blocked (the
     * disposition may change before it is unblocked). */
    set_mask(T_SIG_BLOCK, BIT(T_SIGUSR2));
    sys_kill(self(), T_SIGUSR2);
    show("pending_ign", pending());
    set_mask(T_SIG_SETMASK, 0);
    show("dfl", install(T_SIGUSR2, T_DFL, 0, 0));
    show("query_dfl", query(T_SIGUSR2).handler);
}

static void nested(void) {
    reset_hits();
    install(T_SIGUSR1, on_usr1_nest, 0, 0);
    install(T_SIGUSR2, on_sig, 0, 0);
    sys_kill(self(), T_SIGUSR1);
    trace[ntrace] = 0;
    out("trace=");
    out(trace);
    out("\n");
    show("usr2_inside_usr1", usr2_inside_usr1);
    show("hits_usr1", hits[T_SIGUSR1]);
    show("hits_usr2", hits[T_SIGUSR2]);
    install(T_SIGUSR2, T_DFL, 0, 0);
}

/* tgkill: the signal goes to this very thread. */
static void thread_kill(void) {
    reset_hits();
    install(T_SIGUSR1, on_sig, 0, 0);
    int tid = (int)sys_gettid();
    show("tgkill", x_tgkill(self(), tid, T_SIGUSR1));
    show("hits_tgkill", hits[T_SIGUSR1]);
    show("tgkill_probe", x_tgkill(self(), tid, 0));
    show("tgkill_bad_sig", x_tgkill(self(), tid, 65));
    show("tgkill_bad_tid", x_tgkill(self(), 0, T_SIGUSR1));
    show("tgkill_bad_tgid", x_tgkill(0, tid, T_SIGUSR1));
    show("tgkill_no_such", x_tgkill(self(), 0x3ffffff0, T_SIGUSR1));
}

static void errors(void) {
    struct t_ksa a, old;
    memset(&a, 0, sizeof a);
    a.handler = (unsigned long)on_sig;
    unsigned long long set = 0;
    show("sa_sig0", sys_rt_sigaction(0, NULL, &old, 8));
    show("sa_sig65", sys_rt_sigaction(65, NULL, &old, 8));
    show("sa_sigkill", sys_rt_sigaction(T_SIGKILL, &a, NULL, 8));
    show("sa_sigstop", sys_rt_sigaction(T_SIGSTOP, &a, NULL, 8));
    show("sa_sigkill_query", sys_rt_sigaction(T_SIGKILL, NULL, &old, 8));
    show("sa_sigkill_dfl", old.handler);
    show("sa_size4", sys_rt_sigaction(T_SIGUSR1, NULL, &old, 4));
    show("sa_size16", sys_rt_sigaction(T_SIGUSR1, NULL, &old, 16));
    show("sa_bad_act", sys_rt_sigaction(T_SIGUSR1, BAD_PTR, NULL, 8));
    show("sa_bad_old", sys_rt_sigaction(T_SIGUSR1, NULL, BAD_PTR, 8));
    show("sa_null_both", sys_rt_sigaction(T_SIGUSR1, NULL, NULL, 8));
    show("pm_bad_how", sys_rt_sigprocmask(99, &set, NULL, 8));
    show("pm_bad_how_noset", sys_rt_sigprocmask(99, NULL, NULL, 8));
    show("pm_bad_set", sys_rt_sigprocmask(T_SIG_BLOCK, BAD_PTR, NULL, 8));
    show("pm_bad_old", sys_rt_sigprocmask(T_SIG_BLOCK, NULL, BAD_PTR, 8));
    show("pm_size4", sys_rt_sigprocmask(T_SIG_BLOCK, &set, NULL, 4));
    show("sp_bad", sys_rt_sigpending(BAD_PTR, 8));
    show("sp_null", sys_rt_sigpending(NULL, 8));
    show("sp_size16", sys_rt_sigpending(&set, 16));
    /* A smaller size is accepted and writes only that many bytes. */
    unsigned int half[2] = {0x77777777u, 0x77777777u};
    show("sp_size4", sys_rt_sigpending(half, 4));
    show("sp_size4_untouched", half[1] == 0x77777777u);
    show("ss_bad", sys_rt_sigsuspend(BAD_PTR, 8));
    show("ss_size4", sys_rt_sigsuspend(&set, 4));
    show("kill_bad_sig", sys_kill(self(), 65));
}

int test_main(int argc, char **argv, char **envp) {
    (void)envp;
    if (argc > 1 && t_strcmp(argv[1], "dfl") == 0) {
        install(T_SIGUSR1, on_sig, 0, 0);
        install(T_SIGUSR1, T_DFL, 0, 0);
        out("before\n");
        sys_kill(self(), T_SIGUSR1);
        out("survived\n");
        return 3;
    }
    if (argc > 1 && t_strcmp(argv[1], "resethand") == 0) {
        install(T_SIGUSR1, on_sig, T_SA_RESETHAND, 0);
        sys_kill(self(), T_SIGUSR1);
        show("hits_first", hits[T_SIGUSR1]);
        show("reset_to_dfl", query(T_SIGUSR1).handler);
        sys_kill(self(), T_SIGUSR1);
        out("survived\n");
        return 3;
    }
    delivery();
    masking();
    suspend();
    ignore();
    nested();
    thread_kill();
    errors();
    return 0;
}
