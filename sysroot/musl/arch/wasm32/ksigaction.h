#include <features.h>

/* The WALI k_sigaction (wasm32 view of the x86-64 kernel struct, packed,
 * 24 bytes): handler and restorer are function-table indices. */
struct k_sigaction {
	void (*handler)(int);
	unsigned long long flags;
	void (*restorer)(void);
	unsigned mask[2];
} __attribute__((__packed__));
_Static_assert(sizeof(struct k_sigaction) == 24, "WALI k_sigaction is 24 bytes");

hidden void __restore_rt();
#define __restore __restore_rt
