"""The shoot-out's prompts file (YAML): prompts (with optional images), shared settings, score weights, price."""

from __future__ import annotations

import difflib
import re
from collections import Counter
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from reelgen.core.batch.fields import check_currency, file_error, said_as_text
from reelgen.core.errors import InvalidRequest
from reelgen.core.spec.numbers import NumberFields
from reelgen.core.spec.request import SEED_LIMIT, slow_rate
from reelgen.core.textfile import read_lines, read_yaml

#: Prompt ids name files, so they are plain names.
PROMPT_ID = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$"


class PromptEntry(BaseModel):
    """One prompt; ``image`` (relative to the prompts file) is the start frame for image-to-video models."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=PROMPT_ID)
    prompt: str = Field(min_length=1, max_length=20_000)
    negative_prompt: str | None = Field(default=None, max_length=20_000)
    image: str | None = None

    @field_validator("id", mode="before")
    @classmethod
    def _file_name(cls, value: Any) -> Any:
        # YAML reads `id: 1` as a number, refused as "Input should be a valid string" though 1 is a valid id.
        said_as_text(None, value)  # `id: 2024-01-05` is a date to YAML: said so, with the quotes that fix it
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            value = str(value)
        # Said in words before pydantic's own "String should match pattern '^[A-Za-z0-9]...'".
        if isinstance(value, str) and not re.fullmatch(PROMPT_ID, value):
            shown = value if len(value) <= 60 else f"{value[:57]}..."
            raise ValueError(
                f"{shown!r} is not a usable id (it names the clips); use 1 to 64 characters of A-Z, a-z, "
                "0-9, '_' and '-', starting with a letter or digit (no spaces or dots), e.g. harbour-dawn"
            )
        return value

    @field_validator("image", mode="before")
    @classmethod
    def _some_path(cls, value: Any) -> Any:
        # "image: ''" named the prompts file's folder: "/home/me/prompts is a folder; give an image file".
        if isinstance(value, str) and not value.strip():
            raise ValueError("is empty; give an image file relative to the prompts file, or leave image out")
        return value

    @field_validator("prompt", "negative_prompt", mode="before")
    @classmethod
    def _as_written(cls, value: Any) -> Any:
        # `prompt: 1984` is a number to YAML, and was "Input should be a valid string": it is the text typed.
        said_as_text(None, value)
        return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value

    @field_validator("prompt", mode="before")
    @classmethod
    def _some_text(cls, value: Any) -> Any:
        # Pydantic said "String should have at least 1 character"; a blank one ran as no prompt at all.
        if isinstance(value, str) and not value.strip():
            raise ValueError("is empty; give the prompt's text, e.g. a fox running through snow")
        return value


class Weights(NumberFields):
    """How much each part counts in the score (any scale; they are normalised). Defaults in docs/shootout.md."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    speed: float = Field(default=0.25, ge=0, description="generation time, fastest = 1")
    cost: float = Field(default=0.10, ge=0, description="cost per second of video, cheapest = 1")
    vram: float = Field(default=0.15, ge=0, description="peak VRAM, leanest = 1 (not measured on a CPU)")
    temporal: float = Field(default=0.25, ge=0, description="mean SSIM between consecutive frames")
    artefacts: float = Field(
        default=0.25, ge=0, description="1 minus the share of flashing/frozen/black frames and flicker"
    )

    @model_validator(mode="after")
    def _some_weight(self) -> Weights:
        if not any(self.model_dump().values()):
            raise ValueError("at least one weight must be above 0")
        return self


class Settings(NumberFields):
    """What every model is asked for alike; unset sizes and lengths take each model's own defaults."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    width: int | None = Field(default=None, gt=0, le=16_384)
    height: int | None = Field(default=None, gt=0, le=16_384)
    num_frames: int | None = Field(default=None, gt=0, le=100_000)
    seconds: float | None = Field(default=None, gt=0, le=3600)
    fps: float | None = Field(default=None, gt=0, le=240)
    _slow_rate = field_validator("fps")(slow_rate)  # a frame per 100 s at the slowest
    steps: int | None = Field(default=None, gt=0, le=1000)
    seed: int = Field(default=0, ge=0, lt=SEED_LIMIT, description="one seed for every run, for a fair match")

    @model_validator(mode="after")
    def _one_length(self) -> Settings:
        # Every trial would fail alike ("give num_frames or seconds, not both"): the file is at fault.
        if self.num_frames is not None and self.seconds is not None:
            raise ValueError("give num_frames or seconds, not both (either sets the clip's length)")
        return self


def _plain(entry: Any) -> bool:
    """Whether a prompts list entry is a prompt's text as YAML read it: a string, or a scalar such as
    ``- 1984`` or ``- yes`` (the prompt field reads a number as typed and asks for quotes round the rest),
    or a bare ``-`` (None), which the prompt field calls empty."""
    return not isinstance(entry, dict | list)


def _numbered(entry: Any, index: int) -> Any:
    """A plain string (or number) as an entry; an entry without an id (one that only adds an image, say)
    gets the id its place gives, like a plain string's."""
    if _plain(entry):
        return {"id": f"p{index + 1}", "prompt": "" if entry is None else entry}
    if isinstance(entry, dict):
        return {"id": f"p{index + 1}", **entry}
    return entry


def _check_placed_ids(entries: list[Any]) -> None:
    """Refuse an id a prompt takes by its place (p2) that another prompt names as its own: said as
    "prompt ids must differ; repeated: p2", of a file that wrote p2 once."""
    named = {
        e["id"]: j for j, e in enumerate(entries) if isinstance(e, dict) and isinstance(e.get("id"), str)
    }
    for i, entry in enumerate(entries):
        placed = f"p{i + 1}"
        if (_plain(entry) or (isinstance(entry, dict) and "id" not in entry)) and placed in named:
            j = named[placed]
            raise ValueError(
                f"prompts[{i}] takes the id {placed} by its place (it names none), and prompts[{j}] names "
                f"{placed} as its own; give prompts[{i}] an id, or prompts[{j}] another"
            )


#: The most prompts one shoot-out compares.
MAX_PROMPTS = 1_000


class PromptsFile(NumberFields):
    """The prompts file. ``prompts`` may be plain strings or entries; either gets the id p1, p2 ... by place
    unless it names its own. A number field refuses ``.inf`` (``price_per_gpu_hour: .inf`` wrote
    Infinity and NaN into results.json) and truth values, as the other models of the file do."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    prompts: list[PromptEntry] = Field(min_length=1, max_length=MAX_PROMPTS)
    settings: Settings = Field(default_factory=Settings)
    weights: Weights = Field(default_factory=Weights)
    price_per_gpu_hour: float = Field(default=2.0, ge=0)
    currency: str = Field(default="USD", max_length=8)

    _currency = field_validator("currency")(check_currency)

    @model_validator(mode="before")
    @classmethod
    def _plain_prompts(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("prompts"), list):
            _check_placed_ids(data["prompts"])
            prompts = [_numbered(p, i) for i, p in enumerate(data["prompts"])]
            data = {**data, "prompts": prompts}
        return data

    @field_validator("prompts", mode="before")
    @classmethod
    def _some_prompt(cls, value: Any) -> Any:
        # Before pydantic's own words: "List should have at least 1 item after validation" of [], and
        # "Input should be a valid list" of a bare "prompts:" (None) and of one prompt written as text.
        if value == [] or value is None:
            raise ValueError("there are none; give at least one (a line of text, or id: and prompt:)")
        if isinstance(value, str):
            shown = value if len(value) <= 40 else f"{value[:37]}..."
            raise ValueError(
                f"{shown!r} is one text, not a list; write each prompt on a line of its own starting with "
                "'- ' under prompts: (or give a .txt file, a prompt a line)"
            )
        if isinstance(value, list) and len(value) > MAX_PROMPTS:  # each is a trial for every model
            raise ValueError(
                f"there are {len(value):,}; a shoot-out compares at most {MAX_PROMPTS:,} prompts: "
                "split them over several shoot-outs"
            )
        return value

    @field_validator("prompts")
    @classmethod
    def _unique_ids(cls, value: list[PromptEntry]) -> list[PromptEntry]:
        # A field's check, so the error names prompts (the API's prompts.prompts), not the whole file.
        counted = Counter(p.id for p in value)  # ids.count per id was quadratic in the prompts
        repeated = sorted(i for i, n in counted.items() if n > 1)
        if repeated:
            raise ValueError(f"prompt ids must differ; repeated: {', '.join(repeated)}")
        return value


#: Suffixes of files read as YAML by intent (JSON is YAML too); another file that fails to parse is said
#: with what a prompts file is.
_YAML_SUFFIXES = (".yaml", ".yml", ".json")


def _read_yaml(path: Path) -> Any:
    """The prompts file parsed as YAML. A JSON Lines or CSV file failed with the parser's own words alone
    ("expected '<document start>', but found '{'"), which said nothing of what a prompts file is."""
    try:
        return read_yaml(path, f"prompts file {path}", param="prompts")
    except InvalidRequest as exc:
        if path.suffix.lower() in _YAML_SUFFIXES or not path.is_file():
            raise
        raise InvalidRequest(
            f"{exc.message}; a prompts file is YAML (prompts: a list of texts, or of id, prompt, "
            f"negative_prompt and image; settings; weights) or a .txt file with one prompt a line, "
            f"not {path.suffix or 'plain text'}",
            param="prompts",
        ) from None


def load_prompts(path: str | Path) -> PromptsFile:
    """Read and check a prompts file; every problem is an ``InvalidRequest`` naming the field."""
    path = Path(path)
    if path.is_dir():
        raise InvalidRequest(
            f"prompts file {path} is a folder; give the YAML file of prompts", param="prompts"
        )
    if path.suffix.lower() == ".txt":  # one prompt a line, as most prompt lists are kept
        data: Any = read_lines(path, f"prompts file {path}", param="prompts")
    else:
        data = _read_yaml(path)
    if isinstance(data, list):  # a bare list of prompts
        data = {"prompts": data}
    if not isinstance(data, dict):
        raise InvalidRequest(
            f"prompts file {path} must hold prompts: a list, or a mapping with prompts: (`reelgen shootout --help` lists its keys); "
            "a .txt file holds one prompt a line",
            param="prompts",
        )
    if "prompts" not in data and not difflib.get_close_matches("prompts", [str(k) for k in data], n=1):
        # "prompts is required" said what was missing, not how to write it (a misspelt key is said as such).
        raise InvalidRequest(
            f"prompts file {path} has no prompts: add a prompts: list, one '- text' line a prompt "
            "(e.g. prompts: [a red fox running through snow]; `reelgen shootout --help` lists the keys)",
            param="prompts",
        )
    try:
        return PromptsFile.model_validate(data)
    except ValidationError as exc:
        raise file_error(exc, PromptsFile, f"prompts file {path}") from None
