"""A bad option value is said with the option a person typed (--limit, --variant, --scene, --device,
--api-key), an empty folder option is refused instead of meaning the current folder, and a bad
--device is refused before any work."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner, Result

from reelgen.cli import app
from reelgen.cli import client as client_cli
from tests.api.serving import serving_jobtest
from tests.jobs.fakes import MODEL
from tests.jobs.projects import make_film

runner = CliRunner()
UNKNOWN = "video_" + "0" * 32


def said(result: Result) -> str:
    return " ".join(result.output.split())


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One job service (one worker process) behind the API for the module's tests that talk to a server.

    Each checks how a request the server refuses is said; the one job any makes (the download test's
    submit) is a jobtest render nothing waits for or reads, so no test needs a server of its own.
    """
    with serving_jobtest(tmp_path_factory.mktemp("typed") / "jobs") as url:
        yield url


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        # (--limit's range and --status's states are checked before the server is asked:
        # tests/cli/test_option_range_words.py, tests/cli/test_s56a_option_words.py)
        (["list", "--after", UNKNOWN], f"error: HTTP 400: --after: no video '{UNKNOWN}' to continue from"),
    ],
    ids=["after"],
)
def test_list_names_the_option_the_server_refused(server: str, args: list[str], expected: str) -> None:
    """It said ``limit: Input should be ... (limit)``: the API's field, twice, and no option."""
    result = runner.invoke(app, [*args, "--server", server])
    assert result.exit_code == 2, result.output
    assert expected in said(result)
    assert not said(result).endswith(")"), result.output


def test_download_names_variant_and_an_unknown_id_is_said_once(server: str, tmp_path: Path) -> None:
    video_id = runner.invoke(app, ["submit", "a fox", "--model", MODEL, "--server", server]).stdout.split()[0]
    wrong = runner.invoke(
        app, ["download", video_id, "--variant", "poster", "-o", str(tmp_path / "a.png"), "--server", server]
    )
    assert wrong.exit_code == 2, wrong.output
    # Refused before the server is asked (tests/cli/test_s56a_option_words.py): no HTTP 400 to rename.
    assert "--variant': 'poster' is not a variant; give one of video, thumbnail or spritesheet" in said(wrong)
    assert "(variant)" not in wrong.output and not (tmp_path / "a.png").exists()
    for command in ("status", "cancel", "delete", "watch"):
        gone = runner.invoke(app, [command, "video_fox", "--server", server])
        assert gone.exit_code == 2, gone.output
        assert said(gone).endswith("no video 'video_fox': video ids are 'video_' followed by 32 hex digits")


def test_submit_with_a_wrong_key_names_api_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """submit and remix printed the server's own words, which name no option to fix."""

    def refuse(request: httpx.Request) -> httpx.Response:
        error = {"message": "the API key sent is not this server's", "param": None}
        return httpx.Response(401, json={"error": error})

    made = client_cli._client

    def client(server: str, api_key: str | None, timeout: object = None) -> httpx.Client:
        real = made(server, api_key)
        return httpx.Client(base_url=server, headers=real.headers, transport=httpx.MockTransport(refuse))

    monkeypatch.setattr(client_cli, "_client", client)
    for args in (["submit", "a fox"], ["remix", UNKNOWN, "a fox"]):
        result = runner.invoke(app, [*args, "--server", "http://reelgen.test", "--api-key", "guess"])
        assert result.exit_code == 2, result.output
        assert "the server refused the API key given (--api-key or REELGEN_API_KEY)" in said(result)


def test_project_render_refuses_a_bad_device_before_anything(tmp_path: Path) -> None:
    """It said "nothing to render" and exited 0 when every clip was current, else failed mid-render
    naming the scene, not the option."""
    film = make_film(tmp_path / "film")
    for device, why in (("gpu0", "is not a device name"), ("cuda:3", "is not on this machine")):
        result = runner.invoke(app, ["project", "render", str(film), "--device", device, "-q"])
        assert result.exit_code == 2, result.output
        assert f"error: --device: device '{device}' {why}" in said(result)
        assert "rendering" not in result.output and not list((film / "clips").glob("*.mp4"))


def test_project_render_through_a_server_names_scene(server: str, tmp_path: Path) -> None:
    film = make_film(tmp_path / "film")
    result = runner.invoke(app, ["project", "render", str(film), "-s", "quay", "--server", server, "-q"])
    assert result.exit_code == 2, result.output
    assert "error: HTTP 400: --scene: no scene 'quay' in the project; scenes to render: boats, pan" in said(
        result
    )


def test_an_empty_output_folder_is_refused_not_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--output-dir "$OUT"`` with OUT unset wrote the clips and summary into the current folder."""
    work = tmp_path / "here"
    work.mkdir()
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({"items": [{"output": "one", "prompt": "a fox", "model": "ken-burns"}]}))
    prompts = tmp_path / "prompts.yaml"
    prompts.write_text("prompts: [a lighthouse at night]\n")
    monkeypatch.chdir(work)
    batch = runner.invoke(app, ["batch", str(manifest), "--output-dir", "", "-q"])
    assert batch.exit_code == 2, batch.output
    assert "Invalid value for '--output-dir': it is empty; give a folder, or leave it out" in said(batch)
    shootout = runner.invoke(app, ["shootout", "-m", "wan-tiny", "-p", str(prompts), "-o", "", "-q"])
    assert shootout.exit_code == 2, shootout.output
    assert "it is empty; give a folder for the report, or leave it out" in said(shootout)
    assert list(work.iterdir()) == []


def test_shootout_names_device(tmp_path: Path) -> None:
    prompts = tmp_path / "prompts.yaml"
    prompts.write_text("prompts: [a lighthouse at night]\n")
    report = tmp_path / "report"
    result = runner.invoke(
        app, ["shootout", "-m", "wan-tiny", "-p", str(prompts), "-o", str(report), "--device", "gpu", "-q"]
    )
    assert result.exit_code == 2, result.output
    assert "error: --device: device 'gpu' is not a device name; use cpu, cuda or cuda:N" in said(result)
    assert not report.exists()


def test_project_new_refuses_an_empty_title(tmp_path: Path) -> None:
    """``--title "$TITLE"`` with TITLE unset titled the film after its folder, without a word."""
    result = runner.invoke(app, ["project", "new", str(tmp_path / "film"), "--title", " "])
    assert result.exit_code == 2, result.output
    assert "Invalid value for '--title': it is empty; give the film's title, or leave it out" in said(result)
    assert not (tmp_path / "film").exists()


def test_a_file_where_a_folder_or_image_belongs_is_named_by_its_option(tmp_path: Path) -> None:
    """They were said as the core's fields: "images: ...", "output ...", "output_dir ..."."""
    prompts = tmp_path / "prompts.yaml"
    prompts.write_text("prompts: [a lighthouse at night]\n")
    taken = tmp_path / "taken"
    taken.write_text("not a folder")
    shootout = ["shootout", "-m", "wan-tiny", "-p", str(prompts), "-q"]
    for extra, expected in [
        (["-i", str(tmp_path / "gone.png")], f"error: --images: {tmp_path / 'gone.png'} does not exist"),
        (["-i", str(tmp_path)], f"error: --images: {tmp_path} is a folder, not an image"),
        (["-o", str(taken)], f"error: --output: {taken} is a file; give a folder for the report"),
    ]:
        result = runner.invoke(app, [*shootout, *extra])
        assert result.exit_code == 2 and expected in said(result), result.output
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({"items": [{"output": "one", "prompt": "a fox", "model": "ken-burns"}]}))
    batch = runner.invoke(app, ["batch", str(manifest), "--output-dir", str(taken), "-q"])
    assert batch.exit_code == 2, batch.output
    assert f"error: --output-dir: {taken} is a file; give a folder for the outputs" in said(batch)
    assert taken.read_text() == "not a folder" and sorted(p.name for p in tmp_path.iterdir()) == [
        "manifest.json",
        "prompts.yaml",
        "taken",
    ]
