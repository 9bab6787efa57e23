"""A `wasi:cli/command` in Python (built by componentize-py): `argv[1]`
selects what it does, like the C `wasi-probe`. Python's standard library
reaches WASI through wasi-libc: print and sys.stdin are the cli streams,
os.environ the environment, open/os the filesystem beneath the preopens.
"""

import os
import sys

from wit_world import exports


def files(dir: str) -> None:
    """File operations beneath the preopened directory `dir`."""
    with open(f"{dir}/input.txt") as f:
        print(f"input.txt: {f.read()!r}")
    with open(f"{dir}/made.txt", "w") as f:
        f.write("made by python\n")
    os.mkdir(f"{dir}/sub")
    os.rename(f"{dir}/made.txt", f"{dir}/sub/moved.txt")
    print(f"listing: {sorted(os.listdir(dir))}")
    print(f"sub: {sorted(os.listdir(f'{dir}/sub'))}")
    print(f"size of sub/moved.txt: {os.stat(f'{dir}/sub/moved.txt').st_size}")
    os.remove(f"{dir}/input.txt")
    try:
        open(f"{dir}/input.txt")
    except FileNotFoundError:
        print("input.txt: removed")
    try:
        open(f"{dir}/../escape.txt", "w")
    except PermissionError as e:
        print(f"../escape.txt: PermissionError errno {e.errno}")


class Run(exports.Run):
    def run(self) -> None:
        case = sys.argv[1] if len(sys.argv) > 1 else "hello"
        if case == "hello":
            print("hello from python on stdout")
            print("hello from python on stderr", file=sys.stderr)
        elif case == "args":
            print(f"argv: {sys.argv}")
            for key in sorted(os.environ):
                print(f"{key}={os.environ[key]}")
        elif case == "stdin":
            text = sys.stdin.read()
            print(text.upper(), end="")
            print(f"read {len(text)} characters", file=sys.stderr)
        elif case == "files":
            files(sys.argv[2])
        elif case == "exit":
            print(f"exiting with {sys.argv[2]}", flush=True)
            sys.exit(int(sys.argv[2]))
        elif case == "raise":
            raise RuntimeError("raised on purpose")
        else:
            print(f"unknown case {case!r}", file=sys.stderr)
            sys.exit(2)
