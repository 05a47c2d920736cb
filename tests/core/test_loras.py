"""LoRA files as people bring them: for another model, another size, damaged, partly fitting, changed before a replay."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import torch

from reelgen.core.backends.base import DiffusersBackend
from reelgen.core.backends.plumbing import apply_loras
from reelgen.core.cache import ModelCache
from reelgen.core.errors import InvalidRequest
from reelgen.core.progress import Progress, ProgressEvent
from reelgen.core.record import replay
from reelgen.core.spec.request import LoraSpec
from reelgen.core.weights import sha256_file
from tests.core.helpers import loaded, render_fields, resolved

LTX = {"model": "ltx-tiny", "prompt": "a red circle", "seed": 1, "steps": 2, "num_frames": 9}


def ltx_lora(folder: Path, name: str, *, layers: int = 1, heads: int = 4, seed: int = 3) -> Path:
    """A real diffusers-format LoRA (peft, random weights) for an LTX transformer of this shape;
    ltx-tiny's own is one block of four heads."""
    from diffusers import LTXPipeline
    from peft import LoraConfig
    from peft.utils import get_peft_model_state_dict

    from reelgen.core.backends.ltx.tiny import tiny_transformer

    transformer = tiny_transformer(heads=heads, layers=layers)
    torch.manual_seed(seed)
    targets = ["to_q", "to_k", "to_v", "to_out.0"]
    transformer.add_adapter(LoraConfig(r=4, lora_alpha=8, target_modules=targets, init_lora_weights=False))
    LTXPipeline.save_lora_weights(
        folder, transformer_lora_layers=get_peft_model_state_dict(transformer), weight_name=name
    )
    return folder / name


@pytest.fixture(scope="module")
def loras(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from safetensors.torch import save_file

    folder = tmp_path_factory.mktemp("loras")
    found = {
        "fits": ltx_lora(folder, "fits.safetensors"),
        "wider": ltx_lora(folder, "wider.safetensors", heads=8),  # another size of the model
        "deeper": ltx_lora(folder, "deeper.safetensors", layers=3),  # two blocks ltx-tiny lacks
    }
    # An SD-style LoRA: its layers belong to a UNet, none to a video transformer.
    unet = folder / "unet.safetensors"
    save_file(
        {
            "unet.down_blocks.0.attn.to_q.lora_A.weight": torch.zeros(4, 32),
            "unet.down_blocks.0.attn.to_q.lora_B.weight": torch.zeros(32, 4),
        },
        str(unet),
    )
    cut = folder / "cut.safetensors"
    cut.write_bytes(found["fits"].read_bytes()[:2000])
    return {**found, "unet": unet, "cut": cut}


@pytest.fixture(scope="module")
def runner() -> DiffusersBackend:
    ltx = loaded("ltx-tiny")
    assert isinstance(ltx, DiffusersBackend)
    return ltx


def apply(runner: DiffusersBackend, *files: Path) -> list[dict[str, Any]]:
    return apply_loras(runner.pipe, tuple(LoraSpec(path=str(f)) for f in files), model="ltx-tiny")


@pytest.mark.parametrize(
    ("name", "says"),
    [
        # diffusers loaded nothing and set_adapters raised "Adapter name(s) {'lora_0'} not in the list ..."
        ("unet", "has no layer that ltx-tiny has: it was made for another model"),
        # peft listed every layer's shapes, one line each (thousands for a real model)
        (
            "wider",
            "does not fit ltx-tiny: its layer transformer_blocks.0.attn1.to_q is [4, 64] where ltx-tiny's "
            "is [4, 32]",
        ),
        ("cut", "is not a readable .safetensors file"),
    ],
)
def test_a_lora_that_does_not_fit_is_refused_in_one_line_naming_it(
    runner: DiffusersBackend, loras: dict[str, Path], name: str, says: str
) -> None:
    with pytest.raises(InvalidRequest) as err:
        apply(runner, loras["fits"], loras[name])
    message = err.value.message
    assert err.value.param == "loras[1].path"
    assert message.startswith(f"loras[1].path: {name}.safetensors {says}"), message
    assert str(loras[name].parent) not in message  # no server path reaches an API client
    assert "\n" not in message and len(message) < 400
    # The cached model is not left with the first LoRA: the next request gets what it asks for.
    assert apply(runner, loras["fits"]) == [
        {"path": str(loras["fits"]), "strength": 1.0, "sha256": sha256_file(loras["fits"])}
    ]


def test_layers_the_model_lacks_are_counted_in_the_record_and_said_while_it_runs(
    runner: DiffusersBackend, loras: dict[str, Path]
) -> None:
    # diffusers logged the 16 layers of blocks 1 and 2 and applied the rest, and no one heard of it.
    [record] = apply(runner, loras["deeper"])
    assert record["layers_not_applied"] == 16
    events: list[ProgressEvent] = []
    request = LTX | {"loras": [{"path": str(loras["deeper"])}]}
    runner.generate(resolved(**request), Progress(events.append))
    said = [e.message for e in events if e.message]
    assert said == [
        "warning: LoRA deeper.safetensors: 16 of its layers are not layers of ltx-tiny and were left out "
        "(made for another model or variant?)"
    ]


def test_an_out_of_memory_while_loading_a_lora_is_not_blamed_on_the_file() -> None:
    class Pipe:
        def load_lora_weights(self, *args: Any, **kwargs: Any) -> None:
            raise torch.OutOfMemoryError("CUDA out of memory")

    # Called a file that "could not be applied", it failed the job instead of stepping down a rung.
    with pytest.raises(torch.OutOfMemoryError):
        apply_loras(Pipe(), (LoraSpec(path="style.safetensors"),))


@pytest.fixture
def cache() -> Iterator[ModelCache]:
    models = ModelCache(max_models=1)
    yield models
    models.free()


def test_replay_checks_the_lora_by_its_hash(tmp_path: Path, cache: ModelCache) -> None:
    lora = ltx_lora(tmp_path, "style.safetensors")
    made = render_fields(tmp_path / "a.mp4", cache=cache, **LTX, loras=[{"path": str(lora), "strength": 0.8}])
    sidecar = tmp_path / "a.json"
    assert json.loads(sidecar.read_text())["loras"] == made.metadata["loras"]

    ltx_lora(tmp_path, "style.safetensors", seed=4)  # the same name, other weights
    with pytest.raises(InvalidRequest, match=r"loras\[0\]: .*style.safetensors has changed since") as err:
        replay(sidecar, tmp_path / "b.mp4", cache=cache)
    assert "--allow-changed-inputs" in err.value.message
    lora.unlink()
    with pytest.raises(InvalidRequest, match=r"loras\[0\]: .*style.safetensors no longer exists"):
        replay(sidecar, tmp_path / "b.mp4", cache=cache, allow_changed_inputs=True)
    assert not (tmp_path / "b.mp4").exists()


@pytest.mark.parametrize("typed", ["8", "-6"])
def test_a_strength_past_what_the_api_takes_is_refused_on_the_command_line_too(typed: str) -> None:
    import typer

    from reelgen.cli.typed import lora

    # `--lora style.safetensors:8` (0.8 mistyped) loaded the model and made noise; the API refused it.
    with pytest.raises(typer.BadParameter) as err:
        lora(f"style.safetensors:{typed}")
    assert str(err.value) == (
        f"LoRA 'style.safetensors:{typed}': strength '{typed}' is not from -5 to 5; "
        "give one like style.safetensors:0.8"
    )
    assert lora("style.safetensors:-5").strength == -5.0
    # A project's or a manifest's LoRA, and a replayed record's, are held to the same.
    with pytest.raises(ValueError, match="strength"):
        LoraSpec(path="style.safetensors", strength=float(typed))


def test_a_lora_file_no_model_could_take_is_refused_when_the_request_is_checked(
    loras: dict[str, Path], tmp_path: Path
) -> None:
    """Found from the file's header before the model loads (minutes for a real one), not after."""
    from safetensors.torch import save_file

    base = tmp_path / "base.safetensors"  # a checkpoint, not a LoRA: no key names a lora layer
    save_file({"blocks.0.attn.to_q.weight": torch.ones(8, 8)}, str(base))
    text = tmp_path / "notes.safetensors"
    text.write_text("not weights at all")
    half = tmp_path / "half.safetensors"  # a copy that stopped part-way: its header is intact
    half.write_bytes(loras["fits"].read_bytes()[: loras["fits"].stat().st_size // 2])
    for path, says in (
        (base, "holds no LoRA weights (none of its keys names a lora layer)"),
        (text, "is not a readable .safetensors file"),
        (half, "is cut short: its tensors take"),
    ):
        with pytest.raises(InvalidRequest) as err:
            resolved(**LTX, loras=[{"path": str(loras["fits"])}, {"path": str(path)}])
        assert err.value.param == "loras[1].path"
        assert err.value.message.startswith(f"loras[1].path: {path.name} {says}"), err.value.message
    assert resolved(**LTX, loras=[{"path": str(loras["fits"])}]).loras[0].path == str(loras["fits"])


def test_two_loras_load_without_peft_warning_of_a_second_adapter(
    runner: DiffusersBackend, loras: dict[str, Path]
) -> None:
    import warnings

    with warnings.catch_warnings(record=True) as heard:
        warnings.simplefilter("always")
        records = apply(runner, loras["fits"], loras["deeper"])
    assert [r["path"] for r in records] == [str(loras["fits"]), str(loras["deeper"])]
    # peft's "Already found a `peft_config` attribute ..." came with its source line on every such run.
    assert [str(w.message) for w in heard if "peft_config" in str(w.message)] == []
