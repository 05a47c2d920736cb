"""docs/adding-a-family.md kept true: a family in its own package, found and checked as the guide says."""

from __future__ import annotations

import logging
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from reelgen.core.errors import InvalidRequest
from reelgen.core.record import load_record, replay
from reelgen.core.render import render
from reelgen.core.spec import DeviceInfo, GenerationRequest, registry, resolve
from reelgen.core.weights import tiny_folder
from tests.core import fakes

#: A plugin package as the guide's "Outside this repository" part describes it: a spec with no torch, its
#: runner and tiny build named by ``module:attribute`` (never imported just to list or check a request).
PRESETS_PY = """
from pydantic import BaseModel, ConfigDict
from reelgen.core.errors import InvalidRequest
from reelgen.core.spec.family import FamilySpec, Preset
from reelgen.core.spec.request import Task
from reelgen.core.spec.rules import SizeRules

RULES = SizeRules(label="H8 Latte", multiple=16, min_frames=16, max_frames=16)

class Options(BaseModel):
    model_config = ConfigDict(extra="forbid")
    temporal: bool = True

def check(preset, request):
    if request.guidance_2 != request.guidance:
        raise InvalidRequest(f"guidance_2: {preset.name} has one transformer", param="guidance_2")

SPEC = FamilySpec(
    family="h8latte",
    label="H8 Latte",
    presets=(
        Preset(name="h8latte-tiny", family="h8latte", description="tiny", repo_id=None,
               tasks=frozenset({Task.T2V}), width=64, height=64, num_frames=16, fps=8.0, steps=2,
               guidance=7.5, parts_gib={"transformer": 0.001, "text_encoder": 0.001, "vae": 0.001}, tiny=True),
    ),
    rules=RULES,
    runner="h8_latte_plugin.runner:LatteRunner",
    tiny_builder="h8_latte_plugin.tiny:build_tiny_pipeline",
    check=check,
    options=Options,
    supports_lora=False,
)
"""

ENTRY_POINTS = """
[reelgen.backends]
h8latte = h8_latte_plugin.presets:SPEC
h8broken = h8_latte_plugin.missing:SPEC
"""


@pytest.fixture
def plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The plugin installed as pip leaves one (a package and its dist-info), on ``sys.path`` for this test."""
    package = tmp_path / "h8_latte_plugin"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "presets.py").write_text(textwrap.dedent(PRESETS_PY))
    info = tmp_path / "h8_latte_plugin-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: h8-latte-plugin\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(ENTRY_POINTS)
    monkeypatch.syspath_prepend(str(tmp_path))
    registry._discovered.cache_clear()
    yield
    registry._discovered.cache_clear()  # found again, without the plugin, on next use
    for name in [m for m in sys.modules if m.startswith("h8_latte_plugin")]:
        del sys.modules[name]


def test_a_plugin_family_is_listed_and_checked_from_its_entry_point(
    plugin: None, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="reelgen.core.spec.registry"):
        known = registry.presets()
    assert known["h8latte-tiny"][0].label == "H8 Latte"
    assert "wan-tiny" in known  # a broken plugin beside it takes nothing else down ...
    assert "h8broken" in caplog.text and "failed to load" in caplog.text  # ... and is named in a warning
    assert "h8_latte_plugin.runner" not in sys.modules  # listing imports no runner

    ok = resolve(GenerationRequest(model="h8latte-tiny", prompt="a fox", options={"temporal": False}))
    assert (ok.num_frames, ok.width, ok.model_dump()["options"]) == (16, 64, {"temporal": False})
    refusals = {
        "num_frames": {"num_frames": 17},
        "height": {"height": 70},
        "guidance_2": {"guidance_2": 3.0},
        "options": {"options": {"flow_shift": 3}},
    }
    said = {}
    for param, fields in refusals.items():
        with pytest.raises(InvalidRequest) as refused:
            resolve(GenerationRequest(model="h8latte-tiny", prompt="a fox", **fields))  # type: ignore[arg-type]
        said[param] = (refused.value.param or "", refused.value.message)
    assert said["num_frames"] == ("num_frames", "num_frames: 17 frames is outside 16..16 (H8 Latte)")
    assert said["height"][1] == "height 70 is not a multiple of 16 (H8 Latte); nearest valid: 64 or 80"
    assert said["guidance_2"] == ("guidance_2", "guidance_2: h8latte-tiny has one transformer")
    assert said["options"][0].startswith("options") and "flow_shift" in said["options"][1]


def test_every_installed_models_defaults_pass_its_own_rules() -> None:
    """Else ``generate -m it`` with no --frames is refused for a --frames nobody typed."""
    refused = {}
    for name, (spec, preset) in registry.presets().items():
        rules = spec.rules_for(preset)
        try:
            rules.check_size(preset.width, preset.height)
            rules.check_frames(preset.num_frames)
        except InvalidRequest as exc:
            refused[name] = exc.message
    assert refused == {}


def test_part_names_steer_the_plan_and_dims_only_feed_the_familys_own_estimate() -> None:
    """The guide: ``parts_gib`` keys are the pipeline's component names; the default estimate ignores ``dims``."""
    preset = replace(fakes.PRESET, parts_gib={"transformer": 2.0, "text_encoder": 9.0, "vae": 0.2})
    spec = replace(fakes.SPEC, presets=(preset,))
    registry.register(spec)
    try:
        request = resolve(GenerationRequest(model="fake-tiny", prompt="a fox"))
        card = DeviceInfo("cuda:0", "12 GiB card", 12.0, 12.0)
        assert spec.plan(preset, request, card, None).strategy == "text_offload"
        # Named otherwise, the text encoder is not one to the planner: no rung streams it.
        renamed = replace(preset, parts_gib={"transformer": 2.0, "t5": 9.0, "vae": 0.2})
        assert spec.plan(renamed, request, card, None).strategy != "text_offload"
        wider = replace(preset, dims=(4096, 16384))
        assert spec.plan(wider, request, card, None) == spec.plan(preset, request, card, None)
    finally:
        registry.unregister("fake")


def test_a_tiny_build_is_made_once_per_tiny_version() -> None:
    builds: list[Path] = []

    def build(preset: object, folder: Path) -> None:
        builds.append(folder)
        fakes.build_tiny(fakes.PRESET, folder)

    # A name of its own: fake-tiny's folder may be built already by another test in this data folder.
    preset = replace(fakes.PRESET, name="h8once-tiny")
    spec = replace(fakes.SPEC, tiny_builder=build, presets=(preset,))
    first = tiny_folder(spec, preset)
    assert first.name == "h8once-tiny-v1" and first.parent.name == "tiny"
    assert tiny_folder(spec, preset) == first and len(builds) == 1  # a changed builder is not rerun ...
    assert tiny_folder(replace(spec, tiny_version=2), preset).name == "h8once-tiny-v2"  # ... until bumped
    assert len(builds) == 2


def test_a_familys_video_records_its_family_and_replays_only_while_installed(tmp_path: Path) -> None:
    preset = replace(fakes.PRESET, name="h8fam-tiny", family="h8fam")
    registry.register(replace(fakes.SPEC, family="h8fam", label="H8 family", presets=(preset,)))
    try:
        made = render(
            resolve(GenerationRequest(model="h8fam-tiny", prompt="a fox", seed=3)), tmp_path / "a.mp4"
        )
        assert load_record(made.sidecar)["model"]["family"] == "h8fam"
        again = replay(made.path, tmp_path / "b.mp4")
        assert np.array_equal(again.video.frames, made.video.frames)
    finally:
        registry.unregister("h8fam")
    with pytest.raises(InvalidRequest) as refused:
        replay(made.path, tmp_path / "c.mp4")
    assert "'h8fam-tiny'" in refused.value.message and not (tmp_path / "c.mp4").exists()


def test_a_plugin_taking_a_name_already_taken_is_skipped_with_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A plugin family or model named as a built-in one replaced it, or lost to it, silently, by install order."""
    package = tmp_path / "h8_clash_plugin"
    package.mkdir()
    (package / "__init__.py").write_text(
        "from dataclasses import replace\n"
        "from reelgen.core.backends.wan import SPEC as WAN\n"
        "SAME_FAMILY = replace(WAN, label='Impostor')\n"
        "SAME_MODELS = replace(WAN, family='h8clash', label='Impostor')\n"
    )
    info = tmp_path / "aaa_h8_clash_plugin-0.1.dist-info"  # sorts before reelgen's own, as pip may list it
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: aaa-h8-clash-plugin\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(
        "[reelgen.backends]\naaa = h8_clash_plugin:SAME_FAMILY\naab = h8_clash_plugin:SAME_MODELS\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    registry._discovered.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger="reelgen.core.spec.registry"):
            families = registry.families()
        assert families["wan"].label != "Impostor" and "h8clash" not in families
        assert registry.presets()["wan-tiny"][0].label != "Impostor"
        assert "backend plugin 'aaa' (h8_clash_plugin:SAME_FAMILY) skipped: family wan (" in caplog.text
        assert "backend plugin 'aab' (h8_clash_plugin:SAME_MODELS) skipped: model " in caplog.text
    finally:
        registry._discovered.cache_clear()
        sys.modules.pop("h8_clash_plugin", None)
