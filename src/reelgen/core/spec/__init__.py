"""The model catalogue as pure data: families, presets, rules, requests, memory plans; never torch.

from reelgen.core import spec
spec.registry.presets()                       # every model
resolved = spec.resolve(spec.GenerationRequest(model="wan-tiny", prompt="a fox"))
"""

from reelgen.core.spec import registry
from reelgen.core.spec.family import FamilySpec, Preset
from reelgen.core.spec.memory import DeviceInfo, MemoryPlan, plan_memory
from reelgen.core.spec.request import (
    SEED_LIMIT,
    EnhanceStep,
    GenerationRequest,
    Keyframe,
    LoraSpec,
    NoOptions,
    ResolvedRequest,
    Task,
)
from reelgen.core.spec.resolve import resolve
from reelgen.core.spec.rules import SizeRules

__all__ = [
    "SEED_LIMIT",
    "DeviceInfo",
    "EnhanceStep",
    "FamilySpec",
    "GenerationRequest",
    "Keyframe",
    "LoraSpec",
    "MemoryPlan",
    "NoOptions",
    "Preset",
    "ResolvedRequest",
    "SizeRules",
    "Task",
    "plan_memory",
    "registry",
    "resolve",
]
