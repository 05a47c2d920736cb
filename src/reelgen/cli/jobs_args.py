"""The job commands' argument checks, made before anything is sent: a job id, an idempotency key, a finite
number; and the options they share."""

from __future__ import annotations

import math
from typing import Annotated

import typer

from reelgen.cli.complete import job_model_names, job_states, model_names, variants
from reelgen.jobs.records import JOB_ID, id_form


def checked_job_id(value: str) -> str:
    """An empty id named the collection (GET /v1/videos/ answered "no route"): bad input, said here.
    So is one no job can have: with a "/" the server answered "no route" (or "DELETE is not
    allowed"), and one too long for a file name died in ``download`` with an internal error."""
    if not value.strip():
        raise typer.BadParameter("give a job id (video_..., as `reelgen list` shows them)")
    if "/" in value or "\\" in value or len(value) > 200 or not value.strip("."):  # ".." went up to /v1
        shown = value if len(value) <= 60 else f"{value[:57]}..."
        raise typer.BadParameter(f"{shown!r} is not a job id: {id_form('job')}, as `reelgen list` shows them")
    # An id read with its line's end (a file saved on Windows: "video_...\r") or copied with a space,
    # or typed in capitals, was "no video 'video_... '": no id holds either, so it is the job meant.
    return as_job_id(value)


def as_job_id(value: str) -> str:
    """``value`` as the job id it names when it is one once trimmed and in lower case, else as given."""
    plain = value.strip().lower()
    return plain if JOB_ID.match(plain) else value


def after_id(value: str | None) -> str | None:
    """``list --after``'s id, read as ``checked_job_id`` reads one."""
    return None if value is None else as_job_id(value)


def _key(value: str | None) -> str | None:
    """An empty key (``--idempotency-key "$KEY"`` with KEY unset) was dropped without a word: every
    retry of the command then queued another job, the very thing the key was given to prevent."""
    if value is not None and not value.strip():
        raise typer.BadParameter("is empty (an unset variable?); give a key, or leave the option out")
    return value


def finite(ctx: typer.Context, param: typer.CallbackParam, value: float | None) -> float | None:
    """nan and inf cannot go into a JSON body: the request died in httpx with a traceback. The numbers
    the option takes are said too, as generate says them (here it said only "give a finite one")."""
    from reelgen.cli.option_fields import field_takes

    if value is not None and not math.isfinite(value):
        flag = next((o for o in param.opts if o.startswith("--")), param.opts[0])
        takes = field_takes(ctx, flag, {"type": "finite_number", "input": value})
        raise typer.BadParameter(
            f"{value} is not a number a request can carry; give a finite one"
            + (f": {takes}" if takes else "")
        )
    return value


def remix_seed(value: int | None) -> int | None:
    """A negative seed refused here: the server's words for it ("leave seed out for a random one") are
    a create's, and a remix with no --seed keeps the remixed video's seed, so none is random."""
    if value is not None and value < 0:
        raise typer.BadParameter(
            f"{value} does not mean random here: give a whole number from 0 to 2^63-1, or leave --seed "
            "out to keep the remixed video's seed"
        )
    return value


def _one_of(what: str, allowed: list[str], value: str | None) -> str | None:
    """``value`` when it is one of ``allowed``, else refused here with the choices (and the one meant):
    the server's answer was pydantic's "Input should be 'queued', ...", after a round trip."""
    from reelgen.core.errors import near_choice

    if value is None or value in allowed:
        return value
    listed = f"{', '.join(allowed[:-1])} or {allowed[-1]}"
    meant = near_choice(value, allowed) or near_choice(value.replace("-", "_"), allowed)
    raise typer.BadParameter(
        f"{value!r} is not {what}; give one of {listed}" + (f"; did you mean {meant}?" if meant else "")
    )


def job_state(value: str | None) -> str | None:
    """``list --status``'s check: one of the states a job goes through."""
    from reelgen.jobs.records import JobStatus

    return _one_of("a job state", [state.value for state in JobStatus], value)


def variant_name(value: str) -> str:
    """``download --variant``'s check: a file a finished job has (video, thumbnail, spritesheet)."""
    from reelgen.jobs.artifacts import SUFFIXES

    return _one_of("a variant", list(SUFFIXES), value) or value


IdArg = Annotated[str, typer.Argument(help="Job id (video_...).", callback=checked_job_id)]
KeyIdemOpt = Annotated[
    str | None,
    typer.Option(
        "--idempotency-key", help="Resending with the same key returns the same job.", callback=_key
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print the whole video object as JSON.")]
WatchOpt = Annotated[bool, typer.Option("--watch", help="Follow progress until the job ends.")]
SubmitModelOpt = Annotated[
    str | None, typer.Option("--model", "-m", help="Model id (GET /v1/models).", autocompletion=model_names)
]
ListModelOpt = Annotated[
    str | None,
    typer.Option("--model", "-m", help="Only jobs of this model.", autocompletion=job_model_names),
]
StateOpt = Annotated[
    str | None,
    typer.Option(
        "--status",
        help="Only jobs in this state: queued, in_progress, completed, failed, cancelled.",
        autocompletion=job_states,
        callback=job_state,
    ),
]
VariantOpt = Annotated[
    str, typer.Option(help="video, thumbnail or spritesheet.", autocompletion=variants, callback=variant_name)
]
