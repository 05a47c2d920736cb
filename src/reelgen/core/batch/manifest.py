"""The batch manifest: a JSON file of items (keyframe images, prompt template, model, motion, seed, output name).

Every item field may be left to ``defaults``; paths are relative to the
manifest's folder. ``manifest_schema()`` is the JSON schema docs/batch.md shows.
"""

from __future__ import annotations

import difflib
import json
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    ValidationError,
    field_validator,
    model_serializer,
    model_validator,
)

from reelgen.core.atomic import name_problem
from reelgen.core.batch.fields import (
    as_written,
    check_currency,
    file_error,
    said_as_text,
    whole_characters,
)
from reelgen.core.errors import InvalidRequest
from reelgen.core.gif import GIF
from reelgen.core.motion.presets import Motion
from reelgen.core.spec.numbers import NumberFields
from reelgen.core.spec.request import MAX_PROMPT_CHARS, SEED_LIMIT
from reelgen.core.textfile import check_regular, read_json
from reelgen.core.viability import DEFAULT_THRESHOLD

MANIFEST_VERSION: Literal[1] = 1
#: The file `reelgen manifest create` writes in the folder unless told otherwise.
MANIFEST_FILE = "manifest.json"
#: Output names: a file name without folders, so an item can never write outside the output folder.
OUTPUT_NAME = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$"
NAME_RULE = (
    "use 1 to 128 characters of A-Z, a-z, 0-9, '.', '_' and '-', starting with a letter or digit "
    "(no spaces, accents or folders), e.g. shot-001 or shot-001.webm"
)
#: Containers an output may name (``.gif``: an animated GIF, made in this process only; a server
#: makes MP4s); without a suffix an output is an MP4.
CONTAINERS = (".mp4", ".webm", ".mov", ".mkv", GIF)
#: Other videos' suffixes: an output named ``shot.avi`` was made, without a word, as ``shot.avi.mp4``.
OTHER_VIDEOS = (
    ".avi",
    ".m4v",
    ".mpg",
    ".mpeg",
    ".flv",
    ".wmv",
    ".ts",
    ".mts",
    ".m2ts",
    ".3gp",
    ".ogv",
)
#: Names Windows keeps for devices, whatever follows a dot: ``NUL.mp4`` there is no file, so such an
#: output was "made" into nothing (and a manifest must work on every system it is carried to).
WINDOWS_DEVICES = frozenset(
    ["CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(10)), *(f"LPT{n}" for n in range(10))]
)
#: The most keyframe images an item takes: a first, or a first and a last.
MAX_IMAGES = 2
#: The summary a run leaves in the output folder.
SUMMARY_FILE = "batch-summary.json"
#: An output named ``x.motion`` would write its record to ``x.motion.json``, item x's camera path,
#: and one named ``batch-summary`` to the summary: such names are refused.
COMPANIONS = (".video_meta", ".motion")


def windows_device(name: str) -> bool:
    """Whether ``name`` (up to its first dot, case aside) is a Windows device: ``con``, ``NUL.mp4``, ``lpt1.gif``."""
    return name.split(".")[0].upper() in WINDOWS_DEVICES


class Settings(NumberFields):
    """What an item and the defaults can both say; an item's value wins over the default."""

    model_config = ConfigDict(extra="forbid")

    model: str | None = Field(default=None, description="model name (`reelgen models`), or ken-burns")
    prompt: str | None = Field(
        default=None,
        max_length=MAX_PROMPT_CHARS,
        description="prompt template: {output}, {stem}, {index}, {model}, {motion} and any variable",
    )
    negative_prompt: str | None = Field(default=None, max_length=MAX_PROMPT_CHARS)
    _as_written = field_validator("prompt", "negative_prompt", mode="before")(as_written)
    width: int | None = Field(default=None, gt=0, le=16_384)
    height: int | None = Field(default=None, gt=0, le=16_384)
    num_frames: int | None = Field(default=None, gt=0, le=100_000)
    seconds: float | None = Field(default=None, gt=0, le=3600)
    fps: float | None = Field(default=None, gt=0, le=240)
    steps: int | None = Field(default=None, gt=0, le=1000)
    guidance: float | None = Field(default=None, ge=0, le=100)
    motion: Motion | None = Field(default=None, description="camera path over the first keyframe image")
    options: dict[str, Any] = Field(default_factory=dict, description="the model family's options")
    variables: dict[str, str] = Field(default_factory=dict, description="values for the prompt template")

    @field_validator("variables", mode="before")
    @classmethod
    def _numbers_as_text(cls, value: Any) -> Any:
        # YAML reads `year: 1984` as a number: the template fills in its text, as it would have been typed.
        if isinstance(value, dict):
            for key, v in value.items():
                said_as_text(key, v)
            # A variable holding a lone surrogate ("\\udce9") filled a prompt no request could take: the
            # item failed as an internal error, "unable to parse raw data as a unicode string".
            whole_characters(value)
            return {
                key: str(v) if isinstance(v, int | float) and not isinstance(v, bool) else v
                for key, v in value.items()
            }
        return value

    @model_validator(mode="after")
    def _one_length(self) -> Settings:
        # Both in one mapping failed every item alike at run time, exit 1, though the manifest is wrong.
        if self.num_frames is not None and self.seconds is not None:
            raise ValueError("give num_frames or seconds, not both (either sets the clip's length)")
        return self


class BatchDefaults(Settings):
    """Settings every item starts from, and how the batch runs."""

    seed: int | None = Field(
        default=None, ge=0, lt=SEED_LIMIT, description="base of items' seeds (mixed with each output name)"
    )
    output_dir: str = Field(default="outputs", description="where outputs go, relative to the manifest")
    _folder_as_written = field_validator("output_dir", mode="before")(as_written)

    @field_validator("output_dir")
    @classmethod
    def _named(cls, value: str) -> str:
        # "   " made a folder named by its spaces, "" wrote into the manifest's own folder.
        if not value.strip():
            raise ValueError(
                "it is blank; give a folder name (relative to the manifest), or leave it out for outputs"
            )
        return value

    viability_threshold: float = Field(
        default=DEFAULT_THRESHOLD, ge=0, le=1, description="keyframes scoring under this are skipped"
    )
    price_per_gpu_hour: float = Field(default=2.0, ge=0, description="prices the summary's render time")
    currency: str = Field(default="USD", max_length=8)

    _currency = field_validator("currency")(check_currency)


#: What only defaults set: they apply to the whole batch.
BATCH_ONLY = ("output_dir", "viability_threshold", "price_per_gpu_hour", "currency")


class BatchItem(Settings):
    """One clip to make. ``output`` names it (and its companion files) in the output folder."""

    output: str = Field(
        pattern=OUTPUT_NAME, description="output name, e.g. shot-001, shot-001.webm or shot-001.gif"
    )
    images: list[str] = Field(
        default_factory=list, max_length=MAX_IMAGES, description="keyframe image(s): first, or first and last"
    )
    seed: int | None = Field(default=None, ge=0, lt=SEED_LIMIT)

    @model_validator(mode="before")
    @classmethod
    def _no_batch_settings(cls, data: Any) -> Any:
        # "output_dir is not a known field; did you mean output?" sent the person to rename it.
        for name in BATCH_ONLY:
            if isinstance(data, dict) and name in data:
                raise ValueError(
                    f"{name} is a setting of the whole batch, not of one item; move it to defaults"
                )
        return data

    @field_validator("images", mode="before")
    @classmethod
    def _a_list(cls, value: Any) -> Any:
        if isinstance(value, str):  # pydantic said "Input should be a valid list" of "images": "a.png"
            raise ValueError(
                f"give a list of one or two images, e.g. {json.dumps([value], ensure_ascii=False)}"
            )
        return value

    @field_validator("output", mode="before")
    @classmethod
    def _file_name(cls, value: Any) -> Any:
        # A number names a clip as its digits ("output": 7 was told "Input should be a valid string").
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            value = str(value)
        # Said in words before pydantic's own "String should match pattern '^[A-Za-z0-9]...'".
        if isinstance(value, str) and not re.fullmatch(OUTPUT_NAME, value):
            shown = value if len(value) <= 60 else f"{value[:57]}..."
            raise ValueError(f"{shown!r} is not a usable output name; {NAME_RULE}")
        if isinstance(value, str) and windows_device(value):
            head = value.split(".")[0]
            raise ValueError(
                f"{value!r} is a device name on Windows (CON, PRN, AUX, NUL, COM0-9, LPT0-9), where its file "
                f"cannot be written; name it otherwise, e.g. {head}-1 or shot-{head}"
            )
        other = next((s for s in OTHER_VIDEOS if isinstance(value, str) and value.lower().endswith(s)), None)
        if other is not None:
            stem = value[: -len(other)]
            raise ValueError(
                f"{value!r} ends in {other}, a video a batch does not make; name it {stem} (made as an MP4), "
                f"{stem}.webm, {stem}.mov, {stem}.mkv or {stem}.gif"
            )
        return value

    @model_serializer(mode="wrap")
    def _unset_motion_left_out(self, handler: SerializerFunctionWrapHandler) -> Any:
        # A server stores the manifest as a dump of every field: a motion left out came back as a
        # "motion": null given, which keeps the camera still instead of taking the defaults' motion.
        data = handler(self)
        if self.motion is None and "motion" not in self.model_fields_set and isinstance(data, dict):
            data.pop("motion", None)
        return data

    @property
    def stem(self) -> str:
        """The output name without its container suffix."""
        for suffix in CONTAINERS:
            if self.output.lower().endswith(suffix):
                return self.output[: -len(suffix)]
        return self.output

    @property
    def suffix(self) -> str:
        """The container, lower case (it picks the encoder); ``.mp4`` when the name has none."""
        return self.output[len(self.stem) :].lower() or ".mp4"

    @property
    def file_name(self) -> str:
        """The video's file name as the manifest writes it: ``Shot.GIF`` stays ``Shot.GIF``, as
        ``reelgen generate -o Shot.GIF`` keeps it; a name without a container is an MP4."""
        return self.output if self.output != self.stem else f"{self.output}.mp4"


#: The most items one batch holds.
MAX_ITEMS = 10_000
#: One item as a manifest writes it, for messages that show one.
_ITEM = '{"output": "shot-001", "images": ["a.png"]}'


class Manifest(BaseModel):
    """A batch: defaults and items. Output names are unique, so each item has its own files."""

    model_config = ConfigDict(extra="forbid")

    version: Literal[1] = MANIFEST_VERSION
    defaults: BatchDefaults = Field(default_factory=BatchDefaults)
    items: list[BatchItem] = Field(min_length=1, max_length=MAX_ITEMS)

    @field_validator("version", mode="before")
    @classmethod
    def _known_version(cls, value: Any) -> Any:
        # Pydantic's "Input should be 1" named neither what was given nor what to write instead.
        if isinstance(value, bool) or not isinstance(value, int | float) or value != MANIFEST_VERSION:
            raise ValueError(
                f"{value!r} is not a manifest version this reelgen reads; write {MANIFEST_VERSION} "
                "(a number), or leave version out"
            )
        return MANIFEST_VERSION

    @field_validator("items", mode="before")
    @classmethod
    def _some_item(cls, value: Any) -> Any:
        if value == []:  # before pydantic's own words, "List should have at least 1 item after validation"
            raise ValueError(
                f"there are none; give at least one, e.g. {_ITEM} "
                "(`reelgen manifest create FOLDER` makes one per image)"
            )
        # Pydantic said only "Input should be a valid list": not what a list of items looks like.
        if not isinstance(value, list):
            one = "is one item, not a list" if isinstance(value, dict) else "is not a list"
            raise ValueError(f"{one}; give a list of items, e.g. [{_ITEM}, ...]")
        # Each item is a job of its own: a million-item body kept a server planning (and its queue
        # filling) long after the request, with nothing a person could follow.
        if isinstance(value, list) and len(value) > MAX_ITEMS:
            raise ValueError(
                f"there are {len(value):,}; a batch holds at most {MAX_ITEMS:,} items: "
                "split the manifest into several batches, each with its own output_dir"
            )
        return value

    @model_validator(mode="after")
    def _unique_outputs(self) -> Manifest:
        seen: dict[str, int] = {}
        for i, item in enumerate(self.items):
            key = item.stem.lower()
            if key == Path(SUMMARY_FILE).stem or key.endswith(COMPANIONS):
                raise ValueError(
                    f"items[{i}].output {item.output!r} would write over the batch's own files "
                    f"({SUMMARY_FILE}, <name>.video_meta.json, <name>.motion.json); choose another name"
                )
            if key in seen:
                first = self.items[seen[key]].stem
                # 'A' after 'a' was told only "outputs must differ", though the two looked different.
                case = (
                    ", case aside; outputs must differ in more than case (one file on macOS and Windows)"
                    if first != item.stem
                    else "; outputs must differ"
                )
                raise ValueError(f"items[{i}].output {item.output!r} repeats items[{seen[key]}]'s name{case}")
            seen[key] = i
        return self


def manifest_schema() -> dict[str, Any]:
    """The manifest's JSON schema (what docs/batch.md shows)."""
    return Manifest.model_json_schema()


def load_manifest(path: str | Path) -> Manifest:
    """Read and check a manifest; every problem is an ``InvalidRequest`` naming the field."""
    path = Path(path)
    too_long = name_problem(path)  # asking the disk of it (is_dir) raised "File name too long": internal
    if too_long:
        raise InvalidRequest(f"manifest: {too_long}", param="manifest")
    if path.is_dir():
        inside = path / MANIFEST_FILE
        hint = f"; did you mean {inside}?" if inside.is_file() else " (`reelgen manifest create` makes one)"
        raise InvalidRequest(f"manifest {path} is a folder, not a manifest file{hint}", param="manifest")
    check_regular(path, f"manifest {path}", param="manifest")  # a FIFO would block the read
    if _blank(path):  # it was "line 1, column 1: Expecting value (not valid JSON)"
        raise InvalidRequest(
            f'manifest {path} is empty; a manifest is one JSON object with items, e.g. {{"items": [{_ITEM}]}} '
            "(`reelgen manifest create FOLDER` writes one)",
            param="manifest",
        )
    try:
        data = read_json(path, f"manifest {path}", param="manifest")
    except InvalidRequest as exc:
        if path.suffix.lower() == ".json":
            raise
        # A YAML, CSV or JSON Lines file read as JSON fails on its first line: say what a manifest is.
        raise InvalidRequest(
            f"{exc.message}; a manifest is one JSON object with items (not {path.suffix or 'plain text'}): "
            "`reelgen manifest create` writes one, `reelgen manifest schema` describes it",
            param="manifest",
        ) from None
    if not isinstance(data, dict):
        raise InvalidRequest(
            f"manifest {path} must be a JSON object with items (see `reelgen manifest schema`)",
            param="manifest",
        )
    if "items" not in data and not difflib.get_close_matches("items", [str(k) for k in data], n=1):
        # "items is required" said what was missing, not what it is (a misspelt key is said as such).
        raise InvalidRequest(
            f'manifest {path} has no items: give "items", a list with one item per clip, e.g. '
            f'{{"items": [{_ITEM}]}} (`reelgen manifest create FOLDER` makes one per image)',
            param="manifest",
        )
    try:
        return Manifest.model_validate(data)
    except ValidationError as exc:
        raise file_error(exc, Manifest, f"manifest {path}") from None


def _blank(path: Path) -> bool:
    """Whether the file holds nothing but white space (or a byte-order mark); a large one is not read."""
    try:
        if path.stat().st_size > 4096:
            return False
        return not path.read_bytes().decode("utf-8", "replace").lstrip("\ufeff").strip()
    except OSError:
        return False  # said by the read that follows


def merged(defaults: BatchDefaults, item: BatchItem) -> dict[str, Any]:
    """The item's settings with the defaults under them (options and variables merge key by key)."""
    out: dict[str, Any] = {}
    for name in Settings.model_fields:
        mine = getattr(item, name)
        out[name] = getattr(defaults, name) if mine is None else mine
    # num_frames and seconds are one choice, the clip's length: an item that makes it
    # overrides the defaults' choice instead of colliding with it ("not both").
    if item.num_frames is not None or item.seconds is not None:
        out["num_frames"], out["seconds"] = item.num_frames, item.seconds
    if item.motion is None and "motion" in item.model_fields_set:
        out["motion"] = None  # "motion": null: this item's camera stays still, whatever the defaults'
    out["options"] = {**defaults.options, **item.options}
    out["variables"] = {**defaults.variables, **item.variables}
    return out
