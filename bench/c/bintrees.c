/* Allocation-heavy: the binary-trees benchmark of the Computer Language
 * Benchmarks Game (build and walk complete binary trees of many depths),
 * over a bump arena in static memory since the programs have no libc
 * malloc. `bintrees MAXDEPTH`; prints the node counts as the checksum. */
#include "bench.h"

struct node {
    struct node *left, *right;
};

/* Depth d has 2^(d+1)-1 nodes: enough for the stretch tree of depth
 * MAX_DEPTH+1, or the long-lived tree plus one of the same depth. */
#define MAX_DEPTH 17
#define ARENA_NODES (1u << (MAX_DEPTH + 2))
static struct node arena[ARENA_NODES];
static unsigned long arena_top;

static struct node *make(int depth) {
    if (arena_top >= ARENA_NODES) b_fail("arena", -12);
    struct node *n = &arena[arena_top++];
    if (depth > 0) {
        n->left = make(depth - 1);
        n->right = make(depth - 1);
    } else {
        n->left = n->right = NULL;
    }
    return n;
}

static long long check(const struct node *n) {
    return n->left ? 1 + check(n->left) + check(n->right) : 1;
}

int test_main(int argc, char **argv, char **envp) {
    (void)envp;
    int max_depth = argc > 1 ? (int)b_atoll(argv[1]) : 10;
    if (max_depth > MAX_DEPTH) max_depth = MAX_DEPTH;
    b_clock_init();
    long long t0 = b_start(), sum = 0;

    /* A tree one deeper than the maximum, freed at once. */
    sum += check(make(max_depth + 1));
    arena_top = 0;

    /* A long-lived tree stays at the bottom of the arena. */
    struct node *keep = make(max_depth);
    unsigned long mark = arena_top;
    for (int d = 4; d <= max_depth; d += 2) {
        long long iters = 1LL << (max_depth - d + 4), c = 0;
        for (long long i = 0; i < iters; i++) {
            c += check(make(d));
            arena_top = mark;
        }
        sum += c;
    }
    sum += check(keep);
    b_report(t0, 1);
    show("result", sum);
    return 0;
}
