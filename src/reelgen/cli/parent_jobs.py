"""A job id the video commands are given that names a batch, shoot-out or project job, found at its own URL."""

from __future__ import annotations

from typing import Any

import httpx

from reelgen.cli.client import ClientError, _call, _not_reelgen, again, job_path
from reelgen.cli.watching import watching_only

#: What every video object has that a job's line shows.
VIDEO_KEYS = ("id", "status", "progress", "model", "size")
#: What a batch's or shoot-out's object has, and a project job's.
PARENT_KEYS = ("id", "status", "progress", "request_counts")
PROJECT_KEYS = ("id", "status", "progress", "action", "project_id")
#: The routes a 404 of ``/v1/videos/{id}`` may name as the job's own (``error.job_url``).
OWN_ROUTES = ("/v1/projects/", "/v1/batches/", "/v1/shootouts/")


def answer(resp: httpx.Response, *keys: str) -> dict[str, Any]:
    """The JSON object answered, holding ``keys``; another API's object (``{"ok": true}`` from
    another service on port 8000) ended the command in a KeyError traceback."""
    found: dict[str, Any] = resp.json()
    if not all(key in found for key in keys):
        raise _not_reelgen(resp)
    return found


def own_url(exc: ClientError) -> str | None:
    """The URL where the job a video route did not find is read, as its 404 names it; else None."""
    url = exc.error.get("job_url")
    return url if isinstance(url, str) and url.startswith(OWN_ROUTES) else None


def keys_at(path: str) -> tuple[str, ...]:
    """What the object at ``path`` holds: a video's, a project job's, or a batch's or shoot-out's."""
    if path.startswith("/v1/projects/"):
        return PROJECT_KEYS
    return PARENT_KEYS if path.startswith(OWN_ROUTES) else VIDEO_KEYS


def found(server: str, api_key: str | None, job_id: str, method: str = "GET") -> tuple[str, dict[str, Any]]:
    """The job ``job_id``'s path and object (as ``method`` answers it): a video's, or any other job's at
    its own URL. A batch's id given to ``reelgen cancel``, as ``batch --server`` names it, was a 404."""

    def at(path: str) -> tuple[str, dict[str, Any]]:
        keys = keys_at(path) if method == "GET" else ("id",)
        return path, answer(_call(server, api_key, method, path), *keys)

    try:
        return at(job_path(job_id))
    except ClientError as exc:
        url = own_url(exc)
        if url is None:  # no route of its own (a scene job, say): the 404 says what it is
            raise
        return at(url)


def made_of(job: dict[str, Any]) -> str | None:
    """What a job other than a video is, for its line: ``batch shots.json  1/5 items ended``; None for a video."""
    if "project_id" in job:
        return f"{job['action']} of project {job['project_id']}"
    counts = job.get("request_counts")
    if not isinstance(counts, dict):
        return None
    ended = sum(int(counts.get(k, 0)) for k in ("completed", "failed", "cancelled"))
    items = f"{ended}/{counts.get('total', 0)} items ended"
    if job.get("object") == "shootout":
        return f"shoot-out of {', '.join(map(str, job.get('models') or []))}  {items}"
    return f"batch {job.get('name') or '(no name)'}  {items}"


def not_downloadable(server: str, api_key: str | None, job_id: str, exc: ClientError) -> ClientError:
    """What ``reelgen download`` of a batch's or shoot-out's id says: its files are in a server folder,
    not one download (it said "no video ..., not a video", with no word of where they are)."""
    url = own_url(exc)
    if url is None or url.startswith("/v1/projects/"):
        return exc
    try:
        job = answer(_call(server, api_key, "GET", url), *PARENT_KEYS)
    except ClientError:
        return exc
    noun = "shoot-out" if job.get("object") == "shootout" else "batch"
    folder = job.get("output_folder") or "its output folder"
    flag = again(server)
    return ClientError(  # the command that lists the items, not the API route a CLI user cannot call
        f"{job_id} is a {noun}, not a video: its files are written on the server, in {folder} "
        f"(GET {url} shows it); `reelgen list --parent {job_id}{flag}` lists its item jobs, and "
        f"`reelgen download ITEM_ID{flag}` fetches one of their videos",
        exc.status,
        bad_input=True,
    )


def watch_parent(server: str, api_key: str | None, job_id: str, exc: ClientError) -> str | None:
    """Follow the batch, shoot-out or project job ``job_id`` a video's events route did not find (``exc``)
    until it ends, as ``batch --server`` follows it: its final status; None when it is none of those."""
    from reelgen.cli import remote

    url = own_url(exc)
    if url is None:
        return None
    if url.startswith("/v1/projects/"):
        return watch_project(server, api_key, job_id, url)
    job = answer(_call(server, api_key, "GET", url), *PARENT_KEYS)
    noun = str(job.get("object") or "batch")
    later = f"reelgen cancel {job_id}{again(server)} stops it"
    with watching_only(f"the {noun} {job_id}", later):
        return str(remote.follow(server, api_key, url, job, noun, quiet=False)["status"])


def watch_project(server: str, api_key: str | None, job_id: str, url: str) -> str:
    """Follow the project job at ``url`` until it ends, with the bar ``project render --server`` shows;
    its final status. Ctrl-C stops the watching only: that command cancels the job it started, but
    one watched may be another person's render, so it keeps running and the line says how to stop it."""
    from reelgen.cli import client, project_remote
    from reelgen.cli.output import say_ended
    from reelgen.cli.reconnect import EventStream

    job = answer(_call(server, api_key, "GET", url), *PROJECT_KEYS)
    what = f"the {job['action']} job {job_id} of project {job['project_id']}"
    cancel = f"reelgen cancel {job_id}{client.again(server)}"
    later = f"{cancel} stops it"
    bar = client.job_bar(quiet=False)
    stream = EventStream(server, client.RECONNECT_S, known=True)  # the job was just read: it exists
    ended: dict[str, Any] | None = None
    http_timeout = httpx.Timeout(30.0, read=120.0)
    with watching_only(what, later), bar, client._client(server, api_key, timeout=http_timeout) as http:
        task = bar.add_task(str(job["status"]), total=100, info="")
        for _, name, data in stream.events(http, f"{url}/events", project_remote._refused):
            if name in project_remote.TERMINAL:
                bar.update(task, description=name, completed=100 if name == "completed" else None)
                ended = dict(data["job"])
                break
            project_remote._show(bar, task, name, data)
    if ended is None:
        # Said as a batch's watch says it: how to look at the job, not only how to stop it.
        raise ClientError(
            f"lost the event stream of {job_id}: {stream.gone()}; it may run on: "
            f"`reelgen status {job_id}{client.again(server)}` shows it once the server answers, "
            f"`{cancel}` stops it"
        )
    if ended["status"] != "completed":
        say_ended(str(ended["status"]), str((ended.get("error") or {}).get("message", "")))
    return str(ended["status"])
