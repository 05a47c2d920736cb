"""`reelgen shootout` as a person uses it: a report folder, the ranking, and clear refusals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import Result
from PIL import Image
from skimage import data
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


#: A full gc.collect per model unload is skipped here (tests/conftest.py says why).
pytestmark = pytest.mark.usefixtures("no_collection_per_unload")


def said(result: Result) -> str:
    """What the command printed, with rich's line wrapping undone."""
    return " ".join(result.output.split())


def test_shootout_writes_the_report_and_prints_its_path(tmp_path: Path) -> None:
    prompts = tmp_path / "prompts.yaml"
    prompts.write_text("prompts: [a lighthouse at night]\nsettings: {seed: 2}\nprice_per_gpu_hour: 4\n")
    image = tmp_path / "coffee.png"
    Image.fromarray(data.coffee()).save(image)
    out = tmp_path / "compare"
    result = runner.invoke(
        app,
        [
            "shootout",
            "--models",
            "ltx-tiny,wan-i2v-tiny",
            "--prompts",
            str(prompts),
            "--images",
            str(image),
            "-o",
            str(out),
            "-q",
            "--price-per-gpu-hour",
            "3",
        ],
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().splitlines()[-1] == str(out / "report.html")
    assert "ltx-tiny: mean score" in said(result) and "wan-i2v-tiny: mean score" in said(result)
    numbers = json.loads((out / "results.json").read_text())
    assert numbers["price_per_gpu_hour"] == 3
    assert [(t["key"], t["task"], t["status"], t["image"]) for t in numbers["trials"]] == [
        ("ltx-tiny--p1", "i2v", "done", str(image.resolve())),  # which --images file each trial got
        ("wan-i2v-tiny--p1", "i2v", "done", str(image.resolve())),
    ]


def test_an_unknown_model_is_refused_before_anything_runs(tmp_path: Path) -> None:
    prompts = tmp_path / "prompts.yaml"
    prompts.write_text("- a fox\n")
    result = runner.invoke(
        app, ["shootout", "-m", "wan-tinyy", "-p", str(prompts), "-o", str(tmp_path / "r")]
    )
    assert result.exit_code == 2 and "unknown model 'wan-tinyy'; did you mean wan-tiny" in said(result)
    assert not (tmp_path / "r").exists()


@pytest.mark.parametrize(
    ("model", "option", "said_of_it"),
    [
        # It was taken: results.json then held Infinity and NaN, which JSON readers refuse.
        (
            "wan-tiny",
            ["--price-per-gpu-hour", "inf"],
            "--price-per-gpu-hour': inf is not a price; give the price of an hour of GPU time",
        ),
        # ``-i "$IMG"`` with IMG unset was dropped: the image model's trial failed asking for --images.
        (
            "wan-i2v-tiny",
            ["--images", ""],
            "'--images' / '-i': it is empty (an unset variable?); give start images",
        ),
        # A file that is no image: each trial failed on it, and the run exited 1 after the others ran.
        ("wan-i2v-tiny", ["--images", __file__], "is not a readable image"),
    ],
    ids=["infinite-price", "empty-images", "no-image"],
)
def test_a_value_no_run_can_use_is_refused_before_anything_runs(
    tmp_path: Path, model: str, option: list[str], said_of_it: str
) -> None:
    prompts = tmp_path / "prompts.yaml"
    prompts.write_text("- a fox\n")
    result = runner.invoke(
        app, ["shootout", "-m", model, "-p", str(prompts), "-o", str(tmp_path / "r"), *option]
    )
    assert result.exit_code == 2
    assert said_of_it in said(result)
    assert not (tmp_path / "r").exists()


def test_a_missing_prompts_file_is_named(tmp_path: Path) -> None:
    result = runner.invoke(app, ["shootout", "-m", "wan-tiny", "-p", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2 and f"prompts file {tmp_path / 'nope.yaml'} does not exist" in said(result)
    folder = runner.invoke(app, ["shootout", "-m", "wan-tiny", "-p", str(tmp_path)])
    assert folder.exit_code == 2
    assert f"prompts file {tmp_path} is a folder; give the YAML file" in said(folder)


def test_a_device_this_machine_lacks_is_refused_before_anything_runs(tmp_path: Path) -> None:
    # It used to fail every trial one by one, write a report of failures and exit 0.
    prompts = tmp_path / "prompts.yaml"
    prompts.write_text("- a fox\n- waves\n")
    args = ["shootout", "-m", "wan-tiny", "-p", str(prompts), "-o", str(tmp_path / "r"), "-q"]
    result = runner.invoke(app, [*args, "--device", "cuda:99"])
    assert result.exit_code == 2 and "device 'cuda:99' is not on this machine" in said(result)
    assert "valid: cpu" in said(result)
    assert not (tmp_path / "r").exists()


def test_a_shootout_where_no_trial_finished_writes_its_report_and_exits_1(tmp_path: Path) -> None:
    prompts = tmp_path / "prompts.yaml"
    prompts.write_text("prompts: [a lighthouse at night]\n")  # no image for an image-to-video-only model
    out = tmp_path / "compare"
    result = runner.invoke(app, ["shootout", "-m", "wan-i2v-tiny", "-p", str(prompts), "-o", str(out), "-q"])
    assert result.exit_code == 1, result.output
    assert "wan-i2v-tiny--p1 failed:" in said(result)
    assert (
        result.stdout.strip().splitlines()[-1] == str(out / "report.html") and (out / "report.html").is_file()
    )


def test_a_model_named_twice_is_a_usage_error_with_nothing_run(tmp_path: Path) -> None:
    prompts = tmp_path / "prompts.yaml"
    prompts.write_text("- a fox\n")
    args = [
        "shootout",
        "-m",
        "wan-tiny,ltx-tiny",
        "-m",
        "wan-tiny",
        "-p",
        str(prompts),
        "-o",
        str(tmp_path / "r"),
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 2 and "models are named once each; repeated: wan-tiny" in said(result)
    assert not (tmp_path / "r").exists()


def test_the_help_shows_every_option_whole() -> None:
    # Rich cut "(default shootout-YYYYmmdd-HHMMSS)" to "shootout-YYYYmmdd-HH…" on an 80-column terminal.
    result = runner.invoke(app, ["shootout", "--help"], env={"COLUMNS": "80"})
    assert result.exit_code == 0 and "…" not in result.output
    assert "shootout-DATE-TIME);" in result.output


def test_results_json_names_each_clip_by_a_path_that_opens_from_anywhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A relative -o left "compare/clips/wan-tiny--p1.mp4" in results.json: a path from the folder the
    # command ran in, not found by whoever opens the report later (a server's shoot-out wrote it whole).
    (tmp_path / "prompts.yaml").write_text("- a fox\n")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["shootout", "-m", "wan-tiny", "-p", "prompts.yaml", "-o", "compare", "-q"])
    assert result.exit_code == 0, result.output
    (trial,) = json.loads((tmp_path / "compare" / "results.json").read_text())["trials"]
    assert trial["clip"] == str(tmp_path.resolve() / "compare" / "clips" / "wan-tiny--p1.mp4")
    monkeypatch.chdir(tmp_path.parent)
    assert Path(trial["clip"]).is_file()
