"""The record every video carries (sidecar and container metadata), and replaying a video from it."""

from __future__ import annotations

import json
import platform
from importlib import metadata as pkg_metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from reelgen import __version__
from reelgen.core.errors import InvalidRequest, from_validation_error
from reelgen.core.spec.request import ResolvedRequest

if TYPE_CHECKING:
    from reelgen.core.render import RenderResult

LIBRARIES = ("torch", "diffusers", "transformers", "accelerate", "av", "numpy", "huggingface_hub")


def library_versions() -> dict[str, str]:
    found = {"python": platform.python_version(), "reelgen": __version__}
    for name in LIBRARIES:
        try:
            found[name] = pkg_metadata.version(name)
        except pkg_metadata.PackageNotFoundError:
            continue
    return found


def input_records(request: ResolvedRequest) -> dict[str, dict[str, str]]:
    """Each input file by parameter: its absolute path and SHA-256, so a replay can check it."""
    from reelgen.core.weights import sha256_file

    return {param: {"path": path, "sha256": sha256_file(Path(path))} for param, path in request.input_files()}


def load_record(path: str | Path) -> dict[str, Any]:
    """The reelgen record of a video (from its container) or of a sidecar ``.json``."""
    from reelgen.core.encode import read_metadata

    path = Path(path)
    if path.is_dir():
        raise InvalidRequest(
            f"{path} is a folder; give a video reelgen made or its .json sidecar", param="path"
        )
    if not path.is_file():
        raise InvalidRequest(f"{path} does not exist", param="path")
    if path.suffix.lower() != ".json":
        return read_metadata(path)
    try:
        record = json.loads(path.read_text())
    except ValueError:
        raise InvalidRequest(f"{path} is not a reelgen sidecar (invalid JSON)", param="path") from None
    if not isinstance(record, dict) or "request" not in record:
        raise InvalidRequest(f"{path} is not a reelgen sidecar (no request)", param="path")
    return record


def recorded_request(record: dict[str, Any], source: str | Path) -> ResolvedRequest:
    """The resolved request a record holds, checked against its model's rules as ``generate`` checks a new one.

    Records from before requests were resolved are refused; so is one edited by hand past what the
    model can make (a frame count it cannot produce failed only after the whole render).
    """
    from reelgen.core.spec import registry

    try:
        request = ResolvedRequest.model_validate(record["request"])
    except ValidationError as exc:
        problem = from_validation_error(exc, prefix="request.")
        raise InvalidRequest(
            f"{source} holds a request this reelgen cannot replay ({problem.message}); "
            "it was made by another version of reelgen",
            param="path",
        ) from None
    try:
        spec, preset = registry.resolve(request.model)
        rules = spec.rules_for(preset)
        rules.check_size(request.width, request.height)
        rules.check_frames(request.num_frames)
        if spec.check is not None:
            spec.check(preset, request)
    except InvalidRequest as exc:
        raise InvalidRequest(
            f"{source} holds a request that cannot be made: {exc.message}", param="path"
        ) from None
    return request


def changed_inputs(record: dict[str, Any], request: ResolvedRequest) -> list[str]:
    """Inputs that are gone or whose content differs from when the video was made, one line each."""
    from reelgen.core.weights import sha256_file

    recorded = record.get("inputs") or {}
    problems = []
    for param, path in request.input_files():
        known = recorded.get(param)
        if not Path(path).is_file():
            problems.append(f"{param}: {path} no longer exists")
        elif isinstance(known, dict) and known.get("sha256") != sha256_file(Path(path)):
            problems.append(f"{param}: {path} has changed since the video was made")
    return problems


def replay(
    path: str | Path, output: str | Path | None = None, *, allow_changed_inputs: bool = False, **kwargs: Any
) -> RenderResult:
    """Render again from the request recorded in a video or sidecar: same seed, same model, same inputs.

    Input files are found by the absolute paths recorded, so this works from any
    folder. An input that changed since refuses the replay unless
    ``allow_changed_inputs``; a missing one always does.
    """
    from reelgen.core.progress import Progress, ProgressEvent
    from reelgen.core.render import render

    record = load_record(path)
    request = recorded_request(record, path)
    problems = changed_inputs(record, request)
    gone = [p for p in problems if p.endswith("no longer exists")]
    if gone or (problems and not allow_changed_inputs):
        hint = "" if gone else "; pass --allow-changed-inputs to replay with them as they are now"
        raise InvalidRequest(f"cannot replay {path}: {'; '.join(problems)}{hint}", param="inputs")
    progress: Progress = kwargs.pop("progress", None) or Progress()
    for problem in problems:
        progress.emit(ProgressEvent("replay", 0, 0, 0.0, message=f"warning: {problem}"))
    return render(request, output, progress=progress, **kwargs)
