"""Per-request plumbing shared by the routers: the API-key check, the service and settings."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request
from fastapi.security import HTTPAuthorizationCredentials

from reelgen.api.errors import ApiError
from reelgen.api.security import bearer, require_key
from reelgen.api.settings import ApiSettings
from reelgen.jobs.service import JobService


def _idempotency_key(
    request: Request,
    key: Annotated[str | None, Header(alias="Idempotency-Key", max_length=255)] = None,
) -> str | None:
    """The Idempotency-Key header as sent; an empty one is refused rather than shared by every
    client that sends one (a key from an unset variable would replay another client's job), and so
    is one sent twice: the first was kept without a word, where a proxy or a retry may go by the other."""
    if len(request.headers.getlist("idempotency-key")) > 1:
        raise ApiError(
            400,
            "Idempotency-Key is sent more than once; send one key per request",
            param="Idempotency-Key",
            code="invalid_value",
        )
    if key is not None and not key.strip():
        raise ApiError(
            400,
            "Idempotency-Key is empty; send a unique key (a UUID, say) or leave the header out",
            param="Idempotency-Key",
            code="invalid_value",
        )
    return key


#: Every route that takes the header: create, remix, enhance, avatars, batches and the legacy create.
IdempotencyKey = Annotated[str | None, Depends(_idempotency_key)]


def authorized(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> None:
    """Dependency of every guarded router: the bearer key, when the server has one."""
    require_key(request, credentials)


def service_of(request: Request) -> JobService:
    service: JobService = request.app.state.service
    return service


def settings_of(request: Request) -> ApiSettings:
    settings: ApiSettings = request.app.state.settings
    return settings
