"""``reelgen download ID --variant spritesheet``: the sheet written as a JPEG; an -o named otherwise than
the variant's file (a JPEG saved as .png, an MP4 as .png) is refused before anything is asked."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner, Result

from reelgen.cli import app
from reelgen.jobs.service import JobService
from tests.api.serving import serving
from tests.jobs import conftest as jobs_fixtures
from tests.jobs.fakes import MODEL

jobtest_family = jobs_fixtures.jobtest_family
make_service = jobs_fixtures.make_service

runner = CliRunner()
VIDEO = "video_" + "0" * 32
NOWHERE = "http://127.0.0.1:9"  # nothing answers: a refusal must come before any request


def said(result: Result) -> str:
    return " ".join(result.output.split())


@pytest.fixture
def server(make_service: Callable[..., JobService]) -> Iterator[str]:
    with serving(make_service()) as url:
        yield url


def test_download_writes_the_sheet_of_a_finished_video(
    server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = runner.invoke(
        app, ["submit", "a fox", "--model", MODEL, "--frames", "6", "--watch", "--server", server]
    )
    assert made.exit_code == 0, made.output
    video_id = made.stdout.split()[0]

    target = tmp_path / "sheet.jpg"
    got = runner.invoke(
        app, ["download", video_id, "--variant", "spritesheet", "-o", str(target), "--server", server]
    )
    assert got.exit_code == 0, got.output
    assert f"wrote {target}" in said(got)
    sheet = Image.open(io.BytesIO(target.read_bytes()))
    assert sheet.format == "JPEG" and sheet.size == (1024, 2 * 256)  # 6 frames of 32x32: 2 rows of 4

    monkeypatch.chdir(tmp_path)  # with no -o it is named <id>.jpg, as the server names it
    again = runner.invoke(app, ["download", video_id, "--variant", "spritesheet", "--server", server])
    assert again.exit_code == 0, again.output
    assert (tmp_path / f"{video_id}.jpg").read_bytes() == target.read_bytes()
    jpeg = runner.invoke(
        app, ["download", video_id, "--variant", "spritesheet", "-o", "b.JPEG", "--server", server]
    )
    assert jpeg.exit_code == 0 and (tmp_path / "b.JPEG").read_bytes() == target.read_bytes()


@pytest.mark.parametrize(
    ("variant", "name", "expected"),
    [
        ("spritesheet", "sheet.png", "the spritesheet is a JPEG image; give a name ending in .jpg or .jpeg"),
        ("thumbnail", "thumb.jpg", "the thumbnail is a PNG image; give a name ending in .png"),
        ("video", "fox.png", "the video is an MP4 file; give a name ending in .mp4"),
    ],
)
def test_a_name_ending_otherwise_than_the_file_is_refused_before_asking(
    tmp_path: Path, variant: str, name: str, expected: str
) -> None:
    target = tmp_path / name
    result = runner.invoke(
        app, ["download", VIDEO, "--variant", variant, "-o", str(target), "--server", NOWHERE]
    )
    assert result.exit_code == 2, result.output
    assert f"output {target}: {expected}" in said(result)
    assert "cannot reach" not in said(result) and "Traceback" not in result.output
    assert not target.exists() and list(tmp_path.iterdir()) == []


def test_a_folder_given_for_the_sheet_is_refused_with_a_jpg_example(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["download", VIDEO, "--variant", "spritesheet", "-o", str(tmp_path), "--server", NOWHERE]
    )
    assert result.exit_code == 2, result.output
    assert f"output {tmp_path} is a folder; give a file path in it, e.g. -o {tmp_path / VIDEO}.jpg" in said(
        result
    )
    assert "cannot reach" not in said(result)


def test_help_names_the_three_variants() -> None:
    result = runner.invoke(app, ["download", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "video, thumbnail or spritesheet." in said(result)
