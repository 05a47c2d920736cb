"""``/v1/projects``: projects made from uploads only, checked naming scene and field, rendered and exported live."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from fastapi.testclient import TestClient

from reelgen.cli.client import sse_events
from tests.api.conftest import files_under
from tests.jobs.helpers import wait_for
from tests.jobs.projects import FILM, live_api, make_film, streams

Client = TestClient | httpx.Client


def upload(
    client: Client,
    film: Path,
    data: dict[str, Any] | None = None,
    method: str = "POST",
    url: str = "/v1/projects",
    **extra: bytes,
) -> httpx.Response:
    """The project file (``data``, else the film's own) and the files it names, as the CLI sends them."""
    text = yaml.safe_dump(data, sort_keys=False) if data is not None else (film / "project.yaml").read_text()
    files = [("files", (rel, (film / rel).read_bytes())) for rel in ("assets/quay.png", "assets/sea.wav")]
    files += [("files", (rel, content)) for rel, content in extra.items()]
    return client.request(method, url, data={"project": text}, files=files)


@pytest.fixture
def film(tmp_path: Path) -> Path:
    return make_film(tmp_path / "film")


def changed(change: Callable[[dict[str, Any]], Any]) -> dict[str, Any]:
    data = copy.deepcopy(FILM)
    change(data)
    return data


# ---- making and changing projects (no workers needed) ---------------------------------------------


def test_a_project_is_made_from_its_file_and_uploads(client: TestClient, film: Path, data_dir: Path) -> None:
    resp = upload(client, film)
    assert resp.status_code == 201, resp.text
    project = resp.json()
    assert project["object"] == "project" and project["title"] == "Harbour Lights"
    assert [(s["scene_id"], s["status"]) for s in project["scenes"]] == [
        ("opening", "card"),
        ("boats", "missing"),
        ("pan", "missing"),
    ]
    assert [f["path"] for f in project["files"]] == ["assets/quay.png", "assets/sea.wav"]
    root = data_dir / "projects" / project["id"]
    assert (root / "assets" / "quay.png").read_bytes() == (film / "assets" / "quay.png").read_bytes()
    assert client.get(f"/v1/projects/{project['id']}").json()["scenes"] == project["scenes"]
    assert [p["id"] for p in client.get("/v1/projects").json()["data"]] == [project["id"]]
    as_json = client.post("/v1/projects", json={"project": changed(two_scenes_no_files)})
    assert as_json.status_code == 201, as_json.text


def two_scenes_no_files(data: dict[str, Any]) -> None:
    del data["soundtrack"], data["scenes"][2]
    data["scenes"][1]["transition"] = {"type": "fade", "duration": 0.5}


BAD: list[tuple[str, Callable[[dict[str, Any]], Any], str, str]] = [
    (
        "no prompt",
        lambda d: d["scenes"][1].pop("prompt"),
        "scenes[1].prompt",
        "scene 'boats' (scenes[1]): prompt is required",
    ),
    (
        "unknown model",
        lambda d: d["scenes"][1].update(model="wan-tinyy"),
        "scenes[1].model",
        "unknown model 'wan-tinyy'",
    ),
    (
        "a file outside",
        lambda d: d["scenes"][2].update(start_image="../../etc/passwd"),
        "scenes[2].start_image",
        "inside the project folder",
    ),
    (
        "a NUL in a path",
        lambda d: d["scenes"][2].update(start_image="assets/quay\x00.png"),
        "scenes[2].start_image",
        "holds a NUL character",
    ),
    (
        "an absolute path",
        lambda d: d["soundtrack"].update(file="/etc/hosts"),
        "soundtrack.file",
        "a server reads no other files",
    ),
    (
        "a file where the server keeps its clips",
        lambda d: d["scenes"][2].update(start_image="clips/quay.png"),
        "scenes[2].start_image",
        "'clips/quay.png' is in a place the server writes itself (clips, exports, project.yaml,",
    ),
    (
        "a file not sent",
        lambda d: d.update(reference_images=["assets/face.png"]),
        "reference_images[0]",
        "was not sent; send it with the project file",
    ),
    (
        "a transition too long",
        lambda d: d["scenes"][1]["transition"].update(duration=2.0),
        "scenes[1].transition",
        "scene 'boats'",
    ),
    (
        "no such codec here",
        lambda d: d.update(export={"container": "webm", "codec": "prores"}),
        "export.codec",
        "prores cannot go in webm",
    ),
]


@pytest.mark.parametrize(("change", "param", "message"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_a_bad_project_file_is_a_400_naming_scene_and_field(
    client: TestClient, film: Path, data_dir: Path, change: Any, param: str, message: str
) -> None:
    resp = upload(client, film, changed(change))
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    assert error["param"].startswith(param) and message in error["message"], error
    assert str(data_dir) not in error["message"]  # no server path in what a client reads
    assert files_under(data_dir / "projects") == []  # nothing half-made


def test_uploads_must_be_files_the_project_names(client: TestClient, film: Path, data_dir: Path) -> None:
    extra = upload(client, film, None, **{"assets/extra.png": b"x"})
    assert extra.status_code == 400 and extra.json()["error"]["param"] == "files[assets/extra.png]"
    sneaky = upload(client, film, None, **{"../escape.png": b"x"})
    assert sneaky.status_code == 400 and "inside the project folder" in sneaky.json()["error"]["message"]
    not_yaml = client.post("/v1/projects", data={"project": "title: [unclosed"})
    assert not_yaml.status_code == 400 and not_yaml.json()["error"]["param"] == "project"
    assert files_under(data_dir / "projects") == []


def test_a_part_sent_twice_or_a_file_not_utf8_is_a_400_not_a_guess(
    client: TestClient, film: Path, data_dir: Path
) -> None:
    """The last of two pictures under one path was kept silently; a Latin-1 file's Été became �t�."""
    text = (film / "project.yaml").read_text()
    quay = (film / "assets/quay.png").read_bytes()
    for name in ("assets/quay.png", "./assets/quay.png"):
        twice = upload(client, film, None, **{name: quay[::-1]})
        assert twice.status_code == 400, twice.text
        assert twice.json()["error"]["param"] == "files[assets/quay.png]"
        assert "sent twice; send each file once" in twice.json()["error"]["message"]
    two_files = [("project", ("p.yaml", text.encode())), ("project", ("q.yaml", text.encode()))]
    two = client.post("/v1/projects", files=two_files)
    assert two.status_code == 400 and "project: sent twice" in two.json()["error"]["message"], two.text
    latin = client.post("/v1/projects", files=[("project", ("p.yaml", "title: Été\n".encode("latin-1")))])
    assert latin.status_code == 400, latin.text
    assert latin.json()["error"]["message"].startswith("project: the project file is not UTF-8 text (byte 7:")
    # Pasted as a text field, a project over 1 MiB was told "Part exceeded maximum size of 1024KB.".
    pasted = client.post(
        "/v1/projects", data={"project": "#" * (1024 * 1024 + 1)}, files={"files": ("a", b"")}
    )
    assert pasted.status_code == 400, pasted.text
    assert pasted.json()["error"]["message"] == (
        "a text field of the form is over 1 MiB, the most one may hold; "
        "send the project file as a file part (curl -F project=@project.yaml)"
    )
    assert files_under(data_dir / "projects") == []


def test_an_upload_sent_without_its_folder_is_told_the_name_the_project_gives_it(
    client: TestClient, film: Path, data_dir: Path
) -> None:
    """curl -F files=@assets/sea.wav sends the part as sea.wav: the message names assets/sea.wav."""
    files = [("files", ("assets/quay.png", (film / "assets/quay.png").read_bytes()))]
    files.append(("files", ("sea.wav", (film / "assets/sea.wav").read_bytes())))
    resp = client.post("/v1/projects", data={"project": (film / "project.yaml").read_text()}, files=files)
    assert resp.status_code == 400
    assert resp.json()["error"]["message"] == (
        "files[sea.wav]: the project file names no 'sea.wav'; it names assets/sea.wav: send the part under "
        "that name, its path in the project (curl: -F 'files=@assets/sea.wav;filename=assets/sea.wav')"
    )
    assert files_under(data_dir / "projects") == []


def test_an_image_that_is_not_one_is_a_400_naming_its_field_and_file(
    client: TestClient, film: Path, data_dir: Path
) -> None:
    """Refused at upload by the name the file has in the project, not later by a worker's scratch path."""
    (film / "assets" / "quay.png").write_bytes(b"not a picture, just text\n")
    resp = upload(client, film)
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    assert error["message"].startswith("scenes[2].start_image (assets/quay.png): not a readable image; valid")
    assert error["param"] == "scenes[2].start_image"
    assert files_under(data_dir / "projects") == []


def test_a_yaml_syntax_error_is_a_400_of_one_line_naming_line_and_column(
    client: TestClient, data_dir: Path
) -> None:
    text = "title: Harbour Lights\nscenes:\n  - id: boats\n    prompt: boats: at dawn\n"
    for sent in ({"data": {"project": text}}, {"json": {"project": text}}):
        resp = client.post("/v1/projects", **sent)  # type: ignore[arg-type]
        assert resp.status_code == 400, resp.text
        assert resp.json()["error"] == {
            "type": "invalid_request_error",
            "code": "invalid_request",
            "param": "project",
            "message": "the project file line 4, column 18: mapping values are not allowed here; "
            "a value holding ': ' must be quoted: write prompt: \"boats: at dawn\"",
        }
    assert files_under(data_dir / "projects") == []


def test_a_field_given_twice_is_a_400_naming_both_lines_and_nothing_is_stored(
    client: TestClient, data_dir: Path
) -> None:
    text = "title: Harbour Lights\nscenes:\n  - prompt: boats\n    duration: 2\n    prompt: gulls\n"
    resp = client.post("/v1/projects", json={"project": text})
    assert resp.status_code == 400, resp.text
    assert resp.json()["error"]["message"] == (
        "the project file line 5, column 5: 'prompt' is given twice (first on line 3); keep one, or, if "
        "line 5 starts a new scene (a new item of the list), start it with '- ' as line 3 does"
    )
    assert files_under(data_dir / "projects") == []


def test_a_project_nested_past_any_parser_is_a_400_not_a_500(client: TestClient, data_dir: Path) -> None:
    # Each was a 500 RecursionError: the JSON body, a project object YAML's writer recursed through,
    # and YAML text PyYAML recursed through.
    deep: object = "x"
    for _ in range(500):
        deep = [deep]
    sent = (
        ("json", b'{"project": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", None),
        ("object", json.dumps({"project": {"title": "t", "scenes": deep}}).encode(), None),
        ("yaml", json.dumps({"project": "scenes: " + "[" * 5000 + "]" * 5000}).encode(), "project"),
    )
    for what, body, param in sent:
        resp = client.post("/v1/projects", content=body, headers={"content-type": "application/json"})
        assert resp.status_code == 400, (what, resp.text)
        error = resp.json()["error"]
        assert error["param"] == param and "deep" in error["message"], (what, error)
    assert files_under(data_dir / "projects") == []


def test_an_update_replaces_the_file_only_when_it_checks_out(
    client: TestClient, film: Path, data_dir: Path
) -> None:
    project = upload(client, film).json()
    url = f"/v1/projects/{project['id']}"
    before = (data_dir / "projects" / project["id"] / "project.yaml").read_text()
    bad = client.put(url, data={"project": yaml.safe_dump(changed(lambda d: d["scenes"][2].pop("prompt")))})
    assert bad.status_code == 400 and bad.json()["error"]["param"] == "scenes[2].prompt"
    assert (data_dir / "projects" / project["id"] / "project.yaml").read_text() == before
    good = client.put(
        url, data={"project": yaml.safe_dump(changed(lambda d: d["scenes"].pop(0)))}
    )  # files kept
    assert good.status_code == 200, good.text
    assert [s["scene_id"] for s in good.json()["scenes"]] == ["boats", "pan"]


def test_export_errors_name_each_setting_as_the_request_or_the_file_wrote_it(
    client: TestClient, film: Path
) -> None:
    """A setting sent with the request is ``export_settings.X``; one from the project file ``export.X``."""
    prores = changed(lambda d: d.update(export={"container": "mov", "codec": "prores"}))
    url = f"/v1/projects/{upload(client, film, prores).json()['id']}"

    def refused(body: dict[str, Any]) -> dict[str, Any]:
        resp = client.post(f"{url}/export", json={"export_settings": body})
        assert resp.status_code == 400, resp.text
        return dict(resp.json()["error"])

    folder = refused({"output": "films/night.mov"})
    assert folder["param"] == "export_settings.output"
    assert folder["message"] == (
        "export_settings.output: 'films/night.mov' must be a file name ending in .mov, with no folder"
    )
    odd = refused({"width": 63})
    assert odd["param"] == "export_settings.width"
    assert odd["message"] == "export_settings.width: 63 must be even (the codecs store colour at half size)"
    sent_crf = refused({"crf": 20})  # the request's crf against the file's ProRes
    assert sent_crf["param"] == "export_settings.crf" and sent_crf["message"].startswith(
        "export_settings.crf: ProRes has no crf"
    )
    file_codec = refused({"container": "mp4"})  # the file's codec is what no longer fits
    assert file_codec["param"] == "export.codec"
    assert file_codec["message"] == (
        "export.codec: prores cannot go in mp4; mp4 takes h264, h265, vp9 or av1. Pick one with "
        "export_settings.codec, or change codec under export: in the project file (without one, mp4 gets h264)"
    )
    render_too = client.post(f"{url}/render", json={"export": True, "export_settings": {"width": 63}})
    assert render_too.status_code == 400 and render_too.json()["error"]["param"] == "export_settings.width"


def test_a_render_without_export_refuses_export_settings_it_would_not_use(
    client: TestClient, film: Path, data_dir: Path
) -> None:
    """They were taken unchecked (even an output of ../film.mp4) and the job completed with no film."""
    url = f"/v1/projects/{upload(client, film).json()['id']}"
    for body, param in [
        ({"export_settings": {"output": "../film.mp4"}}, "export_settings.output"),
        ({"allow_stale": True}, "allow_stale"),
    ]:
        resp = client.post(f"{url}/render", json=body)
        assert resp.status_code == 400, resp.text
        error = resp.json()["error"]
        assert error["param"] == param and 'only used with "export": true' in error["message"]
    assert client.get(url).json()["job"] is None  # no job was made
    nan = client.post(
        f"{url}/export",
        content='{"export_settings": {"fps": NaN}}',
        headers={"content-type": "application/json"},
    )
    assert nan.status_code == 400 and "finite number" in nan.json()["error"]["message"], nan.text
    for route in ("render", "export"):  # a priority past any integer column was a 500 from the job store
        low = client.post(f"{url}/{route}", json={"priority": -(10**20)})
        assert low.status_code == 400 and low.json()["error"]["param"] == "priority", low.text
        assert "is too small; it takes a whole number from -1000 to" in low.json()["error"]["message"]
    assert client.get(url).json()["job"] is None


def test_jobs_are_checked_before_they_are_made_and_one_runs_at_a_time(
    client: TestClient, film: Path, data_dir: Path
) -> None:
    project = upload(client, film).json()
    url = f"/v1/projects/{project['id']}"
    unknown = client.post(f"{url}/render", json={"scenes": ["boats", "sunset"]})
    assert unknown.status_code == 400 and unknown.json()["error"]["param"] == "scenes"
    # A title card is a scene, drawn at export: said as such, as the command line says it ("no scene").
    card = client.post(f"{url}/render", json={"scenes": ["opening"]})
    assert card.status_code == 400, card.text
    assert card.json()["error"]["message"].startswith(
        "'opening': a title card is drawn at export, never rendered"
    )
    early = client.post(f"{url}/export", json={})
    assert early.status_code == 400 and "not rendered" in early.json()["error"]["message"]
    codec = client.post(
        f"{url}/render", json={"export": True, "export_settings": {"container": "webm", "codec": "prores"}}
    )
    assert codec.status_code == 400 and codec.json()["error"]["param"] == "export_settings.codec"
    typo = client.post(f"{url}/render", json={"scene": ["boats"]})
    assert typo.status_code == 400 and typo.json()["error"]["param"] == "scene"

    job = client.post(f"{url}/render", json={}, headers={"Idempotency-Key": "first-render"})
    assert job.status_code == 202, job.text
    again = client.post(f"{url}/render", json={}, headers={"Idempotency-Key": "first-render"})
    assert (again.status_code, again.json()["id"]) == (200, job.json()["id"])  # a retry, not a second job
    assert [c["key"].split("-")[0] for c in job.json()["children"]] == [
        "scene",
        "window",
    ]  # boats; pan's first
    busy = client.post(f"{url}/render", json={})
    assert busy.status_code == 409 and busy.json()["error"]["code"] == "project_busy"
    assert client.put(url, data={"project": yaml.safe_dump(FILM)}).status_code == 409
    assert client.get(url).json()["job"]["id"] == job.json()["id"]

    assert client.delete(url).json()["deleted"] is True  # the job is cancelled and goes with it
    assert client.get(url).status_code == 404
    assert client.get(f"{url}/jobs/{job.json()['id']}").status_code == 404
    assert not (data_dir / "projects" / project["id"]).exists()


# ---- through a live server -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def api(reelgen_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    server = tmp_path_factory.mktemp("projects-api") / "server"
    with (
        live_api(server, reelgen_home) as url,
        httpx.Client(base_url=url, timeout=httpx.Timeout(30.0, read=600.0)) as http,
    ):
        yield http


def events(
    http: httpx.Client, url: str, last_id: str | None = None
) -> list[tuple[str | None, str, dict[str, Any]]]:
    headers = {"Last-Event-ID": last_id} if last_id else {}
    with http.stream("GET", f"{url}/events", headers=headers) as resp:
        assert resp.status_code == 200
        return list(sse_events(resp.iter_lines()))


@pytest.fixture(scope="module")
def rendered(api: httpx.Client, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The film made on the server, rendered and exported in one job, with every event of that job."""
    film = make_film(tmp_path_factory.mktemp("api-film") / "film")
    project = upload(api, film).json()
    job = api.post(f"/v1/projects/{project['id']}/render", json={"export": True})
    assert job.status_code == 202, job.text
    seen = events(api, job.json()["urls"]["self"])
    return {"project": project, "job": job.json(), "events": seen, "film": film}


def test_a_render_streams_its_scenes_progress_and_ends_with_the_film(
    api: httpx.Client, rendered: dict[str, Any]
) -> None:
    seen, job = rendered["events"], rendered["job"]
    names = [name for _, name, _ in seen]
    assert names[0] == "open" and names[-1] == "completed"
    final = seen[-1][2]["job"]
    assert final["status"] == "completed" and final["progress"] == 100
    assert [(c["kind"], c["status"]) for c in final["children"]] == [("scene", "completed")] * 4 + [
        ("export", "completed")
    ]
    stages = {d.get("stage") for _, n, d in seen if n == "progress"}
    assert {"denoise", "window", "project", "export"} <= stages
    windows = [d for _, n, d in seen if n == "progress" and d.get("stage") == "window" and d.get("message")]
    assert [(d["scene"], d["message"].split(": ")[1]) for d in windows] == [
        ("boats", "window 1/1"),
        ("pan", "window 1/3"),
        ("pan", "window 2/3"),
        ("pan", "window 3/3"),
    ]
    percents = [d["progress"] for _, n, d in seen if n == "progress"]
    assert percents == sorted(percents) and percents[-1] >= 99  # overall, never going back
    # Joining after the end replays the percentages as they were when each event happened.
    late = [d["progress"] for _, n, d in events(api, job["urls"]["self"]) if n == "progress"]
    assert late == sorted(late) and late[0] < 25 and late[-1] >= 99 and len(late) == len(percents)
    # Resuming from any event gives exactly the events after it.
    middle = len(seen) // 2
    again = events(api, job["urls"]["self"], seen[middle][0])
    assert [(n, d.get("stage"), d.get("child")) for _, n, d in again[1:]] == [
        (n, d.get("stage"), d.get("child")) for _, n, d in seen[middle + 1 :]
    ]


def test_the_film_downloads_with_range_and_the_clips_come_as_rendered(
    api: httpx.Client, rendered: dict[str, Any], tmp_path: Path
) -> None:
    url = f"/v1/projects/{rendered['project']['id']}"
    project = api.get(url).json()
    assert [s["status"] for s in project["scenes"]] == ["card", "rendered", "rendered"]
    assert [e["name"] for e in project["exports"]] == ["harbour-lights.mp4"]
    whole = api.get(f"{url}/exports/harbour-lights.mp4")
    assert whole.status_code == 200 and whole.headers["content-type"] == "video/mp4"
    part = api.get(f"{url}/exports/harbour-lights.mp4", headers={"Range": "bytes=100-199"})
    assert part.status_code == 206 and part.content == whole.content[100:200]
    (tmp_path / "film.mp4").write_bytes(whole.content)
    film = streams(tmp_path / "film.mp4")
    # 1 s card + 1 s + 3 s at 8 fps, less a 0.5 s fade and a 0.5 s dissolve; the music under all of it.
    assert film["frames"] == 40 - 8 and film["audio"]
    key = project["scenes"][1]["key"]
    clip = api.get(f"{url}/clips/{key}")
    assert clip.status_code == 200 and clip.content[4:8] == b"ftyp"
    assert api.get(f"{url}/clips/{key}", params={"variant": "metadata"}).json()["key"] == key
    assert api.get(f"{url}/exports/..%2Fproject.yaml").status_code == 404


def test_an_export_alone_renders_nothing_and_a_failed_one_keeps_the_last(
    api: httpx.Client, rendered: dict[str, Any]
) -> None:
    url = f"/v1/projects/{rendered['project']['id']}"
    webm = api.post(f"{url}/export", json={"export_settings": {"container": "webm", "codec": "vp9"}})
    assert webm.status_code == 202, webm.text
    done = events(api, webm.json()["urls"]["self"])[-1][2]["job"]
    assert done["status"] == "completed" and [c["kind"] for c in done["children"]] == ["export"]
    assert done["export"]["name"] == "harbour-lights.webm"
    # An MKV film (H.264 and AAC) is listed and downloads as the others do.
    mkv = api.post(f"{url}/export", json={"export_settings": {"container": "mkv"}})
    assert mkv.status_code == 202, mkv.text
    assert events(api, mkv.json()["urls"]["self"])[-1][2]["job"]["export"]["name"] == "harbour-lights.mkv"
    assert "harbour-lights.mkv" in [e["name"] for e in api.get(url).json()["exports"]]
    film = api.get(f"{url}/exports/harbour-lights.mkv")
    assert film.status_code == 200 and film.headers["content-type"] == "video/x-matroska"

    before = api.get(f"{url}/exports/harbour-lights.mp4").content
    # A font that is no font is refused with the upload, as an image that is no image is.
    with_font = changed(
        lambda d: d.update(export={"texts": [{"text": "Harbour", "end": 1, "font": "assets/t.ttf"}]})
    )
    put = upload(api, rendered["film"], with_font, "PUT", url, **{"assets/t.ttf": b"not a font"})
    assert put.status_code == 400 and put.json()["error"]["param"] == "export.texts[0].font", put.text
    # A LUT of the right rows with a line only FFmpeg's lut3d refuses fails when the export runs.
    lut = b"LUT_3D_SIZE 2\nLUT_3D_INPUT_GAMMA 2.2\n" + b"0 0 0\n" * 8
    with_lut = changed(lambda d: d.update(export={"lut": "assets/grade.cube"}))
    put = upload(api, rendered["film"], with_lut, "PUT", url, **{"assets/grade.cube": lut})
    assert put.status_code == 200, put.text
    assert [s["status"] for s in put.json()["scenes"]] == [
        "card",
        "rendered",
        "rendered",
    ]  # export settings only
    failed = api.post(f"{url}/export", json={})
    end = events(api, failed.json()["urls"]["self"])[-1]
    assert end[1] == "failed"
    error = end[2]["job"]["error"]
    assert error["code"] == "export_failed"
    assert "export.lut: assets/grade.cube could not be read by FFmpeg's lut3d" in error["message"]
    assert api.get(f"{url}/exports/harbour-lights.mp4").content == before


def test_cancelling_a_render_stops_its_scene_and_keeps_what_was_done(
    api: httpx.Client, rendered: dict[str, Any]
) -> None:
    url = f"/v1/projects/{rendered['project']['id']}"
    job = api.post(f"{url}/render", json={"scenes": ["pan"], "force": True}).json()
    jurl = job["urls"]["self"]

    def denoising() -> bool:
        return any(
            c["status"] == "in_progress" and c["stage"] == "denoise" for c in api.get(jurl).json()["children"]
        )

    wait_for(denoising, timeout_s=300, what="a window to be denoising")
    cancelled = api.post(f"{jurl}/cancel").json()
    assert cancelled["status"] == "cancelled"
    final = events(api, jurl)[-1]
    assert final[1] == "cancelled"
    wait_for(
        lambda: all(c["status"] != "in_progress" for c in api.get(jurl).json()["children"]),
        what="children to stop",
    )
    again = api.post(f"{url}/render", json={})
    assert again.status_code == 202  # the project is free again
    # Not left rendering pan's three windows on the shared worker beside the tests after this one.
    assert api.post(f"{again.json()['urls']['self']}/cancel").status_code == 200


PLAN_IN_A_FRESH_PROCESS = """
import sys
from pathlib import Path
from fastapi.testclient import TestClient
from reelgen.api.app import create_app
from reelgen.api.settings import ApiSettings
from reelgen.jobs.settings import JobSettings

film, data = Path(sys.argv[1]), Path(sys.argv[2])
app = create_app(ApiSettings(jobs=JobSettings(data_dir=data), serve_web=False), start_service=False)
with TestClient(app) as client:
    files = [("files", (rel, (film / rel).read_bytes())) for rel in ("assets/quay.png", "assets/sea.wav")]
    made = client.post("/v1/projects", data={"project": (film / "project.yaml").read_text()}, files=files)
    assert made.status_code == 201, made.text
    job = client.post(f"/v1/projects/{made.json()['id']}/render", json={"export": True})
    assert job.status_code == 202, job.text
print(sorted(m for m in ("torch", "diffusers") if m in sys.modules))
"""


def test_the_api_plans_projects_and_makes_their_jobs_without_torch(film: Path, tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-c", PLAN_IN_A_FRESH_PROCESS, str(film), str(tmp_path / "server")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    assert out.stdout.strip().splitlines()[-1] == "[]"
