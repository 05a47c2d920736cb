"""The Ray worker actor: one per GPU (or CPU worker), keeps models loaded and streams a job's events.

This module is imported by the API process to create actor handles, so torch
and the render recipe are imported only inside the actor's methods.
"""

from __future__ import annotations

import base64
import io
import os
import queue
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

#: What ``run`` yields: {"type": "progress" | "result" | "cancelled" | "error", ...}.
WorkerEvent = dict[str, Any]

#: Request fields that name input files, which travel to the worker as bytes.
INPUT_FIELDS = ("start_image", "end_image", "source_video")


def pack_inputs(request: dict[str, Any]) -> dict[str, bytes]:
    """Read the request's input files (images, source video) so they cross to any node by value."""
    files: dict[str, bytes] = {}
    for name in INPUT_FIELDS:
        if request.get(name):
            files[name] = Path(request[name]).expanduser().read_bytes()
    for i, key in enumerate(request.get("keyframes") or []):
        files[f"keyframes.{i}"] = Path(key["image"]).expanduser().read_bytes()
    return files


def _unpack_inputs(request: dict[str, Any], files: dict[str, bytes], folder: Path) -> dict[str, Any]:
    """Write the shipped inputs into ``folder`` and point the request at them."""
    out = {**request, "keyframes": [dict(k) for k in request.get("keyframes") or []]}
    for name, data in files.items():
        field, _, index = name.partition(".")
        original = out["keyframes"][int(index)]["image"] if index else out[field]
        path = folder / f"{name}{Path(original).suffix}"
        path.write_bytes(data)
        if index:
            out["keyframes"][int(index)]["image"] = str(path)
        else:
            out[field] = str(path)
    return out


def _png_b64(frame: Any) -> str:
    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray(frame).save(buf, format="PNG", optimize=True)
    return base64.b64encode(buf.getvalue()).decode()


def _thumbnail(frames: Any) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray(frames[len(frames) // 2]).save(buf, format="PNG")
    return buf.getvalue()


class VideoWorker:
    """Renders jobs one at a time; a second thread takes ``cancel``, ``info`` and ``free`` calls.

    Created through ``ray.remote`` by ``reelgen.jobs.pool``; ``setup`` (if
    given) runs first in the worker process, e.g. to register a plugin
    backend that is not installed as an entry point.
    """

    def __init__(
        self, worker_id: str, models_per_worker: int = 1, setup: Callable[[], None] | None = None
    ) -> None:
        if setup is not None:
            setup()
        from reelgen.core.cache import ModelCache

        self.worker_id = worker_id
        self.cache = ModelCache(max_models=max(1, models_per_worker))
        self._busy: str | None = None
        self._busy_model: str | None = None
        self._cancel: dict[str, Any] = {}
        self._lock = threading.Lock()

    def info(self) -> dict[str, Any]:
        """Identity, device, VRAM and loaded models of this worker (cheap; safe while busy)."""
        import socket

        from reelgen.core.devices import device_info

        dev = device_info()
        return {
            "id": self.worker_id,
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "device": dev.device,
            "device_name": dev.name,
            "total_vram_gib": dev.total_gib,
            "free_vram_gib": dev.free_gib,
            "loaded_models": [e["model"] for e in self.cache.loaded()],
            "busy_job": self._busy,
        }

    def cancel(self, job_id: str) -> bool:
        """Ask the running render of ``job_id`` to stop at its next step; False if not running."""
        with self._lock:
            token = self._cancel.get(job_id)
        if token is None:
            return False
        token.cancel("cancelled")
        return True

    def free(self, idle_seconds: float = 0.0) -> list[str]:
        """Unload models idle for ``idle_seconds``, never the one a running job uses."""
        from reelgen.core.spec import registry

        busy_model = self._busy_model
        freed = []
        for entry in self.cache.loaded():
            if entry["model"] != busy_model and entry["idle_s"] >= idle_seconds:
                self.cache.drop(registry.resolve(entry["model"])[1])
                freed.append(entry["model"])
        return freed

    def run(
        self, job_id: str, request: dict[str, Any], inputs: dict[str, bytes], preview_every: int = 0
    ) -> Iterator[WorkerEvent]:
        """Render ``request``; yields progress events, then one of result / cancelled / error.

        The result carries the MP4, its sidecar and a thumbnail as bytes, so
        nothing has to share a disk with the caller.
        """
        events: queue.Queue[WorkerEvent | None] = queue.Queue()
        folder = Path(tempfile.mkdtemp(prefix=f"reelgen-{job_id}-"))
        with self._lock:
            self._busy, self._busy_model = job_id, request.get("model")
        try:
            thread = threading.Thread(
                target=self._render,
                args=(job_id, request, inputs, preview_every, folder, events),
                name=f"render-{job_id}",
                daemon=True,
            )
            thread.start()
            while (event := events.get()) is not None:
                yield event
            thread.join()
        finally:
            with self._lock:
                self._busy = self._busy_model = None
                self._cancel.pop(job_id, None)
            shutil.rmtree(folder, ignore_errors=True)

    def _render(
        self,
        job_id: str,
        request: dict[str, Any],
        inputs: dict[str, bytes],
        preview_every: int,
        folder: Path,
        events: queue.Queue[WorkerEvent | None],
    ) -> None:
        from reelgen.core.errors import Cancelled, ReelgenError
        from reelgen.core.progress import CancelToken, Progress, ProgressEvent
        from reelgen.core.render import render
        from reelgen.core.spec.request import GenerationRequest

        token = CancelToken()
        with self._lock:
            self._cancel[job_id] = token

        def on_event(ev: ProgressEvent) -> None:
            out: WorkerEvent = {
                "type": "progress",
                "stage": ev.stage,
                "step": ev.step,
                "total": ev.total,
                "eta_s": ev.eta_s,
                "message": ev.message,
            }
            if ev.preview is not None and len(ev.preview):
                out["preview"] = _png_b64(ev.preview[len(ev.preview) // 2])
            events.put(out)

        try:
            req = GenerationRequest.model_validate(_unpack_inputs(request, inputs, folder))
            self._make_room(req)
            progress = Progress(on_event=on_event, cancel=token, preview_every=preview_every)
            result = render(req, folder / "video.mp4", progress=progress, cache=self.cache)
            events.put(
                {
                    "type": "result",
                    "video": result.path.read_bytes(),
                    "metadata_json": result.sidecar.read_bytes(),
                    "thumbnail": _thumbnail(result.video.frames),
                    "frames": result.video.num_frames,
                    "peak_vram_gib": result.metadata.get("peak_vram_gib"),
                    "device": result.metadata.get("device", {}).get("device"),
                    "timings": result.metadata.get("timings", {}),
                }
            )
        except Cancelled as exc:
            events.put({"type": "cancelled", "message": exc.message})
        except ReelgenError as exc:
            events.put({"type": "error", "code": exc.code, "message": exc.message})
        except Exception as exc:  # a crash in a model must reach the job, not kill the worker
            events.put({"type": "error", "code": "internal_error", "message": f"{type(exc).__name__}: {exc}"})
        finally:
            events.put(None)

    def _make_room(self, request: Any) -> None:
        """Unload idle models until the new one's fastest plan fits the free VRAM (GPU only)."""
        from reelgen.core.devices import device_info
        from reelgen.core.spec import registry
        from reelgen.core.spec.memory import DeviceInfo

        loaded = [e["model"] for e in self.cache.loaded()]
        dev = device_info()
        if request.model in loaded or dev.total_gib is None or not loaded:
            return
        backend_cls, preset = registry.resolve(request.model)
        whole = DeviceInfo(dev.device, dev.name, dev.total_gib, dev.total_gib)
        need = backend_cls(preset).plan_for(request, whole, None).need_gib
        for name in loaded:  # least recently used first
            if (device_info().free_gib or 0.0) >= need:
                break
            self.cache.drop(registry.resolve(name)[1])
