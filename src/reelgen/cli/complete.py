"""Shell completion: model names after -m (``reelgen generate -m lt<TAB>``), pull's names, families,
job states, download variants, interpolators and upscalers; and --install-completion / --show-completion for a shell named or found."""

from __future__ import annotations

import subprocess

import typer


def model_names(incomplete: str) -> list[str]:
    """The model names (and ``auto``) that start with what was typed, as ``generate`` takes."""
    from reelgen.core.spec.registry import presets
    from reelgen.core.spec.request import Task

    # A talking-head model is refused by generate (it needs `reelgen avatar`), so it is not offered.
    doing = sorted(name for name, (_, preset) in presets().items() if preset.tasks - {Task.AVATAR})
    return [name for name in ["auto", *doing] if name.startswith(incomplete)]


def _doing(task: str, incomplete: str) -> list[str]:
    from reelgen.core.spec.registry import presets

    doing = sorted(name for name, (_, preset) in presets().items() if task in preset.tasks)
    return [name for name in ["auto", *doing] if name.startswith(incomplete)]


def image_model_names(incomplete: str) -> list[str]:
    """The image-to-video model names (and ``auto``) that start with what was typed, as ``animate`` takes."""
    return _doing("i2v", incomplete)


def avatar_model_names(incomplete: str) -> list[str]:
    """The talking-head model names (and ``auto``) that start with what was typed, as ``avatar`` takes."""
    return _doing("avatar", incomplete)


def job_model_names(incomplete: str) -> list[str]:
    """The model names ``list --model`` filters on: every model, no ``auto`` (no job is of model auto)."""
    from reelgen.core.spec.registry import presets

    return sorted(name for name in presets() if name.startswith(incomplete))


def pull_names(incomplete: str) -> list[str]:
    """What ``pull`` takes: models with a Hugging Face repository, then rife and realesrgan; the
    tiny and built-in ones only when nothing else starts with what was typed.

    Pull takes those too (it says there is nothing to download, exit 0), but 20-odd tiny names
    would crowd ``pull <TAB>``; ``pull ltx-t<TAB>`` still completes ``ltx-tiny``.
    """
    from reelgen.core.enhance.weights import PACKAGED
    from reelgen.core.spec.registry import presets

    found = presets().items()
    fetched = sorted(name for name, (_, p) in found if p.repo_id and not p.tiny)
    offered = [name for name in [*fetched, *PACKAGED] if name.startswith(incomplete)]
    # A model neither tiny, built in nor on the Hub (a plugin's) is one pull cannot get: not offered.
    here = sorted(name for name, (_, p) in found if not p.repo_id and (p.tiny or p.bundled))
    return offered or [name for name in here if name.startswith(incomplete)]


def family_names(incomplete: str) -> list[str]:
    """The family ids ``models --family`` takes (ltx, wan ...), once each."""
    from reelgen.core.spec.registry import presets

    families = sorted({spec.family for spec, _ in presets().values()})
    return [family for family in families if family.startswith(incomplete)]


def job_states(incomplete: str) -> list[str]:
    """The states ``list --status`` takes, in the order a job goes through them."""
    from reelgen.jobs.records import JobStatus

    return [state.value for state in JobStatus if state.value.startswith(incomplete)]


def variants(incomplete: str) -> list[str]:
    """What ``download --variant`` fetches: video, thumbnail, spritesheet."""
    from reelgen.jobs.artifacts import SUFFIXES

    return [variant for variant in SUFFIXES if variant.startswith(incomplete)]


def interpolator_names(incomplete: str) -> list[str]:
    """What ``--interpolator`` takes: auto and each interpolation method installed (flow, rife)."""
    from reelgen.core.enhance.registry import enhancers

    methods = sorted(name for name, cls in enhancers().items() if cls.stage == "interpolate")
    return [name for name in ["auto", *methods] if name.startswith(incomplete)]


def upscaler_names(incomplete: str) -> list[str]:
    """What ``--upscaler`` takes by name: auto, esrgan, each upscaling method installed (lanczos) and
    the named Real-ESRGAN models. A checkpoint's path being typed (``./``, ``~/``, ``ckpt/``) is offered
    no names, none of which could start it."""
    from reelgen.core.enhance.registry import enhancers
    from reelgen.core.enhance.upscale.models import NAMED

    if "/" in incomplete or incomplete.startswith(("~", ".")):
        return []
    methods = sorted(name for name, cls in enhancers().items() if cls.stage == "upscale")
    names = dict.fromkeys(["auto", "esrgan", *methods, *NAMED])  # once each, in this order
    return [name for name in names if name.startswith(incomplete)]


#: The shells Typer writes a completion script for.
SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")
#: The top-level options that set completion up; each takes the shell's name after it, or finds it.
SETUP_FLAGS = {
    "--install-completion": "Install Tab completion for your shell, or for SHELL "
    "(bash, zsh, fish, powershell or pwsh) named after it.",
    "--show-completion": "Print the completion script for your shell, or for SHELL "
    "named after it, to copy it or customize the installation.",
}


def asks_setup(args: list[str]) -> bool:
    """Whether ``args`` (the words after ``reelgen``) ask for --install-completion or --show-completion."""
    return bool(args) and args[0].partition("=")[0] in SETUP_FLAGS


def set_up(args: list[str]) -> tuple[int, str]:
    """Install or show completion as ``args`` ask; returns the exit status and the error line ("" if none).

    Typer's options took no shell name: ``--show-completion zsh`` printed bash's script when run
    from bash, and from sh (a container's shell) they said only "Shell sh not supported." (exit 1).
    """
    from typer._completion_shared import _get_shell_name, get_completion_script, install

    flag, has_value, value = args[0].partition("=")
    named = [value] if has_value else args[1:]
    valid = ", ".join(SHELLS)
    if len(named) > 1:
        return 2, f"{flag} takes one shell name at most, got {' '.join(named)!r}; give one of {valid}"
    shell = named[0] if named else _get_shell_name()
    if shell not in SHELLS:
        if named:
            return 2, f"{flag}: {shell!r} is not a shell reelgen completes; give one of {valid}"
        found = f"your shell is {shell}, which reelgen cannot complete" if shell else "no shell was found"
        return 2, f"{flag}: {found}; name one: reelgen {flag} bash ({valid})"
    names = {"prog_name": "reelgen", "complete_var": "_REELGEN_COMPLETE"}
    if flag == "--show-completion":
        typer.echo(get_completion_script(shell=shell, **names))  # one write, as Typer's own
        return 0, ""
    try:
        _, path = install(shell=shell, **names)
    except FileNotFoundError as exc:  # PowerShell's profile is asked of the shell itself
        if exc.filename != shell:
            return 1, f"{flag}: could not install {shell} completion: {exc}"
        return 1, f"{flag}: {shell} is not installed here (not on PATH); install it, or name another shell"
    except (OSError, subprocess.CalledProcessError) as exc:  # a ~/.bashrc that cannot be written
        return 1, f"{flag}: could not install {shell} completion: {exc}"
    typer.echo(f"{shell} completion installed in {path}; it takes effect in a new terminal")
    return 0, ""
