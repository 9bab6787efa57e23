#!/usr/bin/env python3
"""Instructions per iteration of criterion benchmarks, counted by callgrind.

This machine's timings move by up to 50% between runs, far more than the
few nanoseconds a change to the call path is worth. Instruction counts do
not move: this runs one call case (a benchmark timed with `b.iter`, whose
iterations enter wasm; not `instantiate`, which uses `iter_batched`) of a
bench binary under valgrind's
callgrind and prints the instructions executed per iteration (inside
criterion's `Bencher::iter`, divided by the iterations). It counts
instructions, not time (a cache miss or a store-forwarding stall costs
nothing here), so use it to compare two builds of the same case, and
criterion for the time.

    cargo bench -p wit-host-bench --bench calls --no-run   # prints the binary
    bench/tools/instructions.py target/release/deps/calls-HASH nothing/wit-host add/core-floor

Iterations are counted as wasmtime's entries into wasm
(`traphandlers::catch_traps` runs once per host-to-guest call), divided
by the entries one iteration makes: `ENTRIES` below, 1 unless listed.
The checks a bench makes before timing also enter wasm (a handful of
entries against hundreds of thousands of iterations: negligible).
Needs `valgrind` (Debian package) and `callgrind_annotate`.
"""

import re
import subprocess
import sys
import tempfile

# Guest entries per iteration, where not 1: `realloc`, the export and
# `post-return` for an echo; `realloc` and the export for the list.
ENTRIES = {"string-16B": 3, "string-64KiB": 3, "list-1MiB": 2}


def inclusive(annotated, symbol):
    """(inclusive instructions, calls) of the function whose name contains
    `symbol`, from `callgrind_annotate --tree=caller` output."""
    for i, line in enumerate(annotated):
        if "*" in line and symbol in line:
            total = int(re.match(r"\s*([\d,]+)", line).group(1).replace(",", ""))
            calls, j = 0, i - 1
            while j >= 0 and "<" in annotated[j]:
                m = re.search(r"\(([\d,]+)x\)", annotated[j])
                calls += int(m.group(1).replace(",", "")) if m else 0
                j -= 1
            return total, calls
    sys.exit(f"{symbol} not found: did the benchmark run?")


def count(binary, case):
    if case.startswith("instantiate"):
        sys.exit(f"{case}: not a call case (timed with `iter_batched`, no wasm entry per iteration)")
    with tempfile.NamedTemporaryFile(suffix=".callgrind") as out:
        subprocess.run(
            ["valgrind", "--tool=callgrind", "--smc-check=all-non-file",
             f"--callgrind-out-file={out.name}",
             binary, "--bench", f"^{case}$", "--profile-time", "1"],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        annotated = subprocess.run(
            ["callgrind_annotate", "--tree=caller", "--inclusive=yes", out.name],
            check=True, capture_output=True, text=True).stdout.split("\n")
    total, _ = inclusive(annotated, "criterion::bencher::Bencher<M>::iter [")
    _, entries = inclusive(annotated, "traphandlers::catch_traps [")
    iterations = entries / ENTRIES.get(case.split("/")[0], 1)
    return total / iterations, int(iterations)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    for case in sys.argv[2:]:
        per_iteration, iterations = count(sys.argv[1], case)
        print(f"{case:32} {per_iteration:8.1f} instructions/iteration ({iterations} iterations)")


if __name__ == "__main__":
    main()
