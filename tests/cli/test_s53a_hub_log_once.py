"""A warning of huggingface_hub (a pull's "Trying to resume download...") is printed once, not twice."""

from __future__ import annotations

import subprocess
import sys

#: Runs reelgen's entry point with a command that logs as huggingface_hub does while a download stalls.
PROBE = (
    "import logging, huggingface_hub.file_download, reelgen.cli as cli; "
    "cli.app = lambda: logging.getLogger('huggingface_hub.file_download').warning('Trying to resume download...'); "
    "cli.entry()"
)


def test_a_hub_warning_is_printed_once() -> None:
    ran = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stderr
    assert ran.stderr.count("Trying to resume download...") == 1, ran.stderr
