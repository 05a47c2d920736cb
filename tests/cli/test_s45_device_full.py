"""Output redirected to a full device is said as a full device, not as an internal error to report."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

FULL = Path("/dev/full")  # Linux's device on which every write fails with ENOSPC


@pytest.mark.skipif(not FULL.exists(), reason="needs Linux's /dev/full")
def test_a_listing_sent_to_a_full_device_says_so_in_one_line() -> None:
    with FULL.open("w") as full:
        run = subprocess.run(
            [sys.executable, "-c", "from reelgen.cli import entry; entry()", "models"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    assert run.returncode == 1
    assert run.stderr == (
        "error: no space left on device writing its output (standard output, or a file it was redirected "
        "to); free some space and run again\n"
    )
