"""`reelgen ARGS...` run in this test process as the `reelgen` script runs it: through ``main()``.

``main()`` is the script's entry point (``[project.scripts]``): it sets the libraries' quiet switches, the
SIGTERM handler that unwinds a command (exit 143) and turns an unforeseen failure into one line. Run here,
a test meets all of that without starting a Python and importing torch, diffusers and the model again
(about 10 CPU-seconds a run); a signal the test sends this process (``os.kill(os.getpid(), ...)``) at a
chosen point is taken by that handler as a kill from outside would be.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from reelgen.cli import main

#: What ``main()`` sets for the process (with ``setdefault``): put back after each run here.
_MAIN_SETS = ("DIFFUSERS_VERBOSITY", "TRANSFORMERS_VERBOSITY", "HF_HUB_DISABLE_PROGRESS_BARS")


def run_reelgen(
    monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str], *args: str
) -> subprocess.CompletedProcess[str]:
    """Its exit status, stdout and stderr, as the process would give them; what C code (FFmpeg) wrote to
    the file descriptors themselves comes first in each."""
    for name in _MAIN_SETS:  # monkeypatch puts each back as it was, set or not
        if name in os.environ:
            monkeypatch.setenv(name, os.environ[name])
        else:
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(sys, "argv", ["reelgen", *args])
    for library in ("diffusers", "transformers"):
        # Their own handlers print to the stream that was sys.stderr when the library was first imported
        # here (maybe another run's, closed since): in the `reelgen` process, that is its stderr.
        for handler in logging.getLogger(library).handlers:
            if type(handler) is logging.StreamHandler:  # not a test's capture handler
                monkeypatch.setattr(handler, "stream", sys.__stderr__)
                monkeypatch.setattr(handler, "flush", sys.__stderr__.flush, raising=False)
    capfd.readouterr()
    handlers = list(logging.getLogger().handlers)
    code: int
    try:
        with CliRunner().isolation() as (out, err, _):
            try:
                main()
                code = 0
            except SystemExit as stop:
                code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
            sys.stdout.flush()
            sys.stderr.flush()
            stdout, stderr = out.getvalue().decode(), err.getvalue().decode()
    finally:
        for handler in logging.getLogger().handlers:  # logging.basicConfig's, bound to the streams above
            if handler not in handlers:
                logging.getLogger().removeHandler(handler)
    fd = capfd.readouterr()
    return subprocess.CompletedProcess(["reelgen", *args], code, fd.out + stdout, fd.err + stderr)
