"""A split whose ring factor cannot cut the video's tokens is refused before any process starts.

It was refused only once every process had loaded the model (Wan 1.3B over 8 GPUs without
guidance halves: minutes): the parent did not know the sequence length. It now counts the
tokens from the transformer's and VAE's config.json as each process counts them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from reelgen.core.errors import InvalidRequest
from reelgen.core.parallel import ParallelOptions, launch
from reelgen.core.parallel.configs import read_configs, video_tokens
from reelgen.core.parallel.layout import FAMILIES
from reelgen.core.render import render
from reelgen.core.spec import registry
from reelgen.core.weights import WeightSource
from tests.core.helpers import resolved

#: Wan 2.1 T2V 1.3B's configs, as far as the split reads them; its VAE's names no scale factors.
WAN_1_3B = (
    {"num_attention_heads": 12, "patch_size": [1, 2, 2]},
    {"temperal_downsample": [False, True, True]},
)
#: The tiny models' configs, as far as the split reads them (``backends/*/tiny.py``).
WAN_TINY = (
    {"num_attention_heads": 2, "patch_size": [1, 2, 2]},
    {"scale_factor_spatial": 8, "scale_factor_temporal": 4, "temperal_downsample": [False, True, True]},
)
LTX_TINY = (
    {"num_attention_heads": 4, "patch_size": 1, "patch_size_t": 1},
    {
        "patch_size": 1,
        "patch_size_t": 1,
        "spatio_temporal_scaling": [True, True, False, False],
        "spatial_compression_ratio": None,
        "temporal_compression_ratio": None,
        "timestep_conditioning": False,
    },
)


def _weights(folder: Path, configs: tuple[dict[str, Any], dict[str, Any]]) -> WeightSource:
    for part, config in zip(("transformer", "vae"), configs, strict=True):
        (folder / part).mkdir(parents=True)
        (folder / part / "config.json").write_text(json.dumps(config))
    return WeightSource("diffusers", folder)


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """A CUDA machine with 8 GPUs whose processes are recorded, not started."""
    ranks: list[int] = []

    def start(rank: int, job: Any) -> Any:
        ranks.append(rank)
        raise OSError("not started in this test")

    monkeypatch.setattr(launch, "gpu_count", lambda: 8)
    monkeypatch.setattr(launch._Process, "start", start)
    return ranks


def _located(monkeypatch: pytest.MonkeyPatch, source: WeightSource) -> None:
    monkeypatch.setattr(launch.weights, "locate", lambda *a: source)


def test_wan_1_3b_over_8_gpus_refuses_a_video_whose_tokens_do_not_divide_by_8(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, started: list[int]
) -> None:
    _located(monkeypatch, _weights(tmp_path / "wan-weights", WAN_1_3B))
    # 480x480x81: 21 latent frames x 30 x 30 patches = 18900 tokens; 12 heads over 8 need a ring of 2.
    square = resolved(model="wan-1.3b", prompt="a cat", guidance=1.0, width=480, height=480, num_frames=81)
    with pytest.raises(InvalidRequest) as no:
        render(square, tmp_path / "a.mp4", gpus=8)
    said = str(no.value)
    assert said.startswith("the model's 12 attention heads cannot be shared by 8 processes")
    assert "use --gpus 1, 2, 3, 4 or 6, or a size and frame count whose video tokens divide by 8" in said
    assert said.endswith("(Ulysses 4 with a ring of 2 takes only those; this request makes 18900)")
    assert no.value.param == "gpus" and started == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["wan-weights"]
    # 832x480x81 makes 32760 tokens, which do divide by 8: it starts (Ulysses 4 with a ring of 2).
    wide = resolved(model="wan-1.3b", prompt="a cat", guidance=1.0, width=832, height=480, num_frames=81)
    with pytest.raises(OSError, match="not started"):
        render(wide, tmp_path / "b.mp4", gpus=8)
    assert started == [0]


def test_the_cli_says_it_for_a_tiny_wan_before_anything_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, started: list[int]
) -> None:
    from typer.testing import CliRunner

    from reelgen.cli import app

    _located(monkeypatch, _weights(tmp_path / "wan-weights", WAN_TINY))
    out = tmp_path / "clip.mp4"
    args = ["generate", "a cat", "-m", "wan-tiny", "--gpus", "4", "--guidance", "1", "-o", str(out)]
    # 48x32x9: 3 latent frames x 2 x 3 patches = 18 tokens; 2 heads over 4 need a ring of 2.
    result = CliRunner().invoke(app, [*args, "--width", "48", "--height", "32", "--frames", "9"])
    said = " ".join(result.output.split())
    assert result.exit_code == 2, result.output
    assert "the model's 2 attention heads cannot be shared by 4 processes" in said
    assert "use --gpus 1 or 2, or a size and frame count whose video tokens divide by 4" in said
    assert "this request makes 18)" in said and "Traceback" not in result.output
    assert started == [] and not out.exists()


def test_ltx_through_its_condition_pipeline_is_refused_where_no_size_would_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, started: list[int]
) -> None:
    _located(monkeypatch, _weights(tmp_path / "ltx-weights", LTX_TINY))
    image = tmp_path / "last.png"
    Image.fromarray(np.zeros((64, 64, 3), np.uint8)).save(image)
    pinned = resolved(model="ltx-tiny", prompt="a cat", keyframes=[{"frame": 8, "image": str(image)}])
    off = ParallelOptions(cfg="off")
    with pytest.raises(InvalidRequest) as no:
        launch.render_parallel(pinned, tmp_path / "a.mp4", gpus=8, options=off)
    assert str(no.value).endswith(
        "use --gpus 1, 2 or 4 (Ulysses 4 with a ring of 2 takes only a sequence that divides by 8, and "
        "this one is known only to the pipeline: pinned images and clips add tokens)"
    )
    assert started == []
    # The same video without the keyframe makes 768 tokens, which divide by 8.
    with pytest.raises(OSError, match="not started"):
        launch.render_parallel(
            resolved(model="ltx-tiny", prompt="a cat"), tmp_path / "b.mp4", gpus=8, options=off
        )
    assert started == [0]


@pytest.mark.parametrize(
    ("model", "configs", "size", "tokens"),
    [
        # The counts a loaded tiny runner gives (``FamilyTraits.tokens`` on its pipeline).
        ("wan-tiny", WAN_TINY, (64, 64, 9), 48),
        ("wan-tiny", WAN_TINY, (48, 32, 9), 18),
        ("wan-tiny", WAN_TINY, (64, 64, 17), 80),
        ("ltx-tiny", LTX_TINY, (64, 64, 9), 768),
        ("ltx-tiny", LTX_TINY, (64, 64, 17), 1280),
        # A Wan 2.1 VAE config without scale factors: diffusers' defaults, 4 in time and 8 in space.
        ("wan-1.3b", WAN_1_3B, (832, 480, 81), 21 * 30 * 52),
    ],
)
def test_the_parent_counts_the_tokens_each_process_will(
    tmp_path: Path, model: str, configs: Any, size: tuple[int, int, int], tokens: int
) -> None:
    spec, preset = registry.resolve(model)
    found = read_configs(_weights(tmp_path / "weights", configs))
    assert found is not None
    width, height, frames = size
    request = resolved(model=model, prompt="a cat", width=width, height=height, num_frames=frames)
    assert video_tokens(FAMILIES[spec.family], spec, preset, found, request) == tokens
