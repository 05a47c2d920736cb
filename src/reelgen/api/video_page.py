"""The jobs a ``/v1/videos`` id names: a video (or a 404 saying what other job it is), and a page of
``GET /v1/videos`` after its ``after``, which names a video of that list and nothing else."""

from __future__ import annotations

import re
from collections.abc import Collection
from pathlib import PurePath

from reelgen.api.errors import ApiError
from reelgen.api.lengths import shown
from reelgen.core.errors import ModelNotAvailable
from reelgen.core.spec import registry
from reelgen.jobs import kinds
from reelgen.jobs.records import (
    JOB_ID,
    DeletedCursor,
    Job,
    JobNotFound,
    JobPage,
    id_form,
    kind_noun,
    kind_url,
)
from reelgen.jobs.service import JobService

#: What a job of a kind with no list of its own is (``records.KIND_PATHS`` lists the others): every
#: job's id looks like a video's, and one of these as ``after`` paged on from its place in time.
_NOT_LISTED = {
    "project": "a project's render or export job (GET /v1/projects/{id})",
    "scene": "a scene job of a project's render",
    "export": "an export job of a project",
}


def video_of(service: JobService, video_id: str) -> Job:
    """The video ``video_id``; a 404 saying what job it is when it is a job of another kind.

    Every job's id looks like a video's: a batch's id given to ``reelgen status`` (or to
    ``GET /v1/videos/{id}``) was told "no video '<id>'", as if mistyped or deleted.
    """
    try:
        return service.get(video_id, kind=kinds.VIDEO_KINDS)
    except JobNotFound as missing:
        try:
            other = service.get(video_id)
        except JobNotFound:
            raise _deleted(service, video_id) or missing from None
        project, url = _project_job(service, other)
        what = project or _listed_as(other.kind)
        url = url or kind_url(other.kind, other.id)  # a batch's or shoot-out's: `reelgen cancel` goes there
        # The URL as a field of its own: `reelgen cancel` read it out of the message, which a
        # rewording would have broken.
        raise ApiError(
            404,
            f"no video {shown(video_id)}: it is {what}, not a video",
            param="video_id",
            code="not_found",
            extra={"job_url": url} if url else None,
        ) from None


def _deleted(service: JobService, video_id: str) -> ApiError | None:
    """The 404 of a video deleted since (the store keeps a deleted job's place for page cursors), else None.

    ``reelgen status ID`` after ``reelgen delete ID`` (or a teammate's) was told "no video 'ID'", as
    of an id mistyped; a deleted job of another kind is said as one, as ``after`` says it.
    """
    if not JOB_ID.match(video_id):
        return None
    try:
        service.list(after=video_id, limit=1, kind=kinds.VIDEO_KINDS)
    except DeletedCursor as gone:
        what = f"it was {_listed_as(gone.kind)}, deleted since; not a video"
    except JobNotFound:
        return None  # no job ever had it, or its deletion is forgotten
    else:
        what = "it was deleted"
    return ApiError(404, f"no video {shown(video_id)}: {what}", param="video_id", code="not_found")


#: A server project's id, as its folder under ``projects/`` is named (``api/project_files.py``).
_PROJECT_ID = re.compile(r"proj_[0-9a-f]{32}")


def _project_job(service: JobService, job: Job) -> tuple[str | None, str | None]:
    """What a project's job (or a scene or export job of one) is, with the URL that shows and cancels
    it; and that URL when it is the job's own (a scene's is its project job's), else None.

    ``reelgen cancel`` of a project's render job was told only "a project's render or export job",
    with no project id to cancel it through; the client now finds that URL here and goes there.
    """
    parent = job
    if job.kind != "project" and job.parent_id is not None:
        try:
            parent = service.get(job.parent_id)
        except JobNotFound:
            return None, None
    folder = parent.payload.get("folder") if parent.kind == "project" else None
    project_id = PurePath(folder).name if isinstance(folder, str) else ""
    if not _PROJECT_ID.fullmatch(project_id):
        return None, None
    url = f"/v1/projects/{project_id}/jobs/{parent.id}"
    if parent is job:
        doing = " and ".join(a for a in ("render", "export") if job.payload.get(a, a == "render"))
        article = "an" if doing == "export" else "a"
        return f"{article} {doing or 'check'} job of project {project_id} (GET {url})", url
    part = "an export job" if job.kind == "export" else f"a {job.kind} job"
    return f"{part} of project {project_id}'s job {parent.id} (GET {url}; cancel that job to stop it)", None


def video_page(
    service: JobService,
    after: str | None,
    *,
    limit: int,
    order: str,
    status: str | None,
    model: str | None,
    parent: str | None = None,
) -> JobPage:
    """The videos after video ``after``; a 400 naming ``after`` when it is no video of the list, or
    ``model`` when nothing matched and it names neither a model nor any video job's model.

        A video deleted since its page was listed still marks its place (the store keeps it a day); a
        deleted job of another kind is said to be one.
    """
    if parent is not None:
        _refuse_no_parent(service, parent)
    if after is not None:
        refuse_other_kinds(service, after, kinds.VIDEO_KINDS, "video", "videos")
    try:
        found = {"status": status, "model": model, "parent_id": parent}
        page = service.list(after=after, limit=limit, order=order, kind=kinds.VIDEO_KINDS, **found)
    except DeletedCursor as gone:
        # A shoot-out or batch deleted in the last day paged on from where it had stood.
        raise _other_kind(gone.job_id, gone.kind, "video", "videos", deleted=True) from None
    except JobNotFound:
        form = "" if JOB_ID.match(after or "") else f": {id_form('video')}"
        raise ApiError(
            400,
            f"after: no video {shown(after or '')} to continue from{form}; list again without after, or "
            "from a video that still exists",
            param="after",
            code="invalid_value",
        ) from None
    if model is not None and not page.items and after is None:
        _refuse_unknown_model(service, model, narrowed=status is not None)
    return page


def _refuse_no_parent(service: JobService, parent: str) -> None:
    """A 400 for a ``parent`` filter that names no batch or shoot-out, saying what it names instead:
    an empty page would read as a batch with no items yet."""
    try:
        job = service.get(parent)
    except JobNotFound:
        what = "no job" if JOB_ID.match(parent) else f"no job: {id_form('batch')}"
    else:
        if kind_url(job.kind) is not None and job.kind not in kinds.VIDEO_KINDS:
            return
        what = _listed_as(job.kind)
    raise ApiError(
        400,
        f"parent: {shown(parent)} is {what}; give the id of a batch or shoot-out (GET /v1/batches, "
        "GET /v1/shootouts) to list its item jobs, or leave parent out",
        param="parent",
        code="invalid_value",
    )


def _refuse_unknown_model(service: JobService, model: str, *, narrowed: bool) -> None:
    """A 400 with the known names for a ``model`` filter that matched nothing and names no model.

    "no video jobs match" read as if the name were fine, so a mistyped one is told the known names.
    A name some video job has is no mistake, though no model is called so: an enhanced upload's row
    names its methods (``flow``), and a plugin model may be uninstalled since; narrowed by a state
    (``narrowed``) none of its jobs is in, such a name the list shows was "unknown model".
    """
    try:
        registry.resolve(model)
    except ModelNotAvailable as exc:
        if narrowed and service.list(limit=1, model=model, kind=kinds.VIDEO_KINDS).items:
            return
        raise ApiError(400, f"model: {exc.message}", param="model", code="invalid_value") from None


def refuse_other_kinds(
    service: JobService, after: str, listed: Collection[str], named: str, path: str
) -> None:
    """A 400 saying what job ``after`` is when it is none of the ``listed`` kinds of ``GET /v1/{path}``
    (whose items are each a ``named``); nothing for a job of them, or for an id of no job, which the
    list's own lookup says. A video's id given to the batch list was told "no batch ... to continue
    from; ... from a batch that still exists", sending the person to look for a deleted batch. A job
    of another kind deleted in the last day is said to have been one (the store keeps its kind)."""
    try:
        job = service.get(after)
    except JobNotFound:
        try:  # the list's own cursor lookup: it knows the kind of a job deleted since
            service.list(after=after, limit=1, kind=tuple(listed))
        except DeletedCursor as gone:
            raise _other_kind(after, gone.kind, named, path, deleted=True) from None
        except JobNotFound:
            pass  # an id of no job: the list's own lookup says so
        return
    if job.kind in listed:
        return
    raise _other_kind(after, job.kind, named, path)


def _listed_as(kind: str) -> str:
    """A job of ``kind`` and where its kind is listed: ``a shoot-out (GET /v1/shootouts)``."""
    url = kind_url(kind)
    return f"a {kind_noun(kind)} (GET {url})" if url else _NOT_LISTED.get(kind, f"a {kind} job")


def _other_kind(after: str, kind: str, named: str, path: str, *, deleted: bool = False) -> ApiError:
    """The 400 for an ``after`` that names a job of ``kind``, none of ``GET /v1/{path}``'s (a ``named``)."""
    what = _listed_as(kind)
    was = f"was {what}, deleted since," if deleted else f"is {what},"
    return ApiError(
        400,
        f"after: {shown(after)} {was} not a {named} of this list; after takes the id of a {named} "
        f"GET /v1/{path} listed (its last_id, for the next page), or leave after out for the first page",
        param="after",
        code="invalid_value",
    )
