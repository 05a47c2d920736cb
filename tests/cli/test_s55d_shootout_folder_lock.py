"""Two in-process ``reelgen shootout`` runs into one report folder: the second is refused naming the first
(both wrote clips/<model>--<prompt>.mp4, report.html and results.json there, each over the other's, as the
server refuses a second shoot-out into a folder with a 409); exit 1, as a busy batch folder."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from reelgen.cli import app


def test_a_second_shootout_into_a_folder_in_use_is_refused_naming_the_first(tmp_path: Path) -> None:
    prompts = tmp_path / "prompts.yaml"
    prompts.write_text("prompts: [a fox]\nsettings: {steps: 1, width: 32, height: 32, num_frames: 5}\n")
    folder = tmp_path / "compare"
    (folder / ".reelgen").mkdir(parents=True)
    hold = (  # the first run, as the lock it takes: the OS's, held by another process
        "import fcntl, json, os, sys; fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT); "
        "fcntl.flock(fd, fcntl.LOCK_EX); "
        "os.write(fd, json.dumps({'pid': 4242, 'host': 'box', 'since': 'then', 'source': 'shootout 1st'}).encode()); "
        "print('held', flush=True); sys.stdin.read()"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", hold, str(folder / ".reelgen" / "shootout.lock")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        result = CliRunner().invoke(
            app, ["shootout", "-m", "reelgen-micro", "-p", str(prompts), "-o", str(folder)]
        )
    finally:
        holder.communicate("")
    said = " ".join(result.output.split())
    assert result.exit_code == 1, said
    assert said == (
        f"error: --output {folder.resolve()}: another shoot-out is writing its clips and report there now "
        "(shootout 1st, process 4242 on box, since then); wait for it to end (or stop it), or give another folder"
    )
    assert not (folder / "clips").exists()


def test_the_lock_goes_with_the_run(tmp_path: Path) -> None:
    prompts = tmp_path / "prompts.yaml"
    prompts.write_text("prompts: [a fox]\nsettings: {steps: 1, width: 32, height: 32, num_frames: 5}\n")
    folder = tmp_path / "compare"
    result = CliRunner().invoke(
        app, ["shootout", "-m", "reelgen-micro", "-p", str(prompts), "-o", str(folder), "-q"]
    )
    assert result.exit_code == 0, result.output
    assert (folder / "report.html").is_file()
    assert not (folder / ".reelgen").exists()  # nothing left of the lock
