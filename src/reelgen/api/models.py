"""``GET /v1/models``: every model the registry knows, with its tasks, defaults and rules."""

from __future__ import annotations

from fastapi import APIRouter

from reelgen.api.errors import ApiError
from reelgen.api.schemas import ModelList, ModelObject
from reelgen.api.security import valid_id
from reelgen.core.spec import registry
from reelgen.core.spec.family import FamilySpec, Preset

router = APIRouter(prefix="/v1", tags=["models"])


def describe(spec: FamilySpec, preset: Preset) -> ModelObject:
    """A preset as the API shows it: what it does, what it defaults to, what it accepts."""
    return ModelObject(
        id=preset.name,
        owned_by=preset.repo_id.split("/")[0] if preset.repo_id else "reelgen",
        family=spec.family,
        description=preset.description,
        tasks=sorted(t.value for t in preset.tasks),
        defaults={
            "size": f"{preset.width}x{preset.height}",
            "num_frames": preset.num_frames,
            "fps": preset.fps,
            "seconds": round(preset.num_frames / preset.fps, 3),
            "num_inference_steps": preset.steps,
            "guidance_scale": preset.guidance,
            "guidance_scale_2": preset.guidance_2,
        },
        rules=spec.rules_for(preset).as_dict(),
        tiny=preset.tiny,
        supports_lora=spec.supports_lora,
        vram_gib=preset.vram_gib,
    )


@router.get("/models", response_model=ModelList, summary="List models and their capabilities")
def list_models() -> ModelList:
    presets = registry.presets()
    return ModelList(data=[describe(*presets[name]) for name in sorted(presets)])


@router.get("/models/{model_id}", response_model=ModelObject, summary="One model's capabilities")
def get_model(model_id: str) -> ModelObject:
    presets = registry.presets()
    if not valid_id(model_id.replace(".", "_")) or model_id not in presets:
        raise ApiError(404, f"no model {model_id!r}; GET /v1/models lists them", param="model_id")
    return describe(*presets[model_id])
