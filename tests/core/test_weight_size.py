"""The RAM a model's weights need in float32, read from the files a load would read."""

from __future__ import annotations

import json
from pathlib import Path

import torch
from safetensors.torch import save_file

from reelgen.core.spec.memory import GIB
from reelgen.core.weight_size import float32_gib
from reelgen.core.weights import WeightSource


def _tensors(path: Path, numel: int, dtype: torch.dtype = torch.bfloat16) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    save_file({"w": torch.zeros(numel, dtype=dtype)}, str(path))


def test_only_the_parts_a_load_reads_count_at_four_bytes_a_weight(tmp_path: Path) -> None:
    """bf16 files count double (float32 on the CPU); copies, variants and other checkpoints do not count."""
    index = {"_class_name": "LTXPipeline", "transformer": ["diffusers", "X"], "vae": ["diffusers", "Y"]}
    index |= {"scheduler": ["diffusers", "Z"], "safety_checker": [None, None]}
    (tmp_path / "model_index.json").parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / "model_index.json").write_text(json.dumps(index))
    _tensors(tmp_path / "transformer" / "diffusion_pytorch_model-00001-of-00002.safetensors", 1000)
    _tensors(tmp_path / "transformer" / "diffusion_pytorch_model-00002-of-00002.safetensors", 500)
    _tensors(tmp_path / "transformer" / "diffusion_pytorch_model.fp16.safetensors", 1500)  # a variant
    (tmp_path / "transformer" / "diffusion_pytorch_model.bin").write_bytes(b"0" * 10_000)  # an old copy
    _tensors(tmp_path / "vae" / "diffusion_pytorch_model.safetensors", 250, torch.float32)
    _tensors(tmp_path / "ltxv-2b-0.9.8-dev.safetensors", 10**6)  # another checkpoint at the root
    _tensors(tmp_path / "safety_checker" / "model.safetensors", 10**6)  # not part of this pipeline
    folder = WeightSource("diffusers", tmp_path)
    assert float32_gib(folder) * GIB == 4 * (1000 + 500 + 250)

    # A single file is the denoiser: the base supplies the other parts, not a second transformer.
    single = tmp_path / "mine.safetensors"
    _tensors(single, 3000)
    assert float32_gib(WeightSource("single_file", single, base=tmp_path)) * GIB == 4 * (3000 + 250)


def test_other_formats_count_by_their_size_on_disk(tmp_path: Path) -> None:
    checkpoint = tmp_path / "model.ckpt"
    checkpoint.write_bytes(b"0" * 4096)
    assert float32_gib(WeightSource("single_file", checkpoint)) * GIB == 4096


def test_a_file_that_is_not_really_safetensors_counts_by_its_size(tmp_path: Path) -> None:
    """Its loader refuses it later, saying why; measuring it must not read a length its first bytes claim."""
    garbage = tmp_path / "model.safetensors"
    garbage.write_bytes(b"not read")  # shorter than the 8-byte header length
    assert float32_gib(WeightSource("single_file", garbage)) * GIB == 8
    huge = tmp_path / "huge.safetensors"
    huge.write_bytes((2**62).to_bytes(8, "little") + b"{}")  # claims an exabyte of header
    assert float32_gib(WeightSource("single_file", huge)) * GIB == 10
    odd = tmp_path / "odd.safetensors"
    header = json.dumps({"w": [1, 2], "v": {"shape": ["x"]}, "u": {"dtype": "F32", "shape": [3, 4]}}).encode()
    odd.write_bytes(len(header).to_bytes(8, "little") + header)
    assert float32_gib(WeightSource("single_file", odd)) * GIB == 4 * 12
