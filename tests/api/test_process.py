"""The API process stays free of torch and the model libraries while it serves requests."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = """
import json, sys
from fastapi.testclient import TestClient
from reelgen.api.app import create_app
from reelgen.api.settings import ApiSettings
from reelgen.jobs.settings import JobSettings

app = create_app(ApiSettings(jobs=JobSettings(data_dir=sys.argv[1])), start_service=False)
with TestClient(app) as client:
    codes = [
        client.post("/v1/videos", json={"prompt": "a fox", "model": "wan-tiny", "num_inference_steps": 3}).status_code,
        client.post("/v1/videos", json={"prompt": "a fox", "model": "wan-tiny", "num_frames": 10}).status_code,
        client.get("/v1/models").status_code,
        client.get("/v1/videos").status_code,
        client.get("/openapi.json").status_code,
    ]
heavy = [m for m in ("torch", "diffusers", "transformers", "accelerate") if m in sys.modules]
print(json.dumps({"codes": codes, "heavy": heavy}))
"""


def test_serving_requests_imports_no_torch(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path / "server")],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["codes"] == [202, 400, 200, 200, 200]
    assert result["heavy"] == []
