"""A mistyped command line said in one line, ``error: ...``, as every other reelgen error is said.

Typer draws usage errors (an unknown option, a value that does not parse, a missing argument) in a
box of rich text wrapped at 80 columns, under the usage line: three to six lines for one mistake,
and a message cut in the middle of a path or a value. The command group here lets Click raise the
error and prints it itself; the help it points to stays rich. It also sets up Tab completion
(``--install-completion [SHELL]``, ``--show-completion [SHELL]``) through ``complete.set_up``.
"""

from __future__ import annotations

import difflib
import re
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

import typer
from typer.core import TyperGroup

from reelgen.cli.choice_hint import choice_hint
from reelgen.cli.complete import SETUP_FLAGS, asks_setup, set_up
from reelgen.cli.dash_prompt import dash_prompt_hint
from reelgen.cli.flag_help import show_flags_bare
from reelgen.cli.kept_output import kept
from reelgen.cli.near_option import near_option
from reelgen.cli.option_range import with_range
from reelgen.cli.server_hint import server_hint
from reelgen.cli.sigterm import SIGTERM_SAID, Terminated, stopped_by_sigterm

#: Click's exceptions as this Typer raises them: from its own copy of Click (Typer 0.29 and
#: later) or from Click itself (older releases), found through the class Typer exports.
_click_errors = sys.modules[typer.BadParameter.__module__]

#: Exit status of Click's Abort (end of input at a prompt), as Click gives it.
ABORTED = 1
#: The exit status of a run stopped with Ctrl-C: 128 + SIGINT, what a shell reports for such a command,
#: so a script can tell "stopped" from "failed" (1) and "bad input" (2); and what such a stop says.
STOPPED = 130
STOPPED_SAID = "stopped with Ctrl-C; nothing half-written was left"
CTRL_C = f"error: {STOPPED_SAID}\n"

show_flags_bare()


def say_usage_error(exc: Any, args: Sequence[str] = ()) -> None:
    """Click's ``exc`` (a ClickException) as one line on stderr, naming the help of the command it was
    given to; ``args`` are the words typed after ``reelgen``."""
    path = getattr(getattr(exc, "ctx", None), "command_path", None)
    where = f" (see '{path} --help')" if path else ""
    message = exc.format_message()
    if isinstance(exc, _click_errors.BadParameter) and exc.param is None and exc.param_hint is None:
        # Raised in a command's body, its message names the options itself; Click's "Invalid value: "
        # before it named none (the API and submit say the same mistake without it).
        message = exc.message
    message = near_option(exc, message, args)  # before the hints below, which give their own words
    message = with_range(exc, server_hint(exc, _version_hint(exc, _unknown_command(exc, message))))
    message = dash_prompt_hint(exc, choice_hint(message), args)
    message = _flag_value_hint(exc, message, args)
    message = " ".join(message.split())  # Click's own messages may hold line breaks
    # Typer checks a choice with pydantic, whose "Value error, " came between the option and the reason.
    message = message.replace(": Value error, ", ": ")
    sys.stderr.write(f"error: {message}{where}\n")


#: Click's words for words left over once the command's options and arguments are read.
_EXTRA_WORDS = re.compile(r"Got unexpected extra argument(?:s|\(s\))? \((?P<words>.*)\)", re.DOTALL)
#: Values a person gives a flag to turn it off.
_OFF_WORDS = ("false", "no", "off", "0")


def _flag_value_hint(exc: Any, message: str, args: Sequence[str]) -> str:
    """A value given to a flag (``--quiet true``, ``--json=yes`` aside) said as such: it read only "Got
    unexpected extra argument (true)", and nothing said that ``--quiet`` takes no value."""
    found = _EXTRA_WORDS.fullmatch(exc.format_message())
    command: Any = getattr(getattr(exc, "ctx", None), "command", None)
    if found is None or command is None:
        return message
    word = found["words"].split()[0] if found["words"].split() else ""
    words = list(args)
    flags = {
        name: param
        for param in command.params
        if getattr(param, "is_flag", False) and not getattr(param, "count", False)
        for name in param.opts
    }
    before = next(
        (words[i - 1] for i in range(1, len(words)) if words[i] == word and words[i - 1] in flags), None
    )
    if before is None:
        return message
    off = flags[before].secondary_opts
    if word.lower() in _OFF_WORDS:
        how = f"give {off[0]} to turn it off" if off else f"leave {before} out to turn it off"
    else:
        how = f"give {before} alone"
    return f"{message}: {before} is a flag and takes no value; {how}"


#: What a person types to ask for the version; reelgen answers it with `reelgen info`.
_VERSION_WORDS = ("--version", "-V", "version")


def _version_hint(exc: Any, message: str) -> str:
    """``reelgen --version`` (or ``-V``, ``version``) said with where the version is: it read "No such
    option: --version", and nothing said that `reelgen info` prints it."""
    context: Any = getattr(exc, "ctx", None)
    if getattr(context, "parent", True) is not None:  # a subcommand's own options and words
        return message
    found = _NO_SUCH_COMMAND.fullmatch(exc.format_message())
    typed = getattr(exc, "option_name", None) or (found["word"] if found else None)
    if typed not in _VERSION_WORDS:
        return message
    from importlib.metadata import PackageNotFoundError, version

    try:
        this = f"this is reelgen {version('reelgen')}; "
    except PackageNotFoundError:
        this = ""
    named = f"command {typed!r}" if typed == "version" else typed
    return f"reelgen has no {named}; {this}`reelgen info` shows it with torch's version and the GPUs"


#: Click's words for a command word its group does not have (``reelgen project nope``).
_NO_SUCH_COMMAND = re.compile(r"No such command (['\"])(?P<word>.*)\1\.( Did you mean .*)?", re.DOTALL)
#: A group with at most this many commands names them all; the top level's list is its --help.
_LISTED = 10


def _unknown_command(exc: Any, message: str) -> str:
    """Click's ``No such command 'nope'.`` said with the group's commands, and the near one if any.

    It named neither, so ``reelgen manifest creat`` or ``reelgen project run`` left a person to
    find the word in --help; every group's unknown word is said here, the top level's too.
    """
    found = _NO_SUCH_COMMAND.fullmatch(message)
    context: Any = getattr(exc, "ctx", None)
    group: Any = getattr(context, "command", None)
    if found is None or context is None or not hasattr(group, "list_commands"):
        return message
    word = found["word"]
    names = [
        n for n in group.list_commands(context) if not getattr(group.get_command(context, n), "hidden", False)
    ]
    said = f"{context.command_path} has no command {word!r}"
    near = difflib.get_close_matches(word.lower(), names, n=2, cutoff=0.6)
    if near:
        said += f"; did you mean {' or '.join(near)}?"
    if len(names) <= _LISTED:
        said += f"{' Its' if near else '; its'} commands are {', '.join(names)}"
    return said


class OneLineUsageErrors(TyperGroup):
    """The ``reelgen`` group: its commands' usage errors are printed by ``say_usage_error``."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        run = super().main
        if not standalone_mode:  # a caller that handles Click's exceptions itself
            return run(args, prog_name, complete_var, False, windows_expand_args, **extra)
        words = list(sys.argv[1:] if args is None else args)
        if asks_setup(words):  # said here: Typer's options took no shell name (complete.set_up)
            status, problem = set_up(words)
            if problem:
                sys.stderr.write(f"error: {problem}\n")
            _exit(status)
        try:
            code = run(args, prog_name, complete_var, False, windows_expand_args, **extra)
        except _click_errors.NoArgsIsHelpError as exc:
            _exit(exc.exit_code)  # the help was printed as the error was made
        except _click_errors.ClickException as exc:
            say_usage_error(exc, sys.argv[1:] if args is None else args)
            _exit(exc.exit_code)
        except typer.Abort:
            sys.stderr.write("error: stopped (no more input)\n")
            _exit(ABORTED)
        # Without standalone mode Click returns what ended the command: an Exit's status, or the
        # command's own return value (None for every reelgen command: success).
        _exit(code if isinstance(code, int) else 0)

    def get_params(self, ctx: Any) -> list[Any]:
        """The group's options, the completion ones described as ``main`` takes them: with a shell name."""
        params: list[Any] = super().get_params(ctx)
        for param in params:
            flag = next((o for o in param.opts if o in SETUP_FLAGS), None)
            if flag:
                param.help = SETUP_FLAGS[flag]
                # Typer shows such a flag as "<bool>"; it takes a shell's name, or none.
                param.display_type_rich = lambda ctx: "[SHELL]"
        return params

    def invoke(self, ctx: Any) -> Any:
        """Run the command; Ctrl-C before it sets its own handling (its imports, reading inputs) is said,
        and so is a kill no command said itself, each with the earlier file -o named if it is as it was.

        Typer turns a KeyboardInterrupt into exit 130 without a word, so such a stop printed nothing.
        """
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            sys.stderr.write(f"error: {kept(STOPPED_SAID, ctx)}\n")
            raise typer.Exit(STOPPED) from None
        except Terminated:  # said here, while the context knows the earlier file -o named
            raise stopped_by_sigterm(kept(SIGTERM_SAID, ctx)) from None


def _exit(code: int) -> NoReturn:
    sys.exit(code)
