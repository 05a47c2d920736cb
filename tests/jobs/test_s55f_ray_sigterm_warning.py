"""`reelgen serve` with Ray no longer prints Ray's "SIGTERM handler is not set" warning at each start.

Ray's ``ray.init`` warns ``WARNING worker.py:1681 -- SIGTERM handler is not set because current
thread is not the main thread.`` when called off the main thread, which the server's engine
thread always is; the server's own handler (``reelgen serve``'s main thread) stops it on SIGTERM,
so the warning only made every start's log read like a fault.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

#: Runs the engine's ``init_ray`` on a thread, as the server does, with ``ray.init`` cut down to
#: the part at issue (its warning off the main thread): nothing of Ray is started.
SCRIPT = """
import sys, threading
import ray, ray._private.worker as ray_worker
from reelgen.jobs import cluster
from reelgen.jobs.settings import JobSettings

def init_as_ray_does(*args, **kwargs):
    if threading.current_thread() is not threading.main_thread():
        ray_worker.logger.warning("SIGTERM handler is not set because current thread is not the main thread.")
        ray_worker.logger.warning("another warning of Ray's")

ray.init = init_as_ray_does
cluster.sweep_temp_dirs = lambda settings: None
address = sys.argv[2] or None
settings = JobSettings(data_dir=sys.argv[1], ray_address=address, engine="ray")
thread = threading.Thread(target=cluster.init_ray, args=(settings,))
thread.start()
thread.join()
"""


@pytest.mark.timeout(60)
@pytest.mark.parametrize("address", ["", "10.0.0.5:6380"])
def test_the_engine_threads_ray_init_says_no_sigterm_warning(address: str, tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path), address],
        capture_output=True,
        text=True,
        timeout=50,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    assert done.returncode == 0, done.stderr
    assert "SIGTERM handler is not set" not in done.stderr
    assert "another warning of Ray's" in done.stderr  # Ray's other warnings still show
