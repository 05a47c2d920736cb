"""docs/enhance.md says what Real-ESRGAN's ncnn runtime computes in, and what fp16/bf16 run, as the code does."""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from skimage import data

from reelgen.core.enhance import run_chain
from reelgen.core.enhance.registry import resolve_chain
from reelgen.core.errors import InvalidRequest
from reelgen.core.progress import Progress
from reelgen.core.spec.request import EnhanceStep
from reelgen.core.types import Video
from tests.core.enhance_media import real_weights

DOC = Path(__file__).parents[2] / "docs" / "enhance.md"


def _doc() -> str:
    return " ".join(DOC.read_text(encoding="utf-8").split())


@pytest.fixture(autouse=True)
def realesrgan(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REELGEN_MODELS_DIR", str(real_weights("realesrgan").parent))


def _step(**options: object) -> EnhanceStep:
    return EnhanceStep(name="esrgan", options={"scale": 2, **options})


def test_the_methods_table_says_ncnn_runs_fp32_only() -> None:
    """The table gave esrgan 'CPU via ncnn, GPU via PyTorch (fp16/bf16, ...)', as if fp16 ran on ncnn."""
    [row] = [
        line
        for line in DOC.read_text(encoding="utf-8").splitlines()
        if line.startswith("| upscale | `esrgan`")
    ]
    assert "CPU via ncnn (fp32 only" in row
    assert "`precision` fp16 or bf16 runs PyTorch" in row


def test_the_ncnn_refusal_the_doc_quotes_is_the_one_raised() -> None:
    quoted = re.findall(r"`(precision bf16: the ncnn runtime[^`]*)`", _doc())
    assert quoted, "docs/enhance.md quotes no refusal of precision bf16 with runtime ncnn"
    with pytest.raises(InvalidRequest) as caught:
        resolve_chain([_step(runtime="ncnn", precision="bf16")], 16, 16, 1, 24)
    assert quoted == [caught.value.message]


def test_what_the_doc_says_auto_does_with_fp16_is_what_runs() -> None:
    """It said nothing: `auto` on the CPU had meant ncnn, which now runs fp32 only."""
    text = _doc()
    said = (
        "With `runtime` `auto` (the default) they run through PyTorch at that precision, on the CPU too, "
        'and the record says so (`"runtime": "torch"`, `"dtype": "float16"`)'
    )
    assert said in text
    frame = np.ascontiguousarray(data.astronaut()[180:196, 200:216][None])
    _, [record] = run_chain(Video(frame, Fraction(24)), [_step(precision="fp16")], Progress())
    assert (record["runtime"], record["dtype"]) == ("torch", "float16")
