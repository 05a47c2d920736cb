"""Storyboard projects on tiny models and reelgen-micro: render once, re-render only what changed, export often."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest
import yaml
from PIL import Image

from reelgen.core.cache import ModelCache
from reelgen.core.errors import InvalidRequest
from reelgen.core.media import probe, read_video
from reelgen.core.project import (
    ProjectFolder,
    ScenePlan,
    SceneStatus,
    export_project,
    plan_project,
    project_schema,
    render_project,
    status,
)

TINY = {"model": "wan-tiny", "width": 48, "height": 32, "seed": 3}


def make(folder: Path, scenes: list[dict[str, Any]], **extra: Any) -> ProjectFolder:
    """A project folder holding ``scenes`` (wan-tiny at 48x32 unless ``defaults`` say otherwise)."""
    folder.mkdir(parents=True, exist_ok=True)
    data = {"title": "Test film", "defaults": TINY, "scenes": scenes, **extra}
    (folder / "project.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    return ProjectFolder.find(folder)


def edit(folder: ProjectFolder, change: Any) -> None:
    data = yaml.safe_load(folder.file.read_text())
    change(data)
    folder.file.write_text(yaml.safe_dump(data, sort_keys=False))


def music(path: Path, seconds: float) -> Path:
    rate = 44100
    wave = (0.3 * np.sin(2 * np.pi * 330 * np.arange(round(seconds * rate)) / rate) * 32767).astype(np.int16)
    with av.open(str(path), "w") as container:
        stream = container.add_stream("pcm_s16le", rate=rate, layout="mono")
        frame = av.AudioFrame.from_ndarray(wave[None], format="s16", layout="mono")
        frame.sample_rate = rate
        for packet in [*stream.encode(frame), *stream.encode(None)]:
            container.mux(packet)
    return path


def picture(path: Path, shift: int = 0) -> Path:
    ramp = np.linspace(0, 255, 48, dtype=np.uint8)
    image = np.stack(
        [np.tile(ramp, (32, 1)), np.tile(ramp[:32, None], (1, 48)), np.full((32, 48), 90 + shift)], -1
    )
    Image.fromarray(image.astype(np.uint8)).save(path)
    return path


THREE = [
    {"id": "a", "prompt": "a red circle", "duration": 1.0, "transition": {"type": "fade", "duration": 0.5}},
    {
        "id": "b",
        "prompt": "a green square",
        "duration": 1.0,
        "transition": {"type": "dissolve", "duration": 0.5},
    },
    {"id": "c", "prompt": "a blue star", "duration": 1.0},
]


@pytest.fixture(scope="module")
def cache() -> Iterator[ModelCache]:
    models = ModelCache(max_models=2)
    yield models
    models.free()


@pytest.fixture(scope="module")
def three_rendered(tmp_path_factory: pytest.TempPathFactory, cache: ModelCache) -> Path:
    """The three-scene wan-tiny project, rendered once for the module; tests get copies to change."""
    folder = make(tmp_path_factory.mktemp("three") / "film", THREE)
    render_project(folder, cache=cache)
    return folder.root


@pytest.fixture
def three(three_rendered: Path, tmp_path: Path) -> ProjectFolder:
    """A copy of the rendered three-scene project (clips, records, timestamps), this test's to change."""
    shutil.copytree(three_rendered, tmp_path / "film")
    return ProjectFolder.find(tmp_path / "film")


def _mtimes(folder: ProjectFolder) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in folder.clips.glob("*.mp4")}


# ---- render once, export often ---------------------------------------------------------------------


def test_three_scenes_with_half_second_fades_export_to_their_sum_minus_the_overlaps(
    tmp_path: Path, cache: ModelCache
) -> None:
    defaults = {"model": "reelgen-micro", "width": 32, "height": 32, "steps": 2, "seed": 1}
    scenes = [
        {"prompt": "a red circle moves to the right over a green background", "duration": 1.0},
        {"prompt": "a yellow square slides to the left against a blue background", "duration": 1.5},
        {"prompt": "a white star moves up over a black background", "duration": 1.0},
    ]
    for scene in scenes:
        scene["transition"] = {"type": "fade", "duration": 0.5}
    song = music(tmp_path / "song.wav", 10.0)
    folder = make(tmp_path / "film", scenes, defaults=defaults, soundtrack={"file": str(song)})
    render_project(folder, cache=cache)
    result = export_project(folder)
    # reelgen-micro runs at 12 fps: 12 + 18 + 12 frames, two 6-frame overlaps (the last fade ends the film).
    assert result.frames == 42 - 12 and result.seconds == pytest.approx(3.5 - 1.0)
    with av.open(str(result.path)) as container:
        video, audio = container.streams.video, container.streams.audio
        assert len(video) == 1 and len(audio) == 1
        assert float(video[0].duration * video[0].time_base) == pytest.approx(2.5, abs=1e-6)
        assert float(audio[0].duration * audio[0].time_base) == pytest.approx(2.5, abs=0.03)
    assert read_video(result.path).frames[:10].std() > 5  # real pictures, not black


def test_changing_one_prompt_renders_only_that_scene(three: ProjectFolder, cache: ModelCache) -> None:
    before = _mtimes(three)
    edit(three, lambda d: d["scenes"][1].update(prompt="a purple square"))
    assert [s.status for s in status(three)] == [
        SceneStatus.RENDERED,
        SceneStatus.STALE,
        SceneStatus.RENDERED,
    ]
    result = render_project(three, cache=cache)
    assert [r.scene_id for r in result.rendered] == ["b"] and result.current == ["a", "c"]
    after = _mtimes(three)
    unchanged = {name for name in before if after.get(name) == before[name]}
    assert len(unchanged) == 2 and len(after) == 3  # a and c untouched; b's old clip replaced
    assert all(s.status is SceneStatus.RENDERED for s in status(three))


def test_changing_only_export_settings_or_transitions_renders_nothing(
    three: ProjectFolder, cache: ModelCache
) -> None:
    first = export_project(three)
    before = _mtimes(three)

    def restyle(data: dict[str, Any]) -> None:
        data["export"] = {"container": "webm", "codec": "vp9", "width": 64, "height": 48, "fps": 12}
        data["scenes"][0]["transition"] = {"type": "wipe_left", "duration": 0.25}

    edit(three, restyle)
    assert render_project(three, cache=cache).rendered == []
    again = export_project(three)
    assert _mtimes(three) == before
    assert again.path.suffix == ".webm" and probe(again.path)["codec"] == "vp9"
    assert again.frames == round((3.0 - 0.25 - 0.5) * 12)
    assert first.path.is_file()  # the earlier mp4 export is still there


def test_status_tells_rendered_stale_missing_and_cards(three: ProjectFolder) -> None:
    def change(data: dict[str, Any]) -> None:
        data["scenes"][2]["duration"] = 0.75
        data["scenes"].append({"id": "d", "prompt": "a cat", "duration": 1.0})
        data["scenes"].insert(0, {"id": "title", "title_card": {"text": "Hello"}, "duration": 1.0})

    edit(three, change)
    states = {s.scene_id: s.status for s in status(three)}
    assert states == {
        "title": SceneStatus.CARD,
        "a": SceneStatus.RENDERED,  # moving a scene does not make it stale
        "b": SceneStatus.RENDERED,
        "c": SceneStatus.STALE,
        "d": SceneStatus.MISSING,
    }


def test_export_refuses_scenes_not_rendered_as_they_read(three: ProjectFolder) -> None:
    edit(three, lambda d: d["scenes"][0].update(prompt="something else"))
    with pytest.raises(InvalidRequest) as refused:
        export_project(three)
    assert str(refused.value) == (
        "scene 'a' (scenes[0]) is not rendered as it now reads (changed since its last render); render it first "
        "(`reelgen project render`, or POST /v1/projects/{id}/render), or export its last render with "
        "allow_stale (--allow-stale on the command line)"
    )
    assert export_project(three, allow_stale=True).frames == 24 - 8


def test_a_deleted_clip_is_missing_and_export_does_not_offer_allow_stale_for_it(three: ProjectFolder) -> None:
    """Deleting a clip changes nothing in the scene: it is missing (not stale), and only a render brings it back."""
    (key,) = [s.key for s in status(three) if s.scene_id == "b"]
    assert key is not None
    three.clip(key).unlink()
    assert [s.status for s in status(three)] == [
        SceneStatus.RENDERED,
        SceneStatus.MISSING,
        SceneStatus.RENDERED,
    ]
    for allow_stale in (False, True):
        with pytest.raises(InvalidRequest) as refused:
            export_project(three, allow_stale=allow_stale)
        assert (
            "scene 'b' (scenes[1]) is not rendered as it now reads (its clip was deleted from clips/)"
            in str(refused.value)
        )
        assert "changed since" not in str(refused.value) and "allow_stale" not in str(refused.value)


def test_allow_stale_cannot_stand_in_a_deleted_last_clip(three: ProjectFolder) -> None:
    (old,) = [s.key for s in status(three) if s.scene_id == "a"]
    assert old is not None
    edit(three, lambda d: d["scenes"][0].update(prompt="something else"))
    three.clip(old).unlink()
    assert status(three)[0].status is SceneStatus.STALE  # it did change since its render
    with pytest.raises(
        InvalidRequest,
        match=r"scene 'a' \(scenes\[0\]\) is not rendered as it now reads \(its clip was deleted from clips/\); render it first",
    ) as refused:
        export_project(three, allow_stale=True)
    assert "allow_stale" not in str(refused.value)


def test_a_scene_never_rendered_is_not_offered_allow_stale() -> None:
    """allow_stale falls back on a scene's last render; one never rendered has none to fall back on."""
    from reelgen.core.project.export import unready_message

    both = unready_message(["a"], ["d"])
    assert "never rendered: d; changed since their last render: a" in both and "allow_stale" not in both


def test_a_scene_enhancement_chain_shapes_its_clip(tmp_path: Path, cache: ModelCache) -> None:
    scenes = [
        {"prompt": "a red circle", "duration": 1.0, "enhance": [{"name": "lanczos", "options": {"scale": 2}}]}
    ]
    folder = make(tmp_path / "up", scenes)
    clip = render_project(folder, cache=cache).rendered[0].clip
    info = probe(clip)
    assert (info["width"], info["height"], info["frames"]) == (96, 64, 8)


# ---- scene keys ------------------------------------------------------------------------------------


def test_keys_follow_input_content_not_where_the_project_lives(tmp_path: Path) -> None:
    (tmp_path / "film").mkdir()
    picture(tmp_path / "film" / "start.png")
    scenes = [{"id": "s", "prompt": "a pan", "start_image": "start.png", "duration": 1.0}]
    folder = make(tmp_path / "film", scenes, defaults={**TINY, "model": "wan-i2v-tiny"})
    key = plan_project(folder)[0].render.key  # type: ignore[union-attr]
    moved = tmp_path / "elsewhere"
    shutil.copytree(folder.root, moved)
    assert plan_project(ProjectFolder.find(moved))[0].render.key == key  # type: ignore[union-attr]
    picture(folder.root / "start.png")  # rewritten, same pixels
    assert plan_project(folder)[0].render.key == key  # type: ignore[union-attr]
    picture(folder.root / "start.png", shift=40)  # new pixels
    assert plan_project(folder)[0].render.key != key  # type: ignore[union-attr]


def test_per_scene_seeds_survive_reordering_and_fixed_seeds_are_shared(tmp_path: Path) -> None:
    folder = make(tmp_path / "film", THREE)
    keys = {p.scene_id: p.render.key for p in plan_project(folder) if p.render}
    seeds = {p.scene_id: p.render.first.seed for p in plan_project(folder) if p.render}
    edit(folder, lambda d: d["scenes"].reverse())
    edit(folder, lambda d: [s.pop("transition", None) for s in d["scenes"]])
    assert {p.scene_id: p.render.key for p in plan_project(folder) if p.render} == keys
    assert len(set(seeds.values())) == 3
    edit(folder, lambda d: d["defaults"].update(seed_policy="fixed"))
    assert {p.render.first.seed for p in plan_project(folder) if p.render} == {3}


def test_a_scene_plan_travels_as_json(tmp_path: Path) -> None:
    """What a `project` job stores for each child render comes back as the same plan."""
    plan = plan_project(make(tmp_path / "film", THREE))[1].render
    assert plan is not None
    again = ScenePlan.model_validate_json(plan.model_dump_json())
    assert again == plan and again.first.options == plan.first.options


# ---- bad input ----------------------------------------------------------------------------------------


def _break(data: dict[str, Any], where: str, value: Any) -> None:
    """Set ``scenes.1.prompt``-style ``where`` in ``data`` to ``value`` (None deletes it)."""
    *path, last = [int(p) if p.isdigit() else p for p in where.split(".")]
    node: Any = data
    for part in path:
        node = node[part]
    if value is None:
        del node[last]
    else:
        node[last] = value


BAD = [
    ("scenes.1.model", "wan-tinyy", "scenes[1].model", "scene 'b' (scenes[1]): unknown model 'wan-tinyy'"),
    ("scenes.1.prompt", None, "scenes[1].prompt", "scene 'b' (scenes[1]): prompt is required"),
    (
        "scenes.0.transition",
        {"type": "fade", "duration": 1.5},
        "scenes[0].transition.duration",
        "longer than",
    ),
    ("soundtrack", {"file": "missing.mp3"}, "soundtrack.file", "missing.mp3 does not exist"),
    ("export", {"container": "webm", "codec": "h264"}, "export.codec", "h264 cannot go in webm"),
    ("export", {"codec": "divx"}, "export.codec", "'divx' is not a choice; write one of h264, h265,"),
    (
        "export",
        {"output": "../film.mp4"},
        "export.output",
        "'../film.mp4' must be a file name without a folder",
    ),
    ("scenes.2.id", "a", "scenes[2].id", "already used by scenes[0]"),
    ("scenes.0.id", "Big Scene", "scenes[0].id", "is not a scene id"),
    (
        "scenes.0.duration",
        None,
        "scenes[0].duration",
        "scene 'a' (scenes[0]): duration is required",
    ),
    ("scenes.0.promt", "x", "scenes[0].promt", "is not a known field"),
    (
        "scenes.2.transition",
        {"type": "wipe_left", "duration": 0.5},
        "scenes[2].transition.type",
        "needs a next",
    ),
    ("scenes.1.steps", 0, "scenes[1].steps", "steps: 0 is too small; it takes a whole number from 1"),
    (
        "scenes.1",
        "a fox",
        "scenes[1]",
        "scene 'scene-2' (scenes[1]): should be a mapping of fields (key: value), not 'a fox'",
    ),
    (
        "scenes.1.enhance",
        ["rife"],
        "scenes[1].enhance[0]",
        "should be a mapping of fields (key: value), not 'rife'",
    ),
    ("scenes.1.duration", float("nan"), "scenes[1].duration", "duration: nan is not a finite number"),
    ("soundtrack", {"file": "m.mp3", "volume": float("nan")}, "soundtrack.volume", "a finite number"),
    ("scenes.1.reference_images", ["ref.png"], "scenes[1].reference_images", "cannot take reference images"),
    # A folder given for a file was "font file ... does not exist", though it is there.
    (
        "export",
        {"texts": [{"text": "hi", "end": 1, "font": "."}]},
        "export.texts[0].font",
        "film is a folder, not a file",
    ),
    ("export", {"watermark": {"image": "."}}, "export.watermark.image", "film is a folder, not a file"),
]


@pytest.mark.parametrize(("where", "value", "param", "message"), BAD, ids=[b[2] for b in BAD])
def test_bad_input_names_the_scene_and_field(
    where: str, value: Any, param: str, message: str, tmp_path: Path
) -> None:
    folder = make(tmp_path / "film", THREE)
    picture(folder.root / "ref.png")
    edit(folder, lambda d: _break(d, where, value))
    with pytest.raises(InvalidRequest) as err:
        render_project(folder)
    assert err.value.param == param
    assert message in err.value.message
    assert not folder.clips.exists()  # nothing rendered before the whole project checked out


def test_a_long_scene_on_a_model_that_cannot_continue_names_models_that_can(tmp_path: Path) -> None:
    folder = make(tmp_path / "film", [{"id": "long", "prompt": "waves", "duration": 3.0}])
    with pytest.raises(InvalidRequest, match="cannot continue a clip") as err:
        plan_project(folder)
    assert err.value.param == "scenes[0].model" and "ltx-tiny" in err.value.message
    assert "wan-i2v-tiny" not in err.value.message  # it cannot start a scene from text


def test_reference_images_go_to_vace_scenes_and_a_scene_can_replace_them(
    tmp_path: Path, cache: ModelCache
) -> None:
    (tmp_path / "film").mkdir()
    for name, shift in (("hero.png", 0), ("cat.png", 60)):
        picture(tmp_path / "film" / name, shift)
    scenes = [
        {"id": "a", "prompt": "the hero walks", "duration": 1.0},
        {"id": "b", "prompt": "a cat", "duration": 1.0, "reference_images": ["cat.png"]},
        {"id": "c", "prompt": "an empty street", "duration": 1.0, "reference_images": []},
    ]
    defaults = {**TINY, "model": "wan-vace-tiny"}
    folder = make(tmp_path / "film", scenes, defaults=defaults, reference_images=["hero.png"])
    plans = {p.scene_id: p.render for p in plan_project(folder) if p.render}
    assert [Path(r).name for r in plans["a"].first.reference_images] == ["hero.png"]
    assert [Path(r).name for r in plans["b"].first.reference_images] == ["cat.png"]
    assert plans["c"].first.reference_images == ()
    clip = render_project(folder, scenes=["a"], cache=cache).rendered[0].clip
    record = yaml.safe_load(clip.with_suffix(".json").read_text())  # JSON is YAML
    assert record["windows"][0]["record"]["inputs"]["reference_images[0]"]["path"].endswith("hero.png")
    picture(folder.root / "hero.png", 30)  # a new picture of the hero: scene a (only) is stale
    assert [s.status for s in status(folder)] == [SceneStatus.STALE, SceneStatus.MISSING, SceneStatus.MISSING]


def test_the_docs_publish_the_schema_the_code_checks() -> None:
    """docs/storyboards.md carries the JSON schema; regenerate it with `reelgen project schema`."""
    docs = (Path(__file__).resolve().parents[2] / "docs" / "storyboards.md").read_text()
    block = re.search(r"<!-- schema:start -->\n```json\n(.*)\n```\n<!-- schema:end -->", docs, re.S)
    assert block is not None
    assert json.loads(block.group(1)) == project_schema()


@pytest.mark.parametrize("blocked", ["windows", "clips"])
def test_a_project_folder_that_takes_no_files_is_refused_before_rendering(
    blocked: str, tmp_path: Path
) -> None:
    folder = make(tmp_path / "film", THREE[:1])
    (folder.root / blocked).write_text("not a folder")
    with pytest.raises(InvalidRequest, match=f"{blocked} is a file, not a folder") as err:
        render_project(folder)
    assert err.value.param == "project"
    assert not (folder.root / "state.json").exists()  # refused before any scene was rendered


@pytest.mark.parametrize(
    ("output", "said"),
    [
        ({"frames": 0, "fps": "8"}, "says 0 frames at 8 fps, which no clip lasts"),
        ({"frames": 8, "fps": "0"}, "says 8 frames at 0 fps, which no clip lasts"),
        (None, "does not say the clip's length"),
    ],
)
def test_a_clip_record_with_no_length_is_named_by_its_scene_with_the_way_to_mend_it(
    tmp_path: Path, output: dict[str, Any] | None, said: str
) -> None:
    """A hand-edited record once surfaced as a transition 'longer than' a scene of no length."""
    folder = make(tmp_path / "film", THREE)
    for p in plan_project(folder):
        assert p.render is not None
        clip = folder.clip(p.render.key)
        clip.parent.mkdir(exist_ok=True)
        clip.write_bytes(b"not decoded: the record is read first")
        record = {"output": output if p.scene_id == "b" else {"frames": 8, "fps": "8"}}
        clip.with_suffix(".json").write_text(json.dumps(record) if record["output"] else "{trunc")
    with pytest.raises(InvalidRequest) as refused:
        export_project(folder)
    record = folder.clip(plan_project(folder)[1].render.key).with_suffix(".json")  # type: ignore[union-attr]
    assert str(refused.value) == (
        f"scene 'b' (scenes[1]): clip record {record} {said}; "
        "render the scene again (`reelgen project render FOLDER --force --scene b`)"
    )
    assert refused.value.param == "scenes[1].clip"
    assert not folder.exports.exists() or not any(folder.exports.iterdir())


def test_an_accented_title_names_the_export_by_its_letters_without_accents(tmp_path: Path) -> None:
    card = {"title_card": {"text": "Été"}, "duration": 0.5}
    folder = make(tmp_path / "film", [card], title="Été à Paris")
    assert export_project(folder).path == folder.exports / "ete-a-paris.mp4"


def test_an_export_never_lands_in_clips_or_windows(tmp_path: Path) -> None:
    # A stale scene's clip (one --allow-stale would use) or a long scene's window was replaced by the film.
    folder = make(tmp_path / "p", [{"id": "card", "title_card": {"text": "Hi"}, "duration": 1.0}])
    for kept, where in [
        (folder.clips / "old.mp4", "clips"),
        (folder.work("abc") / "window-000.mp4", "windows"),
    ]:
        kept.parent.mkdir(parents=True, exist_ok=True)
        kept.write_bytes(b"a clip")
        with pytest.raises(InvalidRequest, match=f"is in the project's {where}/ folder") as err:
            export_project(folder, kept)
        assert err.value.param == "export_settings.output" and kept.read_bytes() == b"a clip"


def test_a_scene_that_fails_is_named_with_the_scenes_already_kept(
    tmp_path: Path, cache: ModelCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reelgen.core.render as core_render
    from reelgen.core.errors import OutOfMemory

    real = core_render.render

    def failing(request: Any, *args: Any, **kwargs: Any) -> Any:
        if request.prompt == "a green square":
            raise OutOfMemory("did not fit in 0.1 GiB of VRAM")
        return real(request, *args, **kwargs)

    monkeypatch.setattr(core_render, "render", failing)
    folder = make(tmp_path / "film", THREE)
    with pytest.raises(OutOfMemory) as failed:
        render_project(folder, cache=cache)
    assert str(failed.value) == (
        "scene 'b' (scenes[1]): did not fit in 0.1 GiB of VRAM (rendered before it and kept: a)"
    )
    assert [s.status for s in status(folder)] == [
        SceneStatus.RENDERED,
        SceneStatus.MISSING,
        SceneStatus.MISSING,
    ]


@pytest.mark.parametrize(
    ("line", "param", "said"),
    [
        ("prompt: yes", "scenes[0].prompt", "the boolean true, not text (unquoted yes, no, on, off"),
        (
            "title_card: {text: 1999}",
            "scenes[0].title_card.text",
            'YAML reads 1999 as a number, not text; put it in quotes: "1999"',
        ),
    ],
)
def test_text_yaml_reads_as_a_number_or_boolean_is_told_to_be_quoted(
    line: str, param: str, said: str, tmp_path: Path
) -> None:
    (tmp_path / "project.yaml").write_text(f"title: Film\nscenes:\n  - {line}\n    duration: 1\n")
    with pytest.raises(InvalidRequest) as err:
        ProjectFolder.find(tmp_path).load()
    assert err.value.param == param and said in err.value.message


def test_a_title_card_letter_no_font_here_has_is_named_before_anything_renders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reelgen.core.export import text

    monkeypatch.setattr(text, "FALLBACK_FONTS", ())
    text._fallback.cache_clear()
    card = {"id": "title", "title_card": {"text": "Paris", "subtitle": "l’été"}, "duration": 1.0}
    folder = make(tmp_path / "film", [card, *THREE])
    try:
        with pytest.raises(InvalidRequest) as refused:
            render_project(folder)
    finally:
        text._fallback.cache_clear()
    assert refused.value.param == "scenes[0].title_card.subtitle"
    assert refused.value.message.startswith(
        "scene 'title' (scenes[0]): title_card.subtitle: neither the built-in font nor a fallback font on "
        "this machine has a glyph for é; give title_card.font: "
    )
    assert not folder.clips.exists()
