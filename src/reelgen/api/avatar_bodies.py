"""The bodies of ``POST /v1/avatars`` and ``POST /generate-avatar``, and their schemas for /openapi.json."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from reelgen.api.schemas import WebhookSpec
from reelgen.core.spec.numbers import NumberFields
from reelgen.core.spec.request import GenerationRequest
from reelgen.core.speech.tts import DEFAULT_VOICE, MAX_TEXT_CHARS

#: Every core field name may reach the wire models, which refuse what they do not declare.
ANY_CORE = tuple(GenerationRequest.model_fields)
#: Voices this server speaks with by name (a voice file on the server is never named over HTTP).
VOICES = (DEFAULT_VOICE,)


# NumberFields: a whole number sent as 0.0 is 0, as on /v1/videos; it was "0 is not a whole number".
class AvatarCreate(NumberFields):
    """``POST /v1/avatars``: the fields beside the files (``audio``; ``image`` or ``video``)."""

    model_config = ConfigDict(extra="forbid")

    model: str | None = Field(
        default=None,
        max_length=200,
        description="reelgen-lipsync (built in), musetalk, musetalk-tiny; default: musetalk when cached, "
        "else reelgen-lipsync",
    )
    # The speech's own limit, which GET /v1/system lists as max_avatar_text_chars: one number for both.
    text: str | None = Field(
        default=None,
        max_length=MAX_TEXT_CHARS,
        description="Text to speak (Piper TTS) instead of an audio file",
    )
    voice: str | None = Field(
        default=None, max_length=200, description="Piper voice for text: en_US-joe-medium"
    )
    face_index: int | None = Field(
        default=None,
        ge=0,
        le=1000,
        description="Which face to animate, from 0 counted from the left (default: the largest)",
    )
    priority: int = Field(default=0, ge=-1000, le=1000, description="Higher runs first")
    metadata: dict[str, str] | None = None
    webhook: WebhookSpec | None = None

    @field_validator("voice")
    @classmethod
    def _blank_voice(cls, value: str | None) -> str | None:
        """An empty ``voice`` (a form or a script sends every field) is none, as ``--voice ""`` is without
        ``--server``: it was "voice '' is not a voice of this server", an audio file beside it or not."""
        return value or None

    @field_validator("metadata")
    @classmethod
    def _small_metadata(cls, value: dict[str, str] | None) -> dict[str, str] | None:
        if value is not None and (
            len(value) > 16 or any(len(k) > 64 or len(v) > 512 for k, v in value.items())
        ):
            raise ValueError("metadata holds at most 16 keys of 64 chars with values of 512 chars")
        return value


class AvatarGenerate(AvatarCreate):
    """``POST /generate-avatar``: the voice and the face as base64 in JSON."""

    audio: str | None = Field(default=None, description="The voice (WAV, MP3, FLAC, OGG, M4A), base64")
    image: str | None = Field(
        default=None, description="The face (JPEG, PNG, WebP, BMP, GIF, TIFF), base64; default: a presenter"
    )


class AvatarVideo(BaseModel):
    """``POST /generate-avatar``'s answer: the finished MP4 inline and how well the mouth follows the voice."""

    job_id: str
    model: str
    format: str = "mp4"
    video: str = Field(description="The MP4 (25 fps, the voice as its soundtrack), base64")
    sync: float | None = Field(
        description="Correlation of mouth opening with the voice's loudness over the frames, -1..1 "
        "(null when either is flat)"
    )
    faces_found: int | None = Field(
        default=None, description="Faces in the image; the largest (or face_index) speaks"
    )
    duration_ms: int
    generation_time_ms: int = Field(description="Wall time from submit to completed")


#: The files ``POST /v1/avatars`` takes, for its multipart schema.
FILES = {
    "audio": "The voice (WAV, MP3, FLAC, OGG, M4A); or send `text`",
    "image": "A photo with a face (JPEG, PNG, WebP, BMP, GIF, TIFF)",
    "video": "A video to dub instead of a photo (MP4/MOV, WebM/MKV, animated GIF): only the mouth changes",
}


def openapi_schemas(form: Callable[[dict[str, Any], dict[str, str]], dict[str, Any]]) -> dict[str, Any]:
    """The request bodies FastAPI cannot infer (both routes read theirs by hand), for /openapi.json."""
    ref = "#/components/schemas/{model}"
    create = AvatarCreate.model_json_schema(ref_template=ref)
    generate = AvatarGenerate.model_json_schema(ref_template=ref)
    defs = {**create.pop("$defs", {}), **generate.pop("$defs", {})}
    return {
        **defs,
        "AvatarCreate": create,
        "AvatarGenerate": generate,
        "AvatarCreateForm": form(create, FILES),
    }
