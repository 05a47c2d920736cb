"""``--option "use_dynamic_cfg = true"`` (spaced as in a config file) kept the spaces: the server answered
"--option use_dynamic_cfg  is not a known field; did you mean use_dynamic_cfg?", offering the very name typed.
The key and value are now read without the spaces around them, for submit as for generate and enhance."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner, Result

from reelgen.api.app import create_app
from reelgen.api.settings import ApiSettings
from reelgen.cli import app as cli_app
from reelgen.cli import client as client_cli
from reelgen.cli.output import parse_pairs
from reelgen.jobs.settings import JobSettings

SERVER = "http://testserver"


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """A quiet server (no workers: jobs stay queued) that the job commands reach in-process."""
    settings = ApiSettings(jobs=JobSettings(data_dir=tmp_path / "server"), serve_web=False)
    with TestClient(create_app(settings, start_service=False), base_url=SERVER) as client:

        class Kept:  # the commands close their client after each request; this app stays up
            def __enter__(self) -> TestClient:
                return client

            def __exit__(self, *exc: object) -> None:
                pass

        monkeypatch.setattr(client_cli, "_client", lambda *a, **k: Kept())
        yield client


def _run(*args: str) -> Result:
    return CliRunner().invoke(cli_app, [*args, "--server", SERVER], env={"REELGEN_API_KEY": None})


def test_a_spaced_option_is_sent_as_its_key_and_value(app: TestClient) -> None:
    out = _run(
        "submit", "a red fox", "--model", "cogvideox-tiny", "--option", "use_dynamic_cfg = true", "--json"
    )
    assert out.exit_code == 0, out.output
    video_id = out.stdout.split('"id": "')[1].split('"')[0]
    sent = app.get(f"/v1/videos/{video_id}").json()["parameters"]["options"]
    assert sent == {"use_dynamic_cfg": True}


def test_spaces_around_key_and_value_are_dropped_and_inner_ones_kept() -> None:
    assert parse_pairs([" flow_shift = 3 ", "style= a b "], "--option") == {"flow_shift": 3, "style": "a b"}
    with pytest.raises(Exception, match="is given twice"):
        parse_pairs(["flow_shift=3", "flow_shift =4"], "--option")
    with pytest.raises(Exception, match="must look like KEY=VALUE"):
        parse_pairs([" =3"], "--option")
