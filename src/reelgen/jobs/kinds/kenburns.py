"""The ``ken_burns`` kind: a still image filmed along a camera path on a worker, with no model to load.

Batch items whose model is ``ken-burns`` become children of this kind, since a
parent job runs no work itself. The image travels to the worker by value like
any input file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reelgen.core.motion.kenburns import KEN_BURNS, KenBurnsRequest
from reelgen.jobs.artifacts import png_bytes, verify_video
from reelgen.jobs.events import RunResult
from reelgen.jobs.kinds.base import WorkerContext, WorkerKind
from reelgen.jobs.records import Facts, Job

NAME = "ken_burns"


class KenBurnsKind(WorkerKind[KenBurnsRequest]):
    """The payload is the ``KenBurnsRequest`` a batch plan made (path checked against the image there)."""

    name = NAME
    payload_model = KenBurnsRequest

    def facts(self, payload: KenBurnsRequest) -> Facts:
        return Facts(
            model=KEN_BURNS,
            prompt=f"Ken Burns of {Path(payload.image).name}",
            width=payload.width,
            height=payload.height,
            num_frames=payload.num_frames,
            fps=payload.fps,
        )

    def input_files(self, payload: KenBurnsRequest) -> list[tuple[str, str]]:
        return payload.input_files()

    def with_input_files(self, payload: KenBurnsRequest, paths: dict[str, str]) -> KenBurnsRequest:
        return payload.model_copy(update={"image": paths.get("image", payload.image)})

    def least_gib(self, payload: KenBurnsRequest, total_gib: float) -> float | None:
        return 0.0  # filmed on the CPU: any worker will do

    def run(self, payload: KenBurnsRequest, context: WorkerContext) -> RunResult:
        from reelgen.core.motion.kenburns import render_ken_burns

        out = render_ken_burns(payload, context.folder / "video.mp4", progress=context.progress)
        record: dict[str, Any] = out.metadata
        return RunResult(
            files={
                "video": out.path.read_bytes(),
                "metadata": out.sidecar.read_bytes(),
                "thumbnail": png_bytes(out.video.frames[out.video.num_frames // 2]),
            },
            frames=out.video.num_frames,
            device="cpu",
            timings=dict(record.get("timings") or {}),
        )

    def check(self, job: Job, files: dict[str, Path], result: RunResult) -> dict[str, Any]:
        """Decode the MP4 as a player would: every frame there, none of them black."""
        return verify_video(files["video"], result.frames)
