"""A clip downloaded from a server names its inputs as they were sent, and replays on the user's machine."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner, Result

from reelgen.cli import app
from reelgen.core.record import load_record
from reelgen.jobs.service import JobService
from tests.api.serving import serving
from tests.jobs import conftest as jobs_fixtures
from tests.jobs.fakes import MODEL

jobtest_family = jobs_fixtures.jobtest_family
make_service = jobs_fixtures.make_service

runner = CliRunner()


@pytest.fixture
def service(make_service: Callable[..., JobService]) -> JobService:
    return make_service()


@pytest.fixture
def server(service: JobService) -> Iterator[str]:
    with serving(service) as url:
        yield url


def run(*args: str) -> Result:
    return runner.invoke(app, list(args))


def downloaded(server: str, image: Path, target: Path) -> Path:
    made = run("submit", "a red fox", "--model", MODEL, "--image", str(image), "--watch", "--server", server)
    assert made.exit_code == 0, made.output
    got = run("download", made.stdout.split()[0], "-o", str(target), "--server", server)
    assert got.exit_code == 0, got.output
    return target


def test_a_downloaded_clip_names_its_upload_by_file_name_and_replays_with_it_beside_or_given(
    server: str, service: JobService, tmp_path: Path
) -> None:
    mine = tmp_path / "photos" / "fox.png"
    mine.parent.mkdir()
    Image.new("RGB", (32, 32), (200, 80, 40)).save(mine)
    clip = downloaded(server, mine, tmp_path / "downloads" / "clip.mp4")

    record = load_record(clip)
    digest = hashlib.sha256(mine.read_bytes()).hexdigest()
    assert record["inputs"]["start_image"] == {"path": "fox.png", "sha256": digest}
    assert record["request"]["start_image"] == "fox.png"
    text = json.dumps(record)
    assert (
        str(service.settings.data_dir) not in text and "scratch" not in text
    )  # nothing of the server's disk

    # Elsewhere: named with --input, then found beside the clip by its name and SHA-256.
    given = run("replay", str(clip), "-o", str(tmp_path / "again.mp4"), "--input", f"start_image={mine}")
    assert given.exit_code == 0, given.output
    shutil.copyfile(mine, clip.with_name("fox.png"))
    beside = run("replay", str(clip), "-o", str(tmp_path / "again2.mp4"))
    assert beside.exit_code == 0, beside.output
    assert load_record(tmp_path / "again2.mp4")["inputs"]["start_image"]["path"] == str(
        clip.with_name("fox.png")
    )
