/* The deterministic PRNG of the guest fuzzers (splitmix64): a seed
 * reproduces a run. Shared by fuzz_guest.c and fuzz_mm.c. */
#ifndef FUZZ_RNG_H
#define FUZZ_RNG_H

static unsigned long long rng_state;
static unsigned long long rnd64(void) {
    unsigned long long z = (rng_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}
/* Uniform enough in [0, n); 0 for n == 0. */
static unsigned int rnd(unsigned int n) { return n ? (unsigned int)(rnd64() % n) : 0; }
/* True per100 times in a hundred. */
static int coin(int per100) { return (int)rnd(100) < per100; }

#endif
