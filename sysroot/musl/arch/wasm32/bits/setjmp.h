/* Opaque to the guest: the engine's setjmp/longjmp imports own the
 * contents. 8 words of 8 bytes, like x86-64. */
typedef unsigned long long __jmp_buf[8];
