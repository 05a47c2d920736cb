"""The ``reelgen`` command: local generation commands plus the job-service client, in one Typer app."""

from __future__ import annotations

import atexit
import contextlib
import errno
import importlib
import logging
import os
import signal
import sys
import threading
import warnings

import typer

from reelgen.cli.usage import CTRL_C, STOPPED, OneLineUsageErrors

app = typer.Typer(
    cls=OneLineUsageErrors,
    name="reelgen",
    help="Make videos on your own GPU with open models. Run `reelgen COMMAND --help` for examples.\n\n"
    "Commands that talk to a server (submit, status, watch, list, cancel, delete, download, remix, and any "
    "with --server) exit 2 when it calls the request wrong (an HTTP 4xx answer), as local commands exit on "
    "bad input, and 1 when it fails, is full (429), is busy (a 409: another batch or shoot-out is writing "
    "in the output folder you named, as a local run there exits 1, or the project you sent is still being "
    "rendered or exported), cannot be reached or the job fails. "
    "Any command stopped with Ctrl-C exits 130, and one stopped with SIGTERM (kill) exits 143; either way "
    "nothing half-written is left.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)

# Each module adds its commands through register(app); optional ones may be absent in a checkout.
_COMMAND_MODULES = (
    "reelgen.cli.generate",
    "reelgen.cli.bench",
    "reelgen.cli.jobs",
    "reelgen.cli.train",
    "reelgen.cli.project",
    "reelgen.cli.enhance",
    "reelgen.cli.batch",
    "reelgen.cli.shootout",
    "reelgen.cli.avatar",
)


def _register_commands() -> None:
    for name in _COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        module.register(app)


try:
    _register_commands()
except KeyboardInterrupt:
    # Ctrl-C in the half second the commands take to load was a traceback; it is said as at any
    # other time, with the exit status of a stopped command.
    sys.stderr.write(CTRL_C)
    raise SystemExit(STOPPED) from None


def _data_folder_fault(exc: Exception) -> str | None:
    """The line for an OS error met inside reelgen's data folder (tiny builds, hash cache, speech), or None.

    ``REELGEN_HOME`` naming a file, or a folder no one may write, was an internal error.
    """
    if not isinstance(exc, OSError) or not exc.filename:
        return None
    from pathlib import Path

    from reelgen.core import settings

    home, path = settings.home().absolute(), Path(os.fsdecode(exc.filename)).absolute()
    if path != home and home not in path.parents:
        return None
    named = " (REELGEN_HOME)" if os.environ.get("REELGEN_HOME") else ""
    return (
        f"cannot use reelgen's data folder {home}{named}: {path}: {exc.strerror or exc}; "
        "set REELGEN_HOME to a folder you can write to"
    )


def _ctrl_c_ignored() -> None:
    """SIGINT ignored for the rest of the process's end (an ``atexit`` callback, run once the command is done).

    Python puts back SIGINT's default action before it frees its modules (torch's take a while), so a
    Ctrl-C just after the path was printed killed the process silently: status -2, no line, though the
    video was whole. An ignored signal is left ignored by that step, so the command's own status stands.
    """
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)


def entry() -> None:
    """The `reelgen` script: ``main()``, then the process ends as soon as its output is out (process_end)."""
    from reelgen.core.process_end import run_then_end

    run_then_end(main)


def main() -> None:
    atexit.unregister(_ctrl_c_ignored)  # once, however often main() runs in one process (tests)
    atexit.register(_ctrl_c_ignored)
    # reelgen draws its own progress bar; the libraries' bars and deprecation chatter only add noise.
    for name in ("DIFFUSERS_VERBOSITY", "TRANSFORMERS_VERBOSITY"):
        os.environ.setdefault(name, "error")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    warnings.filterwarnings("ignore", category=FutureWarning)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    # huggingface_hub prints its warnings with a handler of its own and passed them on to the one above
    # too: each "Error while downloading ... Trying to resume download..." of a pull came out twice.
    logging.getLogger("huggingface_hub").propagate = False
    from reelgen.cli.sigterm import sigterm_unwinds

    try:
        with sigterm_unwinds():  # a kill removes the files being written, as Ctrl-C does
            app()
    except KeyboardInterrupt:  # while Typer builds the commands, before any runs: a traceback
        sys.stderr.write(CTRL_C)
        raise SystemExit(STOPPED) from None
    except Exception as exc:
        # A failure reelgen did not foresee (a bug here or in a library under it) is one line, as
        # every other error is; REELGEN_TRACEBACK=1 shows where it came from, for a report.
        if os.environ.get("REELGEN_TRACEBACK"):
            raise
        fault = _data_folder_fault(exc)
        if fault:  # the setting is wrong, not reelgen: bad input
            sys.stderr.write(f"error: {fault}\n")
            raise SystemExit(2) from None
        if isinstance(exc, RuntimeError) and str(exc) == "Could not determine home directory.":
            # pathlib's words for ~nouser/clip.mp4, met wherever a path is read: bad input, not a bug.
            sys.stderr.write(
                "error: a path begins with ~NAME, the home folder of a user this machine does not have; "
                "give that path in full\n"
            )
            raise SystemExit(2) from None
        full = _device_full(exc)
        if full:  # `reelgen info > /dev/full`, a full disk under a redirect: no fault of reelgen's to report
            sys.stderr.write(f"error: {full}\n")
            raise SystemExit(1) from None
        said = " ".join(str(exc).split()) or "no message"
        sys.stderr.write(
            f"error: internal error ({type(exc).__name__}: {said}); run again with REELGEN_TRACEBACK=1 "
            "to see where, and report it\n"
        )
        raise SystemExit(1) from None


def _device_full(exc: Exception) -> str | None:
    """What to say of a write a full device refused that no command foresaw (standard output
    redirected to a full disk, say): it was "internal error ... report it"."""
    if not isinstance(exc, OSError) or exc.errno not in (errno.ENOSPC, errno.EDQUOT):
        return None
    where = exc.filename or "its output (standard output, or a file it was redirected to)"
    with contextlib.suppress(OSError):  # what is left unwritten would fail again at exit, said twice
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115  (open until the process ends, as stdout is)
    return f"{os.strerror(exc.errno).lower()} writing {where}; free some space and run again"
