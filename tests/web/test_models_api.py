"""What /v1/models tells the page: weights present or the pull command, memory need, values to offer."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from reelgen.api.app import create_app
from reelgen.api.settings import ApiSettings
from reelgen.core.spec import registry
from reelgen.jobs.settings import JobSettings


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    app = create_app(ApiSettings(jobs=JobSettings(data_dir=tmp_path / "server")), start_service=False)
    with TestClient(app) as c:
        yield c


def models(client: TestClient) -> dict[str, dict[str, Any]]:
    return {m["id"]: m for m in client.get("/v1/models").json()["data"]}


def test_weights_present_or_the_command_that_fetches_them(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    listed = models(client)
    whole = {"pull_command": None, "partial": False, "missing": [], "advice": None}
    assert listed["wan-tiny"]["weights"] == {"present": True, "origin": "tiny", **whole}
    assert listed["reelgen-micro"]["weights"] == {"present": True, "origin": "bundled", **whole}
    absent = listed["wan-1.3b"]["weights"]
    assert absent.pop("advice").startswith(
        "model 'wan-1.3b' (Wan-AI/Wan2.1-T2V-1.3B-Diffusers) has no weights"
    )
    assert absent == {
        "present": False,
        "origin": None,
        "pull_command": "reelgen pull wan-1.3b",
        "partial": False,
        "missing": [],
    }
    # A diffusers folder in the models dir (as `reelgen pull` or a copy leaves it) is found at once.
    folder = tmp_path / "models" / "wan-1.3b"
    folder.mkdir(parents=True)
    # A whole folder names its parts: "{}" alone is a copy with none of them (partial).
    (folder / "model_index.json").write_text(
        '{"scheduler": ["diffusers", "FlowMatchEulerDiscreteScheduler"]}'
    )
    (folder / "scheduler").mkdir()
    (folder / "scheduler" / "scheduler_config.json").write_text("{}")
    now = client.get("/v1/models/wan-1.3b").json()["weights"]
    assert now == {
        "present": True,
        "origin": "models-dir",
        "pull_command": "reelgen pull wan-1.3b",
        "partial": False,
        "missing": [],
        "advice": None,
    }


def test_every_offered_value_passes_the_models_rules(client: TestClient) -> None:
    from reelgen.core.spec.request import GenerationRequest
    from reelgen.core.spec.resolve import resolve

    for name, card in models(client).items():
        spec, preset = registry.resolve(name)
        rules = spec.rules_for(preset)
        choices = card["choices"]
        assert [c["size"] for c in choices["sizes"] if c["default"]] == [card["defaults"]["size"]], name
        for choice in choices["sizes"]:
            rules.check_size(*map(int, choice["size"].split("x")))
        for frames in choices["num_frames"]:
            rules.check_frames(frames)
        assert choices["num_frames"] == sorted(set(choices["num_frames"])) and len(choices["num_frames"]) >= 2
        assert card["defaults"]["num_frames"] in choices["num_frames"]
        assert card["defaults"]["fps"] in choices["fps"]
        vram = card["vram"]
        assert 0 <= vram["least_gib"] <= vram["full_gib"] and vram["weights_gib"] <= vram["full_gib"], name
    # A choice the page offers resolves as a request (the shortest clip at the widest size).
    micro = models(client)["reelgen-micro"]["choices"]
    w, h = micro["sizes"][-1]["size"].split("x")
    resolve(
        GenerationRequest(
            model="reelgen-micro", width=int(w), height=int(h), num_frames=micro["num_frames"][0]
        )
    )


def test_big_models_need_more_memory_than_small_ones(client: TestClient) -> None:
    listed = models(client)
    assert listed["wan-14b"]["vram"]["full_gib"] > listed["wan-1.3b"]["vram"]["full_gib"] > 10
    assert listed["wan-1.3b"]["vram"]["least_gib"] < listed["wan-1.3b"]["vram"]["full_gib"]
    aspects = [c["label"] for c in listed["wan-1.3b"]["choices"]["sizes"]]
    assert aspects[:3] == ["16:9", "9:16", "1:1"]


SCRIPT = """
import json, sys
from fastapi.testclient import TestClient
from reelgen.api.app import create_app
from reelgen.api.settings import ApiSettings
from reelgen.jobs.settings import JobSettings

app = create_app(ApiSettings(jobs=JobSettings(data_dir=sys.argv[1])), start_service=False)
with TestClient(app) as client:
    listed = client.get("/v1/models").json()["data"]
    pages = [client.get(p).status_code for p in ("/", "/docs", "/redoc", "/js/main.js")]
heavy = [m for m in ("torch", "diffusers", "transformers") if m in sys.modules]
print(json.dumps({"models": len(listed), "pages": pages, "heavy": heavy}))
"""


def test_listing_models_and_serving_the_page_import_no_torch(tmp_path: Path) -> None:
    """Finding weights (HF cache, models dir, bundled) and planning memory stay free of torch."""
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path / "server")],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["models"] > 10 and result["pages"] == [200, 200, 200, 200]
    assert result["heavy"] == []
