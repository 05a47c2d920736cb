"""``python -m tests.core.prefork_probe FD``: reports how it was started on FD as one JSON line, then exits.

The exit status comes from ``PROBE_EXIT``; ``PROBE_WAIT=1`` keeps it running until FD closes.
"""

import json
import os
import sys

preloaded = "torch" in sys.modules  # before this module imports anything itself

import numpy  # noqa: E402
import torch  # noqa: E402

fd = int(sys.argv[1])
report = {
    "pid": os.getpid(),
    "name": __name__,
    "argv": sys.argv[1:],
    "cwd": os.getcwd(),
    "probe": os.environ.get("PROBE"),
    "gpus": os.environ.get("CUDA_VISIBLE_DEVICES"),
    "torch_preloaded": preloaded,
    "torch_threads": torch.get_num_threads(),
    "numpy_draw": float(numpy.random.random()),
}
os.write(fd, (json.dumps(report) + "\n").encode())
print(f"probe {report['probe']} on stdout", flush=True)
if os.environ.get("PROBE_WAIT") == "1":
    os.read(fd, 1)  # returns once the caller closes its end
sys.exit(int(os.environ.get("PROBE_EXIT", "0")))
