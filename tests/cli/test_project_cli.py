"""`reelgen project` as a person uses it: start a project, render, check status, export, fix mistakes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core.encode import METADATA_KEY
from reelgen.core.media import probe

runner = CliRunner()


#: A full gc.collect per model unload is skipped here (tests/conftest.py says why).
pytestmark = pytest.mark.usefixtures("no_collection_per_unload")


def new_film(folder: Path) -> Path:
    """`reelgen project new` with its scenes moved to wan-tiny at 48x32 and 4 fps (one window each)."""
    result = runner.invoke(app, ["project", "new", str(folder), "--title", "Night Drive"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(folder)
    data = yaml.safe_load((folder / "project.yaml").read_text())
    assert data["title"] == "Night Drive" and [s["id"] for s in data["scenes"]] == [
        "opening",
        "first-shot",
        "second-shot",
    ]
    data["defaults"].update(model="wan-tiny", width=48, height=32, fps=4)
    (folder / "project.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    return folder


@pytest.fixture
def film(tmp_path: Path) -> Path:
    return new_film(tmp_path / "film")


@pytest.fixture(scope="module")
def rendered_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = new_film(tmp_path_factory.mktemp("rendered") / "film")
    result = runner.invoke(app, ["project", "render", str(folder), "-q"])
    assert result.exit_code == 0, result.output
    return folder


@pytest.fixture
def rendered(rendered_once: Path, tmp_path: Path) -> Path:
    """``film`` rendered: a copy of the module's one render (clips, records and mtimes as they were),
    this test's own to export from and edit."""
    return Path(shutil.copytree(rendered_once, tmp_path / "film"))


def test_new_render_status_export_and_nothing_twice(film: Path) -> None:
    status = runner.invoke(app, ["project", "status", str(film)])
    assert status.exit_code == 0, status.output
    assert [line.split()[:3] for line in status.stdout.splitlines()] == [
        ["opening", "title", "card"],
        ["first-shot", "not", "rendered"],
        ["second-shot", "not", "rendered"],
    ]

    render = runner.invoke(app, ["project", "render", str(film), "-q"])
    assert render.exit_code == 0, render.output
    assert [line.split()[:2] for line in render.stdout.splitlines()] == [
        ["rendered", "first-shot:"],
        ["rendered", "second-shot:"],
    ]
    again = runner.invoke(app, ["project", "render", str(film), "-q"])
    assert again.exit_code == 0 and "nothing to render" in again.output

    rows = [
        json.loads(line)
        for line in runner.invoke(app, ["project", "status", str(film), "--json"]).stdout.splitlines()
    ]
    assert [r["status"] for r in rows] == ["card", "rendered", "rendered"]
    assert all(Path(r["clip"]).is_file() for r in rows[1:])

    export = runner.invoke(app, ["project", "export", str(film), "-q"])
    assert export.exit_code == 0, export.output
    path = Path(export.stdout.strip())
    assert path == film / "exports" / "night-drive.mp4"
    # 2 s each at 4 fps, a 0.5 s fade and a 0.5 s dissolve between them; the last one fades out.
    assert probe(path)["frames"] == 24 - 4


def carried(film: Path) -> dict[str, Any]:
    """The record a film carries in its container's tags (MP4 and WebM alike)."""
    import av

    with av.open(str(film)) as container:
        tags = {k.lower(): v for k, v in container.metadata.items()}
    record: dict[str, Any] = json.loads(tags[METADATA_KEY])
    return record


def test_export_to_another_container_with_overrides_renders_nothing(rendered: Path, tmp_path: Path) -> None:
    film = rendered
    again = runner.invoke(app, ["project", "render", str(film), "-q"])  # the copy is whole: no scene stale
    assert again.exit_code == 0 and "nothing to render" in again.output, again.output
    clips = sorted(p.stat().st_mtime_ns for p in (film / "clips").glob("*.mp4"))
    out = tmp_path / "small.webm"
    result = runner.invoke(
        app,
        [
            "project",
            "export",
            str(film),
            "-o",
            str(out),
            "--codec",
            "vp9",
            "--width",
            "96",
            "--height",
            "64",
            "-q",
        ],
    )
    assert result.exit_code == 0, result.output
    info = probe(out)
    assert (info["codec"], info["width"], info["height"]) == ("vp9", 96, 64)
    assert sorted(p.stat().st_mtime_ns for p in (film / "clips").glob("*.mp4")) == clips
    # The same name as .mp4 too: small.json is the later film's record, and each film carries its own.
    assert (
        runner.invoke(
            app, ["project", "export", str(film), "-o", str(out.with_suffix(".mp4")), "-q"]
        ).exit_code
        == 0
    )
    assert json.loads(out.with_suffix(".json").read_text())["export"]["codec"] == "h264"
    assert carried(out)["export"]["codec"] == "vp9"  # its record, no longer beside it, is inside it
    assert carried(out.with_suffix(".mp4"))["output"]["frames"] == probe(out)["frames"]
    # An output the container cannot be is named as typed: --output, not the file's export.output.
    avi = runner.invoke(app, ["project", "export", str(film), "-o", str(tmp_path / "film.avi"), "-q"])
    assert avi.exit_code == 2
    assert (
        avi.output
        == "error: --output: film.avi does not end in .mp4, the container asked for (export.container); "
        "name it film.mp4 (films are .mp4, .mov, .mkv or .webm; .gif makes a looping GIF without sound)\n"
    )
    # An -o name ending in .mkv picks MKV, as one ending in .webm picks WebM.
    mkv = runner.invoke(app, ["project", "export", str(film), "-o", str(tmp_path / "film.mkv"), "-q"])
    assert mkv.exit_code == 0, mkv.output
    assert carried(tmp_path / "film.mkv")["export"]["container"] == "mkv"
    # In capitals too: film.MKV was refused as "does not end in .mp4".
    upper = runner.invoke(app, ["project", "export", str(film), "-o", str(tmp_path / "film.MKV"), "-q"])
    assert upper.exit_code == 0, upper.output
    assert carried(tmp_path / "film.MKV")["export"]["container"] == "mkv"
    mov = runner.invoke(
        app, ["project", "export", str(film), "--container", "mov", "-o", str(tmp_path / "film.mp4"), "-q"]
    )
    assert mov.exit_code == 2
    assert (
        mov.output
        == "error: --output: film.mp4 does not end in .mov, the container asked for (--container); "
        "name it film.mov (films are .mp4, .mov, .mkv or .webm; .gif makes a looping GIF without sound)\n"
    )


def test_a_webm_output_gets_vp9_unless_the_file_chose_a_codec_that_cannot_go_in_it(
    rendered: Path, tmp_path: Path
) -> None:
    film = rendered
    assert (
        "codec" not in yaml.safe_load((film / "project.yaml").read_text())["export"]
    )  # as `project new` makes it
    assert runner.invoke(app, ["project", "render", str(film), "-q"]).exit_code == 0
    webm = runner.invoke(app, ["project", "export", str(film), "-o", str(tmp_path / "film.webm"), "-q"])
    assert webm.exit_code == 0, webm.output
    assert probe(tmp_path / "film.webm")["codec"] == "vp9"
    assert json.loads((tmp_path / "film.json").read_text())["export"]["codec"] == "vp9"

    typed = runner.invoke(
        app, ["project", "export", str(film), "-o", str(tmp_path / "a.webm"), "--codec", "h264", "-q"]
    )
    assert typed.exit_code == 2
    assert (
        typed.output
        == "error: --codec: h264 cannot go in webm; webm takes vp9 or av1. Pick one with --codec\n"
    )

    data = yaml.safe_load((film / "project.yaml").read_text())
    data["export"]["codec"] = "h264"  # chosen in the file: kept, and the refusal says what to do
    (film / "project.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    chosen = runner.invoke(app, ["project", "export", str(film), "-o", str(tmp_path / "b.webm"), "-q"])
    assert chosen.exit_code == 2
    assert chosen.output == (
        "error: export.codec: h264 cannot go in webm; webm takes vp9 or av1. Pick one with --codec, "
        "or change codec under export: in the project file (without one, webm gets vp9) (project.yaml line 31)\n"
    )
    assert not (tmp_path / "b.webm").exists()
    vp9 = runner.invoke(
        app, ["project", "export", str(film), "-o", str(tmp_path / "c.webm"), "--codec", "vp9", "-q"]
    )
    assert vp9.exit_code == 0 and probe(tmp_path / "c.webm")["codec"] == "vp9"


def test_a_mistake_in_the_file_is_named_with_its_scene_and_field(film: Path) -> None:
    data = yaml.safe_load((film / "project.yaml").read_text())
    del data["scenes"][2]["prompt"]
    (film / "project.yaml").write_text(yaml.safe_dump(data))
    result = runner.invoke(app, ["project", "render", str(film), "-q"])
    assert result.exit_code == 2
    assert "scene 'second-shot' (scenes[2]): prompt is required" in result.output
    assert not list((film / "clips").glob("*.mp4"))


def test_bad_export_choices_and_missing_projects_are_refused(film: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["project", "export", str(film), "--container", "webm", "--codec", "prores"])
    assert result.exit_code == 2 and "prores cannot go in webm" in result.output
    # Each mistake is named by the option typed, not by the project file's export.* field.
    for args, said in [
        (
            ["--codec", "prores"],
            "--codec: prores cannot go in mp4; mp4 takes h264, h265, vp9 or av1. Pick one with --codec",
        ),
        (["--width", "63"], "--width: 63 must be even (the codecs store colour at half size)"),
        (
            ["--fps", "nan"],
            "--fps: nan is not a finite number; it takes a number above 0 and at most 240",
        ),
        (["--codec", "divx"], "--codec: 'divx' is not a choice; give one of h264, h265, vp9, av1 or prores"),
    ]:
        for where in ([], ["--server", "http://127.0.0.1:9"]):  # checked here before any server is asked
            result = runner.invoke(app, ["project", "export", str(film), *args, *where, "-q"])
            assert result.exit_code == 2 and result.output == f"error: {said}\n", (args, where)
    (tmp_path / "films").mkdir()
    into_folder = runner.invoke(app, ["project", "export", str(film), "-o", str(tmp_path / "films"), "-q"])
    assert (
        into_folder.exit_code == 2
        and "--output: " in into_folder.output
        and "is a folder" in into_folder.output
    )
    assert not (tmp_path / "films.mp4").exists()
    missing = runner.invoke(app, ["project", "status", str(tmp_path / "nowhere")])
    assert missing.exit_code == 2 and "reelgen project new" in missing.output
    again = runner.invoke(app, ["project", "new", str(film)])
    assert again.exit_code == 2 and "already exists" in again.output


def test_render_options_that_cannot_apply_are_refused_not_ignored(film: Path) -> None:
    """--device and --vram-budget are in-process choices; --export is the server's one job. Nothing renders."""
    server = ["--server", "http://127.0.0.1:9"]  # refused before any server is asked
    for args, said in [
        ([*server, "--device", "cuda:3"], "--device applies in process only; drop it with --server"),
        ([*server, "--vram-budget", "2"], "--vram-budget applies in process only"),
        (["--export"], "--export works with --server only"),
    ]:
        result = runner.invoke(app, ["project", "render", str(film), *args, "-q"])
        assert result.exit_code == 2 and said in result.output, (args, result.output)
    assert not list((film / "clips").iterdir())


def test_rendering_a_scene_id_the_project_lacks_names_those_it_has(film: Path) -> None:
    result = runner.invoke(app, ["project", "render", str(film), "-q", "-s", "frist-shot"])
    assert result.exit_code == 2
    assert result.output == (
        "error: no scene 'frist-shot' in the project; did you mean first-shot? "
        "scenes to render: first-shot, second-shot\n"
    )
    assert not list((film / "clips").iterdir())
    # Nothing near: only the scenes there are.
    result = runner.invoke(app, ["project", "render", str(film), "-q", "-s", "harbour"])
    assert result.exit_code == 2
    assert (
        result.output
        == "error: no scene 'harbour' in the project; scenes to render: first-shot, second-shot\n"
    )


def test_schema_prints_the_project_files_json_schema() -> None:
    result = runner.invoke(app, ["project", "schema"])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["title"] == "reelgen project" and {"title", "scenes"} <= set(schema["required"])


def test_a_misspelt_field_is_one_line_with_the_name_meant(film: Path) -> None:
    data = yaml.safe_load((film / "project.yaml").read_text())
    data["scenes"][0]["duraton"] = data["scenes"][0].pop("duration")
    (film / "project.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    result = runner.invoke(app, ["project", "render", str(film), "-q"])
    assert result.exit_code == 2
    assert result.output == (
        "error: scene 'opening' (scenes[0]): duraton is not a known field; did you mean duration? "
        "(project.yaml line 16)\n"
    )


def test_a_render_says_which_scenes_were_edited_while_it_ran(
    film: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reelgen.core.project import render as project_render

    real = project_render.render_scene

    def render_scene(*args: Any, **kwargs: Any) -> Any:  # the person saves an edit mid-render
        text = (film / "project.yaml").read_text().replace("a blue circle", "a green circle")
        (film / "project.yaml").write_text(text)
        return real(*args, **kwargs)

    monkeypatch.setattr(project_render, "render_scene", render_scene)
    result = runner.invoke(app, ["project", "render", str(film), "-q", "-s", "second-shot"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("rendered second-shot: ")
    assert (
        "changed while rendering: second-shot now reads differently than when the render began; "
        "render again\n" in result.output
    )
    status = runner.invoke(app, ["project", "status", str(film)])
    assert status.stdout.splitlines()[2].split()[:2] == ["second-shot", "stale"]


def test_rendering_a_title_card_by_id_says_it_is_drawn_at_export(film: Path) -> None:
    result = runner.invoke(app, ["project", "render", str(film), "-q", "-s", "opening"])
    assert result.exit_code == 2
    assert result.output == (
        "error: 'opening': a title card is drawn at export, never rendered; "
        "scenes to render: first-shot, second-shot\n"
    )
    assert not list((film / "clips").iterdir())


def test_a_clip_cut_short_is_named_by_its_scene_with_the_way_to_mend_it(film: Path) -> None:
    assert runner.invoke(app, ["project", "render", str(film), "-q", "-s", "first-shot"]).exit_code == 0
    (clip,) = (film / "clips").glob("*.mp4")
    clip.write_bytes(clip.read_bytes()[:500])  # a disk that filled up as it was written
    data = yaml.safe_load((film / "project.yaml").read_text())
    del data["scenes"][2]  # never rendered
    data["scenes"][1]["transition"] = {"type": "fade", "duration": 0.5}
    (film / "project.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    result = runner.invoke(app, ["project", "export", str(film), "-q"])
    assert result.exit_code == 2 and len(result.output.splitlines()) == 1
    assert result.output.startswith(
        f"error: scene 'first-shot' (scenes[1]): clip {clip} is not a readable video"
    )
    # The scene's own id, to copy and run as it is ("--scene ID" left the person to look it up).
    assert result.output.endswith(
        f"; render the scene again (`reelgen project render {film} --force --scene first-shot`)\n"
    )
    assert not list((film / "exports").iterdir())


def test_new_says_the_render_command_as_a_shell_reads_it(tmp_path: Path) -> None:
    result = runner.invoke(app, ["project", "new", str(tmp_path / "night drive")])
    assert result.exit_code == 0
    assert f"`reelgen project render '{tmp_path / 'night drive'}'`" in result.stderr


def test_an_export_is_summed_up_in_the_same_words_here_and_through_a_server() -> None:
    from reelgen.cli.project_server import film_line

    # Through a server it said "@ 12.0 fps (silent)", without the length a local export gives.
    assert film_line(60, 128, 128, 12.0, False) == "60 frames 128x128 @ 12 fps (5.00s, silent)"
    assert film_line(1, 64, 64, 8.0, False) == "1 frame 64x64 @ 8 fps (0.12s, silent)"  # not "1 frames"
    assert (
        film_line(120, 640, 360, 30000 / 1001, True) == "120 frames 640x360 @ 29.97 fps (4.00s, with sound)"
    )


def test_new_with_an_empty_name_is_refused_not_made_in_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["project", "new", ""])
    assert result.exit_code == 2 and "it is empty; give a folder name" in result.output
    assert list(tmp_path.iterdir()) == []


def test_a_scene_missing_the_input_its_model_needs_names_the_project_files_field(film: Path) -> None:
    data = yaml.safe_load((film / "project.yaml").read_text())
    data["scenes"][1]["model"] = "wan-i2v-tiny"
    (film / "project.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    result = runner.invoke(app, ["project", "render", str(film), "-q"])
    assert result.exit_code == 2
    assert "scene 'first-shot' (scenes[1]): " in result.output
    # the field, not --image; and the line of the scene that lacks it
    assert result.output.rstrip().endswith("give a start image (start_image) (project.yaml line 17)")


def test_new_writes_an_accented_title_as_the_person_typed_it(tmp_path: Path) -> None:
    result = runner.invoke(app, ["project", "new", str(tmp_path / "film"), "--title", 'Été: "à Paris"'])
    assert result.exit_code == 0, result.output
    text = (tmp_path / "film" / "project.yaml").read_text(encoding="utf-8")
    assert 'title: "Été: \\"à Paris\\""' in text  # not "\u00c9t\u00e9" in the file the person edits
    assert yaml.safe_load(text)["title"] == 'Été: "à Paris"'


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (
            ["日本 映画"],
            "the folder name '日本 映画' (the title without --title) is the opening title card's text",
        ),
        (
            ["film", "--title", "a\x01b"],
            "cannot be the film's title: holds the control character U+0001, which is not a letter to draw",
        ),
        (
            ["film", "--title", "a" * 301],
            "String should have at most 300 characters; give a --title that can",
        ),
    ],
)
def test_new_refuses_a_title_its_project_could_not_show_and_makes_nothing(
    tmp_path: Path, args: list[str], words: str
) -> None:
    # Each was made, and the project's first `status` then failed on its own title card.
    result = runner.invoke(app, ["project", "new", str(tmp_path / args[0]), *args[1:]])
    assert result.exit_code == 2 and words in result.output
    assert list(tmp_path.iterdir()) == []


def test_a_second_render_of_a_scene_being_rendered_is_refused_before_any_work(film: Path) -> None:
    # Two renders of one scene each deleted the windows the other read: the second was an internal error.
    from reelgen.core.project import ProjectFolder, plan_project, stale_scenes
    from reelgen.core.project.lock import scenes_held

    folder = ProjectFolder.find(film)
    first = [p for p in stale_scenes(folder, plan_project(folder)) if p.scene_id == "first-shot"]
    with scenes_held(folder.root, first):  # as the other `reelgen project render` holds it
        result = runner.invoke(app, ["project", "render", str(film), "-q"])
    assert result.exit_code == 1, result.output
    assert result.output.startswith(
        "error: scene 'first-shot' (scenes[1]) is being rendered by another `reelgen project render`"
    )
    assert "Traceback" not in result.output and "internal error" not in result.output
    assert not list((film / "clips").iterdir())  # the other scene waited too: nothing half-done
