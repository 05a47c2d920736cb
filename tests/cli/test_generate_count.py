"""`reelgen generate --count N` and `animate --count N`: several takes of one request, one model load."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.cli.output import take_outputs
from reelgen.core.errors import GenerationFailed
from reelgen.core.progress import Progress
from reelgen.core.spec import registry
from reelgen.core.spec.request import SEED_LIMIT, ResolvedRequest
from reelgen.core.types import Video
from tests.cli.ctrl_c import interrupting
from tests.core.fakes import SPEC, FakeRunner

runner = CliRunner()


@pytest.fixture(autouse=True)
def fake_family() -> Iterator[None]:
    registry.register(SPEC)
    FakeRunner.fail_plans, FakeRunner.fail_load, FakeRunner.loads = set(), set(), []
    yield
    registry.unregister("fake")


def said(result: Any) -> str:
    return " ".join(result.output.replace("│", " ").split())  # a usage error's box wraps lines


def seed_of(video: Path) -> int:
    return int(json.loads(video.with_suffix(".json").read_text())["request"]["seed"])


def test_count_makes_takes_with_consecutive_seeds_from_one_model_load(tmp_path: Path) -> None:
    out = tmp_path / "take.mp4"
    # No -q: the take lines asserted below are step lines, which -q leaves out.
    args = ["generate", "a cat", "-m", "fake-tiny", "--seed", "7", "--count", "3", "-o", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    takes = [tmp_path / f"take-{n}.mp4" for n in (1, 2, 3)]
    assert result.stdout.strip().splitlines()[-3:] == [str(take) for take in takes]
    assert [seed_of(take) for take in takes] == [7, 8, 9]
    assert len(FakeRunner.loads) == 1
    assert f"take 2/3: seed 8 -> {takes[1]}" in result.output
    again = tmp_path / "again.mp4"  # each record holds its own seed, so a take replays alone
    assert runner.invoke(app, ["replay", str(takes[1]), "-o", str(again), "-q"]).exit_code == 0
    assert seed_of(again) == 8


def test_without_seed_or_output_each_take_gets_its_default_name_and_the_next_seed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["generate", "a cat", "-m", "fake-tiny", "--count", "2", "-q"])
    assert result.exit_code == 0, result.output
    made = [Path(line) for line in result.stdout.strip().splitlines()[-2:]]
    first, second = seed_of(made[0]), seed_of(made[1])
    assert second == first + 1
    assert made[0].name.endswith(f"-fake-tiny-{first}.mp4") and made[1].name.endswith(f"-{second}.mp4")
    assert sorted(p.name for p in (tmp_path / "outputs").glob("*.mp4")) == sorted(p.name for p in made)


def test_animate_makes_takes_too(tmp_path: Path) -> None:
    start = tmp_path / "start.png"
    Image.new("RGB", (32, 32), (200, 40, 40)).save(start)
    out = tmp_path / "moved.mp4"
    args = [
        "animate",
        str(start),
        "it moves",
        "-m",
        "fake-tiny",
        "--seed",
        "3",
        "--count",
        "2",
        "-o",
        str(out),
    ]
    result = runner.invoke(app, [*args, "-q"])
    assert result.exit_code == 0, result.output
    assert [seed_of(tmp_path / f"moved-{n}.mp4") for n in (1, 2)] == [3, 4]
    assert len(FakeRunner.loads) == 1


def test_ten_takes_or_more_are_numbered_with_zeros_so_they_sort_in_order(tmp_path: Path) -> None:
    names = [p.name for p in take_outputs(tmp_path / "take.webm", list(range(10)), "fake-tiny")]
    assert names == [f"take-{n:02d}.webm" for n in range(1, 11)]


def test_a_take_whose_record_would_replace_a_file_is_refused_before_the_model_loads(tmp_path: Path) -> None:
    notes = tmp_path / "take-2.json"
    notes.write_text("my shot list\n")
    out = tmp_path / "take.mp4"
    result = runner.invoke(app, ["generate", "a cat", "-m", "fake-tiny", "--count", "3", "-o", str(out)])
    assert result.exit_code == 2, result.output
    assert f"output {tmp_path / 'take-2.mp4'}: its record would replace {notes}" in said(result)
    assert FakeRunner.loads == [] and "memory plan" not in result.output
    assert sorted(tmp_path.iterdir()) == [notes] and notes.read_text() == "my shot list\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--count", "0"], "Invalid value for '--count': 0 is not from 1 to 100; give how many takes"),
        (["--count", "101"], "Invalid value for '--count': 101 is not from 1 to 100; give how many"),
        (
            ["--count", "3", "--seed", str(SEED_LIMIT - 2)],
            f"--seed {SEED_LIMIT - 2} with --count 3 runs to seed {SEED_LIMIT}, past the largest, "
            f"{SEED_LIMIT - 1}; give --seed {SEED_LIMIT - 3} or less",
        ),
        (["--count", "2", "--gpus", "2"], "--count makes its takes from one model load; give it or --gpus"),
        (
            ["--count", "2", "-o", "take.avi"],
            "--output: take.avi does not end in .mp4, .mov, .mkv, .webm or .gif; give a name such as take.mp4",
        ),
    ],
)
def test_a_count_that_cannot_be_made_is_refused_before_any_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["generate", "a cat", "-m", "fake-tiny", "-o", "take.mp4", *args])
    assert result.exit_code == 2, result.output
    assert message in said(result)
    assert FakeRunner.loads == [] and list(tmp_path.iterdir()) == []


def test_a_failed_take_stops_the_rest_and_keeps_and_names_the_ones_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = FakeRunner.generate

    def broken_at_seed_8(self: FakeRunner, request: ResolvedRequest, progress: Progress) -> Video:
        if request.seed == 8:
            raise GenerationFailed("fake-tiny made a broken clip: all frames are black")
        return real(self, request, progress)

    monkeypatch.setattr(FakeRunner, "generate", broken_at_seed_8)
    out = tmp_path / "take.mp4"
    args = ["generate", "a cat", "-m", "fake-tiny", "--seed", "7", "--count", "3", "-o", str(out), "-q"]
    result = runner.invoke(app, args)
    assert result.exit_code == 1, result.output
    assert "error: fake-tiny made a broken clip" in result.output
    assert "kept 1 of the 3 takes, made before it stopped:" in result.output
    assert result.stdout.strip().splitlines()[-1] == str(tmp_path / "take-1.mp4")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["take-1.json", "take-1.mp4"]


def test_ctrl_c_in_a_take_keeps_the_finished_ones_and_exits_130(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reelgen.cli import output

    real = output.progress_bar

    monkeypatch.setattr(output, "progress_bar", interrupting(real, "take 2/3 denoise"))
    out = tmp_path / "take.mp4"
    result = runner.invoke(app, ["generate", "x", "-m", "fake-tiny", "--count", "3", "-o", str(out)])
    assert result.exit_code == 130, result.output
    # It said "run cancelled ... no file was written" above the takes it kept.
    assert "error: take 2 of 3 cancelled with Ctrl-C; that take wrote no file" in result.output
    assert "no file was written" not in result.output and "kept 1 of the 3 takes" in result.output
    assert result.stdout.strip().splitlines()[-1] == str(tmp_path / "take-1.mp4")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["take-1.json", "take-1.mp4"]


@pytest.mark.parametrize(("frames", "said"), [(1, "1 frame 64x64"), (9, "9 frames 64x64")])
def test_the_plan_line_counts_frames_in_words(frames: int, said: str) -> None:
    from types import SimpleNamespace

    from reelgen.cli.output import plan_line

    result = SimpleNamespace(
        metadata={"memory_plan": {"strategy": "cpu"}, "request": {"seed": 7}},
        video=SimpleNamespace(num_frames=frames, width=64, height=64, fps=24.0),
    )
    assert f"| seed 7 | {said} @ 24.0 fps" in plan_line(result)  # type: ignore[arg-type]
