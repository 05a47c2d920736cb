"""`reelgen worker` when its node's raylet dies: Ray printed 200 lines of raylet.out (plasma store
dumps, [state-dump] tables) and exited 1; now a line says what ended and where its full log is."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from reelgen.jobs._ray_node import run_until_stopped

LOGS = "/tmp/ray/session_2026-12-07_00-43-35_392308_26461/logs"
#: What ``ray start --block`` printed here when its raylet was SIGKILLed (its tail shortened).
RAY_SAID = f"""\
2026-12-07 00:44:00,870\tSUCC scripts.py:1251 -- Ray runtime started.
2026-12-07 00:44:00,871\tINFO scripts.py:1274 -- Process exit logs will be saved to: {LOGS}/ray_process_exit.log
2026-12-07 00:44:16,901\tERR scripts.py:1307 -- Some Ray subprocesses exited unexpectedly:
2026-12-07 00:44:16,901\tERR scripts.py:87 --   raylet [exit code=-9]
2026-12-07 00:44:16,901\tERR scripts.py:115 -- ----- BEGIN raylet.out tail (exit code(s)=-9 (signal 9)) -----
2026-12-07 00:44:16,902\tERR scripts.py:122 -- [2026-12-07 00:43:38,781 I 26680 26680] (raylet) store_runner.cc:50: Allowing the Plasma store
Current usage: 0 / 6.04513 GB
[state-dump] DebugString() time ms: 0

2026-12-07 00:44:16,902\tERR scripts.py:128 -- ----- END raylet.out tail (exit code(s)=-9 (signal 9)) -----
2026-12-07 00:44:16,902\tERR scripts.py:1315 -- Remaining processes will be killed.
"""


def test_a_dead_raylet_is_said_in_a_line_naming_its_log(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    said = tmp_path / "ray_said.txt"
    said.write_text(RAY_SAID)
    script = f"import sys; sys.stdout.write(open({str(said)!r}).read()); sys.exit(1)"
    assert run_until_stopped([sys.executable, "-c", script]) == 1
    out, err = capfd.readouterr()
    assert out.splitlines() == RAY_SAID.splitlines()[:2]  # Ray's own lines until the report
    assert err == (
        "error: the raylet of this node died (killed by SIGKILL), so this machine left the cluster; "
        f"its full log: {LOGS}/raylet.out. Run `reelgen worker` again to rejoin.\n"
    )


def test_a_node_stopped_by_hand_passes_all_it_said(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    script = "print('2026-12-07 00:44:00,870\\tSUCC scripts.py:1251 -- Ray runtime started.')"
    assert run_until_stopped([sys.executable, "-c", script]) == 0
    out, err = capfd.readouterr()
    assert (out, err) == ("2026-12-07 00:44:00,870\tSUCC scripts.py:1251 -- Ray runtime started.\n", "")
