/* Exports that `iwasm -f NAME` calls (tests/cli.rs). `-f` runs an export
 * without the C library's start-up, so these use no libc: the WALI calls
 * are imported directly. */
#define EXPORT(name) __attribute__((export_name(name)))
#define WALI(name) __attribute__((import_module("wali"), import_name(name)))

WALI("SYS_write") long long wali_write(int fd, const void *buf, unsigned long n);
WALI("SYS_getpid") long long wali_getpid(void);
WALI("SYS_exit_group") long long wali_exit_group(int status);

EXPORT("add") int add(int a, int b) { return a + b; }

EXPORT("half") double half(double x) { return x / 2; }

EXPORT("wide") long long wide(long long a, float b) { return a + (long long)b; }

/* Two WALI calls inside the function: write to stdout, then getpid. */
EXPORT("greet") int greet(void)
{
    static const char msg[] = "hi from greet\n";
    long long n = wali_write(1, msg, sizeof msg - 1);
    return wali_getpid() > 1 ? (int)n : -1;
}

EXPORT("nothing") void nothing(void) {}

EXPORT("boom") void boom(void) { __builtin_trap(); }

EXPORT("quit") void quit(int status) { wali_exit_group(status); }

int main(void) { return 0; }
