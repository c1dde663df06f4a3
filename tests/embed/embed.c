/* A C embedding of WAMR that runs WALI modules through libwali.a, using only
 * WAMR's public API and include/wali.h:  embed MODULE [ARGS...]
 * embed --version prints libwali's version. For the tests, the environment
 * turns features off or on: EMBED_NO_THREADS (no wali_set_threads: one guest
 * thread), EMBED_NO_PREPARE (the module's bytes as they are, not
 * wali_prepare_module's), EMBED_EXEC_ENGINE=PATH (wali_set_exec_engine:
 * the engine that runs modules the guest execs; default iwasm in PATH),
 * EMBED_VERBOSE=N (wali_set_verbose).
 *
 * Several guests, one after another in this process (one WAMR runtime):
 *     embed MODULE [ARGS...] --- MODULE [ARGS...] ...
 * prints "== status N" on stdout after each guest when there are several
 * (exit status: the last guest's). EMBED_PARALLEL: the second guest is
 * started on another thread while the first runs (the first must be
 * "libc_embed_state wait", which tells it runs through fd 101 and waits on
 * fd 100): wali_run_start refuses it ("== refused R"); it then runs after
 * the first as usual. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* One guest: its module, instance and arguments. */
struct guest {
    int argc;
    char **argv;
    unsigned char *buf;
    wasm_module_t module;
    wasm_module_inst_t inst;
    wasm_exec_env_t env;
};

/* Loads, links and instantiates a guest's module; 0 or the exit status
 * of the failure. */
static int prepare(struct guest *g) {
    char err[256];
    unsigned size;
    const char *path = g->argv[0];
    unsigned char *file = read_file(path, &size);
    if (!file) {
        fprintf(stderr, "embed: cannot read %s\n", path);
        return 2;
    }
    /* The bytes as iwasm loads them (memory made growable); they must
     * outlive the module. */
    g->buf = file;
    if (!getenv("EMBED_NO_PREPARE")) {
        g->buf = wali_prepare_module(file, size, &size);
        free(file);
        if (!g->buf) return 2;
    }
    /* Our WAMR build has no native-stack guard pages: AoT code must check
     * its stack itself (include/wali.h). */
    if (size >= 4 && memcmp(g->buf, "\0aot", 4) == 0 && !wali_aot_stack_checked(g->buf, size)) {
        fprintf(stderr, "embed: %s: AoT file compiled without native stack checks\n", path);
        return 8;
    }
    LoadArgs la;
    memset(&la, 0, sizeof la);
    la.name = "embedded";
    la.no_resolve = true;
    g->module = wasm_runtime_load_ex(g->buf, size, &la, err, sizeof err);
    if (!g->module) {
        fprintf(stderr, "embed: load: %s\n", err);
        return 5;
    }
    if (!wali_link_module(g->module)) return 6;
    g->inst = wasm_runtime_instantiate(g->module, 256 * 1024, 0, err, sizeof err);
    if (!g->inst) {
        fprintf(stderr, "embed: instantiate: %s\n", err);
        return 8;
    }
    g->env = wasm_runtime_create_exec_env(g->inst, 256 * 1024);
    return g->env ? 0 : 8;
}

/* Runs a prepared guest; its exit status (WALI_TRAP_STATUS for a trap). */
static int run(struct guest *g) {
    if (!wali_set_args(g->argc, (const char *const *)g->argv)) return 7;
    int status = 0;
    int r = wali_run_start(g->inst, g->env, &status);
    if (r != 0) {
        fprintf(stderr, "embed: trap: %s\n", wasm_runtime_get_exception(g->inst));
        status = WALI_TRAP_STATUS;
    }
    return status;
}

static void finish(struct guest *g) {
    wasm_runtime_destroy_exec_env(g->env);
    wasm_runtime_deinstantiate(g->inst);
    wasm_runtime_unload(g->module);
    free(g->buf);
}

/* EMBED_PARALLEL: the pipes between the first guest and this thread. */
static int from_guest = -1, to_guest = -1;

static void *start_meanwhile(void *arg) {
    struct guest *g = arg;
    char c;
    if (read(from_guest, &c, 1) != 1) return NULL;
    /* The first guest runs now: this start is refused. */
    int status = 0;
    int r = wali_run_start(g->inst, g->env, &status);
    printf("== refused %d\n", r);
    fflush(stdout);
    if (write(to_guest, &c, 1) != 1) return NULL;
    return NULL;
}

int main(int argc, char **argv) {
    if (argc == 2 && strcmp(argv[1], "--version") == 0) {
        printf("libwali %s\n", wali_version());
        return 0;
    }
    if (argc < 2) {
        fprintf(stderr, "usage: embed MODULE [ARGS...] [--- MODULE [ARGS...]]...\n");
        return 2;
    }
    /* The guests: argv split at "---". */
    struct guest guests[8];
    int n = 0;
    memset(guests, 0, sizeof guests);
    for (int i = 1; i < argc && n < 8; n++) {
        guests[n].argv = argv + i;
        while (i < argc && strcmp(argv[i], "---") != 0) i++;
        guests[n].argc = (int)(argv + i - guests[n].argv);
        if (i < argc) argv[i++] = NULL;
        if (guests[n].argc == 0) return 2;
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
    /* Once, for every guest. */
    const char *vars[] = {"EMBEDDED=yes"};
    wali_set_env(1, vars);

    int status = 0;
    for (int i = 0; i < n; i++) {
        int e = prepare(&guests[i]);
        if (e) return e;
        /* The sandbox calls (tests/sandbox.rs), driven by the environment. */
        const char *sdir = getenv("EMBED_SANDBOX_DIR"), *sms = getenv("EMBED_TIMEOUT_MS");
        if (i == 0 && (sdir || sms)) {
            if (sdir && !wali_sandbox_dir(sdir, 0)) return 9;
            if (sdir) {
                wali_sandbox_net(NULL, 0);
                wali_sandbox_no_native_exec();
                wali_sandbox_scoped();
            }
            if (sms && !wali_sandbox_timeout_ms((uint32_t)atoi(sms))) return 9;
            if (!wali_sandbox_apply()) return 10;
        }
        pthread_t meanwhile;
        int parallel = i == 0 && n > 1 && getenv("EMBED_PARALLEL");
        if (parallel) {
            int p1[2], p2[2];
            if (pipe(p1) || pipe(p2) || dup2(p2[0], 100) < 0 || dup2(p1[1], 101) < 0) return 11;
            from_guest = p1[0];
            to_guest = p2[1];
            if ((e = prepare(&guests[1]))) return e;
            if (pthread_create(&meanwhile, NULL, start_meanwhile, &guests[1])) return 11;
        }
        status = run(&guests[i]);
        if (parallel) pthread_join(meanwhile, NULL);
        if (n > 1) {
            printf("== status %d\n", status);
            fflush(stdout);
        }
        if (parallel) {
            /* The refused guest runs now, on its prepared instance. */
            status = run(&guests[1]);
            printf("== status %d\n", status);
            fflush(stdout);
            finish(&guests[1]);
            i++;
        }
        finish(&guests[i - parallel]);
    }
    wasm_runtime_destroy();
    return status;
}
