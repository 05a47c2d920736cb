"""Wire shapes of the API: OpenAI's video object, errors, models and system; the create body is in ``wire``."""

from __future__ import annotations

import copy
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from reelgen.core.spec.numbers import NumberFields
from reelgen.core.spec.request import MAX_LORA_STRENGTH, Keyframe

#: The most keyframes, and the most LoRAs, one create takes.
MAX_KEYFRAMES = 8
MAX_LORAS = 8

Status = Literal["queued", "in_progress", "completed", "failed", "cancelled"]
TERMINAL: frozenset[str] = frozenset({"completed", "failed", "cancelled"})


class ErrorBody(BaseModel):
    message: str
    type: str
    param: str | None = None
    code: str


class ErrorEnvelope(BaseModel):
    """Every error answer: ``{"error": {"message", "type", "param", "code"}}``."""

    error: ErrorBody


class ImageReference(BaseModel):
    """OpenAI's JSON ``input_reference``: an https URL or a ``data:image/...;base64,`` URL."""

    model_config = ConfigDict(extra="forbid")

    image_url: str = Field(max_length=20_000_000)

    @model_validator(mode="before")
    @classmethod
    def _no_file_ids(cls, value: Any) -> Any:
        # OpenAI's other shape, {"file_id": ...}, names a file of its Files API, which this server
        # does not have: said as such, not as "image_url is required".
        if isinstance(value, dict) and "file_id" in value:
            raise ValueError(
                "file_id is not supported (this server has no Files API); give image_url "
                "(https or data:image/...;base64,) or upload the image as a multipart file"
            )
        return value


class KeyframeAt(NumberFields):
    """Where a keyframe sits and how strongly it holds."""

    model_config = ConfigDict(extra="forbid")

    # The core's own fields: the same limits and defaults, not a copy by hand.
    frame: Annotated[int, copy.copy(Keyframe.model_fields["frame"])]
    strength: Annotated[float, copy.copy(Keyframe.model_fields["strength"])]


class KeyframeSpec(KeyframeAt):
    """A keyframe of a create body: its image is a ``keyframe_images`` upload (in order) or an ``image_url``."""

    image_url: str | None = Field(
        default=None,
        max_length=20_000_000,
        description="An https or data: image URL; leave it out to take the next keyframe_images file",
    )


class LoraChoice(NumberFields):
    """A LoRA of the server's LoRA folder (``GET /v1/loras``), by name, with its strength."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=1000, description="As GET /v1/loras names it")
    strength: float = Field(
        default=1.0,
        ge=-MAX_LORA_STRENGTH,
        le=MAX_LORA_STRENGTH,
        description="1 applies it as trained; 0 not at all",
    )


class WebhookSpec(BaseModel):
    """Where to POST a job's events, and which ones."""

    model_config = ConfigDict(extra="forbid")

    url: str = Field(max_length=2000)
    events: list[Literal["queued", "started", "progress", "completed", "failed", "cancelled"]] | None = None

    @field_validator("events")
    @classmethod
    def _some_events(cls, value: list[str] | None) -> list[str] | None:
        # [] was taken as "left out": a receiver asked for no event got completed, failed, cancelled.
        if value is not None and not value:
            raise ValueError(
                "is empty; list the events to send (queued, started, progress, completed, failed, "
                "cancelled), or leave events out for completed, failed and cancelled"
            )
        return value


class VideoError(BaseModel):
    code: str
    message: str


class VideoUrls(BaseModel):
    self: str
    content: str | None = None
    thumbnail: str | None = None
    events: str
    cancel: str
    parent: str | None = Field(
        default=None, description="The batch or shoot-out it is an item of; null otherwise"
    )


class VideoMetrics(BaseModel):
    """Where the time went and what it cost (``cost_usd`` = GPU seconds x price per GPU-hour)."""

    queue_seconds: float | None = None
    run_seconds: float | None = None
    gpu_seconds: float | None = None
    peak_vram_bytes: int | None = None
    cost_usd: float | None = None


class VideoParameters(BaseModel):
    """The job's settings beyond OpenAI's fields, named as the create body names them ("use these settings")."""

    task: str | None = None
    negative_prompt: str | None = None
    num_inference_steps: int | None = None
    guidance_scale: float | None = None
    guidance_scale_2: float | None = Field(default=None, description="Two-expert models only")
    source_strength: float | None = None
    audio: bool | None = Field(default=None, description="Models that make sound only")
    options: dict[str, Any] = Field(default_factory=dict)
    input_reference: bool = Field(default=False, description="Whether it started from an image")
    end_image: bool = Field(default=False, description="Whether an image pinned its last frame")
    keyframes: list[KeyframeAt] = Field(
        default_factory=list, description="Its keyframes' frames and strengths (images are not sent back)"
    )
    loras: list[LoraChoice] = Field(
        default_factory=list,
        description="Its LoRAs by name in the LoRA folder (a file given by path elsewhere: its file name)",
    )
    source_video: bool = Field(default=False, description="Whether it restyled or extended a video")
    size: str | None = Field(default=None, description="As generated, before any upscaling")
    num_frames: int | None = Field(default=None, description="As generated, before any interpolation")
    fps: float | None = Field(default=None, description="As generated, before any interpolation")
    interpolate: int | None = None
    target_fps: str | None = None
    interpolator: str | None = Field(default=None, description="The interpolation method that ran")
    upscale: float | None = None
    upscaler: str | None = Field(
        default=None,
        description="The upscaling method or Real-ESRGAN model that ran (none for a checkpoint file given to the CLI)",
    )


class VideoObject(BaseModel):
    """OpenAI's video object, with ``cancelled`` as a fifth status and reelgen's fields after."""

    id: str
    object: Literal["video"] = "video"
    model: str
    status: Status
    progress: int = Field(ge=0, le=100)
    created_at: int
    started_at: int | None = None
    completed_at: int | None = None
    expires_at: int | None = None
    error: VideoError | None = None
    prompt: str
    remixed_from_video_id: str | None = Field(
        default=None,
        description="The video this one is a remix of (POST /v1/videos/{id}/remix); null otherwise",
    )
    seconds: str
    size: str
    enhanced_from_video_id: str | None = Field(
        default=None,
        description="The video of this server this one enhances (POST /v1/videos/{id}/enhance); null for a "
        "render, a remix or an enhanced upload",
    )
    parent_id: str | None = Field(
        default=None,
        description="The batch or shoot-out this video is an item of (GET /v1/batches/{id} or "
        "/v1/shootouts/{id}; parent_object says which); null for a video made on its own",
    )
    parent_object: str | None = Field(
        default=None,
        description="What parent_id is: batch or shootout (that object's own object field); null "
        "without a parent_id, or when that job was deleted meanwhile",
    )
    width: int | None = None
    height: int | None = None
    seed: int | None = None
    num_frames: int | None = None
    fps: float | None = None
    priority: int = 0
    queue_position: int | None = None
    attempts: int = 0
    urls: VideoUrls
    metrics: VideoMetrics
    metadata: dict[str, str] | None = None
    parameters: VideoParameters | None = None


class VideoList(BaseModel):
    object: Literal["list"] = "list"
    data: list[VideoObject]
    first_id: str | None = None
    last_id: str | None = None
    has_more: bool


class VideoDeleted(BaseModel):
    id: str
    object: Literal["video.deleted"] = "video.deleted"
    deleted: bool


class ModelObject(BaseModel):
    """One model (preset) with what it can do and the rules its requests must follow."""

    id: str
    object: Literal["model"] = "model"
    created: int = 0
    owned_by: str
    family: str
    description: str
    tasks: list[str]
    defaults: dict[str, Any]
    rules: dict[str, Any]
    tiny: bool
    supports_lora: bool
    supports_end_image: bool = Field(
        default=False, description="Whether it can pin the last frame to an end image (end_image)"
    )
    vram_gib: float


class ModelList(BaseModel):
    object: Literal["list"] = "list"
    data: list[ModelObject]


class SystemInfo(BaseModel):
    """GPUs, loaded models and the queue, as the job service reports them."""

    workers: list[dict[str, Any]]
    queue: dict[str, Any]
    detail: dict[str, Any] = Field(default_factory=dict)


class Health(BaseModel):
    status: str
    detail: dict[str, Any] = Field(default_factory=dict)
