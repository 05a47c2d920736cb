"""Shoot-outs: two models on two prompts make a report that loads offline in Chromium, plus every number in JSON."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from skimage import data

from reelgen.core.errors import InvalidRequest, ModelNotAvailable
from reelgen.core.shootout import (
    PromptsFile,
    Shootout,
    TrialResult,
    Weights,
    load_prompts,
    plan_shootout,
    run_shootout,
    score_trials,
)

MODELS = ["wan-tiny", "ltx-tiny"]
PROMPTS = PromptsFile.model_validate(
    {
        "prompts": ["a red fox running through snow", {"id": "waves", "prompt": "waves at dusk"}],
        "settings": {"seed": 3},
    }
)


#: A full gc.collect per model unload is skipped here (tests/conftest.py says why).
pytestmark = pytest.mark.usefixtures("no_collection_per_unload")


@pytest.fixture(scope="module")
def shootout(tmp_path_factory: pytest.TempPathFactory, reelgen_home: Path) -> Iterator[Shootout]:
    """wan-tiny and ltx-tiny on two prompts (a few seconds on a CPU once the tiny models are built)."""
    folder = tmp_path_factory.mktemp("shootout")
    with pytest.MonkeyPatch.context() as env:  # module-scoped: set up before the per-test home is
        env.setenv("REELGEN_HOME", str(reelgen_home))
        env.setenv("REELGEN_MODELS_DIR", str(folder / "models"))
        env.setenv("HF_HUB_CACHE", str(folder / "hf-cache"))
        yield run_shootout(MODELS, PROMPTS, folder / "report")


def _local_only(route: Any, asked: list[str]) -> None:
    """Let the page read its own file; refuse (and remember) anything else it asks for."""
    if route.request.url.startswith("file:"):
        route.continue_()
    else:
        asked.append(route.request.url)
        route.abort()


def open_in_chromium(chromium: Any, report: Path) -> dict[str, Any]:
    """Load the report from disk with every network request refused; what the page shows and asked for."""
    asked: list[str] = []
    context = chromium.new_context()
    try:
        page = context.new_page()
        page.route("**/*", lambda route: _local_only(route, asked))
        page.goto(report.as_uri(), wait_until="load")
        seen = page.evaluate(
            """() => ({
                images: Array.from(document.images).map(i => ({alt: i.alt, complete: i.complete, width: i.naturalWidth, src: i.src.slice(0, 22)})),
                rows: Array.from(document.querySelectorAll('#trials tbody tr')).map(r => [r.dataset.model, r.dataset.prompt, r.cells[3].textContent]),
            })"""
        )
    finally:
        context.close()
    return {**seen, "asked": asked}


def test_the_report_loads_offline_with_every_image_and_a_row_per_model_and_prompt(
    shootout: Shootout, chromium: Any
) -> None:
    seen = open_in_chromium(chromium, shootout.report)
    assert seen["asked"] == []  # nothing fetched from anywhere: the page is self-contained
    images = seen["images"]
    assert len(images) == 4 + 2 * 4  # four plots, and a contact sheet and a preview per clip
    assert all(i["complete"] and i["width"] > 0 for i in images), images
    assert {i["src"][:15] for i in images} <= {"data:image/png;", "data:image/gif;"}
    assert sorted((m, p) for m, p, _ in seen["rows"]) == sorted(
        (m, p) for m in MODELS for p in ("p1", "waves")
    )
    by_key = {f"{r.model}--{r.prompt_id}": f"{r.score:.1f}" for r in shootout.results}
    assert {f"{m}--{p}": s for m, p, s in seen["rows"]} == by_key


def test_the_plots_are_valid_pngs(shootout: Shootout) -> None:
    plots = sorted((shootout.report.parent / "plots").glob("*.png"))
    assert [p.stem for p in plots] == ["consistency", "scores", "times", "vram"]
    for path in plots:
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        with Image.open(path) as image:
            image.verify()
        with Image.open(path) as image:
            assert image.format == "PNG" and image.size[0] >= 600


def test_every_number_is_in_the_json(shootout: Shootout) -> None:
    numbers = json.loads((shootout.report.parent / "results.json").read_text())
    assert numbers["models"] == MODELS and [p["id"] for p in numbers["prompts"]] == ["p1", "waves"]
    assert numbers["weights"] == Weights().model_dump()
    trials = {t["key"]: t for t in numbers["trials"]}
    assert set(trials) == {f"{m}--{p}" for m in MODELS for p in ("p1", "waves")}
    for trial in trials.values():
        assert trial["status"] == "done" and trial["error"] is None
        assert {"locate", "load", "generate", "encode", "total"} <= set(trial["timings"])
        assert trial["quality"]["temporal_ssim_mean"] is not None and "flicker" in trial["quality"]
        assert (
            trial["cost"] == 0  # a CPU run rents no GPU hour
            and 0 < trial["score"] <= 100
            and set(trial["parts"])
            == {
                "speed",
                "temporal",
                "artefacts",  # no VRAM or cost part: a CPU run measures no VRAM and costs nothing
            }
        )
        assert Path(trial["clip"]).is_file()
    assert [r["model"] for r in numbers["ranking"]] == sorted(
        MODELS, key=lambda m: -sum(t["score"] for t in trials.values() if t["model"] == m)
    )
    # Each model is loaded once: its second prompt finds it loaded.
    assert (
        trials["wan-tiny--waves"]["timings"]["load"] == 0.0 and trials["ltx-tiny--p1"]["timings"]["load"] > 0
    )


def test_a_model_that_needs_an_image_fails_its_rows_with_the_reason(tmp_path: Path) -> None:
    trials = plan_shootout(["wan-i2v-tiny", "ltx-tiny"], PROMPTS)
    failed = [t for t in trials if t.error]
    assert [t.key for t in failed] == ["wan-i2v-tiny--p1", "wan-i2v-tiny--waves"]
    assert "needs a start image" in failed[0].error["message"]  # type: ignore[index]

    image = tmp_path / "coffee.png"
    Image.fromarray(data.coffee()).save(image)
    with_images = plan_shootout(["wan-i2v-tiny", "ltx-tiny"], PROMPTS, images=[str(image)])
    assert all(t.request is not None for t in with_images)
    assert {t.request.task.value for t in with_images if t.request} == {
        "i2v"
    }  # images are for image-to-video


def test_an_unknown_model_stops_the_shootout_before_anything_runs(tmp_path: Path) -> None:
    with pytest.raises(ModelNotAvailable, match="did you mean ltx-tiny"):
        run_shootout(["ltx-tiny", "ltx-tinny"], PROMPTS, tmp_path / "report")
    assert not (tmp_path / "report").exists()


def result(model: str, generate: float, ssim: float, **quality: Any) -> TrialResult:
    metrics = {
        "temporal_ssim_mean": ssim,
        "flicker": 0.0,
        "frozen_runs": [],
        "flash_frames": [],
        "black_frames": [],
    }
    return TrialResult(
        key=f"{model}--p1",
        model=model,
        prompt_id="p1",
        prompt="x",
        status="done",
        frames=10,
        fps=10.0,
        timings={"generate": generate, "total": generate},
        cost=generate / 3600,
        quality={**metrics, **quality},
    )


def test_the_score_weighs_speed_against_quality_as_the_weights_say() -> None:
    fast_rough = result("a", 1.0, 0.5, frozen_runs=[[0, 5]])
    slow_clean = result("b", 4.0, 0.9)
    failed = TrialResult(
        key="c--p1", model="c", prompt_id="p1", prompt="x", status="failed", error={"message": "oom"}
    )
    speed_first = score_trials(
        [fast_rough, slow_clean, failed], Weights(speed=1, cost=0, vram=0, temporal=0, artefacts=0)
    )
    assert [r.score for r in speed_first] == [100.0, 25.0, 0.0]
    quality_first = score_trials(
        [fast_rough, slow_clean], Weights(speed=0, cost=0, vram=0, temporal=1, artefacts=1)
    )
    assert quality_first[0].parts["artefacts"] == 0.5  # half its frames frozen
    assert quality_first[1].score > quality_first[0].score


def test_huge_weights_still_give_a_score_not_nan() -> None:
    """Weights of any scale are normalised: three of 1e308 summed to infinity and every score was NaN."""
    huge = Weights(speed=1e308, cost=0, vram=0, temporal=1e308, artefacts=1e308)
    [scored] = score_trials([result("a", 1.0, 0.9)], huge)
    assert (
        scored.score
        == score_trials([result("a", 1.0, 0.9)], Weights(cost=0, vram=0, speed=1, temporal=1, artefacts=1))[
            0
        ].score
    )
    assert 0 < scored.score <= 100


def test_a_trial_none_of_whose_weighted_parts_was_measured_says_why_it_scored_0() -> None:
    """Weights on VRAM alone, on a CPU (no VRAM measured): every trial scored 0 and nothing said why."""
    [scored] = score_trials(
        [result("a", 1.0, 0.9)], Weights(speed=0, cost=0, vram=1, temporal=0, artefacts=0)
    )
    assert scored.score == 0.0 and scored.problems == [
        "scored 0: no part the weights count (vram) was measured for it; weight speed, temporal or artefacts too"
    ]


def test_prompts_files_take_plain_strings_and_name_a_bad_weight(tmp_path: Path) -> None:
    path = tmp_path / "prompts.yaml"
    path.write_text("- a fox\n- waves\n")
    assert [p.id for p in load_prompts(path).prompts] == ["p1", "p2"]
    path.write_text("prompts: [a fox]\nweights: {speed: -1}\n")
    with pytest.raises(
        InvalidRequest,
        match=f"prompts file {path}: weights.speed: -1 is too small",
    ):
        load_prompts(path)


def test_a_text_file_of_prompts_is_one_prompt_a_line(tmp_path: Path) -> None:
    """prompts.txt with a prompt a line was refused as 'must hold prompts' (read as one YAML string);
    a line with a colon in it would have been a mapping."""
    path = tmp_path / "prompts.txt"
    path.write_text("# for the fox test\na red fox: running through snow\n\n  waves at dusk  \n")
    prompts = load_prompts(path).prompts
    assert [(p.id, p.prompt) for p in prompts] == [
        ("p1", "a red fox: running through snow"),
        ("p2", "waves at dusk"),
    ]
    path.write_text("# nothing yet\n")
    with pytest.raises(InvalidRequest, match="prompts: there are none; give at least one"):
        load_prompts(path)


def test_a_mistyped_key_names_the_prompts_file_the_closest_field_and_every_valid_one(tmp_path: Path) -> None:
    path = tmp_path / "prompts.yaml"
    path.write_text("prompts: [a fox]\nsetings: {seed: 1}\n")
    with pytest.raises(InvalidRequest) as caught:
        load_prompts(path)
    assert caught.value.message == (
        f"prompts file {path}: setings is not a known field; did you mean settings? "
        "known: prompts, settings, weights, price_per_gpu_hour, currency"
    )


@pytest.mark.parametrize(
    ("text", "said"),
    [
        # An unknown metric with no near name once ran into the list: "is not a known field known: speed".
        (
            "prompts: [a fox]\nweights: {beauty: 1}\n",
            "weights.beauty is not a known field; known: speed, cost, vram, temporal, artefacts",
        ),
        ("prompts: []\n", "prompts: there are none; give at least one (a line of text, or id: and prompt:)"),
        ("[]\n", "prompts: there are none; give at least one (a line of text, or id: and prompt:)"),
        # YAML readers keep the last of two keys and say nothing: the first weighting was never used.
        (
            "prompts: [a fox]\nweights:\n  speed: 1\n  speed: 0\n",
            "line 4, column 3: 'speed' is given twice (first on line 3); keep one",
        ),
        # It read "String should match pattern '^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$'".
        (
            "prompts:\n  - {id: my fox, prompt: a fox}\n",
            "prompts[0].id: 'my fox' is not a usable id (it names the clips); use 1 to 64 characters of "
            "A-Z, a-z, 0-9, '_' and '-', starting with a letter or digit (no spaces or dots), e.g. harbour-dawn",
        ),
        # .inf was taken as the price: results.json then held Infinity and NaN, which no JSON reader takes.
        (
            "prompts: [a fox]\nprice_per_gpu_hour: .inf\n",
            "price_per_gpu_hour: inf is not a finite number; it takes a number of at least 0",
        ),
        # Every trial failed alike with "give num_frames or seconds, not both", and the run went on.
        (
            "prompts: [a fox]\nsettings: {seconds: 1, num_frames: 9}\n",
            "settings: give num_frames or seconds, not both (either sets the clip's length)",
        ),
    ],
)
def test_a_prompts_file_mistake_is_one_line_saying_what_is_valid(
    tmp_path: Path, text: str, said: str
) -> None:
    path = tmp_path / "prompts.yaml"
    path.write_text(text)
    with pytest.raises(InvalidRequest) as caught:
        load_prompts(path)
    assert caught.value.message == f"prompts file {path}{'' if said.startswith('line') else ':'} {said}"


def test_an_entry_without_an_id_is_numbered_like_a_plain_prompt(tmp_path: Path) -> None:
    # An entry that only adds an image used to be refused with "prompts[0].id is required".
    path = tmp_path / "prompts.yaml"
    path.write_text(
        "prompts:\n  - {prompt: a harbour, image: harbour.png}\n  - a fox\n  - {id: w, prompt: waves}\n"
    )
    assert [p.id for p in load_prompts(path).prompts] == ["p1", "p2", "w"]


def test_a_model_named_twice_is_refused_since_its_trials_would_overwrite_each_other() -> None:
    with pytest.raises(InvalidRequest, match="models are named once each; repeated: ltx-tiny") as caught:
        plan_shootout(["ltx-tiny", "wan-tiny", "ltx-tiny"], PROMPTS)
    assert caught.value.param == "models[2]"


def test_more_images_than_prompts_are_refused_not_left_out_unsaid(tmp_path: Path) -> None:
    images = []
    for name in ("a", "b", "c"):
        Image.new("RGB", (32, 32)).save(tmp_path / f"{name}.png")
        images.append(str(tmp_path / f"{name}.png"))
    with pytest.raises(InvalidRequest, match="3 images for 2 prompt") as caught:
        plan_shootout(["wan-i2v-tiny"], PROMPTS, images=images)
    assert caught.value.param == "images"
    assert len(plan_shootout(["wan-i2v-tiny"], PROMPTS, images=images[:2])) == 2


def test_a_text_only_model_is_not_said_to_have_been_given_the_image(tmp_path: Path) -> None:
    image = tmp_path / "coffee.png"
    Image.fromarray(data.coffee()).save(image)
    trials = {t.key: t for t in plan_shootout(["wan-tiny", "wan-i2v-tiny"], PROMPTS, images=[str(image)])}
    assert trials["wan-tiny--p1"].request is not None and trials["wan-tiny--p1"].request.task.value == "t2v"
    assert trials["wan-tiny--p1"].image is None  # results.json and the report said it had this image
    assert trials["wan-i2v-tiny--p1"].image == str(image.resolve())


def test_a_trial_on_a_gpu_is_priced_by_its_own_time() -> None:
    from reelgen.core.shootout.plan import Trial
    from reelgen.core.shootout.results import trial_result

    trial = Trial(key="m--p", model="m", prompt_id="p", prompt="a fox")
    record = {"timings": {"locate": 1.0, "load": 9.0, "total": 46.0}, "device": {"device": "cuda:0"}}
    assert trial_result(trial, record, "clip.mp4", 2.0).cost == round(36.0 / 3600 * 2.0, 6)
    on_cpu = {**record, "device": {"device": "cpu"}}
    assert trial_result(trial, on_cpu, "clip.mp4", 2.0).cost == 0.0


def test_a_cancelled_shootout_says_what_it_left_instead_of_no_file_was_written(tmp_path: Path) -> None:
    from reelgen.core.errors import Cancelled
    from reelgen.core.progress import Progress, ProgressEvent

    progress = Progress()

    def stop_after_first_trial(event: ProgressEvent) -> None:
        if event.stage == "shootout":
            progress.cancel.cancel("cancelled with Ctrl-C")

    progress.on_event = stop_after_first_trial
    with pytest.raises(Cancelled) as caught:
        run_shootout(["wan-tiny"], PROMPTS, tmp_path / "r", progress=progress)
    assert caught.value.message == (
        "shoot-out cancelled with Ctrl-C after 1 of 2 trial(s): no report was written; the clips made so "
        f"far are in {tmp_path / 'r' / 'clips'} (finished: wan-tiny--p1)"
    )
    assert [p.name for p in (tmp_path / "r" / "clips").glob("*.mp4")] == ["wan-tiny--p1.mp4"]
