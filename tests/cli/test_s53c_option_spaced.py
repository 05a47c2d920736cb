"""``--option "use_dynamic_cfg = true"`` (spaced as in a config file) kept the spaces: the server answered
"--option use_dynamic_cfg  is not a known field; did you mean use_dynamic_cfg?", offering the very name typed.
The key and value are now read without the spaces around them, for submit as for generate and enhance."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from reelgen.cli.output import parse_pairs
from tests.cli.in_process import in_process
from tests.cli.in_process import run as _run


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """A quiet server (no workers: jobs stay queued) that the job commands reach in-process."""
    with in_process(tmp_path, monkeypatch) as client:
        yield client


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
