/* futex and set_tid_address on one thread: FUTEX_WAIT on a changed word is
 * -EAGAIN, with a timeout it is -ETIMEDOUT, FUTEX_WAKE with no waiter is 0;
 * bad words are -EFAULT (outside memory) or -EINVAL (misaligned); a bad
 * timeout pointer is -EFAULT, an invalid timeout -EINVAL, an unknown
 * operation -ENOSYS. set_tid_address returns the caller's TID. */
#include "walitest.h"

#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_PRIVATE 128

struct t_ts { long long sec, nsec; };

static unsigned int words[4] = {1, 2, 3, 4};
static unsigned int tid_word;

int test_main(int argc, char **argv, char **envp) {
    (void)argc, (void)argv, (void)envp;
    struct t_ts ms = {0, 1000000};
    show("wait_changed", sys_futex(&words[0], FUTEX_WAIT, 0, NULL, NULL, 0));
    show("wait_changed_private", sys_futex(&words[0], FUTEX_WAIT | FUTEX_PRIVATE, 7, &ms, NULL, 0));
    show("wait_timeout", sys_futex(&words[0], FUTEX_WAIT, 1, &ms, NULL, 0));
    show("wait_timeout_private", sys_futex(&words[1], FUTEX_WAIT | FUTEX_PRIVATE, 2, &ms, NULL, 0));
    show("wake", sys_futex(&words[0], FUTEX_WAKE, 1, NULL, NULL, 0));
    show("wake_private", sys_futex(&words[0], FUTEX_WAKE | FUTEX_PRIVATE, 0x7fffffff, NULL, NULL, 0));
    show("word_unchanged", words[0]);
    show("wait_bad_addr", sys_futex(BAD_PTR, FUTEX_WAIT, 1, &ms, NULL, 0));
    show("wake_bad_addr", sys_futex(BAD_PTR, FUTEX_WAKE, 1, NULL, NULL, 0));
    show("wait_misaligned", sys_futex((char *)&words[0] + 1, FUTEX_WAIT, 1, &ms, NULL, 0));
    show("wait_bad_timeout", sys_futex(&words[0], FUTEX_WAIT, 1, BAD_PTR, NULL, 0));
    struct t_ts bad = {0, 1000000000};
    show("wait_invalid_timeout", sys_futex(&words[0], FUTEX_WAIT, 1, &bad, NULL, 0));
    show("bad_op", sys_futex(&words[0], 99, 1, NULL, NULL, 0));
    long long tid = sys_gettid();
    show("set_tid_address", sys_set_tid_address(&tid_word) == tid);
    show("set_tid_address_null", sys_set_tid_address(NULL) == tid);
    show("tid_word_untouched", tid_word);
    return 0;
}
