"""`reelgen train-micro` as a person uses it: its own help, and each step's options behind STEP --help."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app

runner = CliRunner()


def test_help_before_a_step_is_the_commands_page_with_examples() -> None:
    result = runner.invoke(app, ["train-micro", "--help"])
    assert result.exit_code == 0, result.output
    assert "Examples" in result.output and "reelgen train-micro train --out runs/micro" in result.output
    # Its export example replaced the shipped model; a person copying it now writes a folder of their own.
    said = " ".join(result.output.split())
    assert "reelgen train-micro export --checkpoint runs/micro --dest runs/micro-model" in said
    assert "Export without --dest replaces the shipped model" in said and "smoke run" in said


def test_help_after_a_step_lists_that_steps_options() -> None:
    for step, option in (("train", "--vae-seconds"), ("export", "--checkpoint"), ("evaluate", "--prompts")):
        result = runner.invoke(app, ["train-micro", step, "--help"])
        assert result.exit_code == 0, result.output
        assert option in result.output, step


def test_every_option_of_every_step_says_what_it_does_under_the_command_typed() -> None:
    for step in ("train", "export", "evaluate"):
        result = runner.invoke(app, ["train-micro", step, "--help"])
        assert result.output.startswith(f"usage: reelgen train-micro {step}"), result.output[:80]
        options = result.output.split("options:", 1)[1]
        # argparse puts an option's help on its line or the next; an option with none stands alone.
        lines = [line.strip() for line in options.splitlines() if line.strip()]
        bare = [
            line
            for line, after in zip(lines, [*lines[1:], "--end"], strict=True)
            if line.startswith("--") and " " * 2 not in line and after.startswith("-")
        ]
        assert bare == [], (step, bare)


def test_a_number_out_of_range_names_the_option_and_what_it_takes() -> None:
    for argv, message in (
        (["train", "--out", "runs/x", "--seconds", "-1"], "argument --seconds: '-1' must be above 0"),
        (
            ["train", "--out", "runs/x", "--size", "100"],
            "--size: '100' must be at least 32 and at most 512, a multiple",
        ),
        (
            ["train", "--out", "runs/x", "--frames", "24"],
            "--frames: '24' must be at least 5 and at most 129, 4k+1",
        ),
        (
            ["train", "--out", "runs/x", "--i2v-share", "nan"],
            "--i2v-share: 'nan' must be at least 0 and at most 1",
        ),
        (["evaluate", "--out", "e.json", "--prompts", "0"], "argument --prompts: '0' must be at least 1"),
        # The VAE's patches and halvings need sides of 16k: a crop of 20 failed with a RuntimeError a step in.
        (
            ["train", "--out", "runs/x", "--vae-crop", "20"],
            "--vae-crop: '20' must be at least 0, a multiple of 16",
        ),
    ):
        result = runner.invoke(app, ["train-micro", *argv])
        assert result.exit_code == 2, (argv, result.output)
        assert message in " ".join(result.output.split()), (argv, result.output)


#: The smallest CPU run of each step: seconds, not the shipped recipe's half hour.
SMOKE_TRAIN = ["--device", "cpu", "--seconds", "2", "--vae-seconds", "0.5", "--vae-steps", "1"]
SMOKE_TRAIN += ["--eval-prompts", "0", "--size", "32", "--frames", "5", "--vae-frames", "5", "--no-compile"]
SMOKE_TRAIN += ["--batch", "2", "--vae-batch", "2", "--pool", "2", "--stats-clips", "2", "--refresh", "1"]
SMOKE_EVALUATE = ["--prompts", "1", "--size", "32", "--frames", "5", "--steps", "1", "--batch", "1"]


def test_training_into_a_file_is_refused_before_it_trains(tmp_path: Path) -> None:
    """It trained, then died on a FileExistsError traceback at the first checkpoint."""
    notes = tmp_path / "notes.txt"
    notes.write_text("mine\n")
    result = runner.invoke(app, ["train-micro", "train", "--out", str(notes), *SMOKE_TRAIN])
    assert result.exit_code == 2, result.output
    assert f"--out {notes} is a file; give the folder checkpoints go into" in " ".join(result.output.split())
    assert "training reelgen-micro" not in result.output and notes.read_text() == "mine\n"


@pytest.mark.parametrize("option", ["--out", "--clips"])
def test_an_evaluation_report_into_a_folder_is_refused_before_it_scores(tmp_path: Path, option: str) -> None:
    """It scored every prompt, then failed renaming reports.tmp onto the folder, leaving reports.tmp behind."""
    folder = tmp_path / "reports"
    folder.mkdir()
    paths = {"--out": str(tmp_path / "e.json"), "--clips": str(tmp_path / "c.npz"), option: str(folder)}
    argv = ["train-micro", "evaluate", *[x for pair in paths.items() for x in pair], *SMOKE_EVALUATE]
    result = runner.invoke(app, argv)
    assert result.exit_code == 2, result.output
    assert f"{option} {folder} is a folder; give a file path in it" in " ".join(result.output.split())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reports"]


def test_a_fraction_is_taken_where_the_help_shows_one() -> None:
    """Every float option refused its own default's kind: "--lr: '5e-4' must be above 0"."""
    from reelgen.train.micro import parser

    train = parser().parse_args(
        ["train", "--out", "x", "--lr", "5e-4", "--i2v-share", "0.2", "--seconds", "1.5"]
    )
    assert (train.lr, train.i2v_share, train.seconds) == (5e-4, 0.2, 1.5)
    evaluate = parser().parse_args(["evaluate", "--out", "e.json", "--guidance", "5.5"])
    assert evaluate.guidance == 5.5


@pytest.mark.parametrize(
    ("argv", "line"),
    [
        (
            ["bogus"],
            "error: argument command: invalid choice: 'bogus' (choose from 'train', 'export', 'evaluate') "
            "(see 'reelgen train-micro --help')",
        ),
        (
            ["train"],
            "error: the following arguments are required: --out (see 'reelgen train-micro train --help')",
        ),
        (
            ["train", "--out", "runs/x", "--frames", "24"],
            "error: argument --frames: '24' must be at least 5 and at most 129, 4k+1 "
            "(see 'reelgen train-micro train --help')",
        ),
        (
            ["evaluate", "--out", "e.json", "--steps", "0"],
            "error: argument --steps: '0' must be at least 1 (see 'reelgen train-micro evaluate --help')",
        ),
    ],
)
def test_a_usage_error_is_one_error_line_naming_the_steps_help(argv: list[str], line: str) -> None:
    """argparse printed its usage block (twenty lines for train) and then `reelgen train-micro: error: ...`."""
    result = runner.invoke(app, ["train-micro", *argv])
    assert result.exit_code == 2
    assert result.output.splitlines() == [line]


@pytest.mark.parametrize("shift", ["nan", "0", "-1", "inf", "100.5", "1e9"])
def test_export_refuses_a_flow_shift_no_sampler_can_use_before_writing(tmp_path: Path, shift: str) -> None:
    """A NaN or zero shift was shipped as given, in a model whose every clip came out NaN or black; one
    above 100 too, in a model whose every clip generation then refused to make."""
    dest = tmp_path / "micro"
    result = runner.invoke(
        app, ["train-micro", "export", "--checkpoint", str(tmp_path), "--dest", str(dest), "--shift", shift]
    )
    assert result.exit_code == 2
    assert f"error: argument --shift: '{shift}' must be above 0 and at most 100" in result.output
    assert not dest.exists()


def test_export_takes_a_flow_shift_of_100() -> None:
    from reelgen.train.micro import parser

    args = parser().parse_args(["export", "--checkpoint", "runs/x", "--shift", "100"])
    assert args.shift == 100.0


def test_the_run_line_shows_the_held_out_prompts_asked_for() -> None:
    """`training reelgen-micro: TrainConfig(... eval_prompts=128 ...)` was printed whatever --eval-prompts said."""
    from reelgen.train.micro import parser, train_config

    cfg = train_config(parser().parse_args(["train", "--out", "runs/x", "--eval-prompts", "3"]))
    assert cfg.eval_prompts == 3 and "eval_prompts=3," in str(cfg)
    default = train_config(parser().parse_args(["train", "--out", "runs/x"]))
    assert default.eval_prompts == 128


def test_the_time_budget_says_the_held_out_check_runs_past_it_on_a_cpu() -> None:
    """--seconds said "evaluation included": a CPU run of 60 s ended after 170 s, and with the default
    128 held-out prompts it would have gone on for half an hour (about 9 s a clip)."""
    # argparse wraps at the terminal's width, breaking "--eval-prompts" after its hyphen: read it unspaced.
    said = "".join(runner.invoke(app, ["train-micro", "train", "--help"]).output.split())
    assert "evaluationincluded" not in said
    assert "every--eval-promptscliphoweverlongtheytake" in said
    assert "pass--eval-prompts0" in said and "heldoutpromptsscoredattheend(0:none)[128]" in said.replace(
        "-", ""
    )


@pytest.mark.parametrize(
    ("extra", "line"),
    [
        (
            [],
            "error: --seconds 60 leaves no time to train the transformer: the VAE trains for up to "
            "--vae-seconds 480 (default) first and --eval-seconds 110 (default) are kept at the end; give "
            "--seconds above 590, or a smaller --vae-seconds or --eval-seconds",
        ),
        (
            ["--vae-seconds", "60", "--eval-prompts", "0"],
            "error: --seconds 60 leaves no time to train the transformer: the VAE trains for up to "
            "--vae-seconds 60 first; give --seconds above 60, or a smaller --vae-seconds",
        ),
    ],
)
def test_a_time_budget_the_vae_phase_fills_is_refused_before_it_trains(
    tmp_path: Path, extra: list[str], line: str
) -> None:
    """--seconds 60 ran the VAE phase's default 480 s first, then trained on: ten minutes, not one."""
    out = tmp_path / "run"
    result = runner.invoke(
        app, ["train-micro", "train", "--out", str(out), "--device", "cpu", "--seconds", "60", *extra]
    )
    assert result.exit_code == 2, result.output
    assert " ".join(result.output.split()) == line
    assert not out.exists()


def test_evaluate_shows_no_library_loading_bar(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    """'Loading pipeline components...' and 'Loading weights' bars came before the report."""
    import warnings

    from diffusers.utils import logging as diffusers_logging
    from transformers.utils import logging as transformers_logging

    from reelgen.train import micro

    # `python -m reelgen.train.micro` run here, with the libraries' bars on as a fresh Python has them:
    # another test that turned them off in this process proves nothing for this command.
    # (transformers' switch turns huggingface_hub's download bars on too, and warns where a test
    # process read HF_HUB_DISABLE_PROGRESS_BARS, which reelgen's main() sets: no download here.)
    was = diffusers_logging.is_progress_bar_enabled(), transformers_logging.is_progress_bar_enabled()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        diffusers_logging.enable_progress_bar()
        transformers_logging.enable_progress_bar()
    report = tmp_path / "e.json"
    capfd.readouterr()
    try:  # what `python -m reelgen.train.micro evaluate ...` runs: sys.exit(main())
        code = micro.main(["evaluate", "--out", str(report), *SMOKE_EVALUATE])
    finally:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for on, logging in zip(was, (diffusers_logging, transformers_logging), strict=True):
                (logging.enable_progress_bar if on else logging.disable_progress_bar)()
    said = capfd.readouterr()
    assert code == 0, said.err
    assert "Loading" not in said.err and f"report: {report}" in said.out and report.is_file()
