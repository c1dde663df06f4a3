#!/usr/bin/env python3
"""AoT compile time and size for the test programs (and benchmarks, when
bench/ has C programs): builds each for WALI with clang-19, compiles it with
./wamrc (or target/release/wamrc), and prints wasm size, aot size, their
ratio and wamrc's wall time. `make aot-report`."""
import glob
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FLAGS = ["--target=wasm32", "-O2", "-nostdlib", "-matomics", "-mbulk-memory",
         "-mmutable-globals", "-msign-ext", "-Wl,--no-entry", "-Wl,--shared-memory",
         "-Wl,--export-memory", "-Wl,--max-memory=2147483648", "-Wl,--import-undefined",
         "-Wl,--export-table", "-I" + os.path.join(ROOT, "tests/c")]


def wamrc():
    for p in (os.path.join(ROOT, "wamrc"), os.path.join(ROOT, "target/release/wamrc")):
        if os.path.isfile(p):
            return p
    sys.exit("aot-report: build wamrc first (make wamrc)")


def main():
    sources = sorted(glob.glob(os.path.join(ROOT, "tests/c/*.c")) +
                     glob.glob(os.path.join(ROOT, "bench/*.c")))
    compiler = wamrc()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for src in sources:
            name = os.path.relpath(src, ROOT)
            wasm = os.path.join(tmp, "m.wasm")
            aot = os.path.join(tmp, "m.aot")
            b = subprocess.run(["clang-19", *FLAGS, src, "-o", wasm], capture_output=True)
            if b.returncode != 0:
                rows.append((name, None, None, None))
                continue
            t0 = time.perf_counter()
            c = subprocess.run([compiler, "-o", aot, wasm], capture_output=True)
            dt = time.perf_counter() - t0
            if c.returncode != 0:
                rows.append((name, os.path.getsize(wasm), None, None))
                continue
            rows.append((name, os.path.getsize(wasm), os.path.getsize(aot), dt))
    print(f"{'program':<32} {'wasm B':>9} {'aot B':>9} {'aot/wasm':>9} {'wamrc ms':>9}")
    for name, ws, as_, dt in rows:
        if as_ is None:
            print(f"{name:<32} {'-' if ws is None else ws:>9} {'failed':>9}")
            continue
        print(f"{name:<32} {ws:>9} {as_:>9} {as_ / ws:>9.1f} {dt * 1000:>9.0f}")
    ok = [r for r in rows if r[2] is not None]
    if ok:
        print(f"{'total (' + str(len(ok)) + ' programs)':<32} {sum(r[1] for r in ok):>9} "
              f"{sum(r[2] for r in ok):>9} {'':>9} {sum(r[3] for r in ok) * 1000:>9.0f}")


if __name__ == "__main__":
    main()
