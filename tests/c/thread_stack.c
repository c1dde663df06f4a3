/* The main thread's shadow stack is the whole stack the linker reserved,
 * whatever --max-threads says: a recursion using ~100 KiB of it (built with
 * a 1 MiB stack and the __heap_base/__data_end exports, which make WAMR
 * bound-check every __stack_pointer write), then one thread. */
#include "walitest.h"

static int depth_sum(volatile char *prev, int n) {
    volatile char frame[1024];
    frame[0] = (char)n;
    frame[1023] = prev ? prev[0] : 0;
    if (n == 0) return frame[0];
    return depth_sum(frame, n - 1) + (frame[0] & 1);
}

int test_main(int argc, char **argv, char **envp) {
    (void)argc, (void)argv, (void)envp;
    show("sum", depth_sum(0, 100));
    return 0;
}
