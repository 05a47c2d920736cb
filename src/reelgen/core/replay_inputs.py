"""Which input, LoRA and weights files a replay cannot use as its record names them: gone, changed or unchecked."""

from __future__ import annotations

import errno
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reelgen.core.atomic import LOOP, home_path, name_problem
from reelgen.core.errors import InvalidRequest
from reelgen.core.spec.request import LoraSpec, ResolvedRequest

#: Said after a missing file: --allow-changed-inputs cannot stand in for a file that is not there.
PUT_BACK = "put it back at that path, or say where it is now with --input PARAM=FILE (checked by its recorded SHA-256)"


def put_back(gone: Sequence[str], video: Path | None = None) -> str:
    """What to do about the files in ``gone``: a ``--weights`` checkpoint is looked for only at its path;
    uploads a server's record names by file name alone are looked for beside ``video`` (the replayed file)."""
    names = [m["name"] for m in map(_GONE_BY_NAME.fullmatch, gone) if m]
    if video is not None and gone and len(names) == len(gone):  # "put it back at that path" named no place
        where = "it is" if len(names) == 1 else "they are"
        return (
            f"put {' and '.join(names)} beside the video ({video.resolve().parent}), or say where {where} "
            "now with --input PARAM=FILE (checked by its recorded SHA-256)"
        )
    if gone and all(line.startswith("weights:") for line in gone):
        return "put it back at that path (--weights files are found only there)"
    if gone and all(line.endswith((NO_PATH, PIPED)) for line in gone):  # there is no path to put it back at
        return "say where it is with --input PARAM=FILE (checked by its recorded SHA-256)"
    return PUT_BACK


#: The line of an input or LoRA gone whose record names it by file name only, as a server names an upload.
_GONE_BY_NAME = re.compile(r"(?!weights:)[^:]+: (?P<name>[^/\\]+) no longer exists")


#: Said of a LoRA whose recorded path is empty (a record edited by hand).
NO_PATH = "the record names no file (its path is empty)"
#: Said of an input the run read from a pipe (``reelgen avatar --image <(...)``): its copy went with the run.
PIPED = "read once for that run and not kept"


def _piped(path: str) -> str | None:
    """The pipe's name where ``path`` is the copy ``cli.pipe_inputs`` made of one, in a ``reelgen-pipe-*``
    folder (``/tmp/reelgen-pipe-x/start_image/63 (a pipe)``; before, ``/tmp/reelgen-pipe-x/start_image``)."""
    copy = Path(path)
    if copy.parent.parent.name.startswith("reelgen-pipe-"):
        return copy.name.removesuffix(" (a pipe)")
    return "" if copy.parent.name.startswith("reelgen-pipe-") else None


def lora_params(loras: Sequence[LoraSpec]) -> list[str]:
    """The names ``--input`` takes a request's LoRA files by, as refusals name them: ``loras[0]``..."""
    return [f"loras[{i}]" for i in range(len(loras))]


def with_given(request: ResolvedRequest, values: list[str] | None) -> ResolvedRequest:
    """``request`` with the files ``--input PARAM=FILE`` (``values``) names in place of the recorded ones,
    LoRAs as ``loras[i]``, as a refusal names them."""
    params = [param for param, _ in request.input_files()] + lora_params(request.loras)
    given = given_files(values, params)
    files = {param: file for param, file in given.items() if not param.startswith("loras[")}
    request = request.with_input_files(files) if files else request
    loras = tuple(
        lora.model_copy(update={"path": given[name]}) if name in given else lora
        for name, lora in zip(lora_params(request.loras), request.loras, strict=True)
    )
    return request if loras == request.loras else request.model_copy(update={"loras": loras})


def given_files(values: list[str] | None, params: list[str]) -> dict[str, str]:
    """``--input PARAM=FILE`` values as {param: absolute path}, each param one the record's video read."""
    given: dict[str, str] = {}
    for value in values or []:
        param, sep, file = value.partition("=")
        if sep and param and not file.strip():  # start_image="$UNSET": the form is right, the file missing
            raise InvalidRequest(
                f"--input {param}=: the FILE after = is empty; give {param}=FILE, where the file is now",
                param="input",
            )
        if not (sep and param and file):
            raise InvalidRequest(
                f"--input {value!r} is not PARAM=FILE (e.g. start_image=photo.png)", param="input"
            )
        if param not in params:
            has = ", ".join(params) or "none"
            raise InvalidRequest(
                f"--input {param}: the record has no such input; its inputs: {has}", param="input"
            )
        try:
            path = home_path(file).resolve()  # ~nouser/x was an internal error
        except (
            OSError,
            RuntimeError,
        ) as exc:  # pathlib raises for a symbolic link loop: an internal error too
            if isinstance(exc, OSError) and exc.errno != errno.ELOOP:
                raise
            raise InvalidRequest(f"--input {param}: {file} {LOOP}; give the file", param="input") from None
        if name_problem(path):  # asking the disk about it raised "File name too long": an internal error
            raise InvalidRequest(f"--input {param}: {name_problem(path)}", param="input")
        if path.is_dir():  # it was said "does not exist", though it is right there
            raise InvalidRequest(f"--input {param}: {file} is a folder; give the file", param="input")
        if not path.is_file():
            raise InvalidRequest(f"--input {param}: {file} does not exist", param="input")
        given[param] = str(path)
    return given


def recorded_inputs(record: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The record's ``inputs`` by parameter, each entry an object; anything else in a damaged record is left out.

    Read as is, a hand-broken ``inputs`` (a list, a bare string) ended the replay in an internal error.
    """
    inputs = record.get("inputs")
    if not isinstance(inputs, dict):
        return {}
    return {param: entry for param, entry in inputs.items() if isinstance(entry, dict)}


def unusable_files(
    record: dict[str, Any], request: ResolvedRequest
) -> tuple[list[str], list[str], list[str]]:
    """(gone, changed, unchecked), one line each: files that no longer exist; inputs whose content differs
    from the record's SHA-256 or whose hash the record lacks, and LoRA or weights files whose content differs;
    LoRA or weights files the record holds no hash of, which replay as they are now with a warning."""
    from reelgen.core.weights import sha256_file

    recorded = recorded_inputs(record)
    gone, changed = [], []
    for param, path in request.input_files():
        digest = recorded.get(param, {}).get("sha256")
        piped = _piped(path) if not Path(path).is_file() else None
        if piped is not None:  # "put it back at that path": a temporary copy the person never saw
            gone.append(f"{param} came from a pipe{f' ({piped})' if piped else ''}, {PIPED}")
        elif not Path(path).is_file():
            gone.append(f"{param}: {path} no longer exists")
        elif not isinstance(digest, str):
            # Every video reelgen makes records each input's hash; without it "the same inputs" is a guess.
            changed.append(f"{param}: {path} cannot be checked: the record holds no SHA-256 of it")
        elif digest != sha256_file(Path(path)):
            # A file named with --input (or whose recorded path moved) was never "changed": it is another file.
            elsewhere = recorded.get(param, {}).get("path") not in (None, path)
            changed.append(f"{param}: {path} {NOT_THE_FILE if elsewhere else CHANGED}")
    lora_gone, lora_changed, unchecked = lora_problems(record.get("loras"), request.loras, _named_at(record))
    gone += lora_gone
    changed += lora_changed
    weights = _weights_problem(record, request)
    if weights:
        {"gone": gone, "changed": changed, "unchecked": unchecked}[weights[0]].append(weights[1])
    return gone, changed, unchecked


def lora_problems(
    applied: object, loras: Sequence[LoraSpec], named_at: Sequence[object] = ()
) -> tuple[list[str], list[str], list[str]]:
    """(gone, changed, unchecked) of ``loras`` against ``applied``, a record's ``loras``: each with its file's
    SHA-256, in the order the request names them. ``named_at`` holds the paths the recorded request
    named them at, before any was found moved (else ``applied``'s own paths stand for them).

    A LoRA file edited or replaced since made other frames, replayed as "the same video" without a word.
    One that no model could take (a pickle named with ``--input``, a copy cut short) is refused here,
    as generate refuses it: with --allow-changed-inputs it reached diffusers, which loads a pickle.
    """
    from reelgen.core.spec.lora_files import lora_file_problem
    from reelgen.core.weights import sha256_file

    then = _entries(applied)
    gone, changed, unchecked = [], [], []
    for i, lora in enumerate(loras):
        entry = recorded_entry(then, i, lora.path)
        digest = entry.get("sha256")
        if not lora.path.strip():  # a record edited by hand: "loras[0]:  no longer exists" named nothing
            gone.append(f"loras[{i}]: {NO_PATH}")
            continue
        if Path(lora.path).is_dir():  # a record edited by hand: it "no longer exists", though it is there
            gone.append(f"loras[{i}]: {lora.path} is a folder, not the LoRA file the video was made with")
            continue
        if not Path(lora.path).is_file():
            gone.append(f"loras[{i}]: {lora.path} no longer exists")
            continue
        problem = lora_file_problem(Path(lora.path))
        if problem:
            raise InvalidRequest(f"loras[{i}]: {lora.path} {problem}", param=f"loras[{i}]")
        if not isinstance(digest, str):
            was = named_at[i] if i < len(named_at) else then[i].get("path") if i < len(then) else None
            if not _moved_here(then, Path(lora.path), was):
                unchecked.append(f"loras[{i}]: {lora.path} {UNCHECKED}")
        elif digest != sha256_file(Path(lora.path)):
            # One named with --input loras[i]=FILE was said to have "changed": it is another file.
            elsewhere = entry.get("path") not in (None, lora.path)
            changed.append(f"loras[{i}]: {lora.path} {NOT_THE_FILE if elsewhere else CHANGED}")
    return gone, changed, unchecked


def _entries(applied: object) -> list[dict[str, Any]]:
    """A record's ``loras``, each entry an object; anything else in a damaged record is left out."""
    return [lora for lora in applied if isinstance(lora, dict)] if isinstance(applied, list) else []


def recorded_entry(then: Sequence[dict[str, Any]], i: int, path: str) -> dict[str, Any]:
    """The entry of a record's ``loras`` (``then``) that holds the SHA-256 of the request's LoRA ``i``, at
    ``path``: its own, else one recorded for the same path (an empty one if none has its hash).

    A record edited to list one file twice has one hash of it: the second entry was warned of as
    "the record holds no SHA-256 of it", replayed unchecked.
    """
    own = then[i] if i < len(then) else {}
    if isinstance(own.get("sha256"), str):
        return own
    same = (lora for lora in then if lora.get("path") == path and isinstance(lora.get("sha256"), str))
    return next(same, own)


def _named_at(record: dict[str, Any]) -> list[object]:
    """The path the recorded request named each of its LoRAs at (None where a damaged record names none)."""
    request = record.get("request")
    loras = request.get("loras") if isinstance(request, dict) else None
    return (
        [lora.get("path") if isinstance(lora, dict) else None for lora in loras]
        if isinstance(loras, list)
        else []
    )


def _moved_here(then: Sequence[dict[str, Any]], path: Path, was: object) -> bool:
    """Whether ``path`` holds the LoRA the record's ``loras`` (``then``) hash at ``was``, the path the
    request entry was recorded at, gone from there: one ``moved_loras`` found by that hash for a request
    entry of no hash of its own (one file listed twice).

    Any gone entry's hash was taken: a hash-less entry for another file whose content matched it
    replayed unchecked without a word.
    """
    from reelgen.core.weights import sha256_file

    if not isinstance(was, str) or not was or Path(was).is_file():
        return False
    gone = {
        lora["sha256"] for lora in then if lora.get("path") == was and isinstance(lora.get("sha256"), str)
    }
    return bool(gone) and sha256_file(path) in gone


#: Said of a file at its recorded path whose content differs, and of one named elsewhere that is another file.
CHANGED = "has changed since the video was made"
NOT_THE_FILE = "is not the file the video was made from (its SHA-256 differs from the record's)"


#: Said of a LoRA or weights file whose hash the record lacks: it replays, but nothing says it is the same.
UNCHECKED = (
    "cannot be checked: the record holds no SHA-256 of it; replayed as it is now, so the frames may differ"
)


def _weights_problem(record: dict[str, Any], request: ResolvedRequest) -> tuple[str, str] | None:
    """Whether the ``--weights`` file or folder a video was made with is ``gone``, holds other weights now
    (``changed``) or cannot be checked (``unchecked``: the record holds no hashes of it), with its line.

    Unchecked, a checkpoint overwritten by a newer fine-tune replayed as "the same video" from
    other weights. The record holds every weight file's SHA-256 (``model.files``).
    """
    from reelgen.core.weights import WeightSource, weight_hashes

    if not request.weights:
        return None
    path = Path(request.weights)
    if not path.exists():
        return "gone", f"weights: {path} no longer exists"
    model = record.get("model")
    then = model.get("files") if isinstance(model, dict) else None
    if not isinstance(then, dict):
        return "unchecked", f"weights: {path} {UNCHECKED}"
    now = weight_hashes(WeightSource("diffusers" if path.is_dir() else "single_file", path))
    differ = sorted(name for name in then.keys() | now.keys() if then.get(name) != now.get(name))
    if not differ:
        return None
    where = "" if path.is_file() else f" ({', '.join(differ[:3])}{' ...' if len(differ) > 3 else ''})"
    return "changed", f"weights: {path} has changed since the video was made{where}"


def moved_here(
    record: dict[str, Any], request: ResolvedRequest, source: Path
) -> tuple[ResolvedRequest, list[str]]:
    """``request`` with each input and LoRA gone from its recorded path pointed at the same file moved with
    the video.

    A project folder, or a video with its inputs' folder, moved or copied elsewhere keeps its files' places
    relative to one another: the file is looked for under the folders above ``source`` by the last parts
    of its recorded path, and taken only with the recorded SHA-256. Returns a line for each one found.
    """
    recorded = recorded_inputs(record)
    found: dict[str, str] = {}
    for param, path in request.input_files():
        here = moved_file(Path(path), recorded.get(param, {}).get("sha256"), source)
        if here is not None:
            found[param] = str(here)
    said = [
        f"{param}: {path} no longer exists; using {found[param]}, the same file"
        for param, path in request.input_files()
        if param in found
    ]
    loras, moved = moved_loras(record.get("loras"), request.loras, source)
    request = request.with_input_files(found) if found else request
    return (request.model_copy(update={"loras": tuple(loras)}) if moved else request), said + moved


def moved_loras(applied: object, loras: Sequence[LoraSpec], source: Path) -> tuple[list[LoraSpec], list[str]]:
    """``loras`` with each one gone from its path pointed at the same file moved with ``source`` (by the
    SHA-256 ``applied``, a record's ``loras``, holds of it), and a line for each one found."""
    then = _entries(applied)
    found, said = [], []
    for i, lora in enumerate(loras):
        here = moved_file(Path(lora.path), recorded_entry(then, i, lora.path).get("sha256"), source)
        if here is not None:
            said.append(f"loras[{i}]: {lora.path} no longer exists; using {here}, the same file")
        found.append(lora.model_copy(update={"path": str(here)}) if here else lora)
    return found, said


def moved_file(recorded: Path, digest: object, source: Path) -> Path | None:
    """Where the file once at ``recorded`` is now, if it is gone from there and moved with ``source``:
    the first file by the last parts of its path under the folders above ``source`` with SHA-256 ``digest``."""
    from reelgen.core.weights import sha256_file

    if recorded.is_file() or not isinstance(digest, str):
        return None
    for candidate in _places(Path("/", recorded), source.resolve().parent):  # a bare name too
        if candidate.is_file() and sha256_file(candidate) == digest:
            return candidate
    return None


def _places(recorded: Path, folder: Path, depth: int = 3) -> list[Path]:
    """Where a file once at ``recorded`` may be now: its last 1..depth parts under ``folder`` and the
    ``depth`` folders above it, nearest first."""
    tails = [Path(*recorded.parts[-n:]) for n in range(1, min(depth, len(recorded.parts) - 1) + 1)]
    above = [folder, *folder.parents][: depth + 1]
    return [base / tail for base in above for tail in tails]
