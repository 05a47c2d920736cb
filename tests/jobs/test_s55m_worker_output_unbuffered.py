"""A local worker's prints reach a piped ``reelgen serve`` (``| tee log``) as they are made, not at its exit."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

# The API process's side, run as its own process so its stdout (inherited by the worker) is a pipe
# read here. The worker's setup prints a line, with no flush, before it says it is ready; the driver
# prints READY once the worker is ready, and keeps it alive until its stdin closes.
DRIVER = textwrap.dedent(
    """
    import functools, sys
    from reelgen.jobs._local_worker import LocalWorker

    worker = LocalWorker(
        "worker-0", None, models=1, setup=functools.partial(print, "a library's line"), scratch=sys.argv[1]
    )
    worker.start()
    worker.ready.result(120)
    print("READY", flush=True)
    sys.stdin.read()
    worker.stop()
    """
)


def test_a_line_a_worker_prints_reaches_a_piped_parent_while_the_worker_runs(tmp_path: Path) -> None:
    # Block-buffered into a pipe, the worker's line came out only when it exited: after READY here,
    # and in `reelgen serve | tee log` not until the server stopped.
    # As `reelgen serve` is started from a shell: nothing in the environment asks for unbuffered output.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    driver = subprocess.Popen(
        [sys.executable, "-c", DRIVER, str(tmp_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert driver.stdout is not None
    before_ready: list[str] = []
    for line in driver.stdout:  # read while the worker is alive: it is stopped only once stdin closes
        if line.strip() == "READY":
            break
        before_ready.append(line.strip())
    rest, errors = driver.communicate("", timeout=120)  # its stdin closed: the driver stops the worker
    assert driver.returncode == 0, errors
    assert "a library's line" in before_ready, (before_ready, rest, errors)
