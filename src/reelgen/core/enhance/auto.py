"""Turns the plain request fields (interpolate, target_fps, upscale, and the method names) into chain steps.

``auto`` takes the best method this machine can run: RIFE when its weights are
pulled, else optical flow; Real-ESRGAN (animevideov3) for x2/x3/x4 when its
models are pulled, else Lanczos. A method can be forced by name, and the
choice lands in the chain, so the video's record says what ran (with the
weights' hashes, from each stage's record).
"""

from __future__ import annotations

from pathlib import Path

from reelgen.core.enhance.names import canonical, near_hint
from reelgen.core.enhance.registry import enhancers
from reelgen.core.enhance.upscale.models import CHECKPOINT_SUFFIXES, NAMED, named_files
from reelgen.core.errors import InvalidRequest
from reelgen.core.rates import parse_rate
from reelgen.core.spec.request import EnhanceStep

#: Best first; ``auto`` takes the first whose ``missing()`` is None.
INTERPOLATORS = ("rife", "flow")
#: The Real-ESRGAN model ``auto`` upscales with, for the factors it makes, once its files are pulled.
AUTO_MODEL = "realesr-animevideov3"


def _of_stage(stage: str) -> list[str]:
    return sorted(name for name, cls in enhancers().items() if cls.stage == stage)


def _first_ready(names: tuple[str, ...]) -> str | None:
    known = enhancers()
    return next((n for n in names if n in known and known[n].missing() is None), None)


def named_missing(model: str, scale: int) -> str | None:
    """Why the named Real-ESRGAN ``model`` cannot upscale by ``scale`` here (its files for that scale
    are not pulled), or None when it can; a scale it does not make is ``check_scale``'s to refuse.

    Only that scale's files are asked for: every scale's were, so a machine holding the x4 files
    ran ``auto`` x4 with Lanczos, and a server refused a request it could run.
    """
    if scale not in NAMED[model].scales:
        return None
    try:
        named_files(model, scale)
    except InvalidRequest as exc:
        return exc.message
    return None


def interpolation_step(factor: int | None, target_fps: float | str | None, method: str | None) -> EnhanceStep:
    """The interpolation step for ``--interpolate N`` or ``--target-fps F`` with ``method`` (None: auto)."""
    methods = _of_stage("interpolate")
    name = canonical(method or "auto", ["auto", *methods])
    if name is None:
        raise InvalidRequest(
            f"interpolator {method!r} is not known; valid: auto, {', '.join(methods)}"
            + near_hint(str(method), methods),
            param="interpolator",
        )
    if name == "auto":
        name = _first_ready(INTERPOLATORS) or "flow"
    options: dict[str, object] = {}
    if factor is not None:
        options["factor"] = factor
    if target_fps is not None:
        # A number is written as the exact rate it stands for: 59.94005994... as 60000/1001, 60.0 as 60.
        try:
            exact = parse_rate(repr(target_fps)) if isinstance(target_fps, float) else target_fps
        except ValueError:  # a positive number too small to be a rate (1e-9 rounds to 0/1)
            raise InvalidRequest(
                f"target_fps {target_fps!r} is not a frame rate; give e.g. 60, 59.94 or 60000/1001",
                param="target_fps",
            ) from None
        options["target_fps"] = str(exact)
    return EnhanceStep(name=name, options=options)


def upscale_step(scale: float, method: str | None) -> EnhanceStep:
    """The upscaling step for ``--upscale S`` with ``method``: auto, a stage name, a model name or a checkpoint."""
    methods = _of_stage("upscale")
    given = method or "auto"
    # A known name in any spelling (RealESRGAN_x4plus, Lanczos) becomes reelgen's; else a path or unknown.
    name = canonical(given, ["auto", "esrgan", *methods, *NAMED]) or given
    whole = float(scale).is_integer()
    if name == "auto":
        made = whole and int(scale) in NAMED[AUTO_MODEL].scales  # x8 or x1.5: Lanczos
        if made and "esrgan" in enhancers() and named_missing(AUTO_MODEL, int(scale)) is None:
            return EnhanceStep(name="esrgan", options={"model": AUTO_MODEL, "scale": int(scale)})
        return EnhanceStep(name="lanczos", options={"scale": scale})
    if name == "lanczos":
        return EnhanceStep(name="lanczos", options={"scale": scale})
    model = None
    if name in NAMED:
        model = name
    elif name.lower().endswith(CHECKPOINT_SUFFIXES) or "/" in name:
        path = Path(name).expanduser().resolve()
        if path.is_dir():  # was "model '/home/me/models' is neither a known model nor a checkpoint file"
            raise InvalidRequest(
                f"upscaler {name}: {path} is a folder; give a checkpoint file in it "
                f"({', '.join(CHECKPOINT_SUFFIXES)}) or a named model ({', '.join(NAMED)})",
                param="upscaler",
            )
        model = str(path)
    elif name != "esrgan":
        if name in methods:
            return EnhanceStep(name=name, options={"scale": scale})
        raise InvalidRequest(
            f"upscaler {name!r} is not known; valid: auto, {', '.join(methods)}, "
            f"a model ({', '.join(NAMED)}) or a checkpoint file" + near_hint(name, [*methods, *NAMED]),
            param="upscaler",
        )
    if not whole:
        raise InvalidRequest(
            f"upscale {scale:g}: learned upscalers take whole factors (2, 3, 4); lanczos takes any",
            param="upscale",
        )
    options: dict[str, object] = {"scale": int(scale)}
    if model is not None:
        options["model"] = model
    return EnhanceStep(name="esrgan", options=options)
