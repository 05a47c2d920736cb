"""Output names that would clash are numbered or refused in a fixed order, before anything renders."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from PIL import Image
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core.batch import create_manifest, write_manifest
from reelgen.core.batch.manifest import load_manifest
from tests.api.conftest import data_dir, make_client  # noqa: F401  (fixtures)

runner = CliRunner()


def said(output: str) -> str:
    return " ".join(output.split())


def images(folder: Path, *names: str) -> Path:
    folder.mkdir(parents=True)
    for name in names:
        Image.new("RGB", (32, 32), (200, 40, 40)).save(folder / name)
    return folder


def test_manifest_create_numbers_names_that_would_share_files_in_file_name_order(tmp_path: Path) -> None:
    """``shot.mp4.png`` and ``shot.png`` both became items writing shot.mp4 and shot.json, and an
    image named batch-summary or *.motion gave a name the manifest refuses: ``reelgen manifest
    create`` died with 'internal error (ValidationError ...)'."""
    shots = images(
        tmp_path / "shots", "shot.png", "shot.mp4.png", "Shot.jpg", "batch-summary.png", "clip.motion.png"
    )
    manifest = create_manifest(shots)
    # Sorted by file name (upper case first), the first image of a name keeps it, the next get -2, -3.
    assert [(Path(i.images[0]).name, i.output) for i in manifest.items] == [
        ("Shot.jpg", "Shot"),
        ("batch-summary.png", "batch-summary-2"),
        ("clip.motion.png", "clip.motion-2"),
        ("shot.mp4.png", "shot-mp4"),
        ("shot.png", "shot-2"),
    ]
    assert [i.output for i in create_manifest(shots).items] == [i.output for i in manifest.items]
    made = runner.invoke(app, ["manifest", "create", str(shots)])
    assert made.exit_code == 0, made.output
    assert len(load_manifest(shots / "manifest.json").items) == 5


@pytest.mark.parametrize("output", ["shot.avi", "Shot.M4V", "take-2.ts"])
def test_an_output_named_as_a_video_a_batch_does_not_make_is_refused(output: str, tmp_path: Path) -> None:
    """``shot.avi`` was made, without a word, as ``shot.avi.mp4``."""
    shots = images(tmp_path / "shots", "sea.png")
    target = shots / "manifest.json"
    target.write_text(f'{{"defaults": {{"model": "ken-burns"}}, "items": [{{"output": "{output}"}}]}}')
    result = runner.invoke(app, ["batch", str(target), "-q"])
    stem, suffix = output.rsplit(".", 1)
    assert result.exit_code == 2, result.output
    assert (
        f"items[0].output: '{output}' ends in .{suffix.lower()}, a video a batch does not make; "
        f"name it {stem} (made as an MP4), {stem}.webm"
    ) in said(result.output)
    assert not (shots / "outputs").exists()


@pytest.mark.parametrize("folder", ["", "   "])
def test_a_blank_output_dir_is_refused_not_made_a_folder_of_spaces(folder: str, tmp_path: Path) -> None:
    target = tmp_path / "manifest.json"
    target.write_text(
        f'{{"defaults": {{"model": "ken-burns", "output_dir": "{folder}"}}, "items": [{{"output": "a"}}]}}'
    )
    result = runner.invoke(app, ["batch", str(target), "-q"])
    assert result.exit_code == 2, result.output
    assert "defaults.output_dir: it is blank; give a folder name" in said(result.output)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["manifest.json"]


def test_manifest_create_names_an_image_like_clip_avi_png_as_an_mp4(tmp_path: Path) -> None:
    shots = images(tmp_path / "shots", "clip.avi.png", "intro.gif.jpg")
    assert [i.output for i in create_manifest(shots).items] == ["clip-avi", "intro-gif"]


def test_manifest_create_drops_accents_not_the_letters_they_sit_on(tmp_path: Path) -> None:
    """``Café.png`` was named ``Caf`` and ``Ångström.png`` ``ngstr-m``."""
    shots = images(tmp_path / "shots", "Café.png", "Ångström.png", "日本.png")
    assert [i.output for i in create_manifest(shots).items] == ["Cafe", "Angstrom", "item"]


def test_an_image_named_after_a_video_makes_an_mp4_named_with_its_whole_name(tmp_path: Path) -> None:
    """``intro.webm.png`` made an item named ``intro.webm``: alone of its folder a WebM, named as the
    video the still came from; beside ``intro.png`` (whose files it would share) ``intro.webm-2``."""
    shots = images(tmp_path / "shots", "intro.webm.png", "intro.png", "outro.MOV.jpg")
    assert [i.output for i in create_manifest(shots).items] == ["intro", "intro-webm", "outro-MOV"]
    made = runner.invoke(app, ["manifest", "create", str(shots)])
    assert made.exit_code == 0, made.output
    assert "renamed" not in made.output  # nothing clashed, so nothing was numbered
    items = load_manifest(shots / "manifest.json").items
    assert [(i.output, i.suffix) for i in items] == [
        ("intro", ".mp4"),
        ("intro-webm", ".mp4"),
        ("outro-MOV", ".mp4"),
    ]


def test_manifest_create_says_which_names_it_numbered_and_why(tmp_path: Path) -> None:
    """Two images giving one name, or one the batch's own files use, were numbered without a word."""
    shots = images(tmp_path / "shots", "intro-webm.png", "intro.webm.png", "batch-summary.png", "sea.png")
    made = runner.invoke(app, ["manifest", "create", str(shots)])
    assert made.exit_code == 0, made.output
    assert [i.output for i in load_manifest(shots / "manifest.json").items] == [
        "batch-summary-2",
        "intro-webm",
        "intro-webm-2",
        "sea",
    ]
    assert (
        "renamed: intro.webm.png -> intro-webm-2: intro-webm.png is named intro-webm "
        "(output names must differ, case aside)"
    ) in said(made.output)
    assert (
        "renamed: batch-summary.png -> batch-summary-2: batch-summary is a name the batch's own files use"
        in (said(made.output))
    )
    assert "sea.png" not in made.output


def test_a_batch_whose_outputs_would_write_over_its_own_manifest_is_refused_before_any_work(
    tmp_path: Path,
) -> None:
    """With output_dir "." an item named manifest wrote its record, manifest.json, over the manifest."""
    shots = images(tmp_path / "shots", "manifest.png", "sea.png")
    manifest = create_manifest(shots).model_copy(deep=True)
    manifest.defaults.model, manifest.defaults.output_dir = "ken-burns", "."
    target = write_manifest(manifest, shots / "manifest.json")
    before = target.read_bytes()
    result = runner.invoke(app, ["batch", str(target), "-q"])
    assert result.exit_code == 2, result.output
    assert "items[0].output 'manifest' would write manifest.json over the manifest" in said(result.output)
    assert target.read_bytes() == before and not list(shots.glob("*.mp4"))
    # Named batch-summary.json, a manifest would be removed by the run as an earlier summary.
    summary_named = shots / "batch-summary.json"
    target.rename(summary_named)
    result = runner.invoke(app, ["batch", str(summary_named), "-q"])
    assert result.exit_code == 2 and "the summary (batch-summary.json) would replace" in said(result.output)
    assert summary_named.read_bytes() == before
    # Outputs elsewhere: the same manifest runs (its tiny keyframes are skipped as too small).
    done = runner.invoke(app, ["batch", str(summary_named), "-q", "--output-dir", str(tmp_path / "out")])
    assert done.exit_code == 0 and "0 of 2 done" in done.output, done.output
    assert (tmp_path / "out" / "batch-summary.json").is_file() and summary_named.read_bytes() == before


def test_a_server_batch_that_would_write_over_its_manifest_is_a_400_and_nothing_is_queued(
    make_client: Callable[..., TestClient],  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    shots = images(tmp_path / "shots", "manifest.png")
    (shots / "manifest.json").write_text("{}")
    monkeypatch.setenv("REELGEN_BATCH_ROOTS", str(tmp_path))
    client = make_client()
    manifest = {
        "defaults": {"model": "ken-burns"},
        "items": [{"output": "manifest", "images": ["manifest.png"]}],
    }
    body = {
        "manifest": manifest,
        "input_folder": str(shots),
        "output_folder": str(shots),
        "name": "manifest.json",
    }
    resp = client.post("/v1/batches", json=body)
    assert resp.status_code == 400, resp.text
    assert resp.json()["error"]["param"] == "manifest.items[0].output"
    assert client.get("/v1/batches").json()["data"] == [] and (shots / "manifest.json").read_text() == "{}"
    elsewhere = client.post("/v1/batches", json={**body, "output_folder": str(tmp_path / "out")})
    assert elsewhere.status_code == 202, elsewhere.text
