"""What generate, animate and avatar are typed: options read into request fields, and a field's problem
said back with the option a person typed (``--frames: ...``, not ``num_frames: ...``)."""

from __future__ import annotations

import math
import re
import sys
from collections.abc import Callable
from pathlib import Path, PosixPath, WindowsPath
from typing import Any

import typer
from pydantic import ValidationError

from reelgen.cli.flag_names import names
from reelgen.core.errors import InvalidRequest, ReelgenError, WeightsNotHere
from reelgen.core.spec.request import (
    MAX_LORA_STRENGTH,
    GenerationRequest,
    Keyframe,
    LoraSpec,
    ResolvedRequest,
    Task,
)


def target_rate(text: str) -> float:
    """``--target-fps`` as typed (60, 59.94 or 60000/1001) as the request's number; NTSC decimals snap back exactly."""
    from reelgen.core.rates import parse_rate

    try:
        return float(parse_rate(text))
    except ValueError:
        raise typer.BadParameter(
            f"--target-fps {text!r} is not a frame rate; give e.g. 60, 59.94 or 60000/1001"
        ) from None


#: Where a server takes by URL what this command takes only as a file: said beside a URL's refusal.
_SERVER_URL = {
    "an image file": "; a server takes an image by URL itself (POST /v1/videos, input_reference.image_url)"
}


def given(what: str, local: bool = False) -> Callable[[typer.CallbackParam, Any], Any]:
    """A check for a parameter naming ``what`` (a file, a method): an empty value is refused, not dropped.

    The request takes ``""`` as left out, so ``--image "$UNSET"`` quietly made a text-to-video.
    ``local``: a file read on this machine, so a URL is refused as one (it was "file https://x/a.png
    does not exist", as if a download had been tried).
    """

    def check(param: typer.CallbackParam, value: Any) -> Any:
        for one in value if isinstance(value, list) else [value]:
            if isinstance(one, str) and not one.strip():
                optional = param.param_type_name == "option"
                raise typer.BadParameter(f"it is empty; give {what}" + (", or leave it out" * optional))
            if local:
                _not_a_url(one, what)
        return value

    return check


def local_file(what: str) -> Callable[[typer.CallbackParam, Any], Any]:
    """A check that refuses only a URL for a parameter naming ``what``, a file read on this machine."""

    def check(param: typer.CallbackParam, value: Any) -> Any:
        for one in value if isinstance(value, list) else [value]:
            _not_a_url(one, what)
        return value

    return check


def _not_a_url(value: Any, what: str) -> None:
    if isinstance(value, str) and "://" in value:  # as a path "https://x" is "https:/x", "does not exist"
        raise typer.BadParameter(
            f"{value} is a URL; reelgen does not download inputs: download it first and give "
            f"{what} on this machine{_SERVER_URL.get(what, '')}"
        )


if sys.platform == "win32":
    _LocalPath = WindowsPath
else:
    _LocalPath = PosixPath  # a plain Path cannot be subclassed before Python 3.12


class PathArgument(_LocalPath):
    """A path read by a parser: typer shows such an argument's type by its class name, and a plain
    ``Path`` read ``<Path>`` where every other path argument reads ``<path>``."""


PathArgument.__name__ = "path"


def path_named(what: str) -> Callable[[str], PathArgument]:
    """A parser for a path argument naming ``what``: an empty one is refused while it can still be told
    from "." (read as a path, "" is ".", and ``replay "$UNSET"`` said only ". is a folder")."""

    def parse(text: str) -> PathArgument:
        if not text.strip():
            raise typer.BadParameter(f"it is empty; give {what}")
        if "://" in text:  # as a path "https://x" is "https:/x", said not to exist
            raise typer.BadParameter(f"{text} is a URL; give {what} on this machine (download it first)")
        return PathArgument(text)

    return parse


IMAGE, VIDEO = given("an image file", local=True), given("a video file", local=True)
LORA_FILE = given("a LoRA file", local=True)
WEIGHTS, INTERPOLATOR = given("a folder or checkpoint file"), given("rife, flow or auto")
DEVICE = given("cpu, cuda or cuda:N")
UPSCALER = given("esrgan, lanczos, a Real-ESRGAN model name or a checkpoint file")


def loras_once(param: typer.CallbackParam, values: list[str] | None) -> list[str] | None:
    """``--lora``'s check: none empty, and no file twice. Each one given was loaded and stacked, so a
    file twice (even as ``./l.safetensors``) was a style twice as strong as asked, without a word."""
    from reelgen.core.atomic import home_path

    LORA_FILE(param, values)
    seen: set[Path] = set()
    for text in values or []:
        try:
            path = lora(text).path
        except typer.BadParameter:
            continue  # a strength off the rules: said as before, where the request is read
        where = home_path(path).resolve()
        if where in seen:
            raise typer.BadParameter(
                f"{path} is given twice; give each LoRA once, with the one strength you want (e.g. {path}:0.8)"
            )
        seen.add(where)
    return values


LORA = loras_once


def generate_task(value: Task | None) -> Task | None:
    """``generate --task``: an avatar speaks a voice, which generate takes no option for; its refusal
    asked for --audio or --text, which only ``reelgen avatar`` has."""
    if value is Task.AVATAR:
        raise typer.BadParameter(
            "avatar: talking avatars are made from a face and a voice with `reelgen avatar`, and "
            'generate takes no voice; use reelgen avatar --image face.png --text "..." (or --audio voice.wav)'
        )
    return value


def keyframe(text: str) -> Keyframe:
    frame, _, rest = text.partition(":")
    # An image whose own name has a colon stays whole (as --lora takes one): split at every colon,
    # "0:shot 12:30.png" read "30.png" as a strength.
    image, sep, last = rest.rpartition(":")
    parts = [frame, image, last] if sep and image and not Path(rest).exists() else [frame, rest]
    if not rest or not parts[1]:
        raise typer.BadParameter(f"keyframe {text!r} must be FRAME:IMAGE or FRAME:IMAGE:STRENGTH")
    if not frame.isdecimal():
        raise typer.BadParameter(
            f"keyframe {text!r}: frame {frame!r} is not a frame number (0 is the first); give e.g. 0:start.png"
        )
    try:
        strength = float(parts[2]) if len(parts) == 3 else 1.0
    except ValueError:
        raise typer.BadParameter(
            f"keyframe {text!r}: strength {parts[2]!r} is not a number; give one from 0 to 1, e.g. 0:start.png:0.8"
        ) from None
    try:
        return Keyframe(frame=int(parts[0]), image=parts[1], strength=strength)
    except ValidationError:  # the strength is the one field a parsed keyframe can still get wrong
        raise typer.BadParameter(
            f"keyframe {text!r}: strength {parts[2]!r} is not from 0 to 1; give one that is, e.g. 0:start.png:0.8"
        ) from None


def lora(text: str) -> LoraSpec:
    from reelgen.core.atomic import home_path  # "~/style.safetensors" as the request check reads it

    path, sep, strength = text.rpartition(":")
    if not sep or not path or _there(home_path(text)):  # a file whose own name has a colon stays whole
        return LoraSpec(path=text)
    try:
        value = float(strength)  # 0.8, -1, 1e-1; "nan" and "inf" parse too and are refused below
    except ValueError:
        # style.safetensors:abc was "LoRA file style.safetensors:abc does not exist"
        if _there(home_path(path), file=True):
            raise typer.BadParameter(
                f"LoRA {text!r}: strength {strength!r} is not a number; give one like style.safetensors:0.8"
            ) from None
        return LoraSpec(path=text)
    try:
        return LoraSpec(path=path, strength=value)
    except ValidationError:
        most = f"{MAX_LORA_STRENGTH:g}"
        problem = "is not a finite number" if not math.isfinite(value) else f"is not from -{most} to {most}"
        raise typer.BadParameter(
            f"LoRA {text!r}: strength {strength!r} {problem}; give one like style.safetensors:0.8"
        ) from None


def _there(path: Path, file: bool = False) -> bool:
    """Whether ``path`` exists (is a file): a name too long for any folder is not there, where asking
    raised "File name too long" as an internal error; the request check then says why."""
    try:
        return path.is_file() if file else path.exists()
    except OSError:
        return False


#: The request fields that hold pictures: a start or end image, keyframe images, reference images.
_PICTURES = ("start_image", "end_image", "keyframes", "reference_images")


def pictures_opened(request: ResolvedRequest) -> ResolvedRequest:
    """``request`` once every picture it names has opened as one, as the API checks an upload.

    A clip or a text file given as ``--image`` was refused by the model's backend only, after the
    memory plan and the model's load (minutes for a real model).
    """
    from reelgen.core.media import load_image

    for param, path in request.input_files():
        if param.startswith(_PICTURES):
            load_image(path, param).close()
    return request


#: Request fields whose option has another name; the others are ``--`` and the field, dashed.
FLAGS = {
    "num_frames": "--frames",
    "negative_prompt": "--negative",
    "start_image": "--image",
    "source_video": "--video",
    "source_strength": "--strength",
    "speech_audio": "--audio",
    "speech_text": "--text",
    "prompt": "PROMPT",
    "keyframes": "--keyframe",
    "loras": "--lora",
    "options": "--option",
    "output": "--output",  # a refusal of the file name (render.check_output) names the option typed
}


def as_option(problem: ReelgenError, flags: dict[str, str] = FLAGS) -> ReelgenError:
    """A field's problem said with the option a person typed: ``--frames: ...``, not ``num_frames: ...``;
    a field named in brackets (``give a start image (start_image)``) too."""
    if isinstance(problem, WeightsNotHere):
        return weights_hint(problem, flags)
    if isinstance(problem, InvalidRequest) and "(" in problem.message:
        problem = type(problem)(_flags_in_brackets(problem.message, flags), param=problem.param)
    field = problem.param or ""
    # One of a repeated option (loras[1].path): the option's name; the message names the file.
    base = field.partition("[")[0]
    option = base.startswith("options.") and base not in flags  # a model option: --option KEY
    known = base in GenerationRequest.model_fields or base in flags or option
    if (
        not isinstance(problem, InvalidRequest)
        or not known
        or not problem.message.startswith((f"{field}:", f"{field} "))
    ):
        return problem
    if option:
        flag = f"{flags['options']} {base.removeprefix('options.')}"
    else:
        flag = flags.get(base, f"--{base.replace('_', '-')}")
    if not _typed(
        flag.split()[0]
    ):  # a field this command sets itself (animate's task): its name is all there is
        return problem
    rest = problem.message.removeprefix(field)
    if rest.startswith(":") and names(rest, flag):  # "--target-fps: ... (--target-fps), not both": once
        return InvalidRequest(rest[1:].lstrip(), param=field)
    return InvalidRequest(flag + rest, param=field)


def weights_hint(problem: WeightsNotHere, flags: dict[str, str]) -> WeightsNotHere:
    """Missing weights, with the option that takes a path to them when this command has one
    (``weights`` in ``flags``); other commands (animate, avatar ...) are told only how to fetch them."""
    from reelgen.cli.model_list import models_dir_problem
    from reelgen.core import settings

    said = problem.message
    unusable = models_dir_problem()
    if unusable:  # "Looked in: FILE/ltx2" was untrue: nothing can be looked for under a file
        said = re.sub(re.escape(str(settings.models_dir())) + r"/\S+ and ", "", said)
    if "weights" in flags:
        said += f" (or give {flags['weights']} PATH: a local diffusers folder or single-file checkpoint)"
    if unusable:
        said += f"; {unusable}"
    return WeightsNotHere(said, param=problem.param)


#: What a bracketed field's option takes, said with it.
_TAKES = {"--keyframe": " FRAME:IMAGE[:STRENGTH]"}


def _flags_in_brackets(message: str, flags: dict[str, str]) -> str:
    """``(start_image)`` as ``(--image)``: each request field in brackets as this command's option for it."""

    def said(match: re.Match[str]) -> str:
        field = match[1]
        if field not in GenerationRequest.model_fields:
            return match[0]
        flag = flags.get(field, f"--{field.replace('_', '-')}")
        return f"({flag}{_TAKES.get(flag, '')})" if _typed(flag) else match[0]

    return re.sub(r"\((\w+)\)", said, message)


def _typed(flag: str) -> bool:
    """Whether the running command has ``flag`` (an argument's name, like IMAGE, always counts)."""
    try:  # typer 0.2x runs on its own copy of click: click's own context stack is empty there
        from typer._click.globals import get_current_context
    except ImportError:
        from click import get_current_context  # type: ignore[no-redef]

    context = get_current_context(silent=True)
    if not flag.startswith("-") or context is None:
        return True
    return any(flag in param.opts for param in context.command.params)
