"""`reelgen train-micro` counts with an upper bound: prompts, seeds, processes and threads past what makes sense."""

from __future__ import annotations

import time

import pytest

from reelgen.train import micro_args, scenes
from reelgen.train.micro import parser
from reelgen.train.micro_eval import heldout_scenes


def _refused(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as exited:
        parser("reelgen train-micro").parse_args(argv)
    assert exited.value.code == 2
    return capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        # Uncapped, --prompts 1000000 drew scenes for hours before its first clip.
        (
            ["evaluate", "--out", "e.json", "--prompts", "1000000"],
            "'1000000' must be at least 1 and at most 131",
        ),
        (["train", "--out", "r", "--eval-prompts", "132"], "'132' must be at least 0 and at most 131"),
    ],
)
def test_more_prompts_than_held_out_combinations_are_refused_saying_how_many_there_are(
    argv: list[str], said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    err = _refused(argv, capsys)
    assert said in err and "there are 131 held-out colour, shape, direction and background" in err


def test_the_largest_count_of_prompts_is_taken() -> None:
    args = parser().parse_args(["evaluate", "--out", "e.json", "--prompts", "131"])
    assert args.prompts == 131 == len(scenes.heldout_directions())


def test_held_out_prompts_cover_every_combination_without_drawing_for_long() -> None:
    begun = time.monotonic()
    drawn = heldout_scenes(micro_args.HELDOUT + 20)  # took 50 draws a prompt past the last combination
    assert time.monotonic() - begun < 1.0
    keys = {(s.main.colour, s.main.shape, s.main.motion, s.colour) for s in drawn}
    assert keys == scenes.heldout_directions()
    # The list is the same prompts it was: reports made before stay comparable.
    assert [s.caption for s in heldout_scenes(128)] == [s.caption for s in drawn[:128]]


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        # torch.set_num_threads(100000) then a matrix product was a segmentation fault.
        (["evaluate", "--out", "e.json", "--threads", "100000"], "argument --threads: '100000' must be"),
        (["evaluate", "--out", "e.json", "--workers", "100000"], "argument --workers: '100000' must be"),
        (["train", "--out", "r", "--workers", "100000"], "argument --workers: '100000' must be"),
    ],
)
def test_more_processes_or_threads_than_cpu_cores_are_refused(
    argv: list[str], said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    err = _refused(argv, capsys)
    assert (
        said in err and f"at most {micro_args.CORES} (this machine has {micro_args.CORES} CPU cores)" in err
    )


def test_a_seed_torch_cannot_take_is_refused_with_the_largest_written_out(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # torch.manual_seed raised "Overflow when unpacking long long" as the run started.
    err = _refused(["train", "--out", "r", "--seed", str(2**64)], capsys)
    assert f"'{2**64}' must be at least 0 and at most {2**63 - 1} " in err
    assert parser().parse_args(["train", "--out", "r", "--seed", str(2**63 - 1)]).seed == 2**63 - 1


def test_validation_on_no_prompt_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    # Each check ran on no prompt and logged empty scores; --validate-every 0 is how they are turned off.
    assert "--validate-prompts: '0' must be above 0" in _refused(
        ["train", "--out", "r", "--validate-prompts", "0"], capsys
    )
