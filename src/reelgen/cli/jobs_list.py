"""``reelgen list``: the server's video jobs, a page at a time, one line each (or the page as JSON)."""

from __future__ import annotations

import json
import shlex
from typing import Annotated

import typer

from reelgen.cli.client import ClientError, KeyOpt, ServerOpt, _call, _exit, _not_reelgen, again
from reelgen.cli.jobs import VIDEO_KEYS, _answer, _print_video
from reelgen.cli.jobs_args import ListModelOpt, StateOpt, after_id
from reelgen.cli.output import console


def list_videos(
    state: StateOpt = None,
    model: ListModelOpt = None,
    limit: Annotated[int, typer.Option(min=1, max=100, help="At most this many (1-100).")] = 20,
    after: Annotated[
        str | None, typer.Option(help="Continue after this job id (the next page).", callback=after_id)
    ] = None,
    parent: Annotated[
        str | None,
        typer.Option(help="Only the item jobs of this batch or shoot-out (its id).", callback=after_id),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the list object as JSON.")] = False,
    server: ServerOpt = "http://127.0.0.1:8000",
    api_key: KeyOpt = None,
) -> None:
    """List the server's video jobs, newest first, one line each.

    Batches and shoot-outs are not listed (GET /v1/batches, /v1/shootouts),
    but their item jobs are, each line ending "item of batch ID" (or
    "item of shoot-out ID"); status, watch, cancel and delete take their
    ids as a video's.

    Examples: reelgen list --status completed --limit 5
              reelgen list --parent video_0123...   # a batch's items
    """
    params = {"status": state, "model": model, "limit": limit, "after": after, "parent": parent}
    try:
        sent = _call(
            server, api_key, "GET", "/v1/videos", params={k: v for k, v in params.items() if v is not None}
        )
        page = _answer(sent, "data")
        if not isinstance(page["data"], list) or not all(
            isinstance(v, dict) and all(k in v for k in VIDEO_KEYS) for v in page["data"]
        ):
            raise _not_reelgen(sent)
    except ClientError as exc:
        raise _exit(exc, {k: f"--{k}" for k in params}) from None
    if as_json:
        typer.echo(json.dumps(page, indent=2, ensure_ascii=False))
        return
    for video in page["data"]:
        _print_video(video)
    if not page["data"]:
        said = _none_listed(bool(state or model or parent), after)
        if after is None and not (state or model or parent):
            said += _others_held(server, api_key)
        console.print(said, highlight=False, markup=False)
    if page.get("has_more"):  # with the filters typed: "--after ID" alone went on over every job, 20 a page
        kept = {
            "--status": state,
            "--model": model,
            "--parent": parent,
            "--limit": None if limit == 20 else limit,
        }
        typed = "".join(f" {flag} {shlex.quote(str(v))}" for flag, v in kept.items() if v is not None)
        # With the --server typed too: the hint run as shown listed the default server's jobs.
        more = f"more: reelgen list{typed} --after {page['last_id']}{again(server)}"
        console.print(more, highlight=False, markup=False)


def _others_held(server: str, api_key: str | None) -> str:
    """Where the server's batches and shoot-outs are listed, when it has any: after `batch --server`,
    `reelgen list` said only "no video jobs", as if the batch had not been made."""
    held = []
    for path, noun in (("batches", "batches"), ("shootouts", "shoot-outs")):
        try:
            found = _call(server, api_key, "GET", f"/v1/{path}", params={"limit": 1}).json()
        except (ClientError, ValueError):
            continue  # an older server, or none: the line is said as before
        if isinstance(found, dict) and found.get("data"):
            held.append((noun, f"GET {server.rstrip('/')}/v1/{path}"))
    if not held:
        return ""
    nouns = " and ".join(noun for noun, _ in held)
    where = ", ".join(f"{url} lists its {noun}" for noun, url in held)
    return (
        f"; this server has {nouns}, which reelgen list does not show ({where}; "
        "reelgen status ID, watch, cancel and delete take their ids)"
    )


def _none_listed(filtered: bool, after: str | None) -> str:
    """What an empty page says. Past the last page it said "no video jobs" of a server that has them
    (the hint's ``--after`` run once the list had ended), as if they had all been deleted."""
    if after is None:
        return "no video jobs match" if filtered else "no video jobs"
    matching = "matching " if filtered else ""
    return f"no more {matching}video jobs after {after}: the list ends there"
