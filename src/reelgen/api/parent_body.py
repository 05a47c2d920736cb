"""The fields every parent create body (``/v1/batches``, ``/v1/shootouts``) takes, checked as ``/v1/videos`` checks them."""

import json
from typing import Any

from annotated_types import Ge
from fastapi import Request
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from reelgen.api.deps import settings_of
from reelgen.api.errors import HALF_CHARACTER, ApiError
from reelgen.api.wire import refuse_nul
from reelgen.core.batch.fields import half_character_at
from reelgen.core.spec.numbers import NOT_FINITE, NotANumber, as_number
from reelgen.core.validation_words import shown

#: What ``priority`` takes below the server's cap, in words.
PRIORITY_TAKES = "a whole number of at least 0 (higher runs first; 0 is the default)"

#: What ``price_per_gpu_hour`` takes, in words.
PRICE_TAKES = "a number of at least 0 (the price of one GPU hour), or leave it out"

#: The words of /v1/videos, so one client's metadata check suits every endpoint.
METADATA_LIMITS = "metadata holds at most 16 keys of 64 chars with values of 512 chars"


def _with_takes(exc: NotANumber, takes: str, value: Any) -> str:
    """``exc``'s words, with the value given and what the field takes where they leave them out."""
    # Infinity and NaN were told only "Input should be a finite number": no value, no valid one named.
    said = str(exc)
    return f"{shown(value)} is not a finite number; give {takes}" if said == NOT_FINITE else said


def refuse_half_characters(data: Any) -> None:
    """A 400 naming the first text in a parent's body (``manifest.items[0].images[0]``) that holds a
    lone UTF-16 surrogate. Pydantic passes one in a plain ``str`` field: a keyframe's, a start image's or
    an output folder's was a 500 (UnicodeEncodeError) once made a path, and metadata's was stored, after
    which every ``GET /v1/batches`` (or ``/v1/shootouts``) answered 500 (the list could not be JSON)."""
    at = half_character_at(data)
    if at is not None:
        raise ApiError(400, f"{at or 'body'} {HALF_CHARACTER}", param=at or None, code="invalid_value")


class ParentCreate(BaseModel):
    """What every parent create body takes besides its own fields."""

    # JSON's Infinity was taken as a price (results.json then held Infinity and NaN, which no JSON
    # reader takes back), and NaN was told "should be greater than or equal to 0". Subclasses inherit it.
    model_config = ConfigDict(allow_inf_nan=False)

    priority: int = Field(default=0, ge=0, description="higher runs first; its item jobs inherit it")
    metadata: dict[str, str] | None = Field(default=None, max_length=16)

    @model_validator(mode="before")
    @classmethod
    def _whole_text(cls, data: Any) -> Any:
        # Folder and file names become paths on the server, and Python refuses a path holding a NUL
        # (a ValueError) or half a character (a UnicodeEncodeError): each was a 500. Said here by the
        # field that holds it, as /v1/videos says it; an ApiError, which pydantic does not catch.
        refuse_half_characters(data)
        refuse_nul(data)
        return data

    @field_validator("priority", mode="before")
    @classmethod
    def _whole_priority(cls, value: Any) -> Any:
        # Pydantic's own words ("Input should be greater than or equal to 0") named no valid value.
        try:
            value = as_number(int, [Ge(0)], value, text=False)
        except NotANumber as exc:
            raise ValueError(_with_takes(exc, PRIORITY_TAKES, value)) from None
        if not isinstance(value, int):
            raise ValueError(f"{json.dumps(value)} is not a number; give {PRIORITY_TAKES}")
        if value < 0:
            raise ValueError(f"{value} is below 0; give {PRIORITY_TAKES}")
        return value

    @field_validator("price_per_gpu_hour", mode="before", check_fields=False)
    @classmethod
    def _price(cls, value: Any) -> Any:
        # A batch's and a shoot-out's price: "x" heard "unable to parse string as a number", -1 only ">= 0".
        if value is None:
            return value
        try:
            value = as_number(float, [Ge(0)], value, text=False)
        except NotANumber as exc:
            raise ValueError(_with_takes(exc, PRICE_TAKES, value)) from None
        if not isinstance(value, int | float):
            raise ValueError(f"{json.dumps(value)} is not a number; give {PRICE_TAKES}")
        if value < 0:
            raise ValueError(f"{value} is below 0; give {PRICE_TAKES}")
        return value

    @field_validator("metadata", mode="before")
    @classmethod
    def _small_metadata(cls, value: Any) -> Any:
        # Only the key count was limited, so a 1 MB value was kept in every list of parents.
        if isinstance(value, dict) and (
            len(value) > 16
            or any(len(str(k)) > 64 or (isinstance(v, str) and len(v) > 512) for k, v in value.items())
        ):
            raise ValueError(METADATA_LIMITS)
        return value


def check_priority(request: Request, body: ParentCreate) -> None:
    cap = settings_of(request).max_priority
    if body.priority > cap:
        raise ApiError(
            400,
            f"priority {body.priority} is above this server's cap of {cap}; give a whole number from 0 to {cap}",
            param="priority",
        )
