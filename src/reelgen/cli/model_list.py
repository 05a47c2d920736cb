"""How `reelgen models` lays out its listing: a table, or in a narrow terminal lines a model, with short rules;
the checks of the folders it, `pull` and `info` name, and why a pull failed, said as what to do."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import tempfile
import textwrap
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Literal

from rich.console import Console
from rich.measure import Measurement
from rich.table import Table

from reelgen.cli.output import console, say_error, shown
from reelgen.core.errors import InvalidRequest, ReelgenError


def rules_text(rule: dict[str, Any]) -> str:
    """A model's size and frame rules in a few characters: ``/32, 8k+1 to 257``, ``720x480, 8k+1 to 49``,
    ``/16 32-832, 4k+1`` (sides from 32 to 832, where a model's sides are bounded more than usual)."""
    from reelgen.core.spec.rules import SizeRules

    # "/16" alone for Wan 1.3B read as any multiple of 16; 1280x720 was then refused as outside 32..832.
    usual = (rule["min_side"], rule["max_side"]) == (SizeRules.min_side, SizeRules.max_side)
    sides = "" if usual else f" {rule['min_side']}-{rule['max_side']}"
    size = " or ".join(rule["fixed_sizes"]) or f"/{rule['size_multiple']}{sides}"
    return f"{size}, {_frames_text(rule)}"


def _frames_text(rule: dict[str, Any]) -> str:
    """``8k+1 to 49``; with a least count past the form's own first, that too: ``4k+1, 17 to 121``
    (``4k+1 to 121`` read as if 5 frames were valid; a 16-frame-only model read ``any count to 16``)."""
    form, top = rule["frames"], rule["max_frames"]
    lattice = re.fullmatch(r"(\d+)k\+(\d+)|a multiple of (\d+)", form)
    step, offset = (int(lattice[1] or lattice[3]), int(lattice[2] or 0)) if lattice else (1, 0)
    first = 1 + (offset - 1) % step  # the form's own least count
    least = rule["min_frames"] + (offset - rule["min_frames"]) % step
    if least == top:
        return f"{least} frames only"
    if least <= first:
        return form + (f" to {top}" if top else "")
    return f"{form}, {least} to {top}" if top else f"{form}, from {least}"


def print_models(rows: list[dict[str, Any]], out: Console) -> None:
    """The models as a table, or, in a terminal too narrow for one, two lines a model (folded and indented
    where narrower still).

    At 80 columns the table squeezed the family and tasks columns to nothing and cut "built-in"
    short; nothing of a row is left out or cut in either form. Every value is printed as typed: a
    plugin's model named "a[/]b" ended the listing in Rich's MarkupError, and "[red]x" lost its brackets.
    """
    table = Table(title="reelgen models")
    for col in ("model", "family", "tasks", "default\nWxHxF@fps", "rules", "cached"):
        table.add_column(col, no_wrap=True)
    for r in rows:
        cells = (
            r["model"],
            r["family"],
            ", ".join(r["tasks"]),
            r["default"],
            rules_text(r["rules"]),
            r["cached"],
        )
        table.add_row(*(shown(cell) for cell in cells))
    if Measurement.get(out, out.options.update_width(100_000), table).maximum <= out.width:
        out.print(table)
        return
    for r in rows:
        head = f"{r['model']}  {r['family']}: {', '.join(r['tasks'])}  (cached:{_KEEP}{r['cached']})"
        _hanging(out, head, bold=r["model"])
        _hanging(out, f"    default (WxHxF@fps) {r['default']}; rules {rules_text(r['rules'])}")


#: Where a line of the narrow listing goes on once folded: past the model names and the "default" lines.
_FOLDED = " " * 8
#: A space the narrow listing is not folded at ("(cached:" at one line's end read as cached nowhere).
_KEEP = "\xa0"


def _hanging(out: Console, line: str, bold: str = "") -> None:
    """``line`` folded at the console's width with its later lines indented, its start ``bold`` in bold.

    Folded by the terminal at 40 columns, a model's tasks and rules began lines of their own at the
    left edge, where only model names begin: the listing read as twice as many models.
    """
    wrapped = textwrap.wrap(
        line, out.width, subsequent_indent=_FOLDED, break_long_words=False, break_on_hyphens=False
    )
    for i, part in enumerate(folded.replace(_KEEP, " ") for folded in wrapped or [""]):
        start = bold if i == 0 and bold and part.startswith(bold) else ""
        said = f"[bold]{shown(start)}[/]{shown(part[len(start) :])}" if start else shown(part)
        out.print(said, highlight=False)


def models_dir_problem() -> str:
    """Why no model folder can be looked for in ``REELGEN_MODELS_DIR`` (a file stands where it or a folder
    above it should be), or "": `reelgen models` said nothing of it, and a missing model was said to be
    looked for in FILE/MODEL."""
    from reelgen.core import settings

    folder = settings.models_dir()
    deepest = folder
    while not deepest.exists() and deepest != deepest.parent:
        deepest = deepest.parent
    if deepest.is_dir():
        return ""
    variable = "REELGEN_MODELS_DIR" if os.environ.get("REELGEN_MODELS_DIR") else "REELGEN_HOME"
    where = "there" if deepest == folder else f"in {folder}"
    named = f"{variable}={os.environ.get(variable, '')}" + ("" if deepest == folder else f": {deepest}")
    return (
        f"{named} is a file, not a folder, so no model folder is looked for {where}; "
        f"set {variable} to a folder, or unset it"
    )


def unwritable(folder: Path) -> str:
    """Why ``folder`` cannot be made or written into (its deepest existing folder is tried), or ""."""
    deepest = folder
    while not deepest.exists() and deepest != deepest.parent:
        deepest = deepest.parent
    if not deepest.is_dir():
        return f"{deepest} is a file, not a folder"
    try:
        tempfile.TemporaryFile(dir=deepest).close()
    except OSError as exc:
        return f"cannot write into {deepest} ({exc.strerror or exc})"
    return ""


def check_cache(folder: Path, fix: str, variables: tuple[str, ...]) -> None:
    """Refuse, before any download, a cache folder that cannot be made or written, naming its variable.

    Found after the download it read as a network failure ("could not download rife: Not a
    directory"), and the person had nothing to retry with.
    """
    problem = unwritable(folder)
    if not problem:
        return
    named = next((f"{v}={os.environ[v]}" for v in variables if os.environ.get(v)), "")
    where = f"{folder} ({named})" if named else str(folder)
    raise InvalidRequest(
        f"cache folder {where}: {problem}; set {fix} to a folder you can write to", param=fix
    )


def read_only_whole(model: str, folder: Path, whole: Callable[[], Path | None]) -> Path | None:
    """Where ``model`` lies whole in ``folder``, said so, when ``folder`` cannot be written; else None.

    A shared read-only cache of pulled weights is a setup (see ``folder_said``): there `reelgen pull M
    && reelgen generate -m M` stopped at the pull ("set HF_HUB_CACHE to a folder you can write to") for
    a model every run could load, and moving the cache would have lost it.
    """
    problem = unwritable(folder)
    where = whole() if problem else None
    if where is not None:
        console.print(
            f"nothing to download for {shown(model)}: it is whole in {shown(str(folder))}, which cannot be "
            f"written here ({shown(problem)}), so no newer copy was looked for",
            highlight=False,
        )
    return where


def folder_said(path: Path) -> str:
    """A folder ``info`` names, marked where it cannot be made or written: every run or pull then failed,
    and info said nothing (a file in the way was caught; a read-only or impossible place was not)."""
    problem = unwritable(path)
    if problem and path.is_dir():  # still read: a shared read-only cache of pulled weights is a setup
        return f"{path} (read-only: {problem}; nothing can be pulled or written there)"
    return f"{path} (unusable: {problem})" if problem else str(path)


def hub_offline() -> bool:
    """HF_HUB_OFFLINE set, as huggingface_hub reads it: nothing will be downloaded."""
    return os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in ("1", "true", "yes", "on")


#: What a write says when the disk, or the person's share of it, is full.
_FULL = (errno.ENOSPC, errno.EDQUOT)


def why_not_pulled(model: str, exc: OSError | None) -> str:
    """A failed download said as what to do: the Hub out of reach (``exc`` None: its cause unknown), a
    repository that needs a login, or a full disk.

    huggingface_hub said "Got: ConnectError: [Errno -2] Name or service not known" and a paragraph
    about snapshot folders, and nothing of how to get the model onto a machine without network.
    """
    from huggingface_hub.errors import (
        GatedRepoError,
        HfHubHTTPError,
        LocalEntryNotFoundError,
        RepositoryNotFoundError,
    )

    from reelgen.core import settings
    from reelgen.core.enhance.weights import PACKAGED

    offline = (
        f"on a machine without network, copy its diffusers folder to {settings.models_dir() / model} "
        "or pass it to generate with --weights"
    )
    cause = exc and (exc.__cause__ or exc.__context__)
    answered = _hub_answer(model, exc if isinstance(exc, HfHubHTTPError) else cause)
    if answered and not isinstance(exc, GatedRepoError | RepositoryNotFoundError):
        return answered
    if exc is None or isinstance(exc, LocalEntryNotFoundError):  # no connection, or HF_HUB_OFFLINE
        if hub_offline():
            return f"HF_HUB_OFFLINE is set, so nothing is downloaded; unset it and run it again, or {offline}"
        reason = f" ({cause})" if cause else ""
        return (
            f"the Hugging Face Hub could not be reached{reason}. Check the network (and HF_ENDPOINT, if set) "
            f"and run `reelgen pull {model}` again, or {offline}"
        )
    if isinstance(exc, GatedRepoError | RepositoryNotFoundError):
        return (
            f"the Hugging Face Hub refused it ({type(exc).__name__}): the repository may need you to accept "
            "its licence on its page and log in (`hf auth login`, or HF_TOKEN)"
        )
    if exc.errno in _FULL:  # "[Errno 28] No space left on device" named neither the place nor a way on
        folder, variable = (
            (settings.models_dir(), "REELGEN_MODELS_DIR")
            if model in PACKAGED
            else (settings.hf_cache_dir(), "HF_HUB_CACHE")
        )
        return (
            f"the disk holding {folder} is full ({exc.strerror}); free some space there, or set {variable} "
            f"to a folder on a disk with room, and run `reelgen pull {model}` again"
        )
    return str(exc)


def _hub_answer(model: str, error: BaseException | None) -> str | None:
    """What the Hub answered, when it answered an HTTP error: a token refused, too many requests, trouble
    on its side; None for no answer at all.

    Each was "the Hugging Face Hub could not be reached (Server error '503 ...' for url ... For more
    information check: https://developer.mozilla.org/...)" over four lines, or the same raw words alone
    for a token it refused: the Hub had been reached, and nothing said what to do.
    """
    response = getattr(error, "response", None)
    status = getattr(response, "status_code", None)
    if not isinstance(status, int):
        return None
    said = " ".join(str(getattr(error, "server_message", None) or "").split())[:200]
    answer = f"the Hugging Face Hub answered {status} {getattr(response, 'reason_phrase', '')}".rstrip()
    answer += f" ({said})" if said else ""
    again = f"run `reelgen pull {model}` again"
    if status == 401:  # a 401 naming the repository is RepositoryNotFoundError, said by the caller
        return (
            f"{answer}: it did not take the token this machine sends; set HF_TOKEN to a valid one (or run "
            "`hf auth login`), or unset HF_TOKEN for a public model"
        )
    if status == 429:
        return f"{answer}: too many requests from here; wait a few minutes and {again} (a logged-in token gets more)"
    if status >= 500:
        return f"{answer}: trouble on the Hub's side; {again} later"
    return f"{answer}: the Hub would not give its files; check the model's page there"


def located(spec: Any, preset: Any) -> Path | None:
    """Where ``preset``'s weights are whole on this machine, or None."""
    from reelgen.core import weights

    try:
        return weights.locate(spec, preset).path
    except ReelgenError:  # not here, partly here, or unreadable: the pull says which
        return None


def enhancer_whole(model: str) -> Path | None:
    """The enhancer's folder when every file is there with the hash `reelgen pull` checks; else None."""
    from reelgen.core.enhance import weights as enhancer

    where = enhancer.present(model)
    whole = where and all(enhancer.sha256(where / f.name) == f.sha256 for f in enhancer.PACKAGED[model].files)
    return where if whole else None


@contextlib.contextmanager
def warnings_as_lines() -> Iterator[None]:
    """Python warnings (huggingface_hub's "Not enough free disk space ...") said as reelgen's warning lines.

    Printed as Python prints them, each came with the library's file and line and a "warnings.warn("
    line under it, once per file of the pull.
    """

    def say(message: Warning | str, *args: object, **kwargs: object) -> None:
        console.print(f"[yellow]warning:[/] {shown(' '.join(str(message).split()))}", highlight=False)

    with warnings.catch_warnings():
        warnings.simplefilter("default")  # each distinct one once, as Python's own default shows them
        warnings.showwarning = say
        yield


def here_already(spec: Any, preset: Any) -> Path | None | Literal[False]:
    """A model with nothing to download said so (its folder, None for a tiny one), else False.

    They were refused with exit 2 ("nothing to pull"): `reelgen pull $M && reelgen generate -m $M`
    stopped at the pull for the very models that need none.
    """
    import typer

    from reelgen.core import settings, weights
    from reelgen.core.errors import ModelNotAvailable

    where: Path | None = None  # a tiny one is not built here: that takes seconds and prints libraries' noise
    why = "it is a tiny model with random weights, built on this machine the first time it is used"
    if not preset.tiny:
        try:
            source = weights.locate(spec, preset)
        except weights.PartlyDownloaded as exc:  # copied in part: no pull finishes it
            if preset.repo_id:
                return False  # the pull goes on; _shadowed says the part copy still stands before it
            say_error(f"could not pull {preset.name}: {exc.message}")
            raise typer.Exit(1) from None
        except ModelNotAvailable:
            return False  # not here: the pull says there is nowhere to download it from
        if preset.repo_id and source.origin != "models-dir":
            return False  # in the cache already: the pull checks it against the Hub and finishes it
        where, why = source.path, "its weights ship inside the reelgen package"
        if preset.repo_id:
            # The whole copy there is what every run loads: a pull downloaded the model again into the
            # Hugging Face cache (tens of GB, never used) and printed that folder instead.
            why = (
                f"its whole folder is already in {settings.models_dir()}, which is looked in before the Hugging "
                "Face cache (remove that folder first to use a pulled copy)"
            )
        elif source.origin != "bundled":
            why = f"it has no Hugging Face repository, and its folder is already in {settings.models_dir()}"
    console.print(f"nothing to download for {shown(preset.name)}: {why}", highlight=False)
    return where
