"""The reelgen-micro training command on a CPU: a short run leaves a checkpoint that resumes and exports."""

from __future__ import annotations

import contextlib
import io
import json
import math
from pathlib import Path

import pytest
from safetensors.torch import load_file

from reelgen.train.micro import another_setting_fits, main

TINY = [
    "--device", "cpu", "--size", "32", "--frames", "5", "--vae-frames", "5", "--vae-batch", "2", "--batch", "4",
    "--pool", "8", "--refresh", "2", "--stats-clips", "4", "--validate-every", "0",
    "--checkpoint-every", "5", "--log-every", "1", "--eval-prompts", "0", "--eval-seconds", "0",
]  # fmt: skip


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The shortest run there is, evaluated on one held-out prompt, with what it printed: the checkpoint
    the other tests read, and the evaluation the budget test reads (that test ran a third training run
    of its own, about 2 CPU-s, for what this one prints as well)."""
    out = tmp_path_factory.mktemp("micro") / "run"
    # Each phase takes at least one step, however little time is left, and nothing here depends on how
    # far it trains: one VAE step (--vae-steps 1) where 0.5 s of steps were taken.
    args = ["train", "--out", str(out), "--seconds", "1", "--vae-seconds", "0.5", "--vae-steps", "1"]
    said = io.StringIO()
    with pytest.MonkeyPatch.context() as patch, contextlib.redirect_stdout(said):
        patch.setattr("reelgen.train.micro.DEFAULT_STEPS", 1)  # a sampling step is all the evaluation needs
        assert main([*args, *TINY, "--eval-prompts", "1"]) == 0  # the later --eval-prompts wins
    return out, said.getvalue()


@pytest.fixture(scope="module")
def checkpoint(trained: tuple[Path, str]) -> Path:
    return trained[0]


@pytest.fixture(scope="module")
def resumed(checkpoint: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The checkpoint trained on once more (the VAE kept, no --eval-seconds given, --eval-prompts 0),
    with what the run printed: the resume test reads its checkpoint and the eval-prompts-0 test its
    config line. Each run trains at least a second; two tests, one run."""
    assert TINY[-2:] == ["--eval-seconds", "0"]
    out = tmp_path_factory.mktemp("resumed") / "run"
    args = ["train", "--resume", str(checkpoint), "--out", str(out), "--seconds", "1", "--vae-seconds", "0"]
    said = io.StringIO()
    with contextlib.redirect_stdout(said):
        assert main([*args, *TINY[:-2]]) == 0
    return out, said.getvalue()


@pytest.fixture(scope="module")
def exported(checkpoint: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The checkpoint exported once, for the tests that load or evaluate what export writes."""
    dest = tmp_path_factory.mktemp("export") / "micro"
    assert main(["export", "--checkpoint", str(checkpoint), "--dest", str(dest)]) == 0
    return dest


def test_a_short_run_writes_weights_statistics_and_a_log(checkpoint: Path) -> None:
    names = {p.name for p in checkpoint.iterdir()}
    assert {"transformer.safetensors", "text_encoder.safetensors", "vae.safetensors", "state.json"} <= names
    state = json.loads((checkpoint / "state.json").read_text())
    assert state["step"] > 0
    assert len(state["latents_std"]) == 16 and all(s > 0 for s in state["latents_std"])
    log = json.loads((checkpoint / "log.json").read_text())
    losses = [row[2] for row in log["dit"]]
    assert losses and all(math.isfinite(x) for x in losses)
    assert set(log["vae_check"]) == {"first", "rest", "worst"}
    # A phase shorter than its log interval printed "last []" (the VAE's here: one step, a row every 25).
    (vae_end,) = [said for _, said in log["events"] if said.startswith("VAE: ")]
    assert "last []" not in vae_end and (
        " last [" in vae_end or "no average logged yet (one every 25" in vae_end
    )


def test_resuming_continues_the_step_count_and_keeps_the_vae(
    checkpoint: Path, resumed: tuple[Path, str]
) -> None:
    out, _ = resumed
    before = json.loads((checkpoint / "state.json").read_text())
    after = json.loads((out / "state.json").read_text())
    assert after["step"] > before["step"]
    assert after["latents_mean"] == before["latents_mean"]
    old, new = load_file(str(checkpoint / "vae.safetensors")), load_file(str(out / "vae.safetensors"))
    assert all(old[k].equal(new[k]) for k in old)


def test_export_writes_a_loadable_pipeline_under_30_mb(exported: Path) -> None:
    import torch
    from diffusers import WanPipeline

    dest = exported
    assert sum(p.stat().st_size for p in dest.rglob("*") if p.is_file()) <= 30 * 1000**2
    pipe = WanPipeline.from_pretrained(str(dest), local_files_only=True)
    pipe.set_progress_bar_config(disable=True)
    frames = pipe(
        "a red circle moves left over a blue background",
        height=32,
        width=32,
        num_frames=5,
        num_inference_steps=1,
        generator=torch.Generator().manual_seed(0),
        output_type="np",
    ).frames
    assert frames.shape == (1, 5, 32, 32, 3)


def test_evaluate_writes_its_report_and_the_clips_where_asked(exported: Path, tmp_path: Path) -> None:
    import numpy as np

    dest, report, clips = exported, tmp_path / "heldout.json", tmp_path / "clips.bin"
    small = ["--size", "32", "--frames", "5", "--steps", "1", "--prompts", "2"]
    assert main(["evaluate", "--model", str(dest), *small, "--out", str(report), "--clips", str(clips)]) == 0
    assert json.loads(report.read_text())["summary"]["prompts"] == 2
    # At the name given: numpy made it clips.bin.npz, beside a name the user never gave.
    assert np.load(clips)["clips"].shape == (2, 5, 32, 32, 3)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clips.bin", "heldout.json"]


def test_export_refuses_a_checkpoint_of_another_architecture(
    checkpoint: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "other"
    other.mkdir()
    for path in checkpoint.iterdir():
        (other / path.name).write_bytes(path.read_bytes())
    state = json.loads((other / "state.json").read_text())
    state["vae_config"]["base_dim"] = 16
    (other / "state.json").write_text(json.dumps(state))
    # An error line as every other refusal says it (it was a bare sentence, exit 1).
    assert main(["export", "--checkpoint", str(other), "--dest", str(tmp_path / "out")]) == 2
    assert (
        f"error: checkpoint {other} has a different vae_config than this reelgen" in capsys.readouterr().err
    )
    assert not (tmp_path / "out").exists()


def test_evaluate_refuses_a_report_path_under_a_file_before_scoring(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "notes.txt"
    blocker.write_text("not a folder\n")
    assert main(["evaluate", "--prompts", "1", "--out", str(blocker / "heldout.json")]) == 2
    said = capsys.readouterr()
    assert f"error: --out {blocker / 'heldout.json'}: {blocker} is a file, not a folder" in said.err
    assert "held-out" not in said.out and "report:" not in said.out


def test_a_folder_that_is_no_checkpoint_is_refused_naming_what_it_lacks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "runs"
    empty.mkdir()
    assert main(["export", "--checkpoint", str(empty), "--dest", str(tmp_path / "out")]) == 2
    said = capsys.readouterr().err
    assert (
        f"error: --checkpoint {empty} is not a reelgen-micro checkpoint (no transformer.safetensors" in said
    )
    assert not (tmp_path / "out").exists()
    # --resume is checked as the run starts, not after the model is built (seconds, and a config line, later).
    run = tmp_path / "run"
    assert main(["train", "--out", str(run), "--device", "cpu", "--resume", str(empty)]) == 2
    said = capsys.readouterr()
    assert f"error: --resume {empty} is not a reelgen-micro checkpoint" in said.err
    assert "training reelgen-micro" not in said.out and not run.exists()


def test_export_never_replaces_a_file_or_a_folder_of_other_things(
    checkpoint: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Export replaces its --dest whole: `--dest runs` deleted every checkpoint in runs/.
    runs = tmp_path / "runs"
    (runs / "first").mkdir(parents=True)
    (runs / "first" / "state.json").write_text("{}")
    assert main(["export", "--checkpoint", str(checkpoint), "--dest", str(runs)]) == 2
    said = capsys.readouterr().err
    assert f"error: --dest {runs} holds files but no diffusers model (no model_index.json)" in said
    assert "give a new folder or one an export wrote" in said and (runs / "first" / "state.json").is_file()
    note = tmp_path / "notes.txt"
    note.write_text("mine")
    assert main(["export", "--checkpoint", str(checkpoint), "--dest", str(note)]) == 2
    assert f"error: --dest {note} is a file; give the folder the model goes into" in capsys.readouterr().err
    assert main(["export", "--checkpoint", str(checkpoint), "--dest", str(note / "micro")]) == 2
    assert f"{note} is a file, not a folder" in capsys.readouterr().err  # was an "internal error"
    assert note.read_text() == "mine"


def test_a_device_or_model_folder_this_machine_lacks_is_refused_before_any_work(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import torch

    missing = f"cuda:{torch.cuda.device_count()}"
    assert main(["train", "--out", str(tmp_path / "run"), "--device", missing]) == 2
    assert f"error: device '{missing}' is not on this machine" in capsys.readouterr().err
    assert not (tmp_path / "run").exists()
    report = tmp_path / "heldout.json"
    assert main(["evaluate", "--model", str(tmp_path / "nowhere"), "--out", str(report)]) == 2
    assert "is not a diffusers folder (no model_index.json)" in capsys.readouterr().err
    assert main(["evaluate", "--device", missing, "--out", str(report)]) == 2
    assert f"error: device '{missing}' is not on this machine" in capsys.readouterr().err
    assert not report.exists()


def test_an_evaluation_running_past_the_budget_says_so_and_what_it_needs(trained: tuple[Path, str]) -> None:
    # --eval-seconds 0 keeps no time: the first sampler setting and the held-out clip are made all the same,
    # which the run said nothing of (a CPU run of --seconds 60 ended after 170 s without a word).
    out, printed = trained
    said = " ".join(printed.split())
    assert "of the 0 s kept for it (--eval-seconds), so the run ended" in said
    assert "its first sampler setting and all 1 held-out clips are made however long they take" in said
    assert "keep that with --eval-seconds or pass fewer --eval-prompts" in said
    summary = json.loads((out / "eval.json").read_text())["summary"]
    assert len(summary["sweep"]) == 1 and summary["prompts"] == 1  # no second setting past the budget


def test_the_sampler_sweep_tries_another_setting_only_while_the_held_out_check_still_fits() -> None:
    # 1 s a clip, 4 clips a setting, 8 held-out clips: another setting and the check need 12 s.
    assert another_setting_fits(12.0, 1.0, 4, 8)
    assert not another_setting_fits(11.9, 1.0, 4, 8)
    # 128 held-out clips at 9 s each on a CPU: the old fixed 30 s margin tried a second setting here.
    assert not another_setting_fits(600.0, 9.0, 64, 128)


def test_no_time_is_kept_for_an_evaluation_eval_prompts_0_skips(
    resumed: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The run stopped training 110 s before --seconds, then ended with nothing to evaluate. The run is
    # the resumed fixture's: --eval-prompts 0 and no --eval-seconds.
    started = resumed[1].splitlines()[0]  # the run's config line
    assert "eval_seconds=0.0" in started and "eval_prompts=0" in started
    refused = tmp_path / "refused"
    assert (
        main(
            ["train", "--out", str(refused), "--device", "cpu", "--eval-prompts", "0", "--eval-seconds", "5"]
        )
        == 2
    )
    assert (
        "error: --eval-seconds keeps time at the end for the evaluation, which --eval-prompts 0 skips; "
        "leave one of them out" in capsys.readouterr().err
    )
    assert not refused.exists()


def test_train_without_a_gpu_says_how_to_make_a_smoke_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import torch

    if torch.cuda.is_available():
        pytest.skip("training's default device is here")
    assert main(["train", "--out", str(tmp_path / "run")]) == 2
    said = capsys.readouterr().err
    assert "error: device 'cuda' is not on this machine" in said
    assert (
        "training is made for a GPU: --device cpu makes a smoke run (`reelgen train-micro --help` shows one)"
        in said
    )


def test_the_help_says_what_log_every_and_the_default_dest_do(capsys: pytest.CaptureFixture[str]) -> None:
    for step in ("train", "export", "evaluate"):
        with pytest.raises(SystemExit):
            main([step, "--help"])
    said = " ".join(capsys.readouterr().out.split())
    assert "steps between the mean-loss rows of log.json (each checkpoint line prints the last) [50]" in said
    assert "diffusers folder to write, replaced whole [the installed package's: the shipped model]" in said
    assert "held-out prompts to score, a clip each (on a CPU about 9 s a 128x128 clip) [128]" in said


def test_a_new_run_into_a_folder_holding_a_checkpoint_is_refused(
    checkpoint: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The new run overwrote the earlier one's weights at its first checkpoint, without a word.
    before = (checkpoint / "state.json").read_text()
    assert main(["train", "--out", str(checkpoint), "--device", "cpu"]) == 2
    said = capsys.readouterr()
    assert (
        f"error: --out {checkpoint} holds a run's checkpoint already; give a new folder, or go on from that "
        f"run with --resume {checkpoint}" in said.err
    )
    assert "training reelgen-micro" not in said.out and (checkpoint / "state.json").read_text() == before


@pytest.mark.parametrize(
    "argv",
    [
        ["train", "--out", "", "--device", "cpu"],
        ["train", "--out", "run", "--resume", " "],
        ["export", "--checkpoint", "run", "--dest", ""],
        ["export", "--checkpoint", ""],
        ["evaluate", "--out", ""],
        ["evaluate", "--out", "r.json", "--model", ""],
        ["evaluate", "--out", "r.json", "--clips", " "],
    ],
)
def test_an_empty_path_is_refused_by_name_not_read_as_the_current_folder(
    argv: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # `--out ""` (an unset shell variable) trained into the current folder, `--dest ""` and `evaluate
    # --out ""` failed with an internal error, and `--clips " "` wrote a file named " ".
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 2
    option = next(a for a, v in zip(argv, argv[1:], strict=False) if a.startswith("--") and not v.strip())
    assert f"error: argument {option}: it is empty; give a file or folder path" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
