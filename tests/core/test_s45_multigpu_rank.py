"""A process of a split run: quiet when its parent was killed, unwinding on SIGTERM, refusing a plan before loading."""

from __future__ import annotations

import os
import signal
import threading
from multiprocessing import Pipe
from pathlib import Path
from typing import Any, cast

import pytest

from reelgen.core.atomic import staged
from reelgen.core.cache import ModelCache
from reelgen.core.errors import Cancelled, GenerationFailed, InvalidRequest
from reelgen.core.parallel import ParallelOptions, rank
from reelgen.core.parallel.group import GroupCancel, RankGroup
from reelgen.core.parallel.rank import Outbox
from reelgen.core.progress import ProgressEvent
from reelgen.core.spec import registry
from reelgen.core.spec.memory import MemoryPlan
from tests.core.helpers import resolved


def test_reports_to_a_parent_that_is_gone_are_dropped_quietly() -> None:
    parent, child = Pipe(duplex=True)
    outbox = Outbox(child, rank=1)
    outbox.event(ProgressEvent("denoise", 1, 4, 0.25))
    assert parent.recv()[0] == "event"  # while the parent is there, it hears everything
    parent.close()  # killed (SIGKILL, the OOM killer): its end of the pipe closes
    # Each raised BrokenPipeError, printed with the Cancelled before it by every process.
    outbox.event(ProgressEvent("denoise", 2, 4, 0.5))
    try:
        raise Cancelled("run cancelled by request; no file was written")
    except Cancelled as exc:
        outbox.error(exc, "cpu")
    child.close()


def test_sigterm_unwinds_a_process_and_takes_back_the_files_it_was_writing(tmp_path: Path) -> None:
    # The parent stops the processes of a failed or aborted run with SIGTERM; rank 0 died at once, and
    # the hidden files of the video it was encoding stayed beside the output (".clip-4cd443e2f441.mp4").
    before = signal.signal(signal.SIGTERM, rank.stopped)
    rank.RENDERING.set()
    try:
        stopped = pytest.raises(
            GenerationFailed, match="process .* was stopped by SIGTERM; no file was written"
        )
        with stopped, staged(tmp_path / "clip.mp4", tmp_path / "clip.json") as (video, record):
            video.write_bytes(b"half a video")
            record.write_text("{")
            os.kill(os.getpid(), signal.SIGTERM)  # the handler raises here, in this (the main) thread
            record.write_text("{}")
        assert list(tmp_path.iterdir()) == []
        # The parent's second SIGTERM (stopping what is left) does not break the unwinding.
        assert signal.getsignal(signal.SIGTERM) == signal.SIG_IGN
    finally:
        rank.RENDERING.clear()
        signal.signal(signal.SIGTERM, before)


def test_sigterm_outside_the_render_ends_the_process_without_a_word(monkeypatch: pytest.MonkeyPatch) -> None:
    # Reporting an error when the parent, stopping the rest, sent SIGTERM: the handler raised inside the
    # report and printed its traceback under the parent's "error: run cancelled with Ctrl-C".
    def end(code: int) -> None:
        raise SystemExit(code)  # as os._exit would, without taking pytest with it

    monkeypatch.setattr(rank, "_end", end)
    assert not rank.RENDERING.is_set()
    with pytest.raises(SystemExit) as ended:
        rank.stopped(signal.SIGTERM, None)
    assert ended.value.code == 128 + signal.SIGTERM


def test_a_plan_that_streams_blocks_is_refused_before_the_model_loads(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The refusal came once every process had loaded the model (minutes for a 14B model on each GPU).
    loads: list[str] = []
    monkeypatch.setattr(ModelCache, "acquire", lambda self, spec, preset, *rest: loads.append(preset.name))
    group = RankGroup(rank=1, world=2, device="cuda:1", backend="nccl", control=None)
    request = resolved(model="wan-tiny", prompt="a ship")
    cache = rank.RankCache(group, request, ParallelOptions(), GroupCancel(threading.Event(), group))
    spec, preset = registry.resolve("wan-tiny")
    plan = MemoryPlan("group_offload", "cuda:1", "bfloat16", 8.0, 12.0)
    with pytest.raises(
        InvalidRequest, match="wan-tiny needs group_offload on cuda:1; a run over several GPUs"
    ) as no:
        cache.acquire(spec, preset, cast(Any, None), plan)
    assert no.value.param == "gpus" and loads == []


def test_a_process_whose_parent_is_gone_stops_at_once_and_one_told_to_stop_at_its_next_step(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A killed parent's processes went on loading the model (minutes, the GPU held) until their first step.
    told: list[int] = []
    monkeypatch.setattr(rank, "ORPHAN_GRACE_S", 0.0)
    monkeypatch.setattr(rank, "_end", lambda code: told.append(-code))  # exits regardless after the grace
    monkeypatch.setattr(
        rank, "_silence", lambda: told.append(0)
    )  # says nothing more to a dead parent's terminal
    before = signal.signal(signal.SIGTERM, lambda signum, frame: told.append(signum))
    try:
        for parent_is_gone in (False, True):
            parent, child = Pipe(duplex=True)
            stop = threading.Event()
            if parent_is_gone:
                parent.close()
            else:
                parent.send("stop")
            rank._listen(child, stop)
            assert stop.is_set()
            # Told to stop: the cancel at the next step alone. Parent gone: SIGTERM too, then an exit.
            assert told == ([0, signal.SIGTERM, -1] if parent_is_gone else [])
            child.close()
            parent.close()
    finally:
        signal.signal(signal.SIGTERM, before)
