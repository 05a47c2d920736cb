"""Images pinned at frames (start image, keyframes, end image): which tasks read them, one per frame."""

from __future__ import annotations

from reelgen.core.errors import InvalidRequest
from reelgen.core.spec import registry
from reelgen.core.spec.family import Preset
from reelgen.core.spec.request import GenerationRequest, ResolvedRequest, Task


def check_tasks(task: Task, request: GenerationRequest | ResolvedRequest, preset: Preset) -> None:
    """Images pinned at frames go only to tasks that read them: the runners of t2v, v2v and extend
    dropped them unsaid (``--task t2v --image``, ``--video`` with ``--image``)."""
    pinned = next((f for f in ("start_image", "keyframes", "end_image") if getattr(request, f)), None)
    if pinned and task in (Task.V2V, Task.EXTEND):
        raise InvalidRequest(
            f"{pinned} cannot be pinned in task {task.value}, which works from the source clip "
            "(source_video); drop one of them, or pin images in a run of its output",
            param=pinned,
        )
    # Only a task asked for by name gets here with a start image or keyframes (else they set it).
    wanted = {"start_image": Task.I2V, "keyframes": Task.KEYFRAMES}.get(pinned or "")
    if task is Task.T2V and wanted:
        # "ask for task i2v" of a model without one was advice refused in turn.
        kin = registry.kin_supporting(wanted, preset)
        instead = (
            f"ask for task {wanted.value}"
            if wanted in preset.tasks
            else f"use a model that does task {wanted.value}: "
            + (", ".join(kin) if kin else ", ".join(registry.families_supporting(wanted)) + " models")
        )
        raise InvalidRequest(
            f"{pinned}: task t2v makes the video from the prompt alone and would ignore it; drop it, "
            f"or {instead}",
            param=pinned,
        )


def check_frames(frames: int, request: GenerationRequest | ResolvedRequest) -> None:
    """Every keyframe inside the clip, and one image per frame: Wan VACE kept the last one given, unsaid."""
    pinned: dict[int, str] = {}
    if request.start_image:
        pinned[0] = "the start image (start_image), which is frame 0; drop one of them"
    if request.end_image and frames - 1 in pinned:  # one frame: the pipeline kept one image, unsaid
        raise InvalidRequest(
            f"end_image is the last frame, {frames - 1}, which the start image (start_image) pins already: "
            "a clip of one frame has one image; drop one of them, or make the clip longer (num_frames)",
            param="end_image",
        )
    if request.end_image:
        pinned[frames - 1] = "the end image (end_image), which is the last frame; drop one of them"
    for i, key in enumerate(request.keyframes):
        if key.frame >= frames:
            raise InvalidRequest(
                f"keyframes[{i}].frame {key.frame} is past the last frame ({frames - 1}); give a frame "
                f"from 0 to {frames - 1}, or make the clip longer (num_frames)",
                param=f"keyframes[{i}].frame",
            )
        if key.frame in pinned:
            raise InvalidRequest(
                f"keyframes[{i}].frame {key.frame} is pinned already by {pinned[key.frame]}",
                param=f"keyframes[{i}].frame",
            )
        pinned[key.frame] = "an earlier keyframe; give each keyframe its own frame"
