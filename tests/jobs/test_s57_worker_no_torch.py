"""A job whose model never touches torch does not import it: the worker's render leaves torch unloaded."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

#: Runs one render job of the tests' numpy model in a fresh worker process and reports what it loaded.
PROBE = """
import sys, tempfile
from reelgen.jobs.worker import VideoWorker
from reelgen.jobs import kinds
from tests.jobs import fakes
worker = VideoWorker("w", setup=fakes.register_in_worker, scratch=tempfile.mkdtemp())
payload = kinds.get(kinds.RENDER).dump(fakes.resolved(prompt="a fox", seed=1))
events = list(worker.run("job1", kinds.RENDER, payload, {}, 1))
print(type(events[-1]).__name__, "torch" in sys.modules)
"""


def test_a_render_of_a_model_that_never_uses_torch_leaves_torch_unloaded(tmp_path: Path) -> None:
    # Importing torch costs a worker about 1.4 CPU-s. It was imported only to catch its out-of-memory
    # error, to read a CPU device's (absent) peak memory and to quiet diffusers' bars before the model's
    # first (numpy-only) build in a new reelgen home, which this test's home makes it do.
    env = {**os.environ, "REELGEN_HOME": str(tmp_path / "home")}
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    last, torch_loaded = done.stdout.split()[-2:]
    assert last != "Failed", done.stdout
    assert torch_loaded == "False", "the worker imported torch for a job that never used it"
