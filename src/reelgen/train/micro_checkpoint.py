"""reelgen-micro training checkpoints: float16 weights, latent statistics, state and log, written atomically."""

from __future__ import annotations

import json
import time
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reelgen.core.atomic import check_writable, staged
from reelgen.core.backends.micro import build as mb
from reelgen.core.errors import InvalidRequest

if TYPE_CHECKING:
    from reelgen.train.micro_loop import Parts, TrainConfig


def atomic_write(path: Path, write: Any) -> None:
    """Call ``write`` on a hidden file beside ``path``, then rename it into place (core.atomic.staged).

    A failed write leaves no file; the written file keeps the mode the umask gives (``_umask_mode``).
    """
    with staged(path) as (tmp,):
        _umask_mode(tmp, write)


def _umask_mode(tmp: Path, write: Any) -> None:
    """Call ``write`` on the hidden file ``tmp``, keeping the mode it was made with (what the umask gives).

    safetensors makes its file anew as 0600, and the rename would keep that (a run on a shared machine
    could then be resumed or exported by no one else), so that mode is given back after the write.
    """
    mode = tmp.stat().st_mode & 0o777
    write(tmp)
    tmp.chmod(mode)


def save_checkpoint(parts: Parts, cfg: TrainConfig, transformer: Any, text_encoder: Any) -> None:
    """Write the (EMA) weights in float16 plus state and log JSON into ``cfg.out``, all five or none.

    They are staged together and renamed in one go: written one by one, a Ctrl-C, a kill or a full
    disk after the first left a checkpoint whose weights were of one step and state.json of another
    (after a resumed run's VAE phase, a new VAE with the old latent statistics).
    """
    import torch
    from safetensors.torch import save_file

    cfg.out.mkdir(parents=True, exist_ok=True)

    def half(module: Any) -> dict[str, Any]:
        return {k: v.detach().to("cpu", torch.float16).contiguous() for k, v in module.state_dict().items()}

    state = {
        "step": parts.step,
        "seconds": round(time.monotonic() - cfg.started, 1),
        "latents_mean": parts.mean.flatten().tolist() if parts.mean is not None else None,
        "latents_std": parts.std.flatten().tolist() if parts.std is not None else None,
        "vae_config": mb.VAE_CONFIG,
        "transformer_config": mb.TRANSFORMER_CONFIG,
        "text_config": mb.TEXT_CONFIG,
        "train_config": {k: str(v) if isinstance(v, Path) else v for k, v in asdict(cfg).items()},
    }
    writes: dict[str, Any] = {
        f"{name}.safetensors": lambda p, m=module: save_file(half(m), str(p))
        for name, module in (("transformer", transformer), ("text_encoder", text_encoder), ("vae", parts.vae))
    }
    writes["state.json"] = lambda p: p.write_text(json.dumps(state, indent=1))
    writes["log.json"] = lambda p: p.write_text(json.dumps(parts.log))
    with staged(*(cfg.out / name for name in writes)) as temps:
        for tmp, write in zip(temps, writes.values(), strict=True):
            _umask_mode(tmp, write)


def check_checkpoint(folder: Path, option: str = "--checkpoint") -> None:
    """Refuse a folder that holds no whole checkpoint, naming what is wrong (before a model is built, not
    after): a damaged file or state.json was an "internal error" from safetensors or json, a minute in."""
    wrote = "give a folder `reelgen train-micro train --out` wrote"
    if folder.is_file():
        raise InvalidRequest(f"{option} {folder} is a file; {wrote}", param=option.lstrip("-"))
    needed = [f"{name}.safetensors" for name in WEIGHTS] + ["state.json"]
    missing = [name for name in needed if not (folder / name).is_file()]
    if missing:
        raise InvalidRequest(
            f"{option} {folder} is not a reelgen-micro checkpoint (no {', '.join(missing)}); {wrote}",
            param=option.lstrip("-"),
        )
    problem = _damage(folder)
    if problem:
        raise InvalidRequest(f"{option} {folder} is damaged: {problem}; {wrote}", param=option.lstrip("-"))


def check_dest(dest: Path, checkpoint: Path) -> None:
    """Refuse, before any work, an export ``dest`` that is a file (or under one), a folder of other things
    or one holding ``checkpoint``: the export replaces the whole folder, and ``--dest runs`` deleted every
    checkpoint in it (a run kept inside an earlier export's folder went the same way)."""
    if dest.exists() and not dest.is_dir():
        raise InvalidRequest(f"--dest {dest} is a file; give the folder the model goes into", param="dest")
    if dest.is_dir() and dest.resolve() in (checkpoint.resolve(), *checkpoint.resolve().parents):
        raise InvalidRequest(
            f"--dest {dest} holds the checkpoint {checkpoint}, and export replaces the whole folder; give "
            "a folder outside it",
            param="dest",
        )
    if dest.is_dir() and any(dest.iterdir()) and not (dest / "model_index.json").is_file():
        raise InvalidRequest(
            f"--dest {dest} holds files but no diffusers model (no model_index.json), and export replaces "
            "the whole folder; give a new folder or one an export wrote",
            param="dest",
        )
    if not dest.exists():
        check_writable(dest, param="--dest")


#: The weight files of a checkpoint, each a module of ``Parts``.
WEIGHTS = ("transformer", "text_encoder", "vae")


def _damage(folder: Path) -> str:
    """What makes the checkpoint in ``folder`` unreadable (its state.json and the weights' headers), or ""."""
    from safetensors import safe_open

    for name in WEIGHTS:
        try:
            with safe_open(str(folder / f"{name}.safetensors"), "pt"):  # reads the header, checks the size
                pass
        except Exception as exc:  # safetensors raises its own error type, and OSError for unreadable files
            return (
                f"{name}.safetensors cannot be read as safetensors ({str(exc).strip() or type(exc).__name__})"
            )
    try:
        state = json.loads((folder / "state.json").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        return f"state.json is not readable JSON ({exc})"
    stats = [state.get(key) if isinstance(state, dict) else None for key in ("latents_mean", "latents_std")]
    if not all(isinstance(s, list) and len(s) == mb.Z_DIM and _numbers(s) for s in stats):
        return f"state.json lacks latents_mean and latents_std, {mb.Z_DIM} numbers each"
    # Export compares these with this reelgen's and names the step, a resume goes on counting from it:
    # without them it was a KeyError "internal error", for export once the model folder was written.
    step = state.get("step")
    if not isinstance(step, int) or isinstance(step, bool) or step < 0:
        return "state.json lacks the step it was written at (a whole number, 0 or more)"
    lacking = [key for key in CONFIGS if not isinstance(state.get(key), dict)]
    if lacking:
        return f"state.json lacks {' and '.join(lacking)} (the models' settings)"
    return ""


#: The models' settings a checkpoint's state.json holds, which export compares with this reelgen's.
CONFIGS = ("vae_config", "transformer_config")


def _numbers(values: list[Any]) -> bool:
    return all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)


def load_checkpoint(folder: Path, parts: Parts) -> dict[str, Any]:
    """Load weights and latent statistics saved by :func:`save_checkpoint` into ``parts``."""
    import torch
    from safetensors.torch import load_file

    check_checkpoint(folder)  # before loading any of them: a wrong folder is a mistake to name
    for name in WEIGHTS:
        weights = {k: v.float() for k, v in load_file(str(folder / f"{name}.safetensors")).items()}
        try:
            getattr(parts, name).load_state_dict(weights)
        except RuntimeError:  # its keys or shapes: another model's weights, or another layout of this one's
            raise InvalidRequest(
                f"{folder / f'{name}.safetensors'} does not fit this reelgen's reelgen-micro {name} "
                "(other layers or sizes); give a checkpoint a `reelgen train-micro train` of this version wrote",
                param="checkpoint",
            ) from None
    state: dict[str, Any] = json.loads((folder / "state.json").read_text())
    shape = (1, mb.Z_DIM, 1, 1, 1)
    parts.mean = torch.tensor(state["latents_mean"]).view(shape)
    parts.std = torch.tensor(state["latents_std"]).view(shape)
    return state


def previous_log(folder: Path) -> Any:
    """The checkpoint's log.json, carried into a resumed run's log; None if there is none or it is unreadable.

    The log is a record, not part of the model: read with the weights, a damaged one made export and
    resume fail with a JSONDecodeError "internal error" though the weights were whole.
    """
    path = folder / "log.json"
    if not path.is_file():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        print(f"{path} is not readable JSON ({exc}); this run's log.json starts without it", flush=True)
        return None
