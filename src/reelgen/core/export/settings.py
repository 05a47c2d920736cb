"""What an export may be asked for, as data: container and codec, size and rate, grading, overlays, music.

These models are part of the project file (``export:``, ``soundtrack:`` and a
scene's ``transition:``/``title_card:``) and are checked here once, so a bad
value fails before any frame is decoded. File paths in them are taken as
given; the project layer makes them absolute against the project folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from PIL import ImageColor
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from reelgen.core.errors import InvalidRequest
from reelgen.core.spec.request import slow_rate


class Container(StrEnum):
    MP4 = "mp4"
    MOV = "mov"
    MKV = "mkv"
    WEBM = "webm"


#: The film suffixes as a message lists them: ".mp4, .mov, .mkv or .webm".
FILM_SUFFIXES = ", ".join(f".{c.value}" for c in list(Container)[:-1]) + f" or .{list(Container)[-1].value}"


class Codec(StrEnum):
    H264 = "h264"
    H265 = "h265"
    VP9 = "vp9"
    AV1 = "av1"
    PRORES = "prores"


#: Which video codecs each container carries (what players and editors open without complaint).
CONTAINER_CODECS: dict[Container, tuple[Codec, ...]] = {
    Container.MP4: (Codec.H264, Codec.H265, Codec.VP9, Codec.AV1),
    Container.MOV: (Codec.H264, Codec.H265, Codec.PRORES),
    Container.MKV: (Codec.H264, Codec.H265, Codec.VP9, Codec.AV1, Codec.PRORES),
    Container.WEBM: (Codec.VP9, Codec.AV1),
}
#: The codec a container gets when none is chosen, as FFmpeg picks one from a file's extension.
DEFAULT_CODEC: dict[Container, Codec] = {
    Container.MP4: Codec.H264,
    Container.MOV: Codec.H264,
    Container.MKV: Codec.H264,
    Container.WEBM: Codec.VP9,
}


class TransitionKind(StrEnum):
    """How one scene gives way to the next."""

    CUT = "cut"
    FADE = "fade"  # through black
    DISSOLVE = "dissolve"  # cross-dissolve: both shots blend
    WIPE_LEFT = "wipe_left"
    WIPE_RIGHT = "wipe_right"
    WIPE_UP = "wipe_up"
    WIPE_DOWN = "wipe_down"


class Position(StrEnum):
    TOP_LEFT = "top_left"
    TOP = "top"
    TOP_RIGHT = "top_right"
    LEFT = "left"
    CENTER = "center"
    RIGHT = "right"
    BOTTOM_LEFT = "bottom_left"
    BOTTOM = "bottom"
    BOTTOM_RIGHT = "bottom_right"


class Fit(StrEnum):
    """How a clip of another shape fills the output frame."""

    CONTAIN = "contain"  # whole clip visible, black bars where the shapes differ
    COVER = "cover"  # frame filled, edges cropped


def _colour(value: str) -> str:
    try:
        ImageColor.getrgb(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a colour; use a name (white) or #rrggbb") from None
    return value


#: The highest output frame rate an export takes.
MAX_FPS = 240


class _Strict(BaseModel):
    # NaN fails every bound, so without allow_inf_nan `--fps nan` read "should be less than or equal to 240".
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Transition(_Strict):
    """The transition from a scene into the next; it overlaps the two by ``duration`` seconds.

    On the last scene only ``fade`` (to black, at the end) or ``cut`` make sense.
    """

    type: TransitionKind = TransitionKind.CUT
    duration: float = Field(default=0.5, ge=0.0, le=10.0, description="Seconds (ignored for cut)")

    @property
    def overlap(self) -> float:
        """Seconds the two scenes share on the timeline (0 for a cut)."""
        return 0.0 if self.type is TransitionKind.CUT else self.duration


def _drawable(value: str) -> str:
    """Text to draw holds no control character but line breaks and tabs: an escape code (ESC, U+0007)
    was refused as a letter no font has, and the advice was a font that has it, which none does."""
    bad = next((c for c in value if (ord(c) < 32 and c not in "\n\t\r") or 127 <= ord(c) < 160), None)
    if bad is not None:
        raise ValueError(
            f"holds the control character U+{ord(bad):04X}, which is not a letter to draw; "
            "remove it (a line break starts a new line)"
        )
    return value


class TitleCard(_Strict):
    """A scene drawn at export instead of rendered by a model: text on a plain background."""

    text: str = Field(min_length=1, max_length=500)
    subtitle: str = Field(default="", max_length=500)
    background: str = "#000000"
    colour: str = "#ffffff"
    font: str | None = Field(default=None, description="A .ttf/.otf file; default: Pillow's built-in font")

    _check_colours = field_validator("background", "colour")(_colour)
    _check_text = field_validator("text", "subtitle")(_drawable)


class TextOverlay(_Strict):
    """Text shown over the video from ``start`` to ``end`` seconds of the export."""

    text: str = Field(min_length=1, max_length=500)
    start: float = Field(default=0.0, ge=0.0)
    end: float = Field(gt=0.0)
    position: Position = Position.BOTTOM
    size: float = Field(default=0.07, gt=0.0, le=0.5, description="Text height as a share of the frame")
    colour: str = "#ffffff"
    box: float = Field(default=0.5, ge=0.0, le=1.0, description="Opacity of a dark box behind the text")
    font: str | None = None

    _check_colour = field_validator("colour")(_colour)
    _check_text = field_validator("text")(_drawable)

    @model_validator(mode="after")
    def _ordered(self) -> TextOverlay:
        if self.end <= self.start:
            raise ValueError(f"end ({self.end}) must be after start ({self.start})")
        return self


class Watermark(_Strict):
    """An image (a logo) laid over every frame."""

    image: str
    position: Position = Position.BOTTOM_RIGHT
    opacity: float = Field(default=0.8, ge=0.0, le=1.0)
    width: float = Field(default=0.15, gt=0.0, le=1.0, description="Width as a share of the frame width")
    margin: float = Field(default=0.03, ge=0.0, le=0.4, description="Distance from the edge, share of width")


class Soundtrack(_Strict):
    """Background music under the whole export."""

    file: str
    volume: float = Field(default=0.8, ge=0.0, le=4.0)
    fade_in: float = Field(default=0.0, ge=0.0, description="Seconds")
    fade_out: float = Field(default=0.0, ge=0.0, description="Seconds")
    loop: bool = Field(default=True, description="Repeat the music if it is shorter than the video")
    duck: bool = Field(default=True, description="Lower the music while a scene has its own sound")
    duck_ratio: float = Field(default=6.0, ge=1.0, le=20.0, description="How hard the music is ducked")


@dataclass(frozen=True)
class SettingNames:
    """How the person wrote each export setting, so a message names something they can find and change.

    A setting comes from the project file (``export.codec``) unless it is in
    ``overridden``: given over the file as ``--codec`` on the command line or
    ``export_settings.codec`` in an HTTP request (``override_prefix`` says which;
    empty where nothing can be given over the file, as when a file is uploaded).
    """

    overridden: frozenset[str] = frozenset()
    override_prefix: str = ""

    def __call__(self, field: str) -> str:
        return f"{self.override_prefix}{field}" if field in self.overridden else f"export.{field}"


#: Every setting as a project file's ``export:`` writes it.
IN_FILE = SettingNames()


class ExportSettings(_Strict):
    """How the rendered scenes become one file. Changing these never re-renders a scene."""

    container: Container = Container.MP4
    codec: Codec | None = Field(default=None, description="Default: h264 in mp4, mov and mkv, vp9 in webm")
    width: int | None = Field(default=None, gt=0, le=8192, description="Default: the first scene's")
    height: int | None = Field(default=None, gt=0, le=8192, description="Default: the first scene's")
    fps: float | None = Field(default=None, gt=0, le=MAX_FPS, description="Default: the first scene's")
    _slow_rate = field_validator("fps")(slow_rate)  # a frame per 100 s at the slowest
    fit: Fit = Fit.CONTAIN
    crf: int | None = Field(default=None, ge=0, le=63, description="Quality (lower is better); codec default")
    lut: str | None = Field(default=None, description="A 3D .cube LUT applied to the picture (grading)")
    watermark: Watermark | None = None
    texts: list[TextOverlay] = Field(default_factory=list)
    output: str | None = Field(default=None, description="File name in exports/; default: the title")

    @field_validator("output")
    @classmethod
    def _file_name(cls, value: str | None) -> str | None:
        """A name a person can see and type: ``.mp4`` was written as the hidden ``.mp4.mp4``, ``" .mp4"``
        as a name of one space, and a control character went into the file name as it was."""
        if value is None or value in (".", ".."):  # project.yaml's check says these are folders
            return value
        if any(ord(c) < 32 or ord(c) == 127 for c in value):
            raise ValueError(f"{value!r} holds a control character (a line break or tab); give a plain name")
        stem = value[: -len(suffix)] if (suffix := Path(value).suffix) else value
        if not stem.strip() or (value.startswith(".") and not suffix):
            raise ValueError(f"{value!r} has no name before its extension; give one such as film.mp4")
        return value

    @property
    def video_codec(self) -> Codec:
        """The codec chosen, else the container's usual one (``DEFAULT_CODEC``): a .webm gets VP9."""
        return self.codec or DEFAULT_CODEC[self.container]

    def check(self, names: SettingNames = IN_FILE) -> None:
        """Rules across fields, as ``InvalidRequest`` naming the field as the person wrote it (``names``)."""
        codec = self.video_codec
        if codec not in CONTAINER_CODECS[self.container]:
            raise InvalidRequest(self._misfit(codec, names), param=names("codec"))
        if self.crf is not None and codec is Codec.PRORES:
            raise InvalidRequest(
                f"{names('crf')}: ProRes has no crf (its profile fixes the quality); leave crf unset",
                param=names("crf"),
            )
        if self.crf is not None and codec in (Codec.H264, Codec.H265) and self.crf > 51:
            raise InvalidRequest(
                f"{names('crf')}: {self.crf} is above 51, the most {codec.value} takes",
                param=names("crf"),
            )
        for name in ("width", "height"):
            value = getattr(self, name)
            if value is not None and value % 2:
                raise InvalidRequest(
                    f"{names(name)}: {value} must be even (the codecs store colour at half size)",
                    param=names(name),
                )

    def _misfit(self, codec: Codec, names: SettingNames) -> str:
        """A chosen codec the container cannot carry: which codecs it takes, and where to set one."""
        container = self.container.value
        fits = [c.value for c in CONTAINER_CODECS[self.container]]
        said = f"{names('codec')}: {codec.value} cannot go in {container}; {container} takes "
        said += f"{', '.join(fits[:-1])} or {fits[-1]}"
        usual = f"without one, {container} gets {DEFAULT_CODEC[self.container].value}"
        if "codec" in names.overridden:
            return f"{said}. Pick one with {names('codec')}"
        if names.override_prefix:
            return (
                f"{said}. Pick one with {names.override_prefix}codec, or change codec under export: "
                f"in the project file ({usual})"
            )
        return f"{said}. Change codec under export: in the project file ({usual})"
