#!/usr/bin/env python3
"""Benchmark driver: the engine (interpreter, fast JIT, AoT) against native Linux.

`make bench` builds the programs of bench/c/ (bench/bench.mk: WALI .wasm with
clang-19, .aot with wamrc, native with gcc -O2) and runs this script, which

* runs every benchmark natively and in each engine mode, alternating the
  modes within each repetition so that drifts of the machine hit all alike;
* takes medians over the repetitions and ratios against native;
* prints a table and writes the figures, samples included, as JSON.

Figures:
* per call (syscalls, thread, fork, exec): the program times its own loop
  with clock_gettime, so start-up is excluded: the syscall loops, which
  never wait, by the thread's CPU clock (user + kernel time of the calling
  thread), in 8 chunks of which the fastest counts (stable on a machine
  shared with other work); thread/fork/exec by CLOCK_MONOTONIC. An engine without clock_gettime prints `clock=none`;
  the driver then times whole processes with ITERS and with 0 iterations
  and divides the difference (wall time, noisier).
* start-up: the driver notes CLOCK_MONOTONIC before it spawns hello; hello
  prints the same clock on entry to main (`main_ns=`), and the driver times
  the process to its exit.
* applications: wall time of the whole process and its peak RSS (wait4),
  and the wall time of the work alone (the program's own clock).

A run that fails (non-zero status, `error=` line, a checksum that differs
from native's, a timeout) gives no figure: the cell says
"n/a (not implemented)" when the engine answered -ENOSYS (-38), "n/a (...)"
with the reason otherwise. The script never fails for a benchmark's sake.
"""

import argparse
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import time

ENOSYS = 38
MODES = ["native", "interp", "fast-jit", "aot"]
ENGINE_MODES = MODES[1:]
RUN_TIMEOUT_S = 30  # a hung run (e.g. a thread that never starts) gives n/a


class Bench:
    """One row of the table."""

    def __init__(self, key, label, kind, prog, args, reps, unit="ns", base_args=None, cpu=False):
        self.key = key  # name in the JSON
        self.label = label  # name in the table
        self.kind = kind  # "percall", "startup" or "app"
        self.prog = prog  # program in the build directory
        self.args = args  # its arguments
        self.reps = reps  # repetitions (median over them)
        self.unit = unit  # "ns" or "us" per call
        # Arguments of the 0-iteration run used when the engine has no clock.
        self.base_args = base_args
        # Per call figures from the thread's CPU clock (loops that never
        # wait), else from the wall clock.
        self.cpu = cpu


def syscall_bench(op, label, iters, reps=5):
    return Bench(op, label, "percall", "syscalls", [op, str(iters)], reps,
                 base_args=[op, "0"], cpu=True)


# Iteration counts give each native loop roughly 0.1-0.3 s on a 2-core VM.
BENCHES = [
    syscall_bench("getppid", "getppid", 200000),
    syscall_bench("write", "write 1 B /dev/null", 200000),
    syscall_bench("read", "read 1 B /dev/zero", 200000),
    syscall_bench("openat_close", "openat+close", 40000),
    syscall_bench("fstat", "fstat", 150000),
    syscall_bench("clock_gettime", "clock_gettime", 150000),
    syscall_bench("mmap_munmap", "mmap+munmap 64 KiB", 20000),
    # The reference engine's loop: 2,000,000 x (getppid + write 1 byte).
    syscall_bench("pair", "2M x (getppid+write)", 2000000, reps=3),
    Bench("thread", "thread spawn+join", "percall", "syscalls", ["thread", "300"], 5,
          unit="us", base_args=["thread", "0"]),
    Bench("fork", "fork+wait4", "percall", "syscalls", ["fork", "200"], 5,
          unit="us", base_args=["fork", "0"]),
    Bench("exec", "execve (chain of 20)", "percall", "syscalls", ["exec", "20"], 3,
          unit="us", base_args=["exec", "0"]),
    Bench("hello", "hello world", "startup", "hello", [], 21),
    Bench("nbody", "n-body 100k steps", "app", "nbody", ["100000"], 3),
    Bench("bintrees", "binary-trees depth 14", "app", "bintrees", ["14"], 3),
    Bench("filecopy", "file copy 8 MiB x 4", "app", "filecopy", ["8", "4"], 3),
]


# Applications (apps/build-*.sh into build/apps: NAME.wasm and NAME.native,
# the same sources at -O2): whole-process wall time and peak RSS. Their own
# table, with the default mode twice: cold (an empty AoT cache: fast-JIT
# while wamrc starts in the background; the driver stops that compile) and
# warm (the cached AoT compilation made beforehand).
APP_MODES = ["native", "interp", "default-cold", "default-warm", "fast-jit", "aot"]
LUA_FIB = ("local function fib(n) if n < 2 then return n end return fib(n-1) + fib(n-2) end "
           "print(fib(29))")
LUA_STRINGS = ("local t = {} for i = 1, 100000 do t[#t+1] = tostring(i) .. 'x' end "
               "local s = table.concat(t, ',') local n = 0 "
               "for w in s:gmatch('%d+') do n = n + #w end "
               "local m = {} for i = 1, 100000 do local k = 'k' .. (i % 5000) "
               "m[k] = (m[k] or 0) + i end print(n, m.k7)")
SQL_T = ("CREATE TABLE t(a INTEGER PRIMARY KEY, b INTEGER, c TEXT); BEGIN; "
         "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM s WHERE i < 200000) "
         "INSERT INTO t(b, c) SELECT i*7919 % 10007, hex(i) FROM s; COMMIT; ")
SQL_INSERTS = SQL_T + "SELECT count(*), sum(b) FROM t;"
SQL_INDEXED = (SQL_T + "CREATE INDEX tb ON t(b); "
               "WITH RECURSIVE q(k) AS (SELECT 0 UNION ALL SELECT k+1 FROM q WHERE k < 20000) "
               "SELECT count(*), sum(t.a) FROM q JOIN t ON t.b = q.k*3 % 10007;")
SQL_JOIN = (SQL_T + "CREATE TABLE u(b INTEGER PRIMARY KEY, name TEXT); "
            "WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i+1 FROM s WHERE i < 10006) "
            "INSERT INTO u SELECT i, 'n' || (i % 97) FROM s; "
            "SELECT u.name, count(*), sum(t.a) FROM t JOIN u ON u.b = t.b "
            "GROUP BY u.name ORDER BY 2 DESC, 1 LIMIT 3;")


class AppBench:
    def __init__(self, key, label, prog, args, reps=3):
        self.key, self.label, self.prog, self.args, self.reps = key, label, prog, args, reps


APP_BENCHES = [
    AppBench("lua_start", "lua -e ''", "lua", ["-e", ""], reps=11),
    AppBench("lua_fib", "lua fib(29)", "lua", ["-e", LUA_FIB]),
    AppBench("lua_strings", "lua strings+tables", "lua", ["-e", LUA_STRINGS]),
    AppBench("sqlite_start", "sqlite3 select 1", "sqlite3", [":memory:", "select 1"], reps=11),
    AppBench("sqlite_inserts", "sqlite 200k inserts (1 txn)", "sqlite3",
             [":memory:", SQL_INSERTS]),
    AppBench("sqlite_indexed", "sqlite indexed query", "sqlite3", [":memory:", SQL_INDEXED]),
    AppBench("sqlite_join", "sqlite join+group", "sqlite3", [":memory:", SQL_JOIN]),
    # The hook for bash (apps/build-bash.sh, when it lands): rows run when
    # build/apps/bash.wasm and bash.native exist.
    AppBench("bash_start", "bash -c true", "bash", ["-c", "true"], reps=11),
    AppBench("bash_loop", "bash loop + $(...)", "bash",
             ["-c", "s=0; for ((i=0; i<20000; i++)); do s=$((s + i % 7)); done; "
              "for i in 1 2 3 4 5 6 7 8 9 10; do x=$(echo $i); done; echo $s $x"]),
]


# ---------------------------------------------------------------- running


class Run:
    """One finished process."""

    def __init__(self, status, out, err, spawn_ns, wall_ns, maxrss_kb):
        self.status = status
        self.out = out
        self.err = err
        self.spawn_ns = spawn_ns  # CLOCK_MONOTONIC just before the spawn
        self.wall_ns = wall_ns
        self.maxrss_kb = maxrss_kb
        self.kv = parse_kv(out)


def parse_kv(text):
    kv = {}
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if sep:
            kv[key.strip()] = value.strip()
    return kv


def spawn(launcher, cmd, cwd, timeout=RUN_TIMEOUT_S):
    """Runs cmd in cwd through the native launcher (bench/c/launch.c), which
    times it and reads its peak RSS; stdout and stderr go to temporary
    files, stdin is /dev/null. A run longer than timeout is killed with its
    session (a forked child included)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile(mode="r") as report:
        proc = subprocess.Popen([launcher, report.name] + cmd, cwd=cwd, stdin=subprocess.DEVNULL,
                                stdout=out, stderr=err, start_new_session=True)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            kill_session(proc.pid)
            proc.wait()
        fields = report.read().partition("launch=")[2].split()
        out.seek(0)
        err.seek(0)
        if len(fields) != 4:
            status = -signal.SIGKILL if proc.returncode != 0 else 125
            fields = [0, 0, 0, status]
        spawn_ns, wall_ns, maxrss_kb, status = (int(x) for x in fields)
        return Run(status, out.read().decode(errors="replace"),
                   err.read().decode(errors="replace"), spawn_ns, wall_ns, maxrss_kb)


def kill_session(pid):
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def failure(run, native_result=None):
    """Why a run gives no figure, or None if it is good."""
    if "error" in run.kv:
        what, _, code = run.kv["error"].rpartition(":")
        if code == str(-ENOSYS):
            return "not implemented"
        return f"{what} returned {code}"
    if run.status < 0:
        return "timed out"
    if run.status > 128:
        return f"killed by signal {run.status - 128}"
    if run.status != 0:
        last = run.err.strip().splitlines()[-1:] or [""]
        return f"exit status {run.status} {last[0][:60]}".strip()
    if native_result is not None and run.kv.get("result") != native_result:
        return f"wrong result {run.kv.get('result')} (native {native_result})"
    return None


class Engine:
    """How each mode runs a program of the build directory."""

    def __init__(self, build, iwasm):
        self.build = build
        self.iwasm = iwasm
        self.launcher = os.path.join(build, "launch")
        self.clock = self.probe_clock()

    def probe_clock(self):
        """Whether the engine implements clock_gettime: hello prints the
        clock on entry to main only if it works."""
        with tempfile.TemporaryDirectory() as d:
            run = spawn(self.launcher, self.command("interp", "hello", []), d)
        return "main_ns" in run.kv

    def command(self, mode, prog, args):
        p = os.path.join(self.build, prog)
        if mode == "native":
            return [p + ".native"] + args
        if mode == "interp":
            return [self.iwasm, "--interp", p + ".wasm"] + args
        if mode == "fast-jit":
            return [self.iwasm, "--fast-jit", p + ".wasm"] + args
        return [self.iwasm, p + ".aot"] + args


# ---------------------------------------------------------------- measuring


def median(xs):
    return statistics.median(xs) if xs else None


def measure(bench, engine, workdir, modes):
    """Runs one benchmark in every mode, reps times, modes alternating.
    Returns {mode: {"value": ..., ...} or {"na": reason}}."""
    samples = {m: [] for m in modes}  # per-call ns, startup dicts, app dicts
    base_walls = {m: [] for m in modes}
    walls = {m: [] for m in modes}
    methods = {}
    calls = {}
    na = {}
    native_result = None
    wall_diff = bench.kind == "percall" and not engine.clock
    for _ in range(bench.reps):
        for mode in modes:
            if mode in na:
                continue
            run = spawn(engine.launcher, engine.command(mode, bench.prog, bench.args), workdir)
            why = failure(run, native_result if mode != "native" else None)
            if why:
                na[mode] = why
                continue
            if mode == "native":
                native_result = run.kv.get("result")
            if bench.kind == "percall":
                calls[mode] = int(run.kv["calls"])
                if wall_diff:
                    # The engine has no clock: time the process with and
                    # without the loop, in the same repetition, for every
                    # mode alike so that the ratios compare like with like.
                    methods[mode] = "process-wall-diff"
                    base = spawn(engine.launcher,
                                 engine.command(mode, bench.prog, bench.base_args), workdir)
                    why = failure(base)
                    if why:
                        na[mode] = why
                        continue
                    walls[mode].append(run.wall_ns)
                    base_walls[mode].append(base.wall_ns)
                elif bench.cpu and "min_chunk_cpu_ns" in run.kv:
                    methods[mode] = "thread-cpu-clock, fastest of 8 chunks"
                    samples[mode].append(int(run.kv["min_chunk_cpu_ns"])
                                         / int(run.kv["chunk_calls"]))
                elif "elapsed_ns" in run.kv:
                    methods[mode] = "wall-clock"
                    samples[mode].append(int(run.kv["elapsed_ns"]) / calls[mode])
                else:
                    na[mode] = "no clock"
            elif bench.kind == "startup":
                main_ns = run.kv.get("main_ns")
                samples[mode].append({
                    "total_ns": run.wall_ns,
                    "to_main_ns": int(main_ns) - run.spawn_ns if main_ns else None,
                    "maxrss_kb": run.maxrss_kb,
                })
            else:
                loop = run.kv.get("elapsed_ns")
                samples[mode].append({"wall_ns": run.wall_ns, "maxrss_kb": run.maxrss_kb,
                                      "loop_ns": int(loop) if loop else None})
    out = {}
    for mode in modes:
        if mode in na:
            out[mode] = {"na": na[mode]}
        elif bench.kind == "percall":
            if methods.get(mode) == "process-wall-diff":
                per = (median(walls[mode]) - median(base_walls[mode])) / calls[mode]
                out[mode] = {"ns_per_call": per, "method": "process-wall-diff",
                             "wall_ns": walls[mode], "base_wall_ns": base_walls[mode]}
            else:
                out[mode] = {"ns_per_call": median(samples[mode]), "method": methods[mode],
                             "samples_ns_per_call": samples[mode]}
        elif bench.kind == "startup":
            s = samples[mode]
            to_main = [x["to_main_ns"] for x in s if x["to_main_ns"] is not None]
            out[mode] = {"total_ns": median([x["total_ns"] for x in s]),
                         "to_main_ns": median(to_main) if len(to_main) == len(s) else None,
                         "maxrss_kb": median([x["maxrss_kb"] for x in s]),
                         "samples": s}
        else:
            s = samples[mode]
            loops = [x["loop_ns"] for x in s if x["loop_ns"] is not None]
            out[mode] = {"wall_ns": median([x["wall_ns"] for x in s]),
                         "loop_ns": median(loops) if len(loops) == len(s) else None,
                         "maxrss_kb": median([x["maxrss_kb"] for x in s]),
                         "samples": s}
    return out


def worker_pids(cache_dir):
    """The cache's compile workers (and their wamrc) working in cache_dir."""
    pids = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/cmdline", "rb") as f:
                args = f.read().split(b"\0")
        except OSError:
            continue
        worker = b"--wali-cache-worker" in args or os.path.basename(args[0]) == b"wamrc"
        if worker and any(a.startswith(cache_dir.encode()) for a in args[1:]):
            pids.append(int(d))
    return pids


def wait_warm(engine, app_dir, progs, cache_dir, timeout_s=1800):
    """Runs each program once in the default mode and waits for the cache's
    background compiles to finish: the warm cache."""
    for prog in progs:
        first = {"lua": ["-e", ""], "sqlite3": [":memory:", "select 1"]}.get(prog, ["-c", "true"])
        os.makedirs(cache_dir, mode=0o700, exist_ok=True)
        spawn(engine.launcher, [engine.iwasm, f"--cache-dir={cache_dir}",
                                os.path.join(app_dir, prog + ".wasm")] + first, cache_dir)
    start = time.monotonic()
    while time.monotonic() - start < timeout_s:
        names = os.listdir(cache_dir)
        if (sum(n.endswith(".aot") for n in names) >= len(progs)
                and not worker_pids(cache_dir)):
            return True
        time.sleep(1)
    return False


def app_command(engine, app_dir, mode, bench, cache_dir):
    p = os.path.join(app_dir, bench.prog)
    if mode == "native":
        return [p + ".native"] + bench.args
    if mode == "interp":
        return [engine.iwasm, "--interp", p + ".wasm"] + bench.args
    if mode == "fast-jit":
        return [engine.iwasm, "--fast-jit", p + ".wasm"] + bench.args
    if mode == "aot":
        return [engine.iwasm, os.path.join(engine.build, "apps", bench.prog + ".aot")] + bench.args
    return [engine.iwasm, f"--cache-dir={cache_dir}", p + ".wasm"] + bench.args


def measure_app(bench, engine, app_dir, workdir, warm_dir, modes):
    samples = {m: [] for m in modes}
    na = {}
    native_out = None
    for _ in range(bench.reps):
        for mode in modes:
            if mode in na:
                continue
            cold = None
            if mode == "default-cold":
                cold = tempfile.mkdtemp(prefix="cold-", dir=workdir)
                os.rmdir(cold)  # as a first run finds it: absent
            run = spawn(engine.launcher, app_command(engine, app_dir, mode, bench,
                                                     cold or warm_dir), workdir, timeout=300)
            if cold:
                # The background compile is for a next run that never comes.
                for pid in worker_pids(cold):
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except ProcessLookupError:
                        pass
                subprocess.run(["rm", "-rf", cold])
            why = failure(run)
            if not why and mode != "native" and run.out != native_out:
                why = "output differs from native"
            if why:
                na[mode] = why
                continue
            if mode == "native":
                native_out = run.out
            samples[mode].append({"wall_ns": run.wall_ns, "maxrss_kb": run.maxrss_kb})
    out = {}
    for mode in modes:
        if mode in na:
            out[mode] = {"na": na[mode]}
        else:
            s = samples[mode]
            out[mode] = {"wall_ns": median([x["wall_ns"] for x in s]),
                         "maxrss_kb": median([x["maxrss_kb"] for x in s]), "samples": s}
    return out



def markdown_table(header, lines):
    """A Markdown table of rows of strings, columns padded to their widest cell."""
    widths = [max(len(r[i]) for r in [header] + lines) for i in range(len(header))]

    def fmt(row):
        return "| " + " | ".join(c.ljust(w) for c, w in zip(row, widths)) + " |"

    sep = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([fmt(header), sep] + [fmt(r) for r in lines])

def app_table(results):
    header = ["application", "metric"] + APP_MODES
    lines = []
    for bench in APP_BENCHES:
        res = results.get(bench.key)
        if not res:
            continue
        nat = res.get("native", {})
        for i, (name, key) in enumerate([("wall", "wall_ns"), ("peak RSS", "maxrss_kb")]):
            cells = []
            for m in APP_MODES:
                r = res.get(m, {})
                if "na" in r or not r:
                    cells.append(f"n/a ({r['na']})" if "na" in r else "-")
                    continue
                v = r[key]
                text = f"{v / 1024:.1f} MiB" if key == "maxrss_kb" else fmt_time(v, "us")
                if m != "native" and nat.get(key):
                    text += f" {v / nat[key]:.2f}x"
                cells.append(text)
            lines.append([bench.label if i == 0 else "", name] + cells)
    return markdown_table(header, lines)


def run_apps(engine, app_dir, workdir, only, reps, warm=None, app_modes=None):
    benches = [b for b in APP_BENCHES if not only or b.key in only]
    present = {b.prog for b in benches
               if os.path.exists(os.path.join(app_dir, b.prog + ".wasm"))
               and os.path.exists(os.path.join(app_dir, b.prog + ".native"))}
    results = {}
    if not present:
        return results
    warm = os.path.abspath(warm) if warm else os.path.join(workdir, "warm-cache")
    t = time.monotonic()
    warm_ok = wait_warm(engine, app_dir, sorted(present), warm)
    print(f"  warm AoT cache: {time.monotonic() - t:.1f} s", file=sys.stderr, flush=True)
    for bench in benches:
        if bench.prog not in present:
            continue
        if reps:
            bench.reps = reps
        modes = [m for m in APP_MODES if (not app_modes or m in app_modes)
                 and (warm_ok or m != "default-warm")]
        t = time.monotonic()
        results[bench.key] = measure_app(bench, engine, app_dir, workdir, warm, modes)
        if not warm_ok:
            results[bench.key]["default-warm"] = {"na": "cache not filled in time"}
        print(f"  {bench.label}: {time.monotonic() - t:.1f} s", file=sys.stderr, flush=True)
    return results


# ---------------------------------------------------------------- reporting


def ratio(a, b):
    return a / b if a is not None and b else None


def fmt_time(ns, unit):
    if ns is None:
        return "n/a"
    if unit == "us" or ns >= 100000:
        return f"{ns / 1000:.1f} us" if ns < 10 ** 7 else f"{ns / 1e6:.1f} ms"
    return f"{ns:.0f} ns"


def cell_texts(bench, res):
    """The table cells of one benchmark: one or two rows (metric, cells)."""
    nat = res.get("native", {})

    def na(r):
        return f"n/a ({r['na']})" if "na" in r else None

    rows = []
    if bench.kind == "percall":
        cells = []
        for m in MODES:
            r = res.get(m, {})
            if na(r) or not r:
                cells.append(na(r) or "-")
                continue
            v = r["ns_per_call"]
            text = fmt_time(v, bench.unit)
            if m != "native" and "ns_per_call" in nat:
                rt = ratio(v, nat["ns_per_call"])
                text += f" {rt:.2f}x"
                if bench.unit == "ns":
                    text += f" {v - nat['ns_per_call']:+.0f}"
            cells.append(text)
        rows.append(("per call", cells))
    else:
        metrics = ([("to main", "to_main_ns"), ("to exit", "total_ns")]
                   if bench.kind == "startup"
                   else [("wall", "wall_ns"), ("work only", "loop_ns")])
        metrics.append(("peak RSS", "maxrss_kb"))
        for name, key in metrics:
            cells = []
            for m in MODES:
                r = res.get(m, {})
                if na(r) or not r:
                    cells.append(na(r) or "-")
                    continue
                v = r.get(key)
                if v is None:
                    cells.append("n/a (no clock)")
                    continue
                text = f"{v / 1024:.1f} MiB" if key == "maxrss_kb" else fmt_time(v, "us")
                if m != "native" and nat.get(key):
                    text += f" {v / nat[key]:.2f}x"
                cells.append(text)
            rows.append((name, cells))
    return rows


def table(results):
    header = ["benchmark", "metric"] + MODES
    lines = []
    for bench in BENCHES:
        if bench.key not in results:
            continue
        for i, (metric, cells) in enumerate(cell_texts(bench, results[bench.key])):
            lines.append([bench.label if i == 0 else "", metric] + cells)
    return markdown_table(header, lines)


def per_call(results, key, mode):
    return results.get(key, {}).get(mode, {}).get("ns_per_call")


def targets(results):
    """The issue's targets: (description, measured text, verdict)."""
    out = []

    def add(desc, value, limit, text):
        verdict = "n/a" if value is None else ("met" if value <= limit else "MISSED")
        out.append({"target": desc, "measured": text if value is not None else "n/a",
                    "verdict": verdict})

    nat_pair = per_call(results, "pair", "native")
    for mode, limit in (("aot", 1.3), ("fast-jit", 1.6), ("interp", 2.2)):
        r = ratio(per_call(results, "pair", mode), nat_pair)
        add(f"getppid+write loop, {mode} <= {limit}x native", r, limit,
            f"{r:.2f}x" if r else "")
    worst = None
    for key in ("getppid", "write", "read", "fstat", "clock_gettime"):
        a, n = per_call(results, key, "aot"), per_call(results, key, "native")
        if a is None or n is None:
            worst = None
            break
        worst = max(worst or -1e9, a - n)
    add("WALI added cost per simple syscall, aot < 30 ns (worst of getppid, write,"
        " read, fstat, clock_gettime)", worst, 30, f"{worst:+.0f} ns" if worst is not None else "")
    for mode in ENGINE_MODES:
        t = per_call(results, "thread", mode)
        add(f"thread spawn+join, {mode} < 50 us", t and t / 1000, 50,
            f"{t / 1000:.1f} us" if t else "")
    for mode in ENGINE_MODES:
        t = results.get("hello", {}).get(mode, {}).get("total_ns")
        add(f"hello world to exit, {mode} < 5 ms", t and t / 1e6, 5,
            f"{t / 1e6:.2f} ms" if t else "")
    return out


def targets_text(ts):
    return "\n".join(f"- {t['target']}: " + (f"{t['measured']} ({t['verdict']})"
                                               if t["verdict"] != "n/a" else "n/a")
                     for t in ts)


def machine():
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {"cpu": cpu, "cpus": os.cpu_count(), "kernel": platform.release(),
            "loadavg_at_start": os.getloadavg()}


# ---------------------------------------------------------------- main


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build", default="build/bench",
                    help="directory of NAME.native, NAME.wasm, NAME.aot")
    ap.add_argument("--iwasm", default="./iwasm")
    ap.add_argument("--json", default="build/bench.json")
    ap.add_argument("--only", nargs="*", help="benchmark keys to run")
    ap.add_argument("--reps", type=int, help="repetitions for every benchmark")
    ap.add_argument("--modes", nargs="*", default=MODES, choices=MODES)
    ap.add_argument("--apps", default="build/apps",
                    help="directory of the applications' NAME.wasm and NAME.native")
    ap.add_argument("--no-apps", action="store_true", help="skip the application rows")
    ap.add_argument("--app-modes", nargs="*", choices=APP_MODES,
                    help="modes of the application rows (default: all; native is the base"
                    " of the ratios)")
    ap.add_argument("--warm-cache", help="AoT cache directory for the warm default-mode"
                    " rows (default: a new one, filled first)")
    args = ap.parse_args()

    engine = Engine(os.path.abspath(args.build), os.path.abspath(args.iwasm))
    host = machine()
    load = host["loadavg_at_start"][0]
    if load > (os.cpu_count() or 1) / 2:
        print(f"warning: load average {load:.1f} on {os.cpu_count()} CPUs: other work competes,"
              " figures will be noisy", file=sys.stderr)
    modes = [m for m in MODES if m in args.modes]
    if not engine.clock:
        print("note: the engine has no clock_gettime yet: per-call figures are differences"
              " of whole-process wall times (noisier), for native too", file=sys.stderr)
    results = {}
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="wali-bench-") as workdir:
        for bench in BENCHES:
            if args.only and bench.key not in args.only:
                continue
            if args.reps:
                bench.reps = args.reps
            t = time.monotonic()
            results[bench.key] = measure(bench, engine, workdir, modes)
            print(f"  {bench.label}: {time.monotonic() - t:.1f} s", file=sys.stderr, flush=True)
        app_results = {} if args.no_apps else run_apps(
            engine, os.path.abspath(args.apps), workdir, args.only, args.reps, args.warm_cache,
            args.app_modes)
    elapsed = time.monotonic() - started

    text = table(results)
    ts = targets(results)
    print()
    print(text)
    apps_text = app_table(app_results)
    if app_results:
        print()
        print(apps_text)
    print()
    print("Targets:")
    print(targets_text(ts))
    print(f"\n({elapsed:.0f} s; per call: median ns per call, ratio to native, ns added;"
          " others: median, ratio to native)")
    doc = {
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": host,
        "modes": modes,
        "benchmarks": {b.key: {"label": b.label, "kind": b.kind, "program": b.prog,
                               "args": b.args, "reps": b.reps, "results": results[b.key]}
                       for b in BENCHES if b.key in results},
        "targets": ts,
        "table": text,
        "apps": {b.key: {"label": b.label, "program": b.prog, "args": b.args, "reps": b.reps,
                         "results": app_results[b.key]}
                 for b in APP_BENCHES if b.key in app_results},
        "apps_table": apps_text,
    }
    os.makedirs(os.path.dirname(os.path.abspath(args.json)), exist_ok=True)
    with open(args.json, "w") as f:
        json.dump(doc, f, indent=1)
    print(f"JSON: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
