"""The FastAPI application: ``create_app(settings)`` wires the job service, routes, guards and errors."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import Depends, FastAPI
from fastapi.openapi.utils import get_openapi
from starlette.concurrency import run_in_threadpool

from reelgen import __version__
from reelgen.api import (
    avatar_bodies,
    avatars,
    batches,
    enhance,
    error_handlers,
    legacy,
    loras,
    models,
    query_names,
    shootouts,
    system,
    unoffered,
    videos,
    web,
)
from reelgen.api import projects as project_routes
from reelgen.api.body_json import OneValuePerName
from reelgen.api.body_limit import BodyLimit
from reelgen.api.deps import authorized
from reelgen.api.files import HeadAsGet
from reelgen.api.guard import EdgeGuard
from reelgen.api.keylog import redacted_logs
from reelgen.api.legacy import LegacyGenerate
from reelgen.api.openapi_limits import apply_server_limits
from reelgen.api.schemas import MAX_KEYFRAMES
from reelgen.api.settings import ApiSettings
from reelgen.api.sse import Wakeups
from reelgen.api.wire import VideoCreate, VideoRemix
from reelgen.jobs.records import JobEvent
from reelgen.jobs.service import JobService

DESCRIPTION = """Self-hosted video generation with an OpenAI-shaped `/v1/videos` API.

Errors always come as `{"error": {"message", "type", "param", "code"}}`. A server with an API
key (needed to listen beyond loopback) wants `Authorization: Bearer <key>` on every API route
except `/healthz`, `/readyz` and `/health`; the web page's files, `/docs`, `/redoc` and
`/openapi.json` hold no jobs and are served without it (the page asks for the key).

What `POST /v1/videos` takes besides the prompt and numbers: a start image (the file
`input_reference`, or `input_reference.image_url`); an end image pinning the last frame (the file
`end_image`, or `end_reference.image_url`; models whose `supports_end_image` is true); keyframes
(`keyframes: [{"frame", "strength"}]`, as JSON text in multipart, each with one `keyframe_images`
file in the same order or an `image_url` of its own; models whose tasks list `keyframes`; at most
8); a `source_video` file; and LoRAs from the server's LoRA folder by name
(`loras: [{"name", "strength"}]`, listed by `GET /v1/loras`; models with `supports_lora`).
Paths on the server are never taken: a model that cannot use an input answers 400 naming it.
"""


def create_app(
    settings: ApiSettings | None = None, *, service: JobService | None = None, start_service: bool = True
) -> FastAPI:
    """The API for ``settings``; it starts ``service`` (made from ``settings.jobs`` when not given)
    on startup unless it is running already, and stops it on shutdown only if it started it.

    ``start_service=False`` serves the store without Ray workers: jobs queue but never run
    (used by tests of the queue's behaviour)."""
    settings = settings or ApiSettings()
    service = service or JobService(settings.jobs)
    wakeups = Wakeups()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        wakeups.bind(asyncio.get_running_loop())
        unsubscribe = service.subscribe(lambda event: _wake(wakeups, event))
        owned = start_service and not service.started
        if owned:
            try:
                await run_in_threadpool(service.start)
            except (
                Exception
            ) as exc:  # kept for ``reelgen serve`` to say in one line (uvicorn logs a traceback)
                app.state.start_failure = exc
                raise
        try:
            with redacted_logs(settings.key()):
                yield
        finally:
            unsubscribe()
            if owned:
                await run_in_threadpool(service.stop)

    app = FastAPI(
        title="reelgen",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # web.install serves /docs and /redoc from the package, not a CDN
        redoc_url=None,
        # Every API route refuses a query name it does not declare (a misspelt filter listed everything).
        dependencies=[Depends(query_names.refuse_unknown_query)],
    )
    app.state.settings = settings
    app.state.service = service
    app.state.wakeups = wakeups
    app.state.metrics = system.Metrics(service)
    error_handlers.install(app)
    app.add_middleware(HeadAsGet, router=app.router)  # innermost: the metrics count a HEAD as one
    app.add_middleware(system.MetricsMiddleware, metrics=app.state.metrics)
    app.add_middleware(OneValuePerName)  # inside BodyLimit: reads only bodies it let through
    app.add_middleware(BodyLimit, max_bytes=settings.max_upload_bytes)
    app.add_middleware(EdgeGuard, settings=settings)  # outermost: refuses before any body is read

    guard = [Depends(authorized)]
    app.include_router(unoffered.router)  # first: its fixed names would be taken as video ids
    app.include_router(videos.router)
    app.include_router(enhance.router)
    app.include_router(models.router, dependencies=guard)
    app.include_router(loras.router)
    app.include_router(system.router)
    app.include_router(system.guarded)
    app.include_router(legacy.router)
    app.include_router(legacy.health_router)
    app.include_router(batches.router)
    app.include_router(shootouts.router)
    app.include_router(project_routes.router)
    app.include_router(avatars.router)
    web.install(app, settings)  # the page at / and the docs, after every API route
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


def _wake(wakeups: Wakeups, event: JobEvent) -> None:
    wakeups.notify(event.job_id)


def _form_schema(model_schema: dict[str, Any], files: dict[str, str]) -> dict[str, Any]:
    """A multipart variant of a JSON body schema: file fields become binary strings."""
    props = dict(model_schema.get("properties", {}))
    for name, text in files.items():
        props[name] = {"type": "string", "format": "binary", "description": text}
    return {**model_schema, "properties": props, "additionalProperties": False}


#: ``target_fps`` as text, which every body takes (``rate_as_written``) though its field is a number.
_RATE_TEXT = {"type": "string", "pattern": r"^\s*(\d+(\.\d+)?|\d+\s*/\s*\d+)\s*$", "examples": ["60000/1001"]}


def _rate_as_text(field: dict[str, Any] | None) -> None:
    """A ``target_fps`` property that lists the text form ('60000/1001') beside the number."""
    kinds = [choice.get("type") for choice in (field or {}).get("anyOf", [])]
    if field is not None and "number" in kinds and _RATE_TEXT not in field["anyOf"]:
        field["anyOf"].insert(kinds.index("number") + 1, _RATE_TEXT)


#: What every route answers besides its own answers, and what every route with a body answers too.
_EVERY_ROUTE = {
    "400": "Invalid request: the message names the parameter and its valid values (an unknown query "
    "parameter is one)",
}
_WITH_A_BODY = {
    "413": "Request body over the server's limit (REELGEN_MAX_UPLOAD_BYTES)",
    "415": "Body in a content type (or Content-Encoding) this route does not take",
}


def _document_refusals(operation: dict[str, Any], responses: dict[str, Any]) -> None:
    """Adds the refusals the server's middleware and checks give every route to ``responses``, where the
    route lists none of its own: GET /healthz?x=1 answered 400 and a 2 MB POST /v1/batches 413 (415 for a
    text/plain one), none of which /openapi.json listed."""
    envelope = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorEnvelope"}}}
    said = {**_EVERY_ROUTE, **(_WITH_A_BODY if "requestBody" in operation else {})}
    for status, description in said.items():
        responses.setdefault(status, {"description": description, "content": envelope})


def _openapi(app: FastAPI) -> dict[str, Any]:
    """FastAPI's spec, with the create bodies it cannot infer and 400 envelopes instead of 422s."""
    if app.openapi_schema:
        return app.openapi_schema
    spec = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
    schemas = spec.setdefault("components", {}).setdefault("schemas", {})
    ref = "#/components/schemas/{model}"
    for model in (VideoCreate, VideoRemix, enhance.VideoEnhance, LegacyGenerate):
        body = model.model_json_schema(ref_template=ref)
        schemas.update(body.pop("$defs", {}))
        schemas[model.__name__] = body
    # Every field of the JSON body: a form takes webhook and options too (as JSON text or bracket
    # fields), but they were left out of this schema, whose additionalProperties: false forbade them.
    schemas["VideoCreateForm"] = _form_schema(
        schemas["VideoCreate"],
        {
            "input_reference": "Start image (JPEG, PNG, WebP, BMP, GIF or TIFF)",
            "end_image": "End image: the last frame (models with supports_end_image)",
            "keyframe_images": "A keyframe's image; repeat the field, one file per entry of keyframes (in order)",
            "source_video": "Source video (MP4/MOV/WebM)",
        },
    )
    form = schemas["VideoCreateForm"]["properties"]
    form["keyframe_images"] = {"type": "array", "items": form["keyframe_images"], "maxItems": MAX_KEYFRAMES}
    for name in ("keyframes", "loras"):
        form[name] = {
            **form[name],
            "description": f"{form[name].get('description', '')} (as JSON text, or numbered fields "
            f"{name}[0][...], {name}[1][...])",
        }
    for name, bracket in (
        ("metadata", "metadata[team]"),
        ("webhook", "webhook[url]"),
        ("options", "options[flow_shift]"),
    ):
        form[name] = {
            **form[name],
            "description": f"{form[name].get('description', '')} (as JSON text, or bracket fields such as "
            f"{bracket})".lstrip(),
        }
    schemas["VideoEnhanceForm"] = _form_schema(
        {**schemas["VideoEnhance"], "required": ["file"]},
        {"file": "The video to enhance (MP4/MOV, WebM/MKV)"},
    )
    schemas["LegacyAnimateForm"] = _form_schema(schemas["LegacyGenerate"], {"image": "Start image"})
    schemas.update(avatar_bodies.openapi_schemas(_form_schema))
    for schema in schemas.values():
        _rate_as_text(schema.get("properties", {}).get("target_fps"))
    for path in spec.get("paths", {}).values():
        for operation in path.values():
            responses = operation.setdefault("responses", {})
            # FastAPI's own 422 (its validation error) is answered 400 here; a route's own 422 stays.
            if responses.get("422", {}).get("description") == "Validation Error":
                del responses["422"]
            _document_refusals(operation, responses)
    apply_server_limits(spec, app.state.settings)
    app.openapi_schema = spec
    return spec
