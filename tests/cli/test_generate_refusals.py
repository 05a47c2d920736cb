"""Values other tools give a meaning reelgen does not, refused in one line before any model loads."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

from reelgen.cli import app
from tests.cli.reelgen_main import run_reelgen

runner = CliRunner()


def said(output: str) -> str:
    return " ".join(output.split())


def test_a_seed_of_minus_one_is_not_taken_for_random() -> None:
    # Wan2GP's and Automatic1111's "random" read only "Input should be greater than or equal to 0".
    result = runner.invoke(app, ["generate", "a fox", "-m", "ltx-tiny", "--seed", "-1", "-q"])
    assert result.exit_code == 2
    assert "--seed: -1 does not mean random here" in said(result.output)
    assert "leave the seed out for a random one" in said(result.output)


def test_stable_video_diffusion_of_one_frame_is_refused_before_it_runs(tmp_path: Path) -> None:
    # Its temporal layers met one frame with a tensor size error: a traceback after the model loaded.
    image = tmp_path / "red.png"
    Image.new("RGB", (64, 64), (200, 50, 50)).save(image)
    out = tmp_path / "one.mp4"
    result = runner.invoke(
        app, ["generate", "x", "-m", "svd-tiny", "--image", str(image), "--frames", "1", "-o", str(out), "-q"]
    )
    assert result.exit_code == 2, result.output
    assert "1 frame is too few: it takes at least 2" in said(result.output)
    assert "Traceback" not in result.output
    assert not out.exists()


def test_an_end_image_without_a_start_image_names_the_option_to_add() -> None:
    image = Path(__file__)  # never read: the task is refused first
    result = runner.invoke(app, ["generate", "x", "-m", "ltx2-tiny", "--end-image", str(image), "-q"])
    assert result.exit_code == 2
    assert "give a start image (--image) or keyframes (--keyframe FRAME:IMAGE[:STRENGTH]) too" in said(
        result.output
    ), result.output


def test_a_lora_of_another_size_is_one_line_without_diffusers_printing_its_error_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    # diffusers printed "Loading lora_0 was unsuccessful ..." and a line per mismatched layer first.
    import numpy as np
    from safetensors.numpy import save_file

    rng = np.random.default_rng(0)
    layer = "transformer.transformer_blocks.0.attn1.to_q"
    lora = tmp_path / "wide.safetensors"
    save_file(
        {
            f"{layer}.lora_A.weight": rng.standard_normal((4, 64), dtype=np.float32),
            f"{layer}.lora_B.weight": rng.standard_normal((64, 4), dtype=np.float32),
        },
        str(lora),
    )
    args = ["generate", "x", "-m", "ltx-tiny", "--lora", str(lora), "-o", str(tmp_path / "x.mp4"), "-q"]
    # reelgen's main() in this process (a test process has torch and the model loaded already): what
    # diffusers' own log handler prints goes to this process's stderr, read back with the rest.
    done = run_reelgen(monkeypatch, capfd, *args)
    assert done.returncode == 2, done.stderr
    assert "was unsuccessful" not in done.stderr and "size mismatch" not in done.stderr
    assert done.stderr.splitlines()[-1].startswith("error: --lora: wide.safetensors does not fit ltx-tiny")


def test_a_frame_count_or_keyframe_strength_off_the_rules_is_said_with_its_option(tmp_path: Path) -> None:
    # "10 frames is not 4k+1" named no option; "--keyframe 0.2: ..." read as a frame number.
    result = runner.invoke(app, ["generate", "a fox", "-m", "wan-tiny", "--frames", "10", "-q"])
    assert result.exit_code == 2
    assert "error: --frames: 10 frames is not 4k+1 (Wan); nearest valid: 9 or 13" in said(result.output)
    key = tmp_path / "key.png"
    Image.new("RGB", (64, 64), (30, 200, 30)).save(key)
    result = runner.invoke(
        app, ["generate", "a fox", "-m", "wan-vace-tiny", "--keyframe", f"4:{key}:0.2", "-q"]
    )
    assert result.exit_code == 2
    assert (
        "error: the keyframe at frame 4 has strength 0.2, and Wan VACE keeps a keyframe "
        "(--keyframe FRAME:IMAGE[:STRENGTH]) only at strength 0.5 or more"
    ) in said(result.output)


def test_a_task_that_is_none_lists_the_tasks_without_pydantic_words() -> None:
    result = runner.invoke(app, ["generate", "a fox", "-m", "ltx-tiny", "--task", "foo", "-q"])
    assert result.exit_code == 2
    line = said(result.output)
    assert line.startswith("error: Invalid value for '--task': 'foo' is not one of 't2v', 'i2v'"), line
    assert "Value error" not in line
