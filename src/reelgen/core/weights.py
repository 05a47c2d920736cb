"""Finds a model's weights on this machine (HF cache, local folder, single file, tiny build) and pulls them."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from fnmatch import fnmatch
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from reelgen.core import settings
from reelgen.core.errors import InvalidRequest, ModelNotAvailable, WeightsNotHere
from reelgen.core.weight_hashes import known_sha256 as known_sha256
from reelgen.core.weight_hashes import sha256_file as sha256_file
from reelgen.core.weight_hashes import weight_hashes
from reelgen.core.weight_parts import WEIGHT_SUFFIXES, missing_parts

if TYPE_CHECKING:
    from reelgen.core.spec.family import FamilySpec, Preset


@dataclass
class WeightSource:
    """Where a model's weights were found.

    ``diffusers``: ``path`` is a diffusers folder (model_index.json).
    ``single_file``: ``path`` is one checkpoint file; ``base`` (if any) is a
    diffusers folder supplying configs and the parts the file lacks.
    """

    kind: Literal["diffusers", "single_file"]
    path: Path
    repo_id: str | None = None
    revision: str | None = None
    base: Path | None = None
    origin: str = ""  # "hf-cache", "local", "models-dir", "tiny"
    hashes: dict[str, str] = field(default_factory=dict)

    def record(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "origin": self.origin,
            "path": str(self.path),
            "repo_id": self.repo_id,
            "revision": self.revision,
            "base": str(self.base) if self.base else None,
            "files": self.hashes or weight_hashes(self),
        }


def cached_snapshot(repo_id: str, revision: str | None) -> Path | None:
    """``repo_id``'s snapshot folder in the Hugging Face cache, whole or part-pulled; None when it is not there."""
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import IncompleteSnapshotError, LocalEntryNotFoundError

    try:
        return Path(
            snapshot_download(
                repo_id, revision=revision, local_files_only=True, cache_dir=settings.hf_cache_dir()
            )
        )
    except IncompleteSnapshotError as exc:
        # A pull stopped part-way, its file list kept: the folder is still the model's, checked part by
        # part by the caller (`reelgen models` said "no" of a model half there, not "partial").
        path = getattr(exc, "snapshot_path", None)
        return Path(path) if path else None
    except (LocalEntryNotFoundError, FileNotFoundError, OSError, ValueError):
        return None


def _revision_of(snapshot: Path) -> str:
    return snapshot.name  # HF cache snapshots are named by commit hash


def locate(spec: FamilySpec, preset: Preset, weights: str | None = None) -> WeightSource:
    """Find ``preset``'s weights; ``weights`` (a folder or file) overrides the search.

    Order: explicit path, tiny build, ``REELGEN_MODELS_DIR/<name>``, weights shipped in the
    package (``preset.bundled``), the HF cache.
    """
    if weights:
        return _explicit(spec, preset, Path(weights).expanduser())
    if preset.tiny:
        return WeightSource("diffusers", tiny_folder(spec, preset), origin="tiny")
    local = settings.models_dir() / preset.name
    if (local / "model_index.json").is_file():
        finish = partial(_finish_copy, preset, local)
        _check_whole(preset, local, f"copied into {local}", finish, "models-dir", copied=True)
        # "{}" was found as models-dir: `reelgen models` called it ready, and the load failed after the plan.
        if not _names_parts(local):
            fix = _finish_copy(preset, local)
            raise PartlyDownloaded(
                f"model {preset.name!r} is only partly copied into {local} (missing: every part: its "
                f"model_index.json names none, so there is nothing to load); {fix}",
                origin="models-dir",
                missing=["every part"],
                fix=fix,
            )
        return WeightSource("diffusers", local, preset.repo_id, origin="models-dir")
    if preset.bundled:
        return WeightSource("diffusers", bundled_folder(preset), origin="bundled")
    if preset.repo_id:
        snap = cached_snapshot(preset.repo_id, preset.revision)
        if snap is not None:
            _check_whole(
                preset,
                snap,
                f"downloaded into the Hugging Face cache at {settings.hf_cache_dir()}",
                lambda: f"run `reelgen pull {preset.name}` again to finish it",
                "hf-cache",
            )
            # The repos it borrows parts from (FramePack's text encoders and VAE, AnimateDiff's motion
            # adapter): without them `reelgen models` said hf-cache and the load failed after the plan.
            lacking = [repo for repo in preset.companions if cached_snapshot(repo, None) is None]
            if lacking:
                fix = (
                    f"run `reelgen pull {preset.name}` again to fetch {'it' if len(lacking) == 1 else 'them'}"
                )
                raise PartlyDownloaded(
                    f"model {preset.name!r} also loads parts from {', '.join(lacking)}, which "
                    f"{'is' if len(lacking) == 1 else 'are'} not in the Hugging Face cache at "
                    f"{settings.hf_cache_dir()}; {fix}",
                    origin="hf-cache",
                    missing=lacking,
                    fix=fix,
                )
            _check_companions_whole(preset)
            return WeightSource("diffusers", snap, preset.repo_id, _revision_of(snap), origin="hf-cache")
    # Reached from generate, animate, avatar, batch, the API ...: only a command with --weights says
    # it takes a path (cli.typed.weights_hint); naming generate's option sent avatar users to one that
    # cannot load a lip-sync model at all.
    if not preset.repo_id:  # a plugin's model with no repository: "(None)", and a pull that has nothing to do
        raise WeightsNotHere(
            f"model {preset.name!r} has no weights on this machine and no Hugging Face repository to pull them "
            f"from. Looked in: {local}{_not_a_model_folder(local)}; copy its diffusers folder there",
            param="model",
        )
    raise WeightsNotHere(
        f"model {preset.name!r} ({preset.repo_id}) has no weights on this machine. Looked in: "
        f"{local}{_not_a_model_folder(local)} and the Hugging Face cache at {settings.hf_cache_dir()}. "
        f"Fetch it with: reelgen pull {preset.name}",
        param="model",
    )


def _names_parts(folder: Path) -> bool:
    """Whether ``folder``'s model_index.json names a part (``"vae": ["diffusers", "AutoencoderKL"]``);
    one unreadable is said by ``missing_parts``, so it counts as naming them here."""
    try:
        index = json.loads((folder / "model_index.json").read_text())
    except (OSError, ValueError):
        return True
    return isinstance(index, dict) and any(
        not name.startswith("_") and isinstance(entry, list) and None not in entry
        for name, entry in index.items()
    )


def _check_companions_whole(preset: Preset, fix: str = "") -> None:
    """Refuse a borrowed repo whose pull stopped part-way, leaving out what its pull skips on purpose
    (HunyuanVideo's transformer, for FramePack); one not there at all is said by the caller."""
    for repo, skip in preset.companions.items():
        snap = cached_snapshot(repo, None)
        lost = [m for m in missing_parts(snap) if not any(fnmatch(f"{m}/", p) for p in skip)] if snap else []
        if lost:
            fix = fix or f"run `reelgen pull {preset.name}` again to finish it"
            raise PartlyDownloaded(
                f"model {preset.name!r} also loads parts from {repo}, which is only partly downloaded into "
                f"the Hugging Face cache at {settings.hf_cache_dir()} (missing: {', '.join(lost)}); {fix}",
                origin="hf-cache",
                missing=lost,
                fix=fix,
            )


def _not_a_model_folder(local: Path) -> str:
    """Why something at a model's place in the models folder was passed over, or "" when nothing is there.

    A checkpoint file or a part folder copied there was passed over in silence: "Looked in: PATH" named a
    place that plainly held the model's files.
    """
    if local.is_dir() and any(local.iterdir()):
        return (
            " (there, but with no model_index.json: it must be the model's whole diffusers folder, as "
            "`save_pretrained` writes it)"
        )
    return (
        " (a file: the model's diffusers folder goes there)" if local.exists() and not local.is_dir() else ""
    )


class PartlyDownloaded(ModelNotAvailable):
    """A model's folder is there but lacks parts: a download (or copy) that stopped part-way.

    ``origin`` is where the part lies (``models-dir``: copied by hand; ``hf-cache``: pulled), ``missing``
    what it lacks and ``fix`` what finishes it, in a clause: a pull does not finish a copied folder.
    """

    def __init__(self, message: str, *, origin: str, missing: list[str], fix: str) -> None:
        super().__init__(message, param="model")
        self.origin, self.missing, self.fix = origin, missing, fix


def _check_whole(
    preset: Preset, folder: Path, how: str, finish: Callable[[], str], origin: str, copied: bool = False
) -> None:
    """Refuse a folder missing some of its parts, naming them; else it counted as the model's weights.

    A `reelgen pull` stopped part-way leaves a snapshot with the small files only: `reelgen models`
    called it cached, `generate` with no model picked it, and the load failed after the plan.
    """
    missing = missing_parts(folder, copied=copied)
    if missing:
        fix = finish()  # only then: what finishes a copy may look in the cache too
        raise PartlyDownloaded(
            f"model {preset.name!r} is only partly {how} (missing: {', '.join(missing)}); {fix}",
            origin=origin,
            missing=missing,
            fix=fix,
        )


def _finish_copy(preset: Preset, local: Path) -> str:
    """What finishes a folder copied by hand into the models folder, which is looked in before the cache.

    "Run `reelgen pull`" did not: the pull went into the Hugging Face cache, and the part copy,
    looked in first, was still refused.
    """
    whole = preset.repo_id and cached_snapshot(preset.repo_id, preset.revision)
    copy = f"copy the rest of {local} from where it came"
    if preset.bundled:  # the copy stood before a whole one that ships with reelgen, unsaid
        return f"{copy}, or remove that folder to use the one inside the reelgen package"
    if whole and not missing_parts(whole):
        return f"{copy}, or remove that folder to use the whole copy in the Hugging Face cache"
    return f"{copy}, or remove that folder and run `reelgen pull {preset.name}`" if preset.repo_id else copy


def _explicit(spec: FamilySpec, preset: Preset, path: Path) -> WeightSource:
    if path.is_dir():
        if not (path / "model_index.json").is_file():
            raise InvalidRequest(
                f"weights folder {path} has no model_index.json; give a diffusers folder "
                "(as `save_pretrained` writes it) or a single checkpoint file",
                param="weights",
            )
        # Of this model's own pipeline only: another's folder is said by the load ("it holds a WanPipeline").
        ours = pipeline_named(path) in getattr(spec.runner_class(), "pipelines", {}).values()
        missing = missing_parts(path, copied=True) if ours else []
        if missing:  # diffusers named another file ("no file named config.json in FOLDER"), after the plan
            raise InvalidRequest(
                f"weights folder {path} lacks parts of the model (missing: {', '.join(missing)}); copy the "
                "rest of it, or give the model's whole diffusers folder",
                param="weights",
            )
        return WeightSource("diffusers", path, preset.repo_id, origin="local")
    if path.is_file():
        if path.suffix.lower() not in WEIGHT_SUFFIXES:
            raise InvalidRequest(
                f"weights file {path} is not a checkpoint; valid suffixes: {', '.join(WEIGHT_SUFFIXES)}",
                param="weights",
            )
        if getattr(spec.runner_class(), "single_file_class", None):  # others say they take folders only
            _check_checkpoint_file(path)
        # A tiny model's other parts are its own build here: looking only in the HF cache sent a
        # wan-tiny checkpoint to `reelgen pull wan-tiny`, which has nothing to pull.
        if preset.tiny:
            base: Path | None = tiny_folder(spec, preset)
        else:
            base = cached_snapshot(preset.repo_id, preset.revision) if preset.repo_id else None
        return WeightSource("single_file", path, preset.repo_id, base=base, origin="local")
    if path.exists():  # /dev/zero or a FIFO was said "does not exist", though it is right there
        raise InvalidRequest(
            f"weights path {path} is not a regular file (a pipe, socket or device); give a diffusers "
            "folder or a checkpoint file",
            param="weights",
        )
    raise InvalidRequest(
        f"weights path {path} does not exist; give a diffusers folder or a checkpoint file "
        f"({', '.join(WEIGHT_SUFFIXES)})",
        param="weights",
    )


def _check_checkpoint_file(path: Path) -> None:
    """Refuse, from its header alone, a safetensors checkpoint cut short or that is a LoRA.

    Found while loading, both read as a model mismatch ("not a ... checkpoint matching ..."):
    a download that stopped part-way sent people looking for another model, and a LoRA
    given as ``--weights`` was not said to be one.
    """
    from reelgen.core import safetensors_file

    if path.suffix.lower() not in (".safetensors", ".sft"):
        return  # other formats are known only to their loaders
    try:
        header = safetensors_file.check_whole(path)
    except OSError as exc:
        raise InvalidRequest(
            f"weights file {path} cannot be read ({exc.strerror or exc})", param="weights"
        ) from None
    except safetensors_file.NotSafetensors as exc:
        raise InvalidRequest(f"weights file {path} {exc}", param="weights") from None
    names = list(safetensors_file.tensors(header))
    if names and all("lora" in name.lower() or name.endswith(".alpha") for name in names):
        raise InvalidRequest(
            f"weights file {path} is a LoRA (every layer in it is a LoRA's), not a model checkpoint; "
            "give it with --lora PATH[:STRENGTH] and leave --weights out",
            param="weights",
        )


def bundled_folder(preset: Preset) -> Path:
    """The diffusers folder ``preset.bundled`` inside the installed reelgen package."""
    from importlib.resources import files

    folder = Path(str(files("reelgen") / (preset.bundled or "")))
    if not (folder / "model_index.json").is_file():
        raise ModelNotAvailable(
            f"model {preset.name!r} ships inside reelgen, but {folder} has no model_index.json; "
            "reinstall reelgen (pip install --force-reinstall reelgen)",
            param="model",
        )
    return folder


def tiny_folder(spec: FamilySpec, preset: Preset) -> Path:
    """The tiny build of ``preset``, written once (atomically) under the reelgen home."""
    folder = settings.home() / "tiny" / f"{preset.name}-v{spec.tiny_version}"
    if (folder / "model_index.json").is_file() or (folder / "config.json").is_file():
        return folder
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{preset.name}-", dir=folder.parent))
    try:
        if (
            spec.runner_class().uses_hub_libraries
        ):  # a numpy-only family's build has no bars (nor torch) to load
            from reelgen.core.backends.plumbing import silence_library_bars

            silence_library_bars()
        spec.build_tiny(preset, tmp)
        try:
            os.replace(tmp, folder)
        except OSError:  # another process finished first; theirs is identical
            shutil.rmtree(tmp, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return folder


def pull(preset: Preset) -> Path:
    """Download ``preset`` (and its companion repos) into the HF cache; returns the main snapshot."""
    from huggingface_hub import snapshot_download

    if not (preset.tiny or preset.repo_id or preset.bundled):  # a plugin's: said "built locally", it was not
        raise InvalidRequest(
            f"model {preset.name!r} has no Hugging Face repository, so there is nothing to pull; copy its "
            f"diffusers folder to {settings.models_dir() / preset.name}",
            param="model",
        )
    if preset.tiny or not preset.repo_id:
        where = "ships inside the reelgen package" if preset.bundled else "is built locally"
        raise InvalidRequest(f"model {preset.name!r} {where}; there is nothing to pull", param="model")
    from reelgen.core.download_bars import DownloadBars

    cache = settings.hf_cache_dir()
    for repo, skip in preset.companions.items():
        snapshot_download(repo, cache_dir=cache, ignore_patterns=list(skip) or None, tqdm_class=DownloadBars)
    snapshot = Path(
        snapshot_download(preset.repo_id, revision=preset.revision, cache_dir=cache, tqdm_class=DownloadBars)
    )
    # Out of the Hub's reach (or with HF_HUB_OFFLINE set) huggingface_hub answers the snapshot already in
    # the cache, whatever it holds: a pull stopped part-way was printed as done, and generate refused it.
    if snapshot.is_dir():
        got_no_more = "nothing more could be downloaded"
        _check_whole(
            preset,
            snapshot,
            f"downloaded into the Hugging Face cache at {cache}",
            lambda: got_no_more,
            "hf-cache",
        )
        _check_companions_whole(preset, got_no_more)
    return snapshot


def pipeline_named(folder: Path) -> str | None:
    """The pipeline class a diffusers folder's model_index.json names, or None when it names none."""
    try:
        named = json.loads((folder / "model_index.json").read_text()).get("_class_name")
    except (OSError, ValueError, AttributeError):
        return None
    return named if isinstance(named, str) else None
