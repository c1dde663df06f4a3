#!/usr/bin/env python3
"""memcached throughput and server CPU per operation: native against the
engine's modes (`make bench-memcached`, also run by `make bench`).

For each mode the server (build/apps/memcached.{native,wasm}, the .aot made
by ./wamrc) runs with 4 worker threads; apps/memcached/mcload.c (native,
built here with gcc) drives it from 16 connections for SECS seconds with
set/get pairs of 100-byte and 4 KiB values, checking every reply. Reported:
operations per second, the server's CPU time (user + system, all threads,
from /proc/PID/stat) per operation, and the ratios against native. A mode
that fails gives "n/a (reason)". Prints a table, writes JSON with --json.
"""
import argparse
import json
import os
import socket
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
APPS = os.path.join(ROOT, "build", "apps")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        rest = f.read().rsplit(")", 1)[1].split()
    return (int(rest[11]) + int(rest[12])) / os.sysconf("SC_CLK_TCK")


def run_mode(cmd, mcload, secs, size):
    port = free_port()
    args = ["-U", "0", "-l", "127.0.0.1", "-p", str(port), "-t", "4", "-m", "256"]
    if os.geteuid() == 0:
        args += ["-u", "root"]
    srv = subprocess.Popen(cmd + args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE)
    try:
        deadline = time.time() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if srv.poll() is not None or time.time() > deadline:
                    return None, "server did not start: " + srv.stderr.read().decode()[-200:]
                time.sleep(0.1)
        before = cpu_seconds(srv.pid)
        out = subprocess.run([mcload, str(port), "16", str(secs), str(size)],
                             capture_output=True, text=True, timeout=secs + 60)
        cpu = cpu_seconds(srv.pid) - before
        fields = dict(kv.split("=") for kv in out.stdout.split())
        if out.returncode != 0 or int(fields.get("errors", "1")) != 0:
            return None, f"client errors: {out.stdout.strip()} {out.stderr.strip()[-200:]}"
        ops = int(fields["ops"])
        return {"ops_per_s": ops / float(fields["secs"]), "cpu_us_per_op": cpu / ops * 1e6}, None
    finally:
        srv.terminate()
        try:
            srv.wait(timeout=30)
        except subprocess.TimeoutExpired:
            srv.kill()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--iwasm", default=os.path.join(ROOT, "iwasm"))
    ap.add_argument("--wamrc", default=os.path.join(ROOT, "wamrc"))
    ap.add_argument("--secs", type=int, default=5)
    ap.add_argument("--json")
    a = ap.parse_args()
    mcload = os.path.join(APPS, "mcload")
    src = os.path.join(ROOT, "apps", "memcached", "mcload.c")
    subprocess.run(["gcc", "-O2", "-Wall", "-Werror", src, "-o", mcload, "-lpthread"], check=True)
    wasm = os.path.join(APPS, "memcached.wasm")
    aot = os.path.join(APPS, "memcached.aot")
    if not os.path.exists(aot) or os.path.getmtime(aot) < os.path.getmtime(wasm):
        subprocess.run([a.wamrc, "-o", aot, wasm], check=True, capture_output=True)
    modes = {
        "native": [os.path.join(APPS, "memcached.native")],
        "interp": [a.iwasm, "--interp", wasm],
        "fast-jit": [a.iwasm, "--fast-jit", wasm],
        "aot": [a.iwasm, aot],
    }
    results = {}
    for size in (100, 4096):
        for mode, cmd in modes.items():
            r, err = run_mode(cmd, mcload, a.secs, size)
            results[f"{mode}/{size}"] = r if r else {"error": err}
    print(f"memcached, 16 connections, set/get pairs, {a.secs} s per run")
    print(f"| {'value':>6} | {'mode':<8} | {'ops/s':>10} | {'x native':>8} | {'server CPU us/op':>16} | {'x native':>8} |")
    print("|" + "---|" * 6)
    for size in (100, 4096):
        base = results[f"native/{size}"]
        for mode in modes:
            r = results[f"{mode}/{size}"]
            if "error" in r:
                print(f"| {size:>6} | {mode:<8} | n/a ({r['error'][:60]}) | | | |")
                continue
            rt = f"{base['ops_per_s'] / r['ops_per_s']:.2f}x" if "ops_per_s" in base else "-"
            rc = f"{r['cpu_us_per_op'] / base['cpu_us_per_op']:.2f}x" if "cpu_us_per_op" in base else "-"
            print(f"| {size:>6} | {mode:<8} | {r['ops_per_s']:>10.0f} | {rt:>8} | {r['cpu_us_per_op']:>16.1f} | {rc:>8} |")
    if a.json:
        with open(a.json, "w") as f:
            json.dump(results, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
