"""A model folder copied by hand is taken only whole: a weight file cut short or left a Git LFS pointer
is said by `reelgen models` and generate, before any load; a --weights folder lacking a part too."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from safetensors.numpy import save_file
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core import weights
from reelgen.core.errors import InvalidRequest
from reelgen.core.spec import registry

runner = CliRunner()
WEIGHT = "transformer/diffusion_pytorch_model.safetensors"
LFS = "version https://git-lfs.github.com/spec/v1\noid sha256:{}\nsize 9432208\n".format("0" * 64)


def model_folder(
    folder: Path, parts: tuple[str, ...] = ("transformer", "vae"), pipeline: str = "LTXPipeline"
) -> Path:
    """A diffusers folder of ``parts`` of a ``pipeline``, each a config and one small safetensors file."""
    index = {
        "_class_name": pipeline,
        **{p: ["diffusers", "AutoencoderKL"] for p in ("transformer", "vae")},
    }
    folder.mkdir(parents=True)
    (folder / "model_index.json").write_text(json.dumps(index))
    for part in parts:
        (folder / part).mkdir()
        (folder / part / "config.json").write_text("{}")
        tensor = np.zeros((64, 64), dtype=np.float32)
        save_file({"w": tensor}, str(folder / part / "diffusion_pytorch_model.safetensors"))
    return folder


def cut_short(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:-1000])


def test_a_whole_copy_is_the_models_weights(tmp_path: Path) -> None:
    folder = model_folder(tmp_path / "models" / "ltx-2b")
    assert weights.locate(*registry.resolve("ltx-2b")).path == folder


@pytest.mark.parametrize(
    ("spoil", "said"),
    [
        (cut_short, "(cut short)"),
        (lambda p: p.write_text(LFS), "(a Git LFS pointer, not the file: run `git lfs pull` in the folder"),
        (lambda p: p.write_bytes(b""), "(empty)"),
        (lambda p: p.write_bytes(p.read_bytes()[:40]), "(cut short)"),  # inside its header
    ],
)
def test_a_copied_file_not_all_there_makes_the_model_partial(
    tmp_path: Path, spoil: Callable[[Path], object], said: str
) -> None:
    # It was listed as models-dir (ready); generate failed after the memory plan with "Unable to load
    # weights from checkpoint file for ... at ...", or diffusers' git-lfs advice.
    folder = model_folder(tmp_path / "models" / "ltx-2b")
    spoil(folder / WEIGHT)
    with pytest.raises(weights.PartlyDownloaded) as caught:
        weights.locate(*registry.resolve("ltx-2b"))
    assert f"is only partly copied into {folder} (missing: {WEIGHT} {said}" in caught.value.message
    assert caught.value.origin == "models-dir"
    listed = runner.invoke(app, ["models", "--family", "ltx-2b", "--json"])
    assert listed.exit_code == 0, listed.output
    (row,) = [r for r in json.loads(listed.stdout) if r["model"] == "ltx-2b"]
    assert row["cached"] == "partial"
    assert f"{WEIGHT} {said}" in row["advice"]


def test_generate_refuses_a_cut_short_copy_before_loading(tmp_path: Path) -> None:
    folder = model_folder(tmp_path / "models" / "ltx-2b")
    cut_short(folder / WEIGHT)
    made = runner.invoke(app, ["generate", "waves", "-m", "ltx-2b", "-o", str(tmp_path / "w.mp4")])
    assert made.exit_code == 2, made.output
    said = " ".join(made.stderr.split())
    assert f"missing: {WEIGHT} (cut short)" in said
    assert "memory plan" not in said
    assert not (tmp_path / "w.mp4").exists()


def test_a_part_copy_of_the_bundled_model_says_removing_it_brings_back_the_bundled_one(
    tmp_path: Path,
) -> None:
    folder = model_folder(tmp_path / "models" / "reelgen-micro")
    cut_short(folder / WEIGHT)
    with pytest.raises(weights.PartlyDownloaded) as caught:
        weights.locate(*registry.resolve("reelgen-micro"))
    assert caught.value.message.endswith(
        f"copy the rest of {folder} from where it came, or remove that folder to use the one inside the "
        "reelgen package"
    )


def test_a_weights_folder_lacking_a_part_is_refused_naming_it(tmp_path: Path) -> None:
    # diffusers said "no file named config.json found in directory FOLDER" (the folder, not the part), after the plan.
    folder = model_folder(tmp_path / "mine", parts=("transformer",), pipeline="WanPipeline")
    with pytest.raises(InvalidRequest) as caught:
        weights.locate(*registry.resolve("reelgen-micro"), weights=str(folder))
    assert caught.value.message == (
        f"weights folder {folder} lacks parts of the model (missing: vae); copy the rest of it, or give the "
        "model's whole diffusers folder"
    )
    assert caught.value.param == "weights"
    made = runner.invoke(
        app,
        [
            "generate",
            "a ball",
            "-m",
            "reelgen-micro",
            "--weights",
            str(folder),
            "-o",
            str(tmp_path / "b.mp4"),
        ],
    )
    assert made.exit_code == 2, made.output
    assert "lacks parts of the model (missing: vae)" in " ".join(made.stderr.split())
    assert not (tmp_path / "b.mp4").exists()


def test_a_pulled_snapshot_is_not_read_file_by_file(tmp_path: Path) -> None:
    # The Hub's files are renamed into place once whole; only a copy made by hand is checked file by file.
    from reelgen.core.weight_parts import missing_parts

    folder = model_folder(tmp_path / "snap")
    cut_short(folder / WEIGHT)
    assert missing_parts(folder) == []
    assert missing_parts(folder, copied=True) == [f"{WEIGHT} (cut short)"]
