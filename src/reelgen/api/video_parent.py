"""The batch or shoot-out a video is an item of: its object's ``parent_id``, ``parent_object`` and ``urls.parent``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from reelgen.api.errors import ApiError
from reelgen.api.schemas import VideoObject
from reelgen.jobs.records import Job, JobNotFound, kind_noun, kind_url, known_as
from reelgen.jobs.service import JobService

#: Parents by id, as read for a page of videos; None for one deleted since its item was read.
Parents = Mapping[str, Job | None]


def parents_of(service: JobService, jobs: Iterable[Job]) -> dict[str, Job | None]:
    """The parent of each of ``jobs`` that has one, each read once: a page of a batch's items reads
    the batch once (the service keeps a parent's payload, so a later page reads only its row)."""
    found: dict[str, Job | None] = {}
    for parent_id in {job.parent_id for job in jobs if job.parent_id is not None}:
        try:
            found[parent_id] = service.get(parent_id)
        except JobNotFound:
            found[parent_id] = None
    return found


def with_parent(
    video: VideoObject, job: Job, service: JobService, base: str, parents: Parents | None = None
) -> VideoObject:
    """``video`` with the batch or shoot-out ``job`` is an item of, read unless ``parents`` has it.

    ``GET /v1/videos`` and ``reelgen list`` showed a batch's item jobs as videos made on their own:
    nothing said they were the batch's, or where to see it.
    """
    if job.parent_id is None:
        return video
    if parents is None or job.parent_id not in parents:
        parents = parents_of(service, [job])
    parent = parents[job.parent_id]
    path = kind_url(parent.kind, parent.id) if parent is not None else None
    urls = video.urls.model_copy(update={"parent": f"{base}{path}" if path else None})
    kind = parent.kind if parent is not None else None
    return video.model_copy(update={"parent_id": job.parent_id, "parent_object": kind, "urls": urls})


def refuse_item_of_running(service: JobService, job: Job) -> None:
    """A 409 naming the batch or shoot-out a video is an item of while that one still runs (it would
    make the item again). It said "job X belongs to Y, which is still running" on param ``id``: Y
    was not said to be a batch, and the route has no ``id``. The service checks again as it deletes."""
    if job.parent_id is None:
        return
    try:
        parent = service.get(job.parent_id)
    except JobNotFound:
        return
    if parent.terminal:
        return
    noun, url = kind_noun(parent.kind), kind_url(parent.kind, parent.id)
    how = (
        f" (POST {url}/cancel ends it now), or delete the {noun} with its items: DELETE {url}" if url else ""
    )
    raise ApiError(
        409,
        f"video {job.id} is an item of {known_as(parent.kind, parent.id)}, which is still running and "
        f"would make it again; delete it once the {noun} has ended{how}",
        param="video_id",
        code="invalid_transition",
        # As fields of their own: `reelgen delete` says it with its own commands, not by reading the message.
        extra={"parent_id": parent.id, "parent_object": parent.kind},
    )
