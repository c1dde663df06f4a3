/* _start is C (crt/wasm32/crt1.c): nothing to do in assembly. */
