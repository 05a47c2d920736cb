"""The Kandinsky 5 runner: ``Kandinsky5T2VPipeline`` or ``Kandinsky5I2VPipeline``, one task per checkpoint."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from reelgen.core.backends import plumbing
from reelgen.core.backends.base import DiffusersBackend
from reelgen.core.spec.request import ResolvedRequest, Task

if TYPE_CHECKING:
    from reelgen.core.weights import WeightSource


class Kandinsky5Runner(DiffusersBackend):
    """Kandinsky 5.0 Video: a 3D DiT over HunyuanVideo VAE latents, prompts through Qwen2.5-VL and CLIP."""

    pipelines: ClassVar[dict[Task, str]] = {
        Task.T2V: "Kandinsky5T2VPipeline",
        Task.I2V: "Kandinsky5I2VPipeline",
    }

    def from_pretrained(self, cls: Any, source: WeightSource, dtype: Any) -> Any:
        # The checkpoints' tokenizer is a Qwen2VLProcessor, which cannot be built without torchvision
        # (not a reelgen dependency) for its video half; prompts need only its tokenizer.
        from transformers import AutoTokenizer

        tokenizer = AutoTokenizer.from_pretrained(str(source.path / "tokenizer"), local_files_only=True)
        return cls.from_pretrained(str(source.path), tokenizer=tokenizer, dtype=dtype, local_files_only=True)

    def task_inputs(self, request: ResolvedRequest, pipe: Any) -> dict[str, Any]:
        return {"image": plumbing.start_image(request)} if request.task is Task.I2V else {}

    def preview(self, latents: Any) -> Any:
        # (B, F, H, W, C) with the visual condition and its mask appended after the C latent channels.
        channels = self.pipe.transformer.config.in_visual_dim
        return super().preview(latents[..., :channels].permute(0, 4, 1, 2, 3))
