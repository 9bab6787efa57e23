"""The world `test:wasi-plugin/plugin` in Python (built by componentize-py).

`run_checks` uses WASI through Python's standard library (print,
os.environ, files beneath a preopened directory, time, os.urandom) and
returns the same line as `plugin.c`. Nothing runs at import time:
componentize-py imports this module while it builds the component, where
no host is there to answer.
"""

import os
import time

import wit_world


class WitWorld(wit_world.WitWorld):
    def run_checks(self, dir: str) -> str:
        # The host reads stdout when the call returns: flush it now.
        print(f"plugin: checking {dir}", flush=True)

        greeting = os.environ.get("PLUGIN_GREETING", "(unset)")

        try:
            with open(f"{dir}/config.txt") as f:
                config = f.readline().rstrip("\n")
        except OSError:
            config = "(unreadable)"

        try:
            with open(f"{dir}/out.txt", "w") as f:
                f.write("written by the plugin\n")
            wrote = "yes"
        except OSError:
            wrote = "no"

        start = time.monotonic_ns()
        time.sleep(0.01)
        slept = "yes" if time.monotonic_ns() - start >= 10_000_000 else "no"

        random = len(os.urandom(16))

        return (
            f"greeting={greeting}; config={config}; wrote={wrote}; slept={slept}; "
            f"random={random} bytes"
        )
