"""`reelgen worker` stopped while its head is gone: one line, not Ray's traceback of the failed drain.

Ray waited 30 s on a drain the head never answered, then printed "ERROR node.py:720 -- Failed to
mark the local node as draining on SIGTERM; proceeding with immediate shutdown." and a Python
traceback ending in ``ray.exceptions.RpcError: Timed out while waiting for GCS to become available.``
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from reelgen.jobs._ray_node import run_until_stopped

#: What ``ray start --block`` wrote to stderr here when SIGTERMed after its head had stopped.
RAY_SAID = """\
2026-12-07 05:34:16,628\tINFO node.py:698 -- Node f61ff17d received SIGTERM. Draining for up to 30.0 seconds before shutting down local processes.
2026-12-07 05:34:47,813\tERROR node.py:720 -- Failed to mark the local node as draining on SIGTERM; proceeding with immediate shutdown.
Traceback (most recent call last):
  File "/work/main/.venv/lib/python3.11/site-packages/ray/_private/node.py", line 709, in _drain_node_before_shutdown
    is_accepted, rejection_message = self.get_gcs_client().drain_node(
                                     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  File "python/ray/includes/gcs_client.pxi", line 718, in ray._raylet.InnerGcsClient.drain_node
  File "python/ray/includes/common.pxi", line 144, in ray._raylet.check_status_timeout_as_rpc_error
ray.exceptions.RpcError: Timed out while waiting for GCS to become available.
2026-12-07 05:34:48,001\tINFO scripts.py:1451 -- 1/1 stopped.
"""


def test_a_drain_the_head_did_not_answer_is_one_line(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    said = tmp_path / "ray_said.txt"
    said.write_text(RAY_SAID)
    script = f"import sys; sys.stderr.write(open({str(said)!r}).read()); sys.exit(143)"
    assert run_until_stopped([sys.executable, "-c", script]) == 143
    out, err = capfd.readouterr()
    lines = RAY_SAID.splitlines()
    assert out == ""
    assert err.splitlines() == [
        lines[0],
        "warning: the Ray head did not answer as this node stopped (RpcError: Timed out while waiting for "
        "GCS to become available), so it stopped without draining",
        lines[-1],
    ]
    assert "Traceback" not in err


def test_other_lines_on_stderr_pass_as_they_are(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    script = "import sys; sys.stderr.write('2026-12-07 00:44:00,870\\tWARNING x.py:1 -- low memory\\n')"
    assert run_until_stopped([sys.executable, "-c", script]) == 0
    assert capfd.readouterr().err == "2026-12-07 00:44:00,870\tWARNING x.py:1 -- low memory\n"
