"""`reelgen batch --server` and `reelgen shootout --server` against a live server, compared with in-process runs."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest
from typer.testing import CliRunner, Result

from reelgen.cli import app
from tests.api.serving import free_port, serving_jobtest
from tests.jobs.batch_cases import ITEMS, make_shots

runner = CliRunner()
#: A real tiny model along a camera path, a Ken Burns clip, a path outside its image, a blurred keyframe.
MANIFEST = {
    "defaults": {"width": 64, "height": 64, "num_frames": 9, "fps": 8, "prompt": "a slow move", "seed": 4},
    "items": [
        {
            "output": "b-wan",
            "images": ["coffee.png"],
            "model": "wan-i2v-tiny",
            "motion": {"preset": "pan-right"},
        },
        {
            "output": "a-zoom",
            "images": ["astronaut.png"],
            "model": "ken-burns",
            "motion": {"preset": "zoom-in"},
        },
        ITEMS[3],
        ITEMS[4],
    ],
}


def said(result: Result) -> str:
    """What the command printed, with rich's line wrapping undone."""
    return " ".join(result.output.split())


@pytest.fixture(scope="module")
def served_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("served")


@pytest.fixture(scope="module")
def server(served_root: Path) -> Iterator[str]:
    """A live server (one CPU worker, the jobtest family) that may read and write under ``served_root``:
    one for the module, its worker's models loaded once; each test waits for its own jobs to end."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("REELGEN_BATCH_ROOTS", str(served_root))
        with serving_jobtest(served_root / "jobs") as url:
            yield url


@pytest.fixture
def work(served_root: Path, request: pytest.FixtureRequest) -> Path:
    """This test's own folder, under the folders the server may use."""
    folder = served_root / request.node.name
    folder.mkdir()
    return folder


def frames(path: Path) -> np.ndarray:
    with av.open(str(path)) as container:
        return np.stack([f.to_ndarray(format="rgb24") for f in container.decode(video=0)])


def companion(path: Path, here: Path, there: Path) -> dict[str, Any]:
    """A companion file with ``here`` written as ``there``, without what differs between any two runs."""
    data: dict[str, Any] = json.loads(path.read_text().replace(str(here), str(there)))
    data.pop("finished_at", None)
    # The MP4's size, kept so a resume can tell a clip cut short: the two runs' clips may differ by a
    # byte of encoding (their frames by invisible rounding at most, checked above).
    data.pop("video_bytes", None)
    (data.get("metrics") or {}).pop("timings", None)
    return data


def files_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def test_the_same_batch_through_a_live_server_gives_the_same_files(server: str, work: Path) -> None:
    shots = make_shots(work / "shots")
    manifest = shots / "manifest.json"
    manifest.write_text(json.dumps(MANIFEST))
    here, there = shots / "in-process", shots / "served"
    local = runner.invoke(app, ["batch", str(manifest), "--output-dir", str(here), "-q"])
    served = runner.invoke(
        app, ["batch", str(manifest), "--output-dir", str(there), "-q", "--server", server]
    )

    assert (local.exit_code, served.exit_code) == (1, 1), served.output  # one item failed, in both
    counts = "2 of 4 done (0 from an earlier run), 1 failed, 1 skipped"
    assert counts in said(local) and counts in said(served)
    assert "failed outside: items[2].motion.end: the crop 300x300 at (300, 0) reaches outside" in said(served)
    assert served.stdout.strip().splitlines()[-1] == str(there / "batch-summary.json")
    assert files_under(here) == files_under(there)  # clips, records, companions, crops, the summary
    for name in ("a-zoom", "b-wan"):
        mine, theirs = frames(here / f"{name}.mp4"), frames(there / f"{name}.mp4")
        assert mine.shape == theirs.shape == (9, 64, 64, 3)
        assert np.abs(mine.astype(int) - theirs.astype(int)).max() <= 2  # invisible rounding at most
        for suffix in (".video_meta.json", ".motion.json"):
            assert companion(here / f"{name}{suffix}", here, there) == companion(
                there / f"{name}{suffix}", there, there
            )
    mine, theirs = (json.loads((folder / "batch-summary.json").read_text()) for folder in (here, there))
    same = ("total", "done", "reused", "failed", "skipped")
    assert {k: mine[k] for k in same} == {k: theirs[k] for k in same}
    assert [Path(p).relative_to(here) for p in mine["outputs"]] == [
        Path(p).relative_to(there) for p in theirs["outputs"]
    ]

    again = runner.invoke(app, ["batch", str(manifest), "--output-dir", str(there), "-q", "--server", server])
    assert "2 of 4 done (2 from an earlier run)" in said(again)  # resumable on a server too


def test_a_shootout_on_a_server_writes_its_report_where_asked(server: str, work: Path) -> None:
    prompts = work / "prompts.yaml"
    prompts.write_text("prompts: [a lighthouse at night]\nsettings: {seed: 2}\n")
    out = work / "compare"
    args = ["shootout", "-m", "jobtest-tiny", "-p", str(prompts), "-o", str(out), "-q", "--server", server]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().splitlines()[-1] == str(out / "report.html")
    assert "jobtest-tiny: mean score" in said(result) and "(1 of 1 finished)" in said(result)
    numbers = json.loads((out / "results.json").read_text())
    assert [(t["key"], t["status"]) for t in numbers["trials"]] == [("jobtest-tiny--p1", "done")]
    assert (out / "clips" / "jobtest-tiny--p1.mp4").is_file() and (out / "report.html").is_file()


def test_server_runs_refuse_in_process_options_and_say_when_no_server_answers(tmp_path: Path) -> None:
    shots = make_shots(tmp_path / "shots")
    manifest = shots / "manifest.json"
    manifest.write_text(json.dumps(MANIFEST))
    nowhere = f"http://127.0.0.1:{free_port()}"
    refused = runner.invoke(app, ["batch", str(manifest), "--server", nowhere, "--device", "cpu"])
    assert refused.exit_code == 2 and "--device applies in process only; drop it with --server" in said(
        refused
    )
    unreachable = runner.invoke(app, ["batch", str(manifest), "--server", nowhere])
    assert unreachable.exit_code == 1 and f"cannot reach {nowhere}" in said(unreachable)
    assert not (shots / "outputs").exists()
