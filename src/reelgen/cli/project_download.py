"""What ``reelgen download`` of a project's render or export job says: where what it made is, not "not a video"."""

from __future__ import annotations

from reelgen.cli.client import ClientError, _call
from reelgen.cli.parent_jobs import PROJECT_KEYS, answer, own_url


def project_job_files(server: str, api_key: str | None, job_id: str, exc: ClientError) -> ClientError:
    """``exc`` said for the project job ``job_id`` names (its 404's ``error.job_url``); else ``exc``.

    It said "no video ...: it is a render job of project P (...), not a video", with no word of where
    the clips and the film it made are: the project's, with their own URLs.
    """
    url = own_url(exc)
    if url is None or not url.startswith("/v1/projects/"):
        return exc
    try:
        job = answer(_call(server, api_key, "GET", url), *PROJECT_KEYS)
    except ClientError:
        return exc
    project = job["project_id"]
    export = job.get("export")
    film = (
        f"; the film it exported: {export['url']}" if isinstance(export, dict) and export.get("url") else ""
    )
    return ClientError(
        f"{job_id} is the {job['action']} job of project {project}, not a video: the scene clips (and any "
        f"film) it made are the project's (GET {server.rstrip('/')}/v1/projects/{project} lists its scenes "
        f"and its exports, each with its url){film}",
        exc.status,
        bad_input=True,
    )
