"""``reelgen remix --help`` said only of --seed that a left-out value is the remixed video's; the server keeps
the remixed video's negative prompt, steps, guidance and priority too, so ``--priority`` ("Higher runs first.")
read as if left out meant 0. Each says so now, checked against what a remix keeps."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from reelgen.api.app import create_app
from reelgen.api.settings import ApiSettings
from reelgen.cli import app as cli_app
from reelgen.jobs.settings import JobSettings


def test_each_remix_option_says_left_out_it_is_the_remixed_videos() -> None:
    out = CliRunner().invoke(cli_app, ["remix", "--help"], env={"COLUMNS": "300", "NO_COLOR": "1"})
    assert out.exit_code == 0, out.output
    lines = {line.split()[1]: " ".join(line.split()) for line in out.output.splitlines() if "│ --" in line}
    for flag in ("--negative", "--seed", "--steps", "--guidance", "--priority"):
        assert "(default: the remixed video's)" in lines[flag], lines[flag]
    said = " ".join(out.output.split())
    assert "so do its negative prompt, seed, steps, guidance and priority unless given" in said


def test_what_the_help_says_is_what_a_remix_keeps(tmp_path: Path) -> None:
    settings = ApiSettings(jobs=JobSettings(data_dir=tmp_path / "server"), serve_web=False)
    with TestClient(create_app(settings, start_service=False)) as client:
        parent = client.post(
            "/v1/videos",
            json={
                "model": "cogvideox-tiny",
                "prompt": "a red fox",
                "negative_prompt": "blur",
                "num_inference_steps": 3,
                "guidance_scale": 2.5,
                "priority": 7,
                "seed": 11,
            },
        ).json()
        remix = client.post(f"/v1/videos/{parent['id']}/remix", json={"prompt": "at dawn"}).json()
    kept = remix["parameters"]
    assert (kept["negative_prompt"], kept["num_inference_steps"], kept["guidance_scale"]) == ("blur", 3, 2.5)
    assert (remix["priority"], remix["seed"]) == (7, 11)
