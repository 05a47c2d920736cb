"""Settings of the HTTP API process, read from ``REELGEN_*`` environment variables."""

from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from reelgen.jobs.settings import JobSettings


class ApiSettings(BaseSettings):
    """What the API enforces and advertises; every field has a safe local default."""

    model_config = SettingsConfigDict(env_prefix="REELGEN_", extra="ignore")

    host: str = "127.0.0.1"
    port: int = 8000
    #: Bearer key; required whenever ``host`` is not a loopback address.
    api_key: SecretStr | None = None
    #: The job service's settings (store, Ray, queue size, price per GPU-hour, data dir).
    jobs: JobSettings = Field(default_factory=JobSettings)
    default_model: str = "ltx-tiny"
    max_prompt_chars: int = 4000
    #: Largest request body accepted, uploads included.
    max_upload_bytes: int = 32 * 1024 * 1024
    #: Largest input image, in pixels; bigger headers are refused before decoding.
    max_image_pixels: int = 40_000_000
    max_video_seconds: float = 120.0
    max_video_side: int = 4096
    fetch_timeout_s: float = 10.0
    fetch_max_bytes: int = 16 * 1024 * 1024
    #: Plain-http image URLs are refused unless this is set; https is always allowed.
    fetch_allow_http: bool = False
    #: Webhook targets must resolve to public addresses unless this is set (e.g. a local receiver).
    allow_private_webhooks: bool = False
    #: How long ``POST /generate-video`` waits for its job before answering 504.
    wait_timeout_s: float = 600.0
    #: Sent as ``openai-poll-after-ms`` while a job is queued or running.
    poll_after_ms: int = 1000
    max_priority: int = 100
    #: Serve the static page in ``web/`` at ``/`` when the folder exists.
    serve_web: bool = True

    def key(self) -> str | None:
        value = self.api_key.get_secret_value() if self.api_key else ""
        return value or None
