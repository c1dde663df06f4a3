/* Static linking only: no dynamic linker for wasm32. */
#define LDSO_ARCH "wasm32"

#define CRTJMP(pc,sp) __builtin_trap()
#define GETFUNCSYM(fp, sym, got) (*(fp) = 0)
