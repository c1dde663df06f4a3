#undef __WORDSIZE
#define __WORDSIZE 32
/* No register file is visible to a WebAssembly guest. */
struct user {
	unsigned long __unused;
};
