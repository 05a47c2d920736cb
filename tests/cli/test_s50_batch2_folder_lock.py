"""Two in-process ``reelgen batch`` runs into one output folder: the second is refused naming the first (it
made every item again and wrote over the first's files); a run killed part-way blocks nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core.batch import ItemOutcome, run_batch

runner = CliRunner()


@pytest.fixture
def manifest(tmp_path: Path) -> Path:
    """A manifest of one item that fails as planned (ken-burns with no picture): no model runs."""
    path = tmp_path / "shots" / "manifest.json"
    path.parent.mkdir()
    path.write_text(json.dumps({"items": [{"output": "a", "model": "ken-burns", "prompt": "x"}]}))
    return path


def test_a_second_batch_into_a_folder_in_use_is_refused_naming_the_first(
    manifest: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    reached, go_on = threading.Event(), threading.Event()

    def held(outcome: ItemOutcome) -> None:  # the first run, part-way: between its items
        reached.set()
        assert go_on.wait(30)

    first = threading.Thread(
        target=run_batch,
        args=(manifest,),
        kwargs={"output_dir": out, "on_item": held, "source": "manifest 1st"},
    )
    first.start()
    try:
        assert reached.wait(30)
        second = runner.invoke(app, ["batch", str(manifest), "--output-dir", str(out), "-q"])
    finally:
        go_on.set()
        first.join(30)
    said = " ".join(second.output.split())
    assert second.exit_code == 1, second.output
    assert said.startswith(
        f"error: output_dir {out}: another batch is writing its clips and summary there now (manifest 1st, "
        f"process {os.getpid()} on "
    ), said
    assert "; wait for it to end (or stop it), or set another output_dir" in said
    # The first ended as it would have alone: its summary, written after the second was refused.
    assert json.loads((out / "batch-summary.json").read_text())["total"] == 1


def test_a_lock_left_by_a_killed_run_blocks_nothing(manifest: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / ".reelgen").mkdir(parents=True)
    hold = (
        "import fcntl, os, sys; fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT); "
        "fcntl.flock(fd, fcntl.LOCK_EX); os.write(fd, b'{\"pid\": 1}'); print('held', flush=True); sys.stdin.read()"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", hold, str(out / ".reelgen" / "batch.lock")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        busy = runner.invoke(app, ["batch", str(manifest), "--output-dir", str(out), "-q"])
        assert "another batch is writing" in " ".join(busy.output.split())
    finally:
        holder.kill()  # killed part-way: no cleanup of its own
        holder.wait(10)
    again = runner.invoke(app, ["batch", str(manifest), "--output-dir", str(out), "-q"])
    assert "another batch" not in again.output
    assert again.exit_code == 1 and again.stdout.strip().splitlines()[-1] == str(out / "batch-summary.json")
