/* Hello world for the start-up figures. The first thing `main` does is read
 * CLOCK_MONOTONIC (`main_ns=`), so the driver, which notes the same clock
 * before it starts the process, gets the time to reach main; the process's
 * total time is measured by the driver up to its exit. */
#include "bench.h"

int test_main(int argc, char **argv, char **envp) {
    (void)argc, (void)argv, (void)envp;
    long long t = b_now();
    if (t >= 0) show("main_ns", t);
    out("hello, world\n");
    return 0;
}
