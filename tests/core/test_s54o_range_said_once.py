"""A number past its range is said once, with the value given: "0 is too small; it takes ...", not
pydantic's "Input should be greater than 1" followed by the range that says the same end again."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from typer.testing import CliRunner

from reelgen.api.app import create_app
from reelgen.api.settings import ApiSettings, setting_problem
from reelgen.cli import app
from reelgen.core.errors import from_validation_error
from reelgen.core.spec import GenerationRequest
from reelgen.jobs import settings as job_settings
from reelgen.jobs.settings import JobSettings


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    """A server whose jobs queue but never run: its answers to a bad body or query are all these need."""
    settings = ApiSettings(jobs=JobSettings(data_dir=tmp_path / "server"), serve_web=False)
    with TestClient(create_app(settings, start_service=False), raise_server_exceptions=False) as client:
        yield client


def test_a_body_field_past_its_range_says_the_value_and_the_range_once(client: TestClient) -> None:
    resp = client.post("/v1/videos", json={"model": "ltx-tiny", "prompt": "a fox", "guidance_scale": 150})
    assert resp.status_code == 400, resp.text
    assert (
        resp.json()["error"]["message"] == "guidance_scale: 150 is too large; it takes a number from 0 to 100"
    )


def test_a_query_number_past_its_range_says_the_value_and_the_range_once(client: TestClient) -> None:
    said = client.get("/v1/videos?limit=0").json()["error"]["message"]
    assert said == "limit: 0 is too small; it takes a whole number from 1 to 100"


def test_a_setting_past_its_range_says_the_range_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(job_settings, "usable_cores", lambda: 256)
    monkeypatch.setenv("REELGEN_CPU_WORKERS", "1000")
    monkeypatch.setenv("REELGEN_ENGINE", "local")
    with pytest.raises(ValidationError) as refused:
        JobSettings()
    # The value is shown once, where the variable is named, not again after it.
    assert setting_problem(refused.value, JobSettings, {}) == (
        "REELGEN_CPU_WORKERS='1000': too large; it takes a whole number from 1 to 64 (default 1)"
    )


def test_a_cli_option_past_its_range_says_the_value_and_the_range_once() -> None:
    result = CliRunner().invoke(app, ["serve", "--port", "70000"], env={})
    assert " ".join(result.output.split()) == (
        "error: Invalid value for '--port' (env var: 'REELGEN_PORT'): 70000 is too large; it takes a whole "
        "number from 1 to 65535 (see 'reelgen serve --help')"
    )
    assert result.exit_code == 2


def test_a_value_too_long_to_say_is_left_out() -> None:
    with pytest.raises(ValidationError) as refused:
        GenerationRequest(model="ltx-tiny", prompt="a fox", fps=10**60)
    said = from_validation_error(refused.value, model=GenerationRequest).message
    assert said == "fps: too large; it takes a number above 0 and at most 240"
