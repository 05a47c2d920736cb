"""The files a request names, each made absolute (so a replay works from any folder) and checked to be
a file reelgen can read before any model loads: images, videos, voices, LoRAs and ``--weights``."""

from __future__ import annotations

from pathlib import Path

from reelgen.core.atomic import LOOP, home_path, link_loop, name_problem
from reelgen.core.errors import InvalidRequest
from reelgen.core.spec.lora_files import LORA_SUFFIXES, lora_file_problem
from reelgen.core.spec.request import GenerationRequest, LoraSpec, ResolvedRequest, Task


def _not_a_file(value: str, path: Path) -> str:
    """Why ``path``, no folder, is no file to read: a FIFO or /dev/null was said not to exist."""
    if path.is_symlink() and not path.exists():
        if link_loop(path):
            return f"{value} {LOOP}; give a file"
        return f"{value} is a symbolic link to {path.readlink()}, which does not exist; give a file"
    if path.exists():
        return f"{value} is not a regular file (a pipe, socket or device); give a file"
    return f"file {value} does not exist"


def absolute_inputs(request: GenerationRequest) -> dict[str, object]:
    """Input paths made absolute (so a replay works from any folder), each checked to exist."""

    def found(param: str, value: str) -> str:
        path = home_path(value)  # ~nouser/x.png, and a name too long for any folder, were internal errors
        if name_problem(path):
            raise InvalidRequest(f"{param}: {name_problem(path)}", param=param)
        if path.is_dir():
            raise InvalidRequest(f"{param}: {value} is a folder; give a file", param=param)
        if not path.is_file():
            raise InvalidRequest(f"{param}: {_not_a_file(value, path)}", param=param)
        return str(path.resolve())

    out: dict[str, object] = {}
    for name in ("start_image", "end_image", "source_video", "speech_audio"):
        value = getattr(request, name)
        if value is not None:
            out[name] = found(name, value)
    out["reference_images"] = tuple(
        found(f"reference_images[{i}]", path) for i, path in enumerate(request.reference_images)
    )
    out["keyframes"] = tuple(
        k.model_copy(update={"image": found(f"keyframes[{i}].image", k.image)})
        for i, k in enumerate(request.keyframes)
    )
    out["loras"] = tuple(_lora_file(i, lora) for i, lora in enumerate(request.loras))
    return out


def check_source_length(request: ResolvedRequest, shown: str) -> None:
    """Refuse a video-to-video source clip shorter than the clip asked for, naming the file ``shown``
    (a server's upload is no path of the client's); ``generate``'s render checks it before loading."""
    from reelgen.core.backends.source_clip import check_long_enough  # backends build on this package
    from reelgen.core.spec import registry

    if request.task is not Task.V2V:
        return
    spec, preset = registry.resolve(request.model)
    try:
        check_long_enough(request, spec.rules_for(preset))
    except InvalidRequest as exc:
        raise InvalidRequest(exc.message.replace(str(request.source_video), shown), param=exc.param) from None


def _lora_file(i: int, lora: LoraSpec) -> LoraSpec:
    """``lora`` with its file's absolute path, checked to be a LoRA any model could take.

    ``weight_name`` picks the file in a folder ``path``, as diffusers takes one; the result names
    the file itself, with no ``weight_name``.
    """
    param = f"loras[{i}].path"
    if not lora.path.strip():  # Path("") is ".", which was said to be "a folder"
        raise InvalidRequest(f"{param} is empty; give a .safetensors file", param=param)
    path = _weight_named(i, lora)
    if name_problem(path):
        raise InvalidRequest(f"{param}: {name_problem(path)}", param=param)
    shown = lora.path if path == home_path(lora.path) else str(path)  # as typed, or joined to weight_name
    if path.is_dir():
        raise InvalidRequest(f"{param}: {shown} is a folder; {_files_in(shown, path)}", param=param)
    if not path.is_file():
        raise InvalidRequest(
            f"{param}: LoRA {_not_a_file(shown, path).removesuffix('; give a file')}; {_suffixed(shown, path)}",
            param=param,
        )
    problem = lora_file_problem(path)
    if problem:  # said now, not after minutes of loading the model it was going into
        raise InvalidRequest(f"{param}: {path.name} {problem}", param=param)
    return lora.model_copy(update={"path": str(path.resolve()), "weight_name": None})


def _suffixed(shown: str, path: Path) -> str:
    """What to give for a LoRA named without its suffix: ``style`` for the ``style.safetensors`` beside it.

    "LoRA file style does not exist" left the user to see that the file was there, named in full.
    """
    for suffix in LORA_SUFFIXES:
        try:
            found = path.with_name(path.name + suffix).is_file()
        except (OSError, ValueError):  # a name no folder takes, or one ending in a separator
            found = False
        if found:
            return f"did you mean {shown}{suffix}?"
    return "give a .safetensors file"


def _files_in(shown: str, folder: Path, listed: int = 3) -> str:
    """Which file to give for a LoRA named by its ``folder``: the .safetensors files in it, if any.

    A diffusers training run's output folder holds ``pytorch_lora_weights.safetensors``; "give a
    .safetensors file" left the user to find out which.
    """
    try:
        names = sorted(
            p.name
            for p in folder.iterdir()
            if p.suffix.lower() in LORA_SUFFIXES and not p.name.startswith(".") and p.is_file()
        )
    except OSError:  # a folder this account cannot list: say what to give, as before
        names = []
    files = [str(Path(shown) / name) for name in names[:listed]]
    if not files:
        return "give a .safetensors file"
    if len(names) == 1:
        return f"give the file: {files[0]}"
    more = f" ({len(names)} in all)" if len(names) > listed else ""
    return f"give one of its files: {', '.join(files)}{more}"


def _weight_named(i: int, lora: LoraSpec) -> Path:
    """The file ``lora`` names: ``path``, or ``weight_name`` inside a folder ``path``.

    ``weight_name`` was passed to diffusers with a file path, which ignores it: a project's
    ``weight_name: v2.safetensors`` silently applied whatever file ``path`` named.
    """
    path = home_path(lora.path)
    if lora.weight_name is None:
        return path
    if path.is_dir():
        return path / lora.weight_name
    if lora.weight_name != path.name:
        raise InvalidRequest(
            f"loras[{i}].weight_name: {lora.weight_name!r} is not the file {lora.path} names; weight_name "
            "picks a file inside a folder path: leave it out, or make path the folder",
            param=f"loras[{i}].weight_name",
        )
    return path


def weights_path(text: str) -> str:
    """``--weights`` as an absolute path; a chain of links back to itself made ``resolve`` raise an internal error."""
    if link_loop(Path(text)):
        raise InvalidRequest(
            f"weights {text} {LOOP}; give a diffusers folder or a checkpoint file of the model",
            param="weights",
        )
    return str(Path(text).expanduser().resolve())
