"""Settings of the HTTP API process, read from ``REELGEN_*`` environment variables."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from reelgen.core import settings as core_settings
from reelgen.jobs.settings import JobSettings


class ApiSettings(BaseSettings):
    """What the API enforces and advertises; every field has a safe local default."""

    model_config = SettingsConfigDict(env_prefix="REELGEN_", extra="ignore")

    host: str = "127.0.0.1"
    port: int = 8000
    #: Bearer key; required whenever ``host`` is not a loopback address.
    api_key: SecretStr | None = None
    #: Further names this server answers to (``Host`` header), comma-separated; loopback names and
    #: ``host`` always count. Others get a 400, so a DNS-rebinding page cannot reach the API.
    allowed_hosts: Annotated[list[str], NoDecode] = Field(default_factory=list)
    #: Other web origins (``https://app.example``) allowed to send requests that change anything.
    allowed_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    #: The job service's settings (store, Ray, queue size, price per GPU-hour, data dir).
    jobs: JobSettings = Field(default_factory=JobSettings)
    #: The model a request naming none gets. ``auto``, as in the CLI: a real model whose weights are on
    #: this machine (LTX distilled, LTX 2B, Wan), else the built-in reelgen-micro (or a tiny build for a
    #: task it does not do).
    default_model: str = "auto"
    max_prompt_chars: int = 4000
    #: Largest request body accepted, uploads included.
    max_upload_bytes: int = 32 * 1024 * 1024
    #: Largest input image, in pixels; bigger headers are refused before decoding.
    max_image_pixels: int = 40_000_000
    #: Uploaded images and videos decoded at once to check them; more wait their turn. Each decode
    #: of an image at the pixel limit holds about 120 MB, so this bounds the API's memory.
    max_concurrent_decodes: int = Field(default=2, ge=1, le=64)
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
    #: The LoRA folder (``REELGEN_LORA_DIR``, default ``<reelgen home>/loras``): create bodies name
    #: ``.safetensors`` files inside it, and GET /v1/loras lists them. Workers read them at the same path.
    lora_dir: Path = Field(default_factory=core_settings.lora_dir)
    #: Serve the static page in ``web/`` at ``/`` when the folder exists.
    serve_web: bool = True

    @field_validator("allowed_hosts", "allowed_origins", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @model_validator(mode="after")
    def _webhooks_as_checked(self) -> ApiSettings:
        # The create checks a webhook URL and the job service's sender checks it again when sending;
        # both must allow the same targets, or a receiver allowed here would never be sent to.
        if self.allow_private_webhooks and not self.jobs.allow_private_webhooks:
            self.jobs = self.jobs.model_copy(update={"allow_private_webhooks": True})
        return self

    def key(self) -> str | None:
        value = self.api_key.get_secret_value() if self.api_key else ""
        return value or None
