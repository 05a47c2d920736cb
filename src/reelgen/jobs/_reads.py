"""The service's reads of jobs: one by id (of a kind), several at once, a parent's payload kept once read."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable
from typing import Any

from reelgen.jobs import kinds
from reelgen.jobs.records import Job, JobNotFound
from reelgen.jobs.store import JobStore

#: Parents whose payload is kept, the most recently read first.
PAYLOADS_KEPT = 64


class JobReads:
    """Reads jobs from ``store``; a parent's payload (a batch's whole manifest) is read once and kept.

    A job's payload never changes once it is made, and a parent's live stream reads the parent once
    a second for its status: it read the payload with it each time. Kept by job id, it is read again
    only for a parent this process has not read lately.
    """

    def __init__(self, store: JobStore, kept: int = PAYLOADS_KEPT) -> None:
        self.store = store
        self._payloads: OrderedDict[str, dict[str, Any]] = OrderedDict()
        self._most = kept
        self._lock = threading.Lock()

    def get(self, job_id: str, kind: str | tuple[str, ...] | None = None) -> Job:
        """The job ``job_id``; with ``kind`` (one or several), a job of another kind is not found either,
        and the error names what was looked for ("no video ..." for the video kinds)."""
        wanted = (kind,) if isinstance(kind, str) else kind
        if wanted is None:
            return self._read(job_id)
        try:
            job: Job | None = self._read(job_id)
        except JobNotFound:
            job = None
        if job is None or job.kind not in wanted:
            video = set(wanted) <= set(kinds.VIDEO_KINDS)
            raise JobNotFound.of(job_id, "video" if video else f"{' or '.join(wanted)} job") from None
        return job

    def many(self, job_ids: Iterable[str]) -> dict[str, Job]:
        """Those of ``job_ids`` that exist, by id, read in one query."""
        return self.store.jobs_by_id(job_ids)

    def _read(self, job_id: str) -> Job:
        with self._lock:
            payload = self._payloads.get(job_id)
            if payload is not None:
                self._payloads.move_to_end(job_id)
        if payload is not None:
            try:
                return self.store.get_without_payload(job_id, payload)
            except JobNotFound:
                with self._lock:
                    self._payloads.pop(job_id, None)
                raise
        job = self.store.get(job_id)
        if job.kind in kinds.parent_names():
            with self._lock:
                self._payloads[job_id] = job.payload
                while len(self._payloads) > self._most:
                    self._payloads.popitem(last=False)
        return job
