"""``python -m benchmarks.prefork_cuda_child FD``: one CUDA job's start, timed, for ``gpu_prefork.py``.

Reports on FD (JSON): when torch was importable, when the first CUDA result was back (both as seconds
since the epoch), whether torch came preloaded, and whether a matrix product and a compiled function
on the GPU agree with the CPU.
"""

import json
import os
import sys
import time

preloaded = "torch" in sys.modules
import torch  # noqa: E402

imported = time.time()
a = torch.randn(512, 512, generator=torch.Generator().manual_seed(0))
on_gpu = (a.cuda() @ a.cuda()).cpu()
first_result = time.time()
product_ok = bool(torch.allclose(on_gpu, a @ a, rtol=1e-3, atol=1e-2))
compiled_ok = None
if os.environ.get("PROBE_COMPILE") == "1":
    f = torch.compile(lambda x: torch.nn.functional.gelu(x) * 2 + 1)
    compiled_ok = bool(torch.allclose(f(a.cuda()).cpu(), torch.nn.functional.gelu(a) * 2 + 1, atol=1e-3))
os.write(
    int(sys.argv[1]),
    json.dumps(
        {
            "pid": os.getpid(),
            "preloaded": preloaded,
            "imported": imported,
            "first_result": first_result,
            "device": torch.cuda.get_device_name(0),
            "visible": os.environ.get("CUDA_VISIBLE_DEVICES"),
            "product_ok": product_ok,
            "compiled_ok": compiled_ok,
        }
    ).encode(),
)
