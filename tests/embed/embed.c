/* A C embedding of WAMR that runs WALI modules through libwali.a, using only
 * WAMR's public API and include/wali.h:  embed MODULE [ARGS...]
 * embed --version prints libwali's version. For the tests, the environment
 * turns features off or on: EMBED_NO_THREADS (no wali_set_threads: one guest
 * thread), EMBED_NO_PREPARE (the module's bytes as they are, not
 * wali_prepare_module's), EMBED_EXEC_ENGINE=PATH (wali_set_exec_engine:
 * the engine that runs modules the guest execs; default iwasm in PATH),
 * EMBED_VERBOSE=N (wali_set_verbose). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wali.h"

static unsigned char *read_file(const char *path, unsigned *size) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *buf = malloc(n > 0 ? n : 1);
    if (buf && fread(buf, 1, n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    *size = (unsigned)n;
    return buf;
}

int main(int argc, char **argv) {
    char err[256];
    unsigned size;
    if (argc == 2 && strcmp(argv[1], "--version") == 0) {
        printf("libwali %s\n", wali_version());
        return 0;
    }
    if (argc < 2) {
        fprintf(stderr, "usage: embed MODULE [ARGS...]\n");
        return 2;
    }
    unsigned char *file = read_file(argv[1], &size);
    if (!file) {
        fprintf(stderr, "embed: cannot read %s\n", argv[1]);
        return 2;
    }
    /* The bytes as iwasm loads them (memory made growable); they must
     * outlive the module. */
    unsigned char *buf = file;
    if (!getenv("EMBED_NO_PREPARE")) {
        buf = wali_prepare_module(file, size, &size);
        free(file);
        if (!buf) return 2;
    }

    /* Our WAMR build has no native-stack guard pages: AoT code must check
     * its stack itself (include/wali.h). */
    if (size >= 4 && memcmp(buf, "\0aot", 4) == 0 && !wali_aot_stack_checked(buf, size)) {
        fprintf(stderr, "embed: %s: AoT file compiled without native stack checks\n", argv[1]);
        return 8;
    }

    RuntimeInitArgs init;
    memset(&init, 0, sizeof init);
    init.mem_alloc_type = Alloc_With_System_Allocator;
    init.max_thread_num = wali_wamr_max_thread_num(16);
    init.running_mode = Mode_Interp;
    if (!wasm_runtime_full_init(&init)) return 3;
    if (!wali_register_natives()) return 4;
    if (getenv("EMBED_VERBOSE")) wali_set_verbose(atoi(getenv("EMBED_VERBOSE")));
    /* Up to 16 guest threads, default stack sizes. */
    if (!getenv("EMBED_NO_THREADS") && !wali_set_threads(16, 0, 0)) return 4;
    const char *engine = getenv("EMBED_EXEC_ENGINE");
    if (engine) {
        const char *flags[] = {"--max-threads=16"};
        if (!wali_set_exec_engine(engine, 1, flags)) return 4;
    }

    LoadArgs la;
    memset(&la, 0, sizeof la);
    la.name = "embedded";
    la.no_resolve = true;
    wasm_module_t module = wasm_runtime_load_ex(buf, size, &la, err, sizeof err);
    if (!module) {
        fprintf(stderr, "embed: load: %s\n", err);
        return 5;
    }
    if (!wali_link_module(module)) return 6;
    if (!wali_set_args(argc - 1, (const char *const *)argv + 1)) return 7;
    const char *vars[] = {"EMBEDDED=yes"};
    wali_set_env(1, vars);

    wasm_module_inst_t inst = wasm_runtime_instantiate(module, 256 * 1024, 0, err, sizeof err);
    if (!inst) {
        fprintf(stderr, "embed: instantiate: %s\n", err);
        return 8;
    }
    wasm_exec_env_t env = wasm_runtime_create_exec_env(inst, 256 * 1024);
    /* The sandbox calls (tests/sandbox.rs), driven by the environment. */
    const char *sdir = getenv("EMBED_SANDBOX_DIR"), *sms = getenv("EMBED_TIMEOUT_MS");
    if (sdir || sms) {
        if (sdir && !wali_sandbox_dir(sdir, 0)) return 9;
        if (sdir) {
            wali_sandbox_net(NULL, 0);
            wali_sandbox_no_native_exec();
            wali_sandbox_scoped();
        }
        if (sms && !wali_sandbox_timeout_ms((uint32_t)atoi(sms))) return 9;
        if (!wali_sandbox_apply()) return 10;
    }
    int status = 0;
    int r = wali_run_start(inst, env, &status);
    if (r != 0) {
        fprintf(stderr, "embed: trap: %s\n", wasm_runtime_get_exception(inst));
        status = WALI_TRAP_STATUS;
    }
    wasm_runtime_destroy_exec_env(env);
    wasm_runtime_deinstantiate(inst);
    wasm_runtime_unload(module);
    wasm_runtime_destroy();
    free(buf);
    return status;
}
