/* argv as the guest sees it: count, then each argument with its length and
 * bytes (non-printable bytes in hex). argv[0] differs by construction (the
 * module path vs the native binary), so only its presence is shown. */
#include "walitest.h"

static void show_arg(const char *a) {
    static const char hex[] = "0123456789abcdef";
    size_t n = t_strlen(a);
    out_i64((i64)n);
    out(":");
    /* Long arguments are summarised by a checksum to keep output small. */
    if (n > 200) {
        unsigned long long h = 1469598103934665603ull;
        for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)a[i]) * 1099511628211ull;
        out("fnv=");
        out_i64((i64)(h >> 1));
    } else {
        for (size_t i = 0; i < n; i++) {
            unsigned char c = a[i];
            if (c >= 0x20 && c < 0x7f && c != '\\') {
                out_n((const char *)&c, 1);
            } else {
                char e[4] = {'\\', 'x', hex[c >> 4], hex[c & 15]};
                out_n(e, 4);
            }
        }
    }
    out("\n");
}

int test_main(int argc, char **argv, char **envp) {
    (void)envp;
    show("argc", argc);
    CHECK(argc >= 1 && argv[0] != NULL && t_strlen(argv[0]) > 0);
    CHECK(argv[argc] == NULL);
    for (int i = 1; i < argc; i++) show_arg(argv[i]);
    return 0;
}
