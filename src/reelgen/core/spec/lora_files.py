"""What a LoRA file must be before any model loads: named, found, whole, safetensors and holding LoRA keys."""

from __future__ import annotations

from pathlib import Path

from reelgen.core import safetensors_file

#: A file with no LoRA key, as the request check and the loader both say it.
NO_LORA_LAYERS = "holds no LoRA weights (none of its keys names a lora layer)"

#: What a LoRA file may be, said wherever one of another format is refused.
LORA_FORMATS = (
    "LoRAs are taken as .safetensors files only (a .bin, .pt or .ckpt LoRA must be converted first)"
)


def lora_file_problem(path: Path) -> str | None:
    """What makes a LoRA file unusable whatever model it goes into, or None.

    Whether its layers fit the model only loading tells; a file that is not
    safetensors (a .bin, .pt or .ckpt pickle, a renamed text file), cut short, or
    without a single LoRA key is known from its header, before the model loads.
    """
    try:
        header = safetensors_file.check_whole(path)
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"
    except safetensors_file.NotSafetensors as exc:
        if path.suffix.lower() in (".safetensors", ".sft"):
            return str(exc)
        # Found only once the model had loaded (minutes on a GPU); and a pickle runs code as it loads.
        return f"is not a .safetensors file; {LORA_FORMATS}"
    # diffusers' own test: every LoRA format it converts names its layers' keys "lora" somewhere.
    if not any("lora" in name.lower() for name in safetensors_file.tensors(header)):
        return NO_LORA_LAYERS
    return None
