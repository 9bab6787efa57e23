#!/usr/bin/env python3
"""Runs the WASI cases of `tests/tests/all/wasi/` under wasmtime, through
its Python embedding (PyPI `wasmtime`, `Linker.add_wasip2()`), and prints a
table: for each case, what the table expects, what wit-host must give (the
Rust tests assert it), and what wasmtime gave.

The cases come from the Rust tables themselves, written out as JSON specs
when the tests run with `WIT_HOST_WASI_SPECS`:

    WIT_HOST_WASI_SPECS=/tmp/wasi-specs cargo test -p wit-host-tests --test all wasi
    pip install wasmtime            # any recent version; 50.0.1 was used
    python3 tests/peer/wasmtime_py.py /tmp/wasi-specs

Each spec names the component (the one the tests ran), so both hosts run
the same bytes. Cases marked `host_specific` (fixed clocks, a host random
source, limits) are listed but not run: wasmtime-py cannot be configured
that way. Exit status 1 if any case that was run differs.
"""

import json
import os
import sys
import tempfile
from importlib.metadata import version

import wasmtime
from wasmtime import Engine, ExitTrap, Store, WasiConfig
from wasmtime.component import Component, Linker

ENGINE = Engine()
COMPONENTS = {}


def component(path):
    if path not in COMPONENTS:
        COMPONENTS[path] = Component.from_file(ENGINE, path)
    return COMPONENTS[path]


def pattern(n):
    return bytes(i % 251 for i in range(n))


def create(root, path, entry):
    full = os.path.join(root, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    if "file" in entry:
        with open(full, "w") as f:
            f.write(entry["file"])
    elif "pattern" in entry:
        with open(full, "wb") as f:
            f.write(pattern(entry["pattern"]))
    elif "dir" in entry:
        os.makedirs(full, exist_ok=True)
    elif "symlink" in entry:
        os.symlink(entry["symlink"].replace("{root}", root), full)


def found(root, path, entry):
    """None when root/path is `entry`, else what is there instead."""
    full = os.path.join(root, path)
    if os.path.islink(full):
        got = ("symlink", os.readlink(full))
    elif os.path.isdir(full):
        got = ("dir", True)
    elif os.path.exists(full):
        with open(full, "rb") as f:
            data = f.read()
        if "pattern" in entry and data == pattern(entry["pattern"]):
            return None
        got = ("file", data.decode("utf-8", "replace"))
    else:
        got = ("absent", True)
    want = next(iter(entry.items()))
    if want[0] == "symlink":
        want = ("symlink", want[1].replace("{root}", root))
    return None if got == want else f"{path}: expected {want}, found {got}"


def wasi_config(root, argv=(), env=(), stdin=b"", dirs=()):
    config = WasiConfig()
    config.argv = list(argv)
    config.env = [tuple(pair) for pair in env]
    with open(os.path.join(root, ".stdin"), "wb") as f:
        f.write(stdin)
    config.stdin_file = os.path.join(root, ".stdin")
    config.stdout_file = os.path.join(root, ".stdout")
    config.stderr_file = os.path.join(root, ".stderr")
    for d in dirs:
        host = os.path.join(root, d["host"])
        os.makedirs(host, exist_ok=True)
        config.preopen_dir(host, d["guest"], fs_mutable=not d["read_only"])
    return config


def instantiate(root, path, config):
    store = Store(ENGINE)
    store.set_wasi(config)
    linker = Linker(ENGINE)
    linker.add_wasip2()
    return store, linker.instantiate(store, component(path))


def run_export(store, instance):
    """Calls `wasi:cli/run@0.2.x#run`: 'returned', ('code', n) or ('trap', msg)."""
    for minor in range(20, -1, -1):
        index = instance.get_export_index(store, f"wasi:cli/run@0.2.{minor}")
        if index is not None:
            break
    run = instance.get_func(store, instance.get_export_index(store, "run", index))
    try:
        result = run(store)
        return "returned" if result.tag == "ok" else ("err", None)
    except ExitTrap as e:
        return ("code", e.code)
    except Exception as e:  # a trap: wasmtime.WasmtimeError or wasmtime.Trap
        return ("trap", str(e))


def describe_exit(exit):
    if exit == "returned":
        return "returned"
    kind, value = exit
    return f"exit {value}" if kind == "code" else kind


def expected_exit(spec):
    e = spec["exit"]
    if "returned" in e:
        return "returned"
    if "code" in e:
        return f"exit {e['code']}"
    return "trap"


def exit_matches(spec, exit):
    e = spec["exit"]
    if "returned" in e:
        return exit == "returned"
    if "code" in e:
        return exit == ("code", e["code"])
    return exit != "returned" and exit[0] == "trap" and e["trap"] in exit[1]


def text_matches(expected, got):
    if "is" in expected:
        return got == expected["is"]
    return all(part in got for part in expected["has"])


def run_command(spec):
    root = tempfile.mkdtemp()
    for path, entry in spec["files"]:
        create(root, path, entry)
    config = wasi_config(
        root, spec["argv"], spec["env"], spec["stdin"].encode(), spec["dirs"]
    )
    store, instance = instantiate(root, spec["component"], config)
    exit = run_export(store, instance)
    with open(os.path.join(root, ".stdout"), encoding="utf-8", errors="replace") as f:
        stdout = f.read()
    with open(os.path.join(root, ".stderr"), encoding="utf-8", errors="replace") as f:
        stderr = f.read()
    problems = []
    if not exit_matches(spec, exit):
        problems.append(f"exit: expected {expected_exit(spec)}, got {exit}")
    if not text_matches(spec["stdout"], stdout):
        problems.append(f"stdout: expected {spec['stdout']}, got {stdout!r}")
    if not text_matches(spec["stderr"], stderr):
        problems.append(f"stderr: expected {spec['stderr']}, got {stderr!r}")
    for path, entry in spec["after"]:
        problem = found(root, path, entry)
        if problem:
            problems.append(problem)
    return describe_exit(exit), problems


def run_plugin(spec):
    root = tempfile.mkdtemp()
    os.mkdir(os.path.join(root, "data"))
    if spec["config"] is not None:
        with open(os.path.join(root, "data", "config.txt"), "w") as f:
            f.write(spec["config"])
    env = [("PLUGIN_GREETING", spec["greeting"])] if spec["greeting"] is not None else []
    dirs = []
    if spec["grant"] != "nothing":
        dirs = [{"host": "data", "guest": "/data", "read_only": spec["grant"] == "read-only"}]
    config = wasi_config(root, env=env, dirs=dirs)
    store, instance = instantiate(root, spec["component"], config)
    run_checks = instance.get_func(store, "run-checks")
    problems = []
    try:
        results = [run_checks(store, "/data"), run_checks(store, "/data")]
        exit = "returned"
    except Exception as e:  # a trap
        results, exit = [], "trap"
        problems.append(f"run-checks trapped: {e}")
    if results and results != [spec["returns"]] * 2:
        problems.append(f"returned {results}, expected {spec['returns']!r}")
    with open(os.path.join(root, ".stdout")) as f:
        stdout = f.read()
    if stdout != "plugin: checking /data\n" * 2:
        problems.append(f"stdout: {stdout!r}")
    problem = found(root, "data/out.txt", spec["out_txt"])
    if problem:
        problems.append(problem)
    return exit, problems


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    spec_dir = sys.argv[1]
    names = sorted(n for n in os.listdir(spec_dir) if n.endswith(".json"))
    if not names:
        sys.exit(f"no specs in {spec_dir}: run the tests with WIT_HOST_WASI_SPECS={spec_dir}")
    print(f"wasmtime-py {version('wasmtime')}")
    print()
    print("| case | guest | expected exit | wasmtime exit | wasmtime matches |")
    print("|---|---|---|---|---|")
    differs = []
    for name in names:
        with open(os.path.join(spec_dir, name)) as f:
            spec = json.load(f)
        case = name[: -len(".json")]
        if spec["kind"] == "command":
            expected = expected_exit(spec)
            if spec["host_specific"]:
                print(f"| {case} | {spec['guest']} | {expected} | (not run) | host-specific |")
                continue
            exit, problems = run_command(spec)
        else:
            expected = "returned"
            exit, problems = run_plugin(spec)
        verdict = "yes" if not problems else "**no**"
        print(f"| {case} | {spec['guest']} | {expected} | {exit} | {verdict} |")
        if problems:
            differs.append((case, problems))
    for case, problems in differs:
        print(f"\n{case}:")
        for problem in problems:
            print(f"  {problem}")
    sys.exit(1 if differs else 0)


if __name__ == "__main__":
    main()
