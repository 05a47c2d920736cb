"""The ``avatar`` kind: a talking-head clip rendered like any ``render`` job, with its lip-sync measure in the result.

An avatar request is a ``ResolvedRequest`` of task ``avatar``, resolved at the
edge (where text is spoken first), so the render kind carries it unchanged: the
voice, the photo or the video to dub are its declared input files and travel to
the worker by value. What this kind adds is what only the worker sees: the sync
score the runner measured on the frames it made (``Video.extra["avatar"]``),
which the API returns and which the render record does not hold; and a check
that the MP4 kept its voice.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reelgen.core.errors import GenerationFailed, InvalidRequest
from reelgen.core.spec.request import ResolvedRequest, Task
from reelgen.jobs.events import RunResult
from reelgen.jobs.kinds.base import WorkerContext
from reelgen.jobs.kinds.render import RenderKind, make_room, run_result
from reelgen.jobs.records import Facts, Job

#: The runner's per-clip facts a job result keeps (the per-frame mouth boxes stay in the worker).
RESULT_FACTS = ("sync", "faces_found", "audio_features")


@dataclass(frozen=True)
class AvatarResult(RunResult):
    """A render's result plus the avatar facts measured on the worker."""

    avatar: dict[str, Any] = field(default_factory=dict)


class AvatarKind(RenderKind):
    """Render kind for ``task=avatar`` requests; the job's result gains ``avatar: {sync, faces_found, ...}``."""

    name = "avatar"

    #: The avatar's inputs as its routes and commands name them (a photo, or a video to dub, and a voice).
    INPUTS = {"start_image": "the photo", "source_video": "the video", "speech_audio": "the voice"}

    def input_named(self, param: str) -> str:
        return self.INPUTS.get(param, super().input_named(param))

    #: The core request's fields by the names ``POST /v1/avatars`` gives them (api.avatar_inputs' WIRE_NAMES).
    SENT_AS = {
        "options.face_index": "face_index",
        "start_image": "image",
        "source_video": "video",
        "speech_audio": "audio",
        "speech_text": "text",
    }

    def as_sent(self, exc: InvalidRequest) -> InvalidRequest:
        """``exc`` naming the field as the request sent it: a job's error read "start_image: ..." or
        "options.face_index 3 ...", names no avatar request has."""
        param, message = exc.param or "", exc.message
        sent = self.SENT_AS.get(param)
        if sent is None:
            return exc
        if message.startswith(param):
            message = sent + message[len(param) :]
        return InvalidRequest(message, param=sent)

    def facts(self, payload: ResolvedRequest) -> Facts:
        """A spoken text stands where a prompt would: lists and the video object show what was said."""
        return dataclasses.replace(super().facts(payload), prompt=payload.speech_text or payload.prompt)

    def run(self, payload: ResolvedRequest, context: WorkerContext) -> RunResult:
        from reelgen.core.render import render

        if payload.task is not Task.AVATAR:
            raise InvalidRequest(f"an avatar job renders task avatar, not {payload.task.value}", param="task")
        make_room(context.cache, payload)
        try:
            out = render(
                payload, context.folder / "video.mp4", progress=context.progress, cache=context.cache
            )
        except InvalidRequest as exc:  # found only here, in a video's frames: said as the avatar fields are
            raise self.as_sent(exc) from None
        made = out.video.extra.get("avatar") or {}
        facts = {key: made[key] for key in RESULT_FACTS if key in made}
        base = run_result(out)
        return AvatarResult(**{f.name: getattr(base, f.name) for f in dataclasses.fields(base)}, avatar=facts)

    def check(self, job: Job, files: dict[str, Path], result: RunResult) -> dict[str, Any]:
        """The render's checks, then the voice: a talking head without its soundtrack is no avatar."""
        import av

        checked = super().check(job, files, result)
        with av.open(str(files["video"])) as container:
            if not container.streams.audio:
                raise GenerationFailed("the avatar's MP4 has no audio stream; its voice was lost in encoding")
        avatar = result.avatar if isinstance(result, AvatarResult) else {}
        return {**checked, "avatar": avatar}
