"""LoRA files into a loaded pipeline: each at its strength, a misfit said in one line naming the file."""

from __future__ import annotations

import contextlib
import logging
import re
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from reelgen.core import safetensors_file
from reelgen.core.errors import InvalidRequest
from reelgen.core.safetensors_file import NOT_READABLE
from reelgen.core.spec.lora_files import NO_LORA_LAYERS
from reelgen.core.spec.request import LoraSpec


def apply_loras(
    pipe: Any,
    loras: tuple[LoraSpec, ...],
    *,
    into_second_transformer: bool = False,
    model: str = "this model",
) -> list[dict[str, Any]]:
    """Load several LoRAs at their strengths; returns records with each file's SHA-256.

    Adapters already loaded from an earlier run are dropped first, so a cached
    pipeline never carries a previous request's LoRAs. A file none of whose layers
    ``model`` has, or whose layers have other shapes, is refused naming it; one
    some of whose layers ``model`` lacks is applied, and its record counts them
    (``layers_not_applied``): diffusers only logs those.
    """
    import torch

    from reelgen.core.weights import sha256_file

    loaded = getattr(pipe, "get_list_adapters", None)
    if loaded is not None and any(loaded().values()):
        pipe.unload_lora_weights()
    if not loras:
        return []
    names, strengths, records = [], [], []
    for i, lora in enumerate(loras):
        path = Path(lora.path).expanduser()
        name = f"lora_{i}"
        try:
            with _unplaced_keys() as unplaced:
                pipe.load_lora_weights(str(path), weight_name=lora.weight_name, adapter_name=name)
                if into_second_transformer:
                    pipe.load_lora_weights(
                        str(path),
                        weight_name=lora.weight_name,
                        adapter_name=name,
                        load_into_transformer_2=True,
                    )
            if loaded is not None and not any(name in adapters for adapters in loaded().values()):
                # diffusers logs "No LoRA keys associated to ..." and loads nothing at all.
                raise ValueError("not found in the base model")
        except torch.OutOfMemoryError:
            raise  # the memory ladder steps down and retries; this is no fault of the file
        except Exception as exc:  # diffusers and peft raise many kinds for a file that does not fit
            # A file gone since the check was taken for a Hub repo id, which diffusers said naming the path.
            problem = _lora_problem(exc, model, path, pipe) if path.is_file() else LORA_GONE
            # By file name: a job's error reaches API clients, who name LoRAs inside the server's folder.
            raise InvalidRequest(
                f"loras[{i}].path: {path.name} {problem}", param=f"loras[{i}].path"
            ) from None
        broken = _not_finite(pipe, name)
        if broken:  # else "the model overflowed (try bfloat16 ...)" once every step had run
            raise InvalidRequest(
                f"loras[{i}].path: {path.name} holds NaN or infinite values (its layer {broken}), as a "
                "LoRA whose training diverged does; every frame would be broken: use another save of it",
                param=f"loras[{i}].path",
            )
        names.append(name)
        strengths.append(lora.strength)
        record: dict[str, Any] = {"path": str(path), "strength": lora.strength, "sha256": sha256_file(path)}
        layers = {key.split(".lora_")[0] for key in unplaced}
        if layers:
            record["layers_not_applied"] = len(layers)
        records.append(record)
    pipe.set_adapters(names, adapter_weights=strengths)
    return records


def _not_finite(pipe: Any, adapter: str) -> str | None:
    """The first layer of ``adapter``, as loaded into ``pipe``'s models, holding NaN or infinity; else None."""
    import torch

    components = getattr(pipe, "components", None)
    for part in components.values() if isinstance(components, dict) else ():
        if not isinstance(part, torch.nn.Module):
            continue
        for key, weight in part.named_parameters():
            # peft names an adapter's halves "<layer>.lora_A.<adapter>.weight"; sequential offload
            # leaves weights on the meta device, with no values to look at.
            if (
                not weight.is_meta
                and f".{adapter}." in key
                and ".lora_" in key
                and not bool(torch.isfinite(weight).all())
            ):
                return key.split(".lora_")[0]
    return None


class _UnplacedKeys(logging.Handler):
    """Collects the LoRA keys diffusers found no layer for: it logs them and carries on."""

    MARK = "unexpected keys found in the model:"

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.keys: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        _, found, rest = record.getMessage().partition(self.MARK)
        if found:  # "... model: a.lora_A.weight, a.lora_B.weight. Loading adapter weights ... missing keys"
            listed = rest.split("Loading adapter weights")[0].strip().rstrip(".")
            self.keys += [key.strip() for key in listed.split(",") if key.strip()]


@contextlib.contextmanager
def _unplaced_keys() -> Iterator[list[str]]:
    logger = logging.getLogger("diffusers.utils.peft_utils")
    handler, level = _UnplacedKeys(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING)  # heard even when diffusers' own verbosity is turned down
    # diffusers also prints a failed load's whole error (a line per mismatched layer: hundreds for a
    # real model) before raising it; reelgen says it in one line, so that print is dropped.
    printing = logging.getLogger("diffusers").handlers
    quiet = _FailedLoadPrint()
    for printer in printing:
        printer.addFilter(quiet)
    try:
        with warnings.catch_warnings():
            # A second LoRA is a second adapter on purpose; peft warned "Already found a `peft_config`
            # attribute ... multiple adapters" with its source line on every run with two --lora.
            warnings.filterwarnings("ignore", message="Already found a `peft_config`", category=UserWarning)
            yield handler.keys
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        for printer in printing:
            printer.removeFilter(quiet)


class _FailedLoadPrint(logging.Filter):
    """Drops diffusers' "Loading lora_0 was unsuccessful with the following error: ..." record."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "was unsuccessful with the following error" not in record.getMessage()


#: peft's "size mismatch for KEY: copying a param with shape torch.Size([4, 64]) ... is torch.Size([4, 32])."
_SIZE_MISMATCH = re.compile(
    r"size mismatch for (\S+): .*?shape torch\.Size\((\[.*?\])\).*?is torch\.Size\((\[.*?\])\)"
)


#: diffusers' converters' "`state_dict` should be empty at this point but has ...keys()=dict_keys(['a', ...])".
_LEFT_OVER = re.compile(r"should be empty at this point.*?dict_keys\(\['([^']+)'")


def _lora_problem(exc: Exception, model: str, path: Path | None = None, pipe: Any = None) -> str:
    """What is wrong with a LoRA file, from what diffusers or peft raised, in one short clause."""
    text = str(exc)
    if "not found in the base model" in text:  # peft's "Target modules {every layer} not found ..."
        layout = _unread_layout(pipe, path) if path is not None else None
        if layout:
            # AnimateDiff's LoRAs go into a unet; every other family's into a transformer.
            part = (getattr(pipe, "_lora_loadable_modules", None) or ["transformer"])[0]
            return (
                f"has no layer that {model} has: its keys are in {layout} layout, which diffusers does not "
                f"read for {model}; convert it to diffusers' layout (keys such as "
                f"{part}.<layer>.lora_A.weight), or use it with the model it was made for"
            )
        return f"has no layer that {model} has: it was made for another model"
    leftover = _LEFT_OVER.search(text)
    converting = isinstance(exc, KeyError) or leftover is not None
    layout = _layout_of(_file_keys(path)) if converting and path is not None else None
    if (
        layout and leftover
    ):  # its converter met keys it has no name for: "... keys()=dict_keys(['blocks.0...'"
        return (
            f"could not be converted for {model}: diffusers' reading of its {layout} layout met layers "
            f"it does not know ({leftover.group(1)}); it was made for another model"
        )
    if layout:  # diffusers' converter of that layout looked for a key the file lacks: "('blocks_0_...')"
        return (
            f"could not be converted for {model}: diffusers' reading of its {layout} layout looked for "
            f"a layer it lacks ({exc.args[0] if exc.args else exc}); it was made for another model, or "
            "holds fewer layers than diffusers' converter expects"
        )
    mismatch = _SIZE_MISMATCH.search(text)
    if mismatch:
        layer, theirs, ours = mismatch.group(1).split(".lora_")[0], mismatch.group(2), mismatch.group(3)
        return (
            f"does not fit {model}: its layer {layer} is {theirs} where {model}'s is {ours} "
            "(a LoRA made for another model, or another size of it)"
        )
    if "Unable to load weights from checkpoint" in text or type(exc).__name__ == "SafetensorError":
        return NOT_READABLE
    if "Invalid LoRA checkpoint" in text:
        return NO_LORA_LAYERS
    first = text.strip().splitlines()[0] if text.strip() else type(exc).__name__
    # A job's error reaches API clients, who are never shown where the server keeps its files.
    first = first.replace(str(path), path.name).replace(str(path.parent), "its folder") if path else first
    layout = _layout_of(_file_keys(path)) if path is not None else None
    if layout:  # a musubi HunyuanVideo LoRA: "chunk expects at least a 1-dimensional tensor" said nothing
        part = (getattr(pipe, "_lora_loadable_modules", None) or ["transformer"])[0]
        return (
            f"could not be applied to {model}: diffusers failed on its {layout} layout ({first[:300]}); "
            f"convert it to diffusers' layout (keys such as {part}.<layer>.lora_A.weight)"
        )
    return f"could not be applied to {model} ({first[:300]})"


#: Key prefixes of LoRA layouts other than diffusers', as each names its layers.
_LAYOUTS = (
    (("lora_unet_", "lora_te_", "lora_te1_", "lora_te2_"), "kohya's (lora_unet_...)"),
    (("base_model.model.",), "peft's (base_model.model...)"),
    (("diffusion_model.",), "ComfyUI's (diffusion_model...)"),
)


def _unread_layout(pipe: Any, path: Path) -> str | None:
    """The layout of a LoRA whose keys diffusers left unconverted for ``pipe``, or None.

    Each family's loader converts some layouts (Wan's reads kohya's, LTX's only ComfyUI's); one it
    does not convert reaches no layer, and "made for another model" sent people to look for
    another LoRA when theirs only needed converting. Asked of diffusers itself, so it stays true
    as diffusers learns more layouts.
    """
    reader = getattr(pipe, "lora_state_dict", None)
    if reader is None:
        return None
    try:
        read = reader(str(path))
    except Exception:  # a layout its converter chokes on: nothing certain to say
        return None
    keys = read[0] if isinstance(read, tuple) else read
    return _layout_of(list(keys)) if isinstance(keys, dict) else None


def _file_keys(path: Path) -> list[str]:
    """The tensor names in a safetensors file's header; none for a file that cannot be read."""
    try:
        return list(safetensors_file.tensors(safetensors_file.read_header(path)))
    except (OSError, ValueError):
        return []


def _layout_of(keys: list[str]) -> str | None:
    """The layout every one of ``keys`` is in, when it is one of ``_LAYOUTS``; else None."""
    for prefixes, layout in _LAYOUTS:
        if keys and all(str(key).startswith(prefixes) for key in keys):
            return layout
    return None


#: A LoRA file that went away between the request's check and the job: a queued API job, a long batch.
LORA_GONE = (
    "is no longer there: it was deleted or moved after the request was checked; put it back, or ask again"
)
