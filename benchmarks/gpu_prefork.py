"""How soon a fresh worker or rank gets its first CUDA result: a plain ``python -m`` against a fork of
reelgen's template (``reelgen.core.prefork``), with the forked process's GPU results checked.

Run from the repository root: ``PYTHONPATH=src:. python3 benchmarks/gpu_prefork.py > prefork.json``.
Prints one JSON object: per start, seconds from asking to torch imported and to the first CUDA result.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import sys
import time
from typing import Any

from reelgen.core import prefork

CHILD = "benchmarks.prefork_cuda_child"


def start(env: dict[str, str]) -> dict[str, Any]:
    ours, theirs = socket.socketpair()
    asked = time.time()
    try:
        child = prefork.spawn(CHILD, env={**os.environ, **env}, fds=[theirs.fileno()], stdin_devnull=True)
    finally:
        theirs.close()
    with ours, ours.makefile("rb") as lines:
        line = lines.readline()
    code = child.wait(300)
    if not line:
        return {"how": type(child).__name__, "exit": code, "error": "no report"}
    seen = json.loads(line)
    return {
        "how": type(child).__name__,
        "exit": code,
        "to_torch_s": round(seen["imported"] - asked, 3),
        "to_first_cuda_result_s": round(seen["first_result"] - asked, 3),
        **{k: seen[k] for k in ("preloaded", "device", "visible", "product_ok", "compiled_ok")},
    }


def main() -> None:
    gpu = {"CUDA_VISIBLE_DEVICES": "0"}
    runs = {
        "plain": [start({**gpu, "REELGEN_PREFORK": "0"}) for _ in range(3)],
        # The first fork waits for the template's own imports; the later ones find it ready.
        "forked": [start(gpu) for _ in range(4)],
        "forked_compile": [start({**gpu, "PROBE_COMPILE": "1"})],
    }
    json.dump({"python": sys.version.split()[0], "runs": runs}, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    argparse.ArgumentParser(
        description=__doc__.splitlines()[0]
    ).parse_args()  # no options; --help says what it is
    main()
