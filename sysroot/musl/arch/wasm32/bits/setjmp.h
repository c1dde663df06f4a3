/* Owned by src/setjmp/wasm32/setjmp.c: the setjmp frame's invocation, label
 * and stack pointer. 8 words of 8 bytes, like x86-64. */
typedef unsigned long long __jmp_buf[8];
