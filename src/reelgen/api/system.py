"""System routes: GPUs and queue (``/v1/system``), freeing models, health, readiness and Prometheus."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from reelgen.api.deps import authorized, service_of, settings_of
from reelgen.api.errors import error_response
from reelgen.api.query_names import HINTS
from reelgen.api.schemas import ErrorEnvelope, Health, SystemInfo
from reelgen.api.settings import FolderSettings
from reelgen.core.speech.tts import MAX_TEXT_CHARS
from reelgen.jobs.service import JobService

router = APIRouter(tags=["system"])
guarded = APIRouter(
    tags=["system"],
    dependencies=[Depends(authorized)],
    responses={401: {"model": ErrorEnvelope, "description": "Missing or wrong API key"}},
)


class FreeBody(BaseModel):
    """Unload models idle for at least ``idle_seconds`` (0: every model not in use)."""

    # NaN is refused as "a finite number", not against the bound its comparisons fail. A misspelt
    # field is refused: ignored, it left idle_seconds at 0 and unloaded every model at once.
    model_config = ConfigDict(allow_inf_nan=False, extra="forbid", strict=True)

    idle_seconds: float = Field(default=0.0, ge=0, le=86_400)


def api_process() -> dict[str, Any]:
    """Facts about this API process; ``torch_loaded`` must stay False (GPU work lives in workers)."""
    return {"pid": os.getpid(), "torch_loaded": "torch" in sys.modules, "python": sys.version.split()[0]}


@guarded.get(
    "/v1/system",
    response_model=SystemInfo,
    summary="Workers, GPUs, VRAM, loaded models, queue",
    description=(
        "Workers, GPUs, VRAM, loaded models and the queue, with what a client can check before sending: "
        "`detail.limits.max_image_pixels` (the largest image taken, REELGEN_MAX_IMAGE_PIXELS), "
        "`detail.limits.max_prompt_chars` (the most characters a prompt or negative prompt holds, "
        "REELGEN_MAX_PROMPT_CHARS), `detail.limits.max_avatar_text_chars` (the most characters of `text` "
        "an avatar speaks) and `detail.batch_roots` (the folders batches and shoot-outs may use, "
        "REELGEN_BATCH_ROOTS)."
    ),
)
async def system(request: Request) -> SystemInfo:
    info = await run_in_threadpool(service_of(request).system)
    workers = info.pop("workers")
    queue = info.pop("queue")
    # The page checks a start image against the limit before sending it: it said "nothing is cropped"
    # of a 9000x9000 image the server then refused.
    # The prompt's limit is the server's own (REELGEN_MAX_PROMPT_CHARS): the page counts against it as one types.
    settings = settings_of(request)
    # An avatar's text is refused past the speech's own limit: a client learns it before sending.
    limits = {
        "max_image_pixels": settings.max_image_pixels,
        "max_prompt_chars": settings.max_prompt_chars,
        "max_avatar_text_chars": MAX_TEXT_CHARS,
    }
    # The page's Batches and Shoot-outs forms name these folders; with none, the server refuses every
    # batch and shoot-out, and the forms say so before anyone fills them in.
    roots = [str(root) for root in FolderSettings().roots()]
    detail = {**info, "api": api_process(), "limits": limits, "batch_roots": roots}
    return SystemInfo(workers=workers, queue=queue, detail=detail)


@guarded.post("/v1/system/free", summary="Unload idle models on every worker")
async def free(request: Request, body: FreeBody | None = None) -> dict[str, Any]:
    idle = body.idle_seconds if body else 0.0
    freed = await run_in_threadpool(service_of(request).free, idle)
    return {"object": "system.free", "freed": freed}


# ?idle_seconds=600 was ignored like any unknown query, leaving 0: every idle model was unloaded at
# once, as a misspelt body field did before the body refused one.
HINTS["POST /v1/system/free"] = (
    'send idle_seconds in a JSON body, such as {"idle_seconds": 600}, or no body to unload every model not in use'
)


@router.get("/healthz", response_model=Health, summary="Liveness: the process answers")
def healthz() -> Health:
    return Health(status="ok")


@router.get(
    "/readyz",
    response_model=Health,
    summary="Readiness: store open and a worker answering",
    responses={503: {"model": ErrorEnvelope, "description": "Not ready"}},
)
def readyz(request: Request) -> Response:
    """Asks the engine now (its processes, not a flag set earlier), so a dead engine is a 503 at once."""
    service = service_of(request)
    reason = service.health()
    if reason is not None:
        return error_response(503, f"not ready: {reason}", code="not_ready", headers={"Retry-After": "5"})
    workers = service.workers()
    alive = sum(1 for w in workers if w["alive"])
    return JSONResponse(Health(status="ready", detail={"workers": len(workers), "alive": alive}).model_dump())


# ---- Prometheus ---------------------------------------------------------------------------


class JobCollector(Collector):
    """Jobs by status and worker state, read from the store and pool when scraped."""

    def __init__(self, service: JobService) -> None:
        self.service = service

    def collect(self) -> Iterator[GaugeMetricFamily]:
        jobs = GaugeMetricFamily("reelgen_jobs", "Jobs in the store by status", labels=["status"])
        for status, count in self.service.counts().items():
            jobs.add_metric([status], count)
        yield jobs
        workers = self.service.workers()
        alive = GaugeMetricFamily("reelgen_workers_alive", "Worker actors answering")
        alive.add_metric([], sum(1 for w in workers if w.get("alive")))
        yield alive
        busy = GaugeMetricFamily("reelgen_workers_busy", "Worker actors running a job")
        busy.add_metric([], sum(1 for w in workers if w.get("busy_job")))
        yield busy
        free = GaugeMetricFamily("reelgen_vram_free_gib", "Free VRAM per worker", labels=["worker"])
        for w in workers:
            if w.get("free_vram_gib") is not None:
                free.add_metric([str(w["id"])], float(w["free_vram_gib"]))
        yield free

    def describe(self) -> Iterator[GaugeMetricFamily]:
        return iter(())


class Metrics:
    """One registry per app, so several apps (tests) never share counters."""

    def __init__(self, service: JobService) -> None:
        self.registry = CollectorRegistry()
        self.registry.register(JobCollector(service))
        self.requests = Counter(
            "reelgen_http_requests",
            "HTTP requests by route and status",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "reelgen_http_request_seconds",
            "HTTP request time (to the first byte of streams)",
            ["method", "route"],
            registry=self.registry,
        )


class MetricsMiddleware:
    """Counts requests and times them by route template (plain ASGI: exceptions pass untouched)."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        began = time.perf_counter()
        status = 500

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            # The router records the matched route on the shared scope: templates, never ids.
            route = str(getattr(scope.get("route"), "path", None) or "unmatched")
            self.metrics.requests.labels(scope["method"], route, str(status)).inc()
            self.metrics.latency.labels(scope["method"], route).observe(time.perf_counter() - began)


@guarded.get(
    "/metrics",
    summary="Prometheus metrics",
    response_class=Response,
    responses={200: {"content": {"text/plain": {}}}},
)
async def metrics(request: Request) -> Response:
    registry: CollectorRegistry = request.app.state.metrics.registry
    body = await run_in_threadpool(generate_latest, registry)
    return Response(body, media_type="text/plain; version=0.0.4; charset=utf-8")
