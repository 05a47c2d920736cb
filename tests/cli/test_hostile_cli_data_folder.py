"""REELGEN_HOME naming a file: one line naming the setting and what to give, exit 2, no video left behind."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def test_a_data_folder_that_is_a_file_is_named_not_an_internal_error(tmp_path: Path) -> None:
    # It was 'internal error (NotADirectoryError: [Errno 20] Not a directory: .../tiny)', exit 1.
    home = tmp_path / "home"
    home.write_text("a file, not a folder")
    out = tmp_path / "clip.mp4"
    env = {**os.environ, "REELGEN_HOME": str(home)}
    env.pop("REELGEN_TRACEBACK", None)
    run = subprocess.run(
        [
            str(Path(sys.executable).with_name("reelgen")),
            "generate",
            "x",
            "-m",
            "ltx-tiny",
            "--frames",
            "9",
            "-o",
            str(out),
            "-q",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert run.returncode == 2, run.stderr
    last = run.stderr.strip().splitlines()[-1]
    assert last == (
        f"error: cannot use reelgen's data folder {home} (REELGEN_HOME): {home / 'tiny'}: Not a directory; "
        "set REELGEN_HOME to a folder you can write to"
    )
    assert "Traceback" not in run.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home"]
