"""One run over several GPUs: one process per device behind the same ``render()`` call.

``render(request, output, gpus=N)`` (or ``render_parallel`` for its options) starts N
processes torchrun-style (NCCL on GPUs, gloo on the CPU), splits the denoiser's
attention with diffusers' context parallelism and, optionally, the two guidance
passes; rank 0 decodes, writes the video and a record that names every device used.
See docs/multi-gpu.md.
"""

from reelgen.core.parallel.env import MULTICAST_OFF, multicast_off
from reelgen.core.parallel.launch import check_devices, render_parallel
from reelgen.core.parallel.layout import FAMILIES, ParallelOptions

__all__ = [
    "FAMILIES",
    "MULTICAST_OFF",
    "ParallelOptions",
    "check_devices",
    "multicast_off",
    "render_parallel",
]
