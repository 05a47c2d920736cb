"""Runs over several GPUs, decided before anything starts: layouts, refusals, and what each process is given."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from reelgen.core.errors import InvalidRequest
from reelgen.core.parallel import MULTICAST_OFF, ParallelOptions, launch
from reelgen.core.parallel.decode import cut, split_points, stage_costs
from reelgen.core.parallel.layout import AttentionSplit, heads_fit, plan_layout
from reelgen.core.render import render
from tests.core.helpers import resolved

AUTO = ParallelOptions()


def test_two_gpus_share_the_guidance_passes_before_splitting_attention() -> None:
    # Wan 1.3B at 832x480x81: 12 heads, 21 x 30 x 52 tokens.
    tokens = 21 * 30 * 52
    two = plan_layout(2, 5.0, 12, tokens, AUTO, on_cuda=True)
    assert (two.cfg, two.attention) == (2, AttentionSplit())
    four = plan_layout(4, 5.0, 12, tokens, AUTO, on_cuda=True)
    assert (four.cfg, four.attention) == (2, AttentionSplit(ulysses=2))
    # No guidance (guidance 1): nothing to share, every GPU splits attention.
    plain = plan_layout(4, 1.0, 12, tokens, AUTO, on_cuda=True)
    assert (plain.cfg, plain.attention) == (1, AttentionSplit(ulysses=4))


def test_heads_that_do_not_divide_add_a_ring_factor_on_gpus_and_pad_on_the_cpu() -> None:
    tokens = 21 * 30 * 52
    off = ParallelOptions(cfg="off")
    assert plan_layout(8, 5.0, 12, tokens, off, on_cuda=True).attention == AttentionSplit(ulysses=4, ring=2)
    # Wan 14B's 40 heads over 6: diffusers pads them to 42, 7 a process.
    assert plan_layout(6, 5.0, 40, tokens, off, on_cuda=False).attention == AttentionSplit(
        ulysses=6, uneven=True
    )
    # A sequence the split cannot cut evenly (or one only the pipeline knows) takes the uneven variant.
    assert plan_layout(2, 5.0, 12, 7, off, on_cuda=True).attention == AttentionSplit(ulysses=2, uneven=True)
    assert plan_layout(2, 5.0, 12, None, off, on_cuda=True).attention.uneven


def test_impossible_choices_are_refused_with_the_gpus_field() -> None:
    with pytest.raises(InvalidRequest, match="guidance above 1") as no_guidance:
        plan_layout(2, 1.0, 12, 64, ParallelOptions(cfg="on"), on_cuda=True)
    with pytest.raises(InvalidRequest, match="halves") as odd:
        plan_layout(3, 5.0, 12, 64, ParallelOptions(cfg="on"), on_cuda=True)
    with pytest.raises(InvalidRequest, match="CUDA only") as ring:
        plan_layout(2, 5.0, 12, 64, ParallelOptions(attention="ring", cfg="off"), on_cuda=False)
    assert {no_guidance.value.param, odd.value.param, ring.value.param} == {"gpus"}


@pytest.mark.parametrize(
    ("field", "value"), [("attention", "Ulysses"), ("attention", "ulyses"), ("cfg", True)]
)
def test_a_layout_choice_that_is_no_mode_is_refused_naming_the_valid_ones(field: str, value: object) -> None:
    """A typo matched no branch and the run went ahead as "auto", laid out unlike what was asked."""
    with pytest.raises(InvalidRequest, match="is not one of 'auto'") as refused:
        ParallelOptions(**{field: value})  # type: ignore[arg-type]
    assert refused.value.param == field


def test_wans_vae_decode_is_cut_where_the_slowest_stage_is_shortest() -> None:
    from accelerate import init_empty_weights
    from diffusers import AutoencoderKLWan

    with init_empty_weights():
        vae: Any = AutoencoderKLWan()  # Wan 2.1's VAE, shapes only
    decoder = vae.decoder
    costs = stage_costs(decoder)
    # [conv_in + mid, up 0, up 1, up 2, up 3 + head]: the last two up-blocks carry most of the work.
    assert split_points(costs, 2) == [4]
    assert split_points(costs, 4) == split_points(costs, 8) == [3, 4]
    assert split_points(costs, 1) == []
    assert max(costs[:3]) < min(costs[3:]) / 1.5


def test_a_decoder_cut_into_stages_decodes_the_same_frames() -> None:
    import copy

    import torch

    from reelgen.core.backends.wan.tiny import tiny_vae

    vae = tiny_vae()
    latents = torch.randn(1, 16, 3, 8, 8, generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        whole = vae.decode(latents).sample
        # Three stages, each with its own layer caches, run one after another frame by frame.
        bounds = [0, 2, 4, len(vae.decoder.up_blocks) + 1]
        stages = [copy.deepcopy(vae.decoder) for _ in range(3)]
        for i, stage in enumerate(stages):
            cut(stage, bounds[i], bounds[i + 1], bounds[-1])
        caches: list[list[Any]] = [[None] * 64 for _ in stages]
        x, frames = vae.post_quant_conv(latents), []
        for t in range(latents.shape[2]):
            h = x[:, :, t : t + 1]
            for stage, cache in zip(stages, caches, strict=True):
                h = stage(h, feat_cache=cache, feat_idx=[0], first_chunk=t == 0)
            frames.append(h)
    assert torch.equal(torch.clamp(torch.cat(frames, 2), -1.0, 1.0), whole)


def _nothing_may_start(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the request should have been refused before this")

    monkeypatch.setattr(launch.weights, "locate", refuse)
    monkeypatch.setattr(launch.prefork, "spawn", refuse)
    monkeypatch.setattr(launch.subprocess, "Popen", refuse)


def test_more_gpus_than_this_machine_has_fail_before_anything_loads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _nothing_may_start(monkeypatch)
    asked = max(2, launch.gpu_count() + 1)
    out = tmp_path / "clip.mp4"
    with pytest.raises(InvalidRequest, match=f"--gpus {asked} asks for {asked} GPUs") as exc:
        render(resolved(model="wan-tiny", prompt="a cat"), out, gpus=asked)
    assert exc.value.param == "gpus"
    assert list(tmp_path.iterdir()) == []


def test_models_the_split_does_not_cover_and_a_pinned_device_are_refused_up_front(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _nothing_may_start(monkeypatch)
    with pytest.raises(InvalidRequest, match="the ltx and wan families") as family:
        render(resolved(model="cogvideox-tiny", prompt="a cat"), tmp_path / "a.mp4", gpus=2, device="cpu")
    assert family.value.param == "gpus"
    monkeypatch.setattr(launch, "gpu_count", lambda: 2)  # the advice is for a machine with GPUs to pick
    with pytest.raises(InvalidRequest, match="CUDA_VISIBLE_DEVICES") as pinned:
        render(resolved(model="wan-tiny", prompt="a cat"), tmp_path / "b.mp4", gpus=2, device="cuda:1")
    assert pinned.value.param == "device"
    vace = resolved(model="wan-vace-tiny", prompt="a cat")
    with pytest.raises(InvalidRequest, match="--gpus 2 \\(one guidance pass each\\)") as unsplit:
        render(vace, tmp_path / "v.mp4", gpus=4, device="cpu")
    assert unsplit.value.param == "gpus"
    with pytest.raises(InvalidRequest, match="ring attention") as ring:
        launch.render_parallel(
            resolved(model="wan-tiny", prompt="a cat"),
            tmp_path / "c.mp4",
            gpus=2,
            device="cpu",
            options=ParallelOptions(attention="ring"),
        )
    assert ring.value.param == "gpus"


def test_each_process_starts_torchrun_style_with_nvlink_multicast_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[tuple[str, dict[str, str], list[int]]] = []

    def record(
        module: str,
        *,
        env: dict[str, str],
        fds: list[int],
        stdin_devnull: bool = False,
        title: str | None = None,
    ) -> Any:
        started.append((module, env, list(fds)))
        raise OSError("not started in this test")

    monkeypatch.setattr(launch.prefork, "spawn", record)
    with pytest.raises(OSError, match="not started"):
        render(resolved(model="wan-tiny", prompt="a cat"), tmp_path / "clip.mp4", gpus=2, device="cpu")
    module, env, fds = started[0]
    assert module == "reelgen.core.parallel" and len(fds) == 1  # python -m reelgen.core.parallel FD
    assert {k: env[k] for k in MULTICAST_OFF} == {
        "NCCL_NVLS_ENABLE": "0",
        "TORCH_SYMM_MEM_DISABLE_MULTICAST": "1",
        "NVSHMEM_DISABLE_NVLS": "1",
    }
    assert (env["RANK"], env["LOCAL_RANK"], env["WORLD_SIZE"], env["MASTER_ADDR"]) == (
        "0",
        "0",
        "2",
        "127.0.0.1",
    )
    assert list(tmp_path.iterdir()) == []


def test_the_cli_refuses_more_gpus_than_exist_with_a_message(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from reelgen.cli import app

    asked = max(2, launch.gpu_count() + 1)
    out = tmp_path / "clip.mp4"
    result = CliRunner().invoke(
        app, ["generate", "a cat", "-m", "wan-tiny", "--gpus", str(asked), "-o", str(out)]
    )
    assert result.exit_code != 0
    assert f"asks for {asked} GPUs" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def test_a_pinned_gpu_on_a_machine_without_gpus_is_told_there_are_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _nothing_may_start(monkeypatch)
    monkeypatch.setattr(launch, "gpu_count", lambda: 0)
    with pytest.raises(InvalidRequest) as none:
        render(resolved(model="wan-tiny", prompt="a cat"), tmp_path / "a.mp4", gpus=2, device="cuda:1")
    # Not "choose which GPUs with CUDA_VISIBLE_DEVICES": there is nothing to choose from.
    assert (
        str(none.value.message) == "--gpus 2 asks for 2 GPUs but this machine has no CUDA GPU; use --gpus 1"
    )
    assert none.value.param == "gpus" and list(tmp_path.iterdir()) == []


def test_heads_too_few_to_pad_for_the_processes_are_refused_naming_the_counts_that_work() -> None:
    """12 heads over 8 CPU processes was laid out, then diffusers failed every process in the first step
    with "AssertionError: Padding head num 4 should be less than new local head num 2"."""
    off = ParallelOptions(cfg="off")
    with pytest.raises(InvalidRequest) as refused:
        plan_layout(8, 5.0, 12, 64, off, on_cuda=False)
    assert refused.value.param == "gpus"
    assert "12 attention heads cannot be shared by 8 processes" in refused.value.message
    assert refused.value.message.endswith("use --gpus 1, 2, 3, 4 or 6")
    # With guidance halves each count is doubled: wan-tiny's 2 heads over 3 processes a half.
    with pytest.raises(InvalidRequest, match="use --gpus 2 or 4$"):
        plan_layout(6, 5.0, 2, 64, ParallelOptions(cfg="on"), on_cuda=False)
    # diffusers' own examples: 30 heads over 8 pad to 32; over 16 they would need 14 of 32.
    assert heads_fit(30, 8) and not heads_fit(30, 16) and heads_fit(12, 4) and not heads_fit(12, 5)


def test_more_cpu_processes_than_cores_are_refused_before_anything_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--gpus 100000 --device cpu` set out to start 100000 interpreters, each loading the model."""
    from typer.testing import CliRunner

    from reelgen.cli import app

    _nothing_may_start(monkeypatch)
    monkeypatch.setattr(launch, "usable_cores", lambda: 4)
    out = tmp_path / "clip.mp4"
    result = CliRunner().invoke(
        app, ["generate", "a cat", "-m", "ltx-tiny", "--gpus", "5", "--device", "cpu", "-o", str(out)]
    )
    assert result.exit_code == 2, result.output
    said = " ".join(result.output.split())
    assert "--gpus 5 --device cpu would start 5 CPU processes" in said and "use --gpus 4 or fewer" in said
    assert "Traceback" not in result.output and list(tmp_path.iterdir()) == []
