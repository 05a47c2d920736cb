"""A ``REELGEN_*`` setting refused at start is said in plain words, never pydantic's "Input should be"."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from pydantic_settings import BaseSettings

from reelgen.api.settings import ApiSettings, setting_problem
from reelgen.jobs.settings import JobSettings


def _said(model: type[BaseSettings]) -> str:
    with pytest.raises(ValidationError) as caught:
        model()
    return setting_problem(caught.value, model, {})


def _number_fields(model: type[BaseSettings]) -> list[str]:
    return [
        name
        for name, info in model.model_fields.items()
        if any(kind in str(info.annotation) for kind in ("int", "float"))
        and "bool" not in str(info.annotation)
    ]


_EVERY_NUMBER = [(ApiSettings, f) for f in _number_fields(ApiSettings)] + [
    (JobSettings, f) for f in _number_fields(JobSettings)
]


@pytest.mark.parametrize(("model", "field"), _EVERY_NUMBER, ids=[f for _, f in _EVERY_NUMBER])
@pytest.mark.parametrize("value", ["abc", "nan"])
def test_every_number_setting_says_what_it_takes_in_plain_words(
    monkeypatch: pytest.MonkeyPatch, model: type[BaseSettings], field: str, value: str
) -> None:
    name = f"REELGEN_{field.upper()}"
    monkeypatch.setenv(name, value)
    said = _said(model)
    assert said.startswith(f"{name}={value!r}: not a "), said
    assert "; it takes " in said and "Input should" not in said and "unable to parse" not in said, said


@pytest.mark.parametrize(
    ("name", "value", "said"),
    [
        (  # "Input should be a valid integer, unable to parse string as an integer; it takes ..."
            "REELGEN_MAX_QUEUE",
            "abc",
            "REELGEN_MAX_QUEUE='abc': not a whole number; it takes a whole number of at least 1 (default 1000)",
        ),
        (
            "REELGEN_MAX_QUEUE",
            "2.5",
            "REELGEN_MAX_QUEUE='2.5': not a whole number; it takes a whole number of at least 1 (default 1000)",
        ),
        (
            "REELGEN_MAX_ATTEMPTS",
            "",
            "REELGEN_MAX_ATTEMPTS='': empty; it takes a whole number of at least 1 (default 2)",
        ),
        (  # "Input should be a finite number (default 20.0)": nothing said of the 4 s it needs at least
            "REELGEN_LEASE_S",
            "inf",
            "REELGEN_LEASE_S='inf': not a finite number; it takes a number of at least 4 (default 20.0)",
        ),
        (
            "REELGEN_CANCEL_GRACE_S",
            "abc",
            "REELGEN_CANCEL_GRACE_S='abc': not a number; it takes a number of at least 0 (default 30.0)",
        ),
        (  # "Input should be 'auto', 'local' or 'ray'"
            "REELGEN_ENGINE",
            "gpu",
            "REELGEN_ENGINE='gpu': not one of its choices; give auto, local or ray (default auto)",
        ),
    ],
)
def test_a_refused_job_setting_names_the_variable_the_value_and_what_is_valid(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, said: str
) -> None:
    monkeypatch.setenv(name, value)
    assert _said(JobSettings) == said


def test_a_validators_own_words_are_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REELGEN_ALLOWED_ORIGINS", "app.example")
    assert _said(ApiSettings) == (
        "REELGEN_ALLOWED_ORIGINS='app.example': 'app.example' is not an origin; give scheme and host, "
        "like https://app.example"
    )
