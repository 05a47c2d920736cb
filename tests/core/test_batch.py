"""Batches: manifests from a folder, plans with content keys, companions, and a resumed run that ends the same."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image, ImageFilter
from skimage import data

from reelgen.core.batch import (
    BatchSummary,
    ItemOutcome,
    Manifest,
    create_manifest,
    load_manifest,
    manifest_schema,
    plan_batch,
    run_batch,
    summarize,
    write_manifest,
)
from reelgen.core.batch.run import by_model
from reelgen.core.encode import CONTAINERS
from reelgen.core.errors import Cancelled, InvalidRequest, ModelNotAvailable
from reelgen.core.progress import Progress

DOCS = Path(__file__).resolve().parents[2] / "docs" / "batch.md"


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    """A folder of keyframes: two sharp photos and a blurred one."""
    folder = tmp_path / "shots"
    folder.mkdir()
    Image.fromarray(data.astronaut()).save(folder / "astronaut.png")
    Image.fromarray(data.coffee()).save(folder / "coffee.jpg", quality=95)
    Image.fromarray(data.chelsea()).filter(ImageFilter.GaussianBlur(4)).save(folder / "blurred cat.png")
    (folder / "notes.txt").write_text("not an image")
    return folder


def test_manifest_create_makes_one_item_per_image_under_the_defaults(shots: Path) -> None:
    defaults = shots.parent / "defaults.yaml"
    defaults.write_text(
        "model: ken-burns\nprompt: '{stem}'\nseed: 7\nmotion: {preset: zoom-in, speed: 1.5}\n"
    )
    manifest = create_manifest(shots, defaults)
    assert [i.output for i in manifest.items] == ["astronaut", "blurred-cat", "coffee"]
    assert [i.images for i in manifest.items] == [["astronaut.png"], ["blurred cat.png"], ["coffee.jpg"]]
    assert manifest.defaults.motion is not None and manifest.defaults.motion.speed == 1.5
    seeds = [i.seed for i in manifest.items]
    assert len(set(seeds)) == 3 and seeds == [i.seed for i in create_manifest(shots, defaults).items]

    path = write_manifest(manifest, shots / "manifest.json")
    assert load_manifest(path) == manifest
    assert json.loads(path.read_text())["version"] == 1


def test_a_wrong_default_is_named(shots: Path) -> None:
    defaults = shots.parent / "defaults.yaml"
    defaults.write_text("model: ken-burns\nmotion: {preset: spin}\n")
    with pytest.raises(InvalidRequest) as caught:
        create_manifest(shots, defaults)
    assert caught.value.param == "defaults.motion.preset" and "pan-left" in caught.value.message


def test_manifests_refuse_repeated_or_unsafe_output_names(tmp_path: Path) -> None:
    for items, message in [
        ([{"output": "a"}, {"output": "A.mp4"}], "repeats items[0]'s name"),
        # Said in words (it read "String should match pattern '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$'").
        ([{"output": "../escape"}], "items[0].output: '../escape' is not a usable output name; use 1 to 128"),
        (
            [{"output": "Beach Day"}],
            "'Beach Day' is not a usable output name; use 1 to 128 characters of A-Z,",
        ),
        # Their records would be the summary, and item a's camera path (found: replaced, not refused).
        ([{"output": "batch-summary.mp4"}], "items[0].output 'batch-summary.mp4' would write over the"),
        ([{"output": "a"}, {"output": "a.Motion"}], "items[1].output 'a.Motion' would write over the"),
        ([{"output": "b.video_meta"}], "items[0].output 'b.video_meta' would write over the batch's own"),
    ]:
        path = tmp_path / "m.json"
        path.write_text(json.dumps({"items": items}))
        with pytest.raises(InvalidRequest, match=message.replace("[", r"\[").replace("]", r"\]")):
            load_manifest(path)


def test_a_yaml_or_csv_manifest_is_told_that_a_manifest_is_json(tmp_path: Path) -> None:
    for name, text in [
        ("m.yaml", "items:\n  - output: a\n"),
        ("m.csv", "output,images\na,a.png\n"),
        ("m.jsonl", '{"output": "a"}\n{"output": "b"}\n'),
    ]:
        path = tmp_path / name
        path.write_text(text)
        with pytest.raises(InvalidRequest) as caught:
            load_manifest(path)
        assert caught.value.message.startswith(f"manifest {path} line ")
        assert f"a manifest is one JSON object with items (not {path.suffix})" in caught.value.message
        assert "`reelgen manifest create` writes one" in caught.value.message


def test_a_mistyped_key_names_the_manifest_file_the_closest_field_and_every_valid_one(
    tmp_path: Path,
) -> None:
    path = tmp_path / "m.json"
    path.write_text(json.dumps({"items": [{"output": "a", "modle": "ltx-tiny"}]}))
    with pytest.raises(InvalidRequest) as caught:
        load_manifest(path)
    message = caught.value.message
    assert message.startswith(f"manifest {path}: items[0].modle is not a known field; did you mean model?")
    assert "known: model, prompt," in message and "images, seed" in message
    path.write_text(json.dumps({"items": [{"output": "a", "motion": {"presett": "zoom-in"}}]}))
    with pytest.raises(InvalidRequest, match=r"did you mean preset\? known: preset, speed, start, end"):
        load_manifest(path)


def test_a_folder_given_as_the_manifest_points_at_the_manifest_inside(shots: Path) -> None:
    with pytest.raises(InvalidRequest, match="is a folder, not a manifest file .`reelgen manifest create`"):
        load_manifest(shots)
    write_manifest(create_manifest(shots), shots / "manifest.json")
    with pytest.raises(InvalidRequest, match=f"did you mean {shots / 'manifest.json'}"):
        load_manifest(shots)


def test_a_mistyped_model_stops_the_batch_before_any_work(shots: Path) -> None:
    # It used to fail every item alike, each failure listing every model, and exit 1.
    batch = manifest(shots, ITEMS[:2], model="ken-burnz")
    with pytest.raises(ModelNotAvailable) as caught:
        run_batch(batch, base_dir=shots)
    assert caught.value.param == "defaults.model"
    assert caught.value.message.startswith("defaults.model: unknown model 'ken-burnz'")
    wrong_item = manifest(shots, [ITEMS[1], {**ITEMS[0], "model": "wan-i2v-tinyy"}])
    with pytest.raises(ModelNotAvailable, match=r"items\[1\].model: unknown model 'wan-i2v-tinyy'; did you"):
        run_batch(wrong_item, base_dir=shots)
    # Run from its file, the manifest is named, as its other errors name it.
    write_manifest(wrong_item, shots / "manifest.json")
    with pytest.raises(ModelNotAvailable) as caught:
        run_batch(shots / "manifest.json")
    assert caught.value.message.startswith(
        f"manifest {shots / 'manifest.json'}: items[1].model: unknown model"
    )
    assert not (shots / "outputs").exists()


def test_the_schema_in_the_docs_is_the_manifests_schema() -> None:
    text = DOCS.read_text()
    start = text.index("```json\n", text.index("## Manifest schema")) + len("```json\n")
    shown = json.loads(text[start : text.index("```", start)])
    assert shown == manifest_schema()


def manifest(shots: Path, items: list[dict[str, Any]], **defaults: Any) -> Manifest:
    base = {"model": "ken-burns", "width": 64, "height": 64, "num_frames": 9, "fps": 8.0}
    return Manifest.model_validate({"defaults": {**base, **defaults}, "items": items})


def test_an_output_named_in_any_container_reelgen_writes_is_made_in_it(shots: Path) -> None:
    """``shot.mkv`` was planned as ``shot.mkv.mp4`` once generate and enhance wrote .mkv, and ``shot.gif``
    was refused once they wrote GIFs: a batch makes every container reelgen writes, GIF included."""
    names = [f"shot-{suffix[1:]}{suffix}" for suffix in CONTAINERS]  # shot-mkv.mkv, shot-gif.gif ...
    assert "shot-gif.gif" in names
    planned = plan_batch(manifest(shots, [{"output": n, "images": ["coffee.jpg"]} for n in names]), shots)
    assert [Path(p.video).name for p in planned] == names
    with pytest.raises(ValueError, match=r"'shot.avi' ends in .avi, .* shot.mkv or shot.gif"):
        manifest(shots, [{"output": "shot.avi", "images": ["coffee.jpg"]}])


def test_an_item_named_gif_is_made_as_a_looping_gif_with_its_companions(shots: Path) -> None:
    batch = manifest(shots, [{"output": "shot.gif", "images": ["coffee.jpg"]}], motion={"preset": "zoom-in"})
    summary = run_batch(batch, base_dir=shots)
    assert summary.counts()["done"] == 1, summary.lines()
    out = shots / "outputs"
    with Image.open(out / "shot.gif") as gif:
        assert (gif.format, gif.n_frames, gif.size, gif.info.get("loop")) == ("GIF", 9, (64, 64), 0)
        frames = []
        for n in range(gif.n_frames):
            gif.seek(n)
            frames.append(np.asarray(gif.convert("RGB"), dtype=int))
    assert np.abs(frames[0] - frames[-1]).mean() > 1  # the camera moved: not one picture nine times
    meta = json.loads((out / "shot.video_meta.json").read_text())
    assert (meta["video"], meta["generated"]["frames"]) == ("shot.gif", 9)
    assert json.loads((out / "shot.json").read_text())["output"]["frames"] == 9
    # Run again: finished, so reused, not made twice.
    assert run_batch(batch, base_dir=shots).reused == 1


def test_prompt_templates_fill_placeholders_and_name_an_unknown_one(shots: Path) -> None:
    batch = manifest(
        shots,
        [
            {
                "output": "one",
                "images": ["coffee.jpg"],
                "model": "wan-i2v-tiny",
                "variables": {"light": "dusk", "year": 1984},
            },
            {"output": "two", "images": ["coffee.jpg"], "model": "wan-i2v-tiny", "prompt": "{mood} {stem}"},
        ],
        prompt="{stem} at {light} in {year}, {motion}",
        variables={"light": "noon", "year": 2.5},
        motion={"preset": "pan-left"},
    )
    one, two = plan_batch(batch, shots)
    # A number (YAML reads `year: 1984` as one) fills in as its text; it was "Input should be a valid string".
    assert one.prompt == "coffee at dusk in 1984, pan-left at speed 1" and one.request is not None
    assert one.request.prompt == one.prompt
    assert two.error is not None and two.error["param"] == "items[1].prompt"
    assert "uses {mood}, which is not set; known: " in two.error["message"]


def test_a_format_spec_or_an_overlong_filled_prompt_fails_its_item_in_words(shots: Path) -> None:
    """{stem:d} ended the batch in an internal ValueError, {stem:>3000000000} built a 3 GB prompt, and a
    prompt over 20000 characters once filled was an internal ValidationError of the request."""
    items = [
        {"output": "spec", "prompt": "a {stem:>3000000000}"},
        {"output": "code", "prompt": "a {stem!r}"},
        {"output": "long", "prompt": "{v}{v}", "variables": {"v": "x" * 15_000}},
        {"output": "fine", "prompt": "a {{stem}} {stem}"},
    ]
    spec, code, long, fine = plan_batch(manifest(shots, items, model="wan-tiny"), shots)
    assert spec.error is not None and code.error is not None and long.error is not None
    assert spec.error["message"] == (
        "items[0].prompt: {stem:>3000000000} is not a placeholder; a placeholder is a name alone, "
        "e.g. {stem} (write {{ and }} for literal braces)"
    )
    assert (
        code.error["param"] == "items[1].prompt" and "{stem!r} is not a placeholder" in code.error["message"]
    )
    assert long.error["message"].startswith(
        "items[2].prompt: the prompt is 30000 characters once its placeholders are filled; a prompt holds "
        "at most 20000"
    )
    assert fine.error is None and fine.prompt == "a {stem} fine"


def test_an_empty_or_folder_image_is_named_as_such_not_as_missing(shots: Path) -> None:
    items = [{"output": "empty", "images": [""]}, {"output": "folder", "images": ["."]}]
    empty, folder = plan_batch(manifest(shots, items), shots)
    assert empty.error is not None and folder.error is not None
    assert empty.error["message"] == "items[0].images[0] is empty; give an image file"
    assert folder.error["message"] == "items[1].images[0]: . is a folder; give an image file"


def test_an_items_length_overrides_the_defaults_length_given_the_other_way(shots: Path) -> None:
    batch = manifest(
        shots,
        [
            {"output": "frames", "images": ["coffee.jpg"], "num_frames": 5},
            {"output": "seconds", "images": ["coffee.jpg"], "seconds": 2, "num_frames": None},
        ],
        num_frames=None,
        seconds=1,
        motion={"preset": "zoom-in"},
    )
    frames, seconds = plan_batch(batch, shots)
    assert frames.error is None and frames.ken_burns is not None and frames.ken_burns.num_frames == 5
    assert seconds.error is None and seconds.ken_burns is not None
    assert seconds.ken_burns.num_frames == 16  # 2 s at 8 fps
    # An item giving both is the manifest's error, refused as it loads: test_bulk_manifest_length.py.


def test_animatediff_items_move_by_camera_lora(shots: Path) -> None:
    batch = manifest(
        shots,
        [{"output": "fox", "model": "animatediff-tiny", "prompt": "a fox"}],
        motion={"preset": "arc-right"},
    )
    [fox] = plan_batch(batch, shots)
    assert fox.request is not None and fox.request.options.model_dump()["camera_motion"] == "pan-right"
    assert fox.motion is not None and fox.motion["how"] == "camera_motion" and fox.motion["path"] is None


ITEMS = [
    {"output": "b-wan", "images": ["coffee.jpg"], "model": "wan-i2v-tiny", "motion": {"preset": "pan-right"}},
    {"output": "a-zoom", "images": ["astronaut.png"], "motion": {"preset": "zoom-in"}},
    {
        "output": "c-outside",
        "images": ["astronaut.png"],
        "motion": {
            "start": {"x": 0, "y": 0, "width": 300, "height": 300},
            "end": {"x": 300, "y": 0, "width": 300, "height": 300},
        },
    },
    {"output": "d-blurred", "images": ["blurred cat.png"], "motion": {"preset": "zoom-out"}},
    {"output": "e-pan", "images": ["coffee.jpg"], "motion": {"preset": "pan-left", "speed": 2}},
]


class Killed(Exception):
    """Stands in for the process dying after N items."""


def kill_after(n: int) -> Any:
    seen: list[ItemOutcome] = []

    def on_item(outcome: ItemOutcome) -> None:
        seen.append(outcome)
        if len(seen) == n:
            raise Killed

    return on_item


def counts(summary: BatchSummary) -> dict[str, int]:
    return summary.counts()


def test_items_run_grouped_by_model_in_manifest_order(shots: Path) -> None:
    plan = plan_batch(manifest(shots, [*ITEMS[1:3], ITEMS[0], *ITEMS[3:]]), shots)
    assert [p.output for p in by_model(plan)] == ["a-zoom", "c-outside", "d-blurred", "e-pan", "b-wan"]


def test_a_batch_killed_part_way_resumes_and_ends_with_the_same_counts(shots: Path) -> None:
    batch = manifest(shots, ITEMS, prompt="a slow camera move")
    out = shots / "outputs"
    with pytest.raises(Killed):  # after the wan item and the first Ken Burns item
        run_batch(batch, base_dir=shots, on_item=kill_after(2))
    first = {p.name: p.stat().st_mtime_ns for p in out.glob("*.mp4")}
    assert sorted(first) == ["a-zoom.mp4", "b-wan.mp4"]
    assert not (out / "batch-summary.json").exists()

    resumed = run_batch(batch, base_dir=shots)
    assert counts(resumed) == {"total": 5, "done": 3, "failed": 1, "skipped": 1}
    assert resumed.reused == 2
    assert {
        p.name: p.stat().st_mtime_ns for p in out.glob("*.mp4") if p.name in first
    } == first  # not made again
    [failed], [skipped] = resumed.failed, resumed.skipped
    assert failed.output == "c-outside" and failed.code == "motion_out_of_bounds"
    assert failed.param == "items[2].motion.end"
    assert resumed.outputs == [str(out / f"{n}.mp4") for n in ("b-wan", "a-zoom", "e-pan")]
    assert (
        skipped.output == "d-blurred" and "sharpness" in skipped.reason and "threshold 0.5" in skipped.reason
    )

    again = run_batch(batch, base_dir=shots)
    assert counts(again) == counts(resumed) and again.reused == 3
    assert json.loads((out / "batch-summary.json").read_text())["reused"] == 3
    # Priced per GPU-hour: model time on this CPU costs nothing, as in a job's cost_usd.
    assert again.devices == ["cpu"] and again.render_hours > 0 and again.estimated_cost == 0.0


def test_a_cancelled_batch_says_what_it_kept_and_that_a_second_run_finishes_it(shots: Path) -> None:
    # The render's own "no file was written" was printed, after earlier items had been written.
    batch = manifest(shots, [ITEMS[1], ITEMS[4], {**ITEMS[4], "output": "f-pan"}])
    earlier = shots / "outputs" / "batch-summary.json"  # an earlier run's, listing no output
    earlier.parent.mkdir(parents=True, exist_ok=True)
    earlier.write_text('{"total": 3, "done": 0, "outputs": []}')
    progress = Progress()
    with pytest.raises(Cancelled) as caught:
        run_batch(
            batch,
            base_dir=shots,
            progress=progress,
            on_item=lambda _: progress.cancel.cancel("cancelled with Ctrl-C"),
        )
    assert caught.value.message == (
        "batch cancelled with Ctrl-C after 1 of 3 item(s): 1 finished and kept, the item in progress "
        "wrote no file; run the batch again to do the other 2"
    )
    assert [p.name for p in (shots / "outputs").glob("*.mp4")] == ["a-zoom.mp4"]
    assert not earlier.exists()  # it said nothing was done, beside a-zoom.mp4
    assert run_batch(batch, base_dir=shots).reused == 1
    assert json.loads(earlier.read_text())["done"] == 3


def test_only_model_time_on_gpus_is_priced() -> None:
    outcomes = [
        ItemOutcome(output="a", status="done", render_s=1800.0, device="cuda:0"),
        ItemOutcome(output="b", status="reused", render_s=1800.0, device="cuda:1"),
        ItemOutcome(output="c", status="done", render_s=3600.0, device="cpu"),
        ItemOutcome(output="d", status="done", render_s=3600.0, device="cpu", model_run=False),
        ItemOutcome(output="e", status="failed", render_s=3600.0, device="cuda:0"),
    ]
    summary = summarize(outcomes, time_s=1.0, price_per_gpu_hour=2.0)
    assert summary.render_hours == 2.0  # model time on either device, finished items only
    assert summary.estimated_cost == 2.0  # one GPU-hour at 2.0


def test_a_reason_shared_by_several_items_is_said_once_and_others_per_item() -> None:
    missing = "model 'ltx-2b' has no weights on this machine"
    outcomes = [
        ItemOutcome(output="a", status="failed", reason=f"{missing} (job j1)"),
        ItemOutcome(output="b", status="done"),
        ItemOutcome(output="c", status="failed", reason="items[2] (c): width 500 is not a multiple of 32"),
        ItemOutcome(output="d", status="failed", reason=f"{missing} (job j4)"),
        ItemOutcome(output="e", status="failed", reason="items[4].images[0]: e.png does not exist"),
        ItemOutcome(output="f", status="failed", reason="items[5].images[0]: e.png does not exist"),
    ]
    summary = summarize(outcomes, time_s=1.0, price_per_gpu_hour=2.0)
    assert summary.lines()[3:] == [
        f"2 items failed the same way (a, d): {missing}",
        "failed c (items[2]): width 500 is not a multiple of 32",  # the name once
        "2 items failed the same way (e, f): images[0]: e.png does not exist",
    ]
    assert [p.output for p in summary.failed] == ["a", "c", "d", "e", "f"]  # each still recorded
    every = [ItemOutcome(output=f"i{n}", status="failed", reason=f"{missing} (job j{n})") for n in range(7)]
    lines = summarize(every, time_s=1.0, price_per_gpu_hour=2.0).lines()
    assert lines[3:] == [f"all 7 items failed the same way: {missing}"]


def test_companions_say_what_was_made_how_and_along_which_path(shots: Path) -> None:
    batch = manifest(shots, ITEMS[:2], prompt="a slow camera move")
    run_batch(batch, base_dir=shots)
    out = shots / "outputs"
    meta = json.loads((out / "b-wan.video_meta.json").read_text())
    assert meta["video"] == "b-wan.mp4" and meta["status"] == "done" and len(meta["key"]) == 20
    assert meta["generated"]["model"] == "wan-i2v-tiny" and meta["generated"]["frames"] == 9
    assert meta["generated"]["fps"] == 8.0  # a number, as in the request; the record holds text
    assert meta["how"]["conditioning"]["how"] == "start_end_frames" and meta["how"]["task"] == "i2v"
    assert meta["how"]["request"]["start_image"].endswith("motion-frames/b-wan.start.png")
    assert set(meta["metrics"]["quality"]) == {"metrics", "problems", "fatal"}
    assert meta["metrics"]["viability"]["score"] == 1.0
    motion = json.loads((out / "b-wan.motion.json").read_text())
    assert motion["label"] == "pan-right at speed 1" and len(motion["frames"]) == 9
    start = motion["path"]["start"]
    assert motion["frames"][0] == [start["x"], start["y"], start["width"], start["height"]]
    assert motion["frames"][-1][0] > motion["frames"][0][0]  # the crop travels right

    kb = json.loads((out / "a-zoom.video_meta.json").read_text())
    assert kb["how"]["kind"] == "ken_burns" and kb["metrics"]["quality"]["fatal"] is False


def test_an_item_is_made_again_when_its_keyframe_changes(shots: Path) -> None:
    batch = manifest(shots, [ITEMS[1]])
    assert run_batch(batch, base_dir=shots).reused == 0
    assert run_batch(batch, base_dir=shots).reused == 1
    Image.fromarray(data.rocket()[:400, :400]).save(shots / "astronaut.png")  # same name, new picture
    changed = run_batch(batch, base_dir=shots)
    assert changed.reused == 0 and changed.done == 1


def test_planning_imports_no_torch_so_an_api_process_can_plan(shots: Path) -> None:
    """A batch job is planned where jobs are created (the API process), which never imports torch."""
    batch = manifest(shots, ITEMS, prompt="a slow camera move")
    path = shots / "manifest.json"
    path.write_text(batch.model_dump_json())
    code = (
        "import sys; from reelgen.core.batch import load_manifest, plan_batch; "
        "from reelgen.core.shootout import PromptsFile, plan_shootout; "
        f"plan = plan_batch(load_manifest({str(path)!r}), {str(shots)!r}); "
        "plan_shootout(['wan-tiny'], PromptsFile(prompts=[{'id': 'a', 'prompt': 'x'}])); "
        "assert [p.key != '' for p in plan] == [True, True, False, False, True], plan; "
        "print(sorted(m for m in ('torch', 'diffusers', 'matplotlib') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=os.environ.copy()
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_every_keyframe_of_an_item_is_scored_and_the_weakest_decides(shots: Path) -> None:
    items = [
        {"output": "good", "images": ["coffee.jpg", "astronaut.png"]},
        {"output": "poor-end", "images": ["coffee.jpg", "blurred cat.png"]},
    ]
    good, poor = plan_batch(manifest(shots, items, model="wan-i2v-tiny", prompt="x"), shots)
    assert good.request is not None and good.request.end_image is not None and good.skipped is None
    assert poor.request is None and poor.skipped is not None
    assert poor.skipped.startswith("keyframe blurred cat.png scored 0.00 (threshold 0.5): sharpness")
    assert poor.viability is not None and poor.viability["image"].endswith("blurred cat.png")
