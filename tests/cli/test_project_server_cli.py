"""`reelgen project render|export|status --server`: a local project rendered by a live server, results brought home."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from tests.jobs.projects import copy_film, edit, live_api, make_film, streams

runner = CliRunner()


@pytest.fixture(scope="module")
def server(reelgen_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with live_api(tmp_path_factory.mktemp("cli-server") / "server", reelgen_home) as url:
        yield url


def lines(*args: str) -> list[str]:
    result = runner.invoke(app, ["project", *args])
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()


@pytest.fixture(scope="module")
def rendered_film(server: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """The film rendered and exported through the server once, and what the render printed: the first
    test reads it, later ones start from copies of it (none changes this folder)."""
    film = make_film(tmp_path_factory.mktemp("rendered") / "film")
    return film, lines("render", str(film), "--server", server, "--export", "-q")


def test_render_export_and_status_through_a_server(
    server: str, rendered_film: tuple[Path, list[str]], tmp_path: Path
) -> None:
    film, rendered = rendered_film
    assert [line.split()[:2] for line in rendered[:2]] == [["rendered", "boats:"], ["rendered", "pan:"]]
    assert rendered[2] == str(film / "exports" / "harbour-lights.mp4")
    # The server's clips came home: the local project reads as rendered, and exports here without a server.
    local = [json.loads(line) for line in lines("status", str(film), "--json")]
    assert [s["status"] for s in local] == ["card", "rendered", "rendered"]
    assert all(Path(s["clip"]).is_file() for s in local[1:])
    assert streams(film / "exports" / "harbour-lights.mp4")["frames"] == 32
    # Each export comes home with its record, as an in-process export writes one.
    assert json.loads((film / "exports" / "harbour-lights.json").read_text())["output"]["frames"] == 32

    remote = lines("status", str(film), "--server", server)
    assert [line.split()[:3] for line in remote] == [
        ["opening", "title", "card"],
        ["boats", "rendered", "1.0s"],
        ["pan", "rendered", "3.0s"],
    ]
    # --json through the server: the local rows' fields, the clips brought home included.
    remote_rows = [json.loads(line) for line in lines("status", str(film), "--server", server, "--json")]
    assert [set(row) for row in remote_rows] == [set(row) for row in local]
    assert [row["clip"] for row in remote_rows] == [row["clip"] for row in local]

    out = tmp_path / "film.webm"
    exported = lines("export", str(film), "--server", server, "-o", str(out), "--codec", "vp9", "-q")
    assert exported == [str(out)] and streams(out)["video"][0] == "vp9"
    assert json.loads(out.with_suffix(".json").read_text())["export"]["codec"] == "vp9"

    # -o names the file as in process: the container's suffix added, another suffix refused before any upload.
    bare = lines("export", str(film), "--server", server, "-o", str(tmp_path / "plain"), "-q")
    assert bare == [str(tmp_path / "plain.mp4")] and streams(tmp_path / "plain.mp4")["frames"] == 32
    wrong = runner.invoke(
        app, ["project", "export", str(film), "--server", server, "-o", str(tmp_path / "f.avi")]
    )
    assert wrong.exit_code == 2, wrong.output
    assert "--output: f.avi does not end in .mp4" in wrong.output and not (tmp_path / "f.avi").exists()


def test_a_changed_prompt_uploads_the_file_and_renders_that_scene_alone(
    server: str, rendered_film: tuple[Path, list[str]], tmp_path: Path
) -> None:
    # A copy of the film rendered through the server, its server project id with it: the film rendered
    # there once already (rendering a fresh one first cost the whole film again). Its boats change on the
    # server too; the later tests that copy the rendered film only export it, refused before any job.
    film = copy_film(rendered_film[0], tmp_path / "film")
    project_id = json.loads((film / ".reelgen" / "servers.json").read_text())[server]
    edit(film, lambda d: d["scenes"][1].update(prompt="small boats rocking at dawn"))
    again = lines("render", str(film), "--server", server, "-q")
    assert [line.split()[:2] for line in again] == [["rendered", "boats:"]]
    project = httpx.get(f"{server}/v1/projects/{project_id}").json()
    assert [c["kind"] for c in project["job"]["children"]] == ["scene"]  # one child: the changed scene
    assert [s["status"] for s in project["scenes"]] == ["card", "rendered", "rendered"]


def test_server_errors_name_the_scene_and_field(server: str, tmp_path: Path) -> None:
    film = make_film(tmp_path / "film")
    edit(film, lambda d: d["scenes"][2].update(start_image=str(film / "assets" / "quay.png")))
    result = runner.invoke(app, ["project", "render", str(film), "--server", server, "-q"])
    assert result.exit_code == 2
    assert (
        "scenes[2].start_image" in result.output
        and "relative path inside the project folder" in result.output
    )
    edit(film, lambda d: d["scenes"][2].update(start_image="assets/quay.png", prompt=""))
    result = runner.invoke(app, ["project", "render", str(film), "--server", server, "-q"])
    assert result.exit_code == 2 and "scene 'pan' (scenes[2]): prompt is required" in result.output


@pytest.mark.parametrize("blocked", [".reelgen", "clips"])
def test_a_project_folder_that_cannot_take_what_comes_home_is_refused_before_the_job(
    blocked: str, server: str, tmp_path: Path
) -> None:
    film = make_film(tmp_path / "film")
    (film / blocked).write_text("not a folder")
    projects_before = len(httpx.get(f"{server}/v1/projects").json()["data"])
    result = runner.invoke(app, ["project", "render", str(film), "--server", server, "-q"])
    assert result.exit_code == 2, result.output
    assert f"{blocked} is a file, not a folder" in result.output and "Traceback" not in result.output
    if blocked == ".reelgen":  # no project was made on the server that this folder could not find again
        assert len(httpx.get(f"{server}/v1/projects").json()["data"]) == projects_before


def test_exporting_through_a_server_scenes_rendered_only_here_says_clips_are_not_uploaded(
    server: str, rendered_film: tuple[Path, list[str]], tmp_path: Path
) -> None:
    # The clips are here, not on the server: the rendered film's clips in a folder this server never saw
    # (as `reelgen project render` in process leaves it: no server's project id, no export yet).
    film = copy_film(rendered_film[0], tmp_path / "film")
    (film / ".reelgen" / "servers.json").unlink()
    shutil.rmtree(film / "exports")
    assert [json.loads(row)["status"] for row in lines("status", str(film), "--json")] == [
        "card",
        "rendered",
        "rendered",
    ]
    result = runner.invoke(app, ["project", "export", str(film), "--server", server, "-q"])
    assert result.exit_code == 2
    said = " ".join(result.output.split())
    assert "never rendered: boats, pan" in said
    assert (
        f"boats, pan rendered here, but the server has no clips of them (clips are not uploaded): render "
        f"them there (`reelgen project render {film} --server {server}`), or export here without --server"
    ) in said
    assert "POST /v1" not in said  # the server's "render them first" was a render here


def test_exporting_a_scene_edited_since_the_server_rendered_it_names_the_scene_not_an_option(
    server: str, rendered_film: tuple[Path, list[str]], tmp_path: Path
) -> None:
    """The server's refusal names its request's ``scenes``, which was said as "--scene not rendered ...",
    an option `export` has not; as the export says in process, it is the scenes. Refused before any job."""
    film = copy_film(rendered_film[0], tmp_path / "film")
    # Both edited here too, so neither is "rendered here" (which says so instead), whatever the server has.
    edit(film, lambda d: [d["scenes"][i].update(prompt=f"the quay at night, take {i}") for i in (1, 2)])
    result = runner.invoke(app, ["project", "export", str(film), "--server", server, "-q"])
    assert result.exit_code == 2
    said = " ".join(result.output.split())
    assert said.startswith(
        "error: HTTP 400: scenes not rendered as they now read (changed since their last render: boats, pan)"
    )
    assert "--scene" not in said


def test_a_film_from_the_server_never_lands_on_a_clip_or_a_json_of_ones_own(
    server: str, rendered_film: tuple[Path, list[str]], tmp_path: Path
) -> None:
    # Downloaded over a scene's clip, the film (and its record) took the clip's place, the scene still
    # read as rendered and the next export joined the film in as it; a notes.json went to its record.
    film = copy_film(rendered_film[0], tmp_path / "film")  # rendered through the server, clips brought home
    clip = next((film / "clips").glob("*.mp4"))
    notes = tmp_path / "notes.json"
    notes.write_text('{"mine": true}')
    kept = {p: p.read_bytes() for p in (clip, clip.with_suffix(".json"), notes)}
    for target, said in [
        (clip, "is in the project's clips/ folder"),
        (notes.with_suffix(".mp4"), "notes.json"),
    ]:
        result = runner.invoke(
            app, ["project", "export", str(film), "--server", server, "-o", str(target), "-q"]
        )
        assert result.exit_code == 2, result.output
        assert "--output" in result.output and said in result.output.replace("\n", "")
    assert {p: p.read_bytes() for p in kept} == kept and not notes.with_suffix(".mp4").exists()
