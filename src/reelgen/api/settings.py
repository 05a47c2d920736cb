"""Settings of the HTTP API process, read from ``REELGEN_*`` environment variables."""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_core import PydanticUndefined
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from reelgen.api.setting_words import setting_words
from reelgen.core import settings as core_settings
from reelgen.core.errors import past_a_number_rule, said_with_range
from reelgen.core.spec.numbers import range_for_error
from reelgen.jobs.settings import JobSettings

#: A ``Host`` header's or origin's authority: a name or IPv4 address, or a bracketed IPv6 one, and a port.
_HOST_PORT = re.compile(r"(?:[A-Za-z0-9_.-]+|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?")


def _is_address(text: str) -> bool:
    """Whether ``text`` is an IP address as written (an IPv6 one without brackets or port, say)."""
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


class ApiSettings(BaseSettings):
    """What the API enforces and advertises; every field has a safe local default."""

    # No infinity or NaN, as in JobSettings: REELGEN_FETCH_TIMEOUT_S=inf started the server, then every
    # image_url fetch was a 500 (OverflowError from the socket's timeout).
    model_config = SettingsConfigDict(env_prefix="REELGEN_", extra="ignore", allow_inf_nan=False)

    # Each field's description is its meaning as ``reelgen serve --settings`` lists it; ``#`` comments
    # say why a bound is there.
    host: str = Field(default="127.0.0.1", description="Address to listen on (also --host).")
    port: int = Field(default=8000, ge=1, le=65535, description="Port to listen on (also --port).")
    api_key: SecretStr | None = Field(
        default=None,
        description="Bearer key clients must send; required whenever REELGEN_HOST is not a loopback address.",
    )
    allowed_hosts: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Further names this server answers to (Host header), comma-separated; loopback "
        "names and REELGEN_HOST always count. Others get a 400, so a DNS-rebinding page cannot reach the API. "
        "A name alone is taken on any port; name:port only with that port.",
    )
    allowed_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Other web origins (https://app.example), comma-separated, whose pages may call the "
        "API: their writes pass the cross-origin check, and CORS answers their preflights and lets them "
        "read answers.",
    )
    #: The job service's settings (store, Ray, queue size, price per GPU-hour, data dir), each read
    #: from its own variable; REELGEN_JOBS itself is refused.
    jobs: JobSettings = Field(default_factory=JobSettings)
    default_model: str = Field(
        default="auto",
        description="The model a request naming none gets. auto, as in the CLI: a real model whose "
        "weights are on this machine (LTX distilled, LTX 2B, Wan), else the built-in reelgen-micro "
        "(or a tiny build for a task it does not do).",
    )
    # At most the core's own cap (``reelgen.core.spec.request.MAX_PROMPT_CHARS``, not imported here for
    # the start's sake): 50000 started the server and put 50000 in /docs, then a prompt past 20000 was
    # refused all the same.
    max_prompt_chars: int = Field(
        default=4000,
        ge=1,
        le=20_000,
        description="Longest prompt, and longest negative prompt, a request may give, in characters.",
    )
    max_upload_bytes: int = Field(
        default=32 * 1024 * 1024, ge=1, description="Largest request body accepted, uploads included."
    )
    max_image_pixels: int = Field(
        default=40_000_000,
        ge=1,
        description="Largest input image, in pixels; bigger headers are refused before decoding.",
    )
    max_concurrent_decodes: int = Field(
        default=2,
        ge=1,
        le=64,
        description="Uploaded images and videos decoded at once to check them; more wait their turn. "
        "Each decode of an image at the pixel limit holds about 120 MB, so this bounds the API's memory.",
    )
    # At most a billion: 1e307 started the server, then every video upload was a 500 (its frame cap,
    # seconds times 240 frames a second, is infinite).
    max_video_seconds: float = Field(
        default=120.0, gt=0, le=1e9, description="Longest input video accepted, in seconds."
    )
    max_video_side: int = Field(
        default=4096, ge=1, description="Largest width or height of an input video, in pixels."
    )
    # At most an hour: a socket takes no timeout past about 3e9 s (1e10 was the same OverflowError).
    fetch_timeout_s: float = Field(
        default=10.0, gt=0, le=3600, description="Seconds an image_url fetch may take before it is given up."
    )
    fetch_max_bytes: int = Field(
        default=16 * 1024 * 1024, ge=1, description="Largest image an image_url fetch downloads, in bytes."
    )
    fetch_allow_http: bool = Field(
        default=False,
        description="Plain-http image URLs are refused unless this is set; https is always allowed.",
    )
    allow_private_webhooks: bool = Field(
        default=False,
        description="Webhooks may go to private, loopback and link-local addresses (a local receiver); "
        "off, targets must resolve to public addresses, checked again at each delivery.",
    )
    # At most an hour: 1e300 held every such request open until its job ended, however long it
    # queued; clients and proxies give up on a request long before that.
    wait_timeout_s: float = Field(
        default=600.0,
        ge=0,
        le=3600,
        description="How long POST /generate-video (and POST /generate-avatar) waits for its job "
        "before answering with its status, in seconds.",
    )
    # From a tenth of a second (0 made it ask in a loop with no pause) to a minute (10**20 made it
    # never ask again).
    poll_after_ms: int = Field(
        default=1000,
        ge=100,
        le=60_000,
        description="Sent as openai-poll-after-ms while a job is queued or running; the OpenAI SDK's "
        "create_and_poll sleeps this long between asks.",
    )
    # At least 0: a negative cap refused every request, whose priority (0 unless given) was then
    # "above this server's cap".
    max_priority: int = Field(default=100, ge=0, description="Highest priority a request may give.")
    lora_dir: Path = Field(
        default_factory=core_settings.lora_dir,
        description="The LoRA folder (default <reelgen home>/loras): create bodies name .safetensors "
        "files inside it, and GET /v1/loras lists them. Workers read them at the same path.",
    )
    serve_web: bool = Field(
        default=True, description="Serve the static web page at / when its folder exists."
    )

    @field_validator("allowed_hosts", "allowed_origins", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("allowed_origins")
    @classmethod
    def _origins(cls, value: list[str]) -> list[str]:
        # A browser's Origin is scheme://host[:port] and nothing else: one written otherwise started
        # the server and never matched a page.
        for origin in value:
            scheme, sep, rest = origin.partition("://")
            if not sep or scheme.lower() not in ("http", "https") or not rest or "/" in rest.rstrip("/"):
                raise ValueError(
                    f"{origin!r} is not an origin; give scheme and host, like https://app.example"
                )
            if "*" in rest:  # matched only a page whose origin was that very text: none
                raise ValueError(
                    f"wildcards are not taken ({origin!r}); list each origin, like https://app.example"
                )
            if not _HOST_PORT.fullmatch(rest.rstrip("/")):
                raise ValueError(
                    f"{origin!r} is not an origin (a browser's is scheme, host and port alone); "
                    "give one like https://app.example:8443"
                )
        return value

    @field_validator("allowed_hosts")
    @classmethod
    def _host_names(cls, value: list[str]) -> list[str]:
        # A Host header carries the name (and port) alone: a URL here never matched a request.
        for host in value:
            if "/" in host or "@" in host:
                raise ValueError(f"{host!r} is not a host name; give the name alone, like app.example")
            if "*" in host:
                # Set as Django's ALLOWED_HOSTS=* is, it matched no request: a server bound to all
                # addresses then refused every Host but loopback, where unset it takes any.
                raise ValueError(
                    f"wildcards are not taken ({host!r}); list each name the server answers to, or leave "
                    "REELGEN_ALLOWED_HOSTS unset on a server bound to 0.0.0.0 or :: to take any name"
                )
            if not _HOST_PORT.fullmatch(host) and not _is_address(host):
                raise ValueError(f"{host!r} is not a host name; give the name alone, like app.example")
            port = host.rpartition("]")[2] if host.startswith("[") else host
            digits = port.rpartition(":")[2] if port.count(":") == 1 else ""
            if digits and not 1 <= int(digits) <= 65535:
                # Now that a listed port is checked, one no Host can carry would match nothing.
                raise ValueError(
                    f"{host!r} has port {int(digits)}, and ports run from 1 to 65535; give one of those, "
                    "or the name alone to take it on any port"
                )
        return value

    @field_validator("max_image_pixels")
    @classmethod
    def _as_workers_read(cls, value: int) -> int:
        # Workers open every input image with the core's own cap: a larger one here took uploads
        # that each job then failed on ("an input image has at most 64,000,000 pixels").
        from reelgen.core.media import MAX_IMAGE_PIXELS

        if value > MAX_IMAGE_PIXELS:
            raise ValueError(
                f"at most {MAX_IMAGE_PIXELS}, the most pixels a worker reads of an input image "
                "(a larger upload would be taken, then fail its job)"
            )
        return value

    @field_validator("lora_dir", mode="before")
    @classmethod
    def _a_lora_folder(cls, value: object) -> object:
        # Path("") is ".": LoRAs were listed from, and requests named files in, whatever folder the
        # server was started from.
        if isinstance(value, str | Path) and not str(value).strip():
            raise ValueError("an empty folder name means the folder the server starts in; give a folder")
        return value

    @field_validator("host")
    @classmethod
    def _an_address(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("give an address to listen on, such as 127.0.0.1 or 0.0.0.0")
        value = value.strip()
        # [::1] as a URL writes it was "not an address of this machine": the socket takes ::1.
        if value.startswith("[") and value.endswith("]") and _is_address(value[1:-1]):
            return value[1:-1]
        return value

    @field_validator("api_key")
    @classmethod
    def _sendable_key(cls, value: SecretStr | None) -> SecretStr | None:
        # Clients send the key in an HTTP header, which drops blanks at either end and carries
        # ASCII only: a key outside that could never match, locking every client out.
        key = value.get_secret_value() if value else ""
        if key and (key != key.strip() or not key.isascii() or not key.isprintable()):
            raise ValueError(
                "must be printable ASCII with no space or line break at either end "
                "(clients send it in an HTTP header)"
            )
        return value

    @model_validator(mode="after")
    def _webhooks_as_checked(self) -> ApiSettings:
        # The create checks a webhook URL and the job service's sender checks it again when sending;
        # both must allow the same targets, or a receiver allowed here would never be sent to.
        if self.allow_private_webhooks and not self.jobs.allow_private_webhooks:
            self.jobs = self.jobs.model_copy(update={"allow_private_webhooks": True})
        elif self.jobs.allow_private_webhooks:  # given on the job settings alone, the create refused them
            self.allow_private_webhooks = True
        return self

    def key(self) -> str | None:
        value = self.api_key.get_secret_value() if self.api_key else ""
        return value or None


class FolderSettings(BaseSettings):
    """``REELGEN_BATCH_ROOTS``: the folders (and everything under them) batches may read and write."""

    model_config = SettingsConfigDict(env_prefix="REELGEN_", extra="ignore")

    batch_roots: str = Field(
        default="",
        description="The folders (and everything under them) batches and shoot-outs may read and "
        "write, separated by : (; on Windows); unset: none, so requests naming a folder are refused.",
    )

    def roots(self) -> list[Path]:
        return [Path(p).expanduser().resolve() for p in self.batch_roots.split(os.pathsep) if p.strip()]


def check_late_settings(default_model: str) -> None:
    """Read now the variables the server otherwise reads only when a request or job needs them; raises
    ``InvalidRequest`` naming the first bad one. A bad value started the server, then failed every job
    (``REELGEN_ACCEL``) or refused every request as if the request were at fault."""
    from reelgen.core.accel.config import from_env
    from reelgen.core.errors import InvalidRequest, ReelgenError
    from reelgen.core.spec import registry
    from reelgen.core.speech.audio import max_seconds

    max_seconds()  # REELGEN_AVATAR_MAX_SECONDS
    from_env()  # REELGEN_ACCEL, read by each worker as its model loads
    for root in FolderSettings().roots():
        if root.exists() and not root.is_dir():
            raise InvalidRequest(
                f"REELGEN_BATCH_ROOTS: {root} is a file, not a folder; give the folders batches and "
                f"shoot-outs may use, separated by {os.pathsep!r}"
            )
    if default_model != "auto":  # REELGEN_DEFAULT_MODEL, given to every request that names no model
        try:
            registry.resolve(default_model)
        except ReelgenError as exc:
            raise InvalidRequest(
                f"REELGEN_DEFAULT_MODEL={default_model!r}: {exc.message} (default auto)"
            ) from None


def without_password(text: str) -> str:
    """``text`` with a URL's password (``user:password@``) as ``***``, the user kept: said for a database
    URL that could not be read, as SQLAlchemy hides it in one it reads, with or without a scheme."""
    return re.sub(r"""^(['"]?(?:[A-Za-z][A-Za-z0-9+.-]*://)?)([^:/@\s]*):(?!//)[^\s]*@""", r"\1\2:***@", text)


def setting_problem(exc: ValidationError, model: type[BaseSettings], given: Mapping[str, str]) -> str:
    """The first bad setting as one line: where it was set, its value, what is valid, its default.

    ``given`` names the command-line option of each field set through one; every other field
    came from its ``REELGEN_*`` variable. Secret values are never shown.
    """
    first = exc.errors()[0]
    field = str(first["loc"][0]) if first["loc"] else ""
    info = model.model_fields.get(field)
    where = given.get(field) or (field if field.isupper() else f"REELGEN_{field.upper()}")
    secret = info is not None and "SecretStr" in str(info.annotation)
    joiner = "=" if where.isupper() else " "  # REELGEN_PORT='x', but --port (REELGEN_PORT) 'x'
    # A database URL's password stays out of it, as SQLAlchemy keeps it out of one it could read.
    shown = "" if secret or "input" not in first else f"{joiner}{without_password(repr(first['input']))}"
    text = setting_words(first) or str(first["msg"]).removeprefix("Value error, ")
    if first["type"] == "bool_parsing":
        text = "give true or false (or 1/0, yes/no, on/off)"
    elif info is not None and past_a_number_rule(first):
        # Pydantic names the end that was passed: REELGEN_MAX_CONCURRENT_DECODES=100 heard "at most
        # 64", and 0 next heard of the other end. Said as the API and the CLI say a number's range.
        # "not a finite number" says nothing of what is taken, where pydantic's "should be a finite
        # number" was itself the rule of a one-ended field: REELGEN_LEASE_S=inf hears "at least 4" too.
        asked = {**first, "msg": ""} if setting_words(first) else first
        takes = range_for_error(info.annotation, info.metadata, asked)
        text = said_with_range(first, text, takes, value_shown=bool(shown)) if takes else text
    default = "" if info is None else info.default
    shown_default = str(default).lower() if isinstance(default, bool) else str(default)
    hint = "" if default in (None, "", PydanticUndefined) else f" (default {shown_default})"
    if default is None and field in _UNSET_MEANS:  # REELGEN_GPUS=-1 said no default at all
        hint = f" (default: unset, {_UNSET_MEANS[field]})"
        if first.get("input") == "" and info is not None:  # a unit file's REELGEN_GPUS= meant unset
            takes = range_for_error(info.annotation, info.metadata, first)
            text = f"is empty, which is not unset; give {takes}, or remove the variable"
            hint = f" for {_UNSET_MEANS[field]}"
    return f"{where}{shown}: {text}{hint}"


#: What a number setting whose default is None does when it is not set.
_UNSET_MEANS = {
    "gpus": "all the GPUs it sees",
    "ray_num_cpus": "as many CPUs as Ray counts",
}
