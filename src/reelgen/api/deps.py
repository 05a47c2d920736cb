"""Per-request plumbing shared by the routers: the API-key check, the service and settings."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request
from fastapi.security import HTTPAuthorizationCredentials

from reelgen.api.security import bearer, require_key
from reelgen.api.settings import ApiSettings
from reelgen.jobs.service import JobService

IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", max_length=255)]


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
