"""Shell completion: model names after -m (``reelgen generate -m lt<TAB>``), pull's names, families,
job states and download variants."""

from __future__ import annotations


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
    """What ``pull`` downloads: models with a Hugging Face repository, then rife and realesrgan.

    Tiny and bundled models are left out: pull refuses them ("nothing to pull").
    """
    from reelgen.core.enhance.weights import PACKAGED
    from reelgen.core.spec.registry import presets

    models = sorted(name for name, (_, p) in presets().items() if p.repo_id and not p.tiny)
    return [name for name in [*models, *PACKAGED] if name.startswith(incomplete)]


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
