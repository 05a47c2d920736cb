"""`reelgen project export -o film.gif` and batch items named ``shot.gif``: real looping GIFs made here,
and a server, which writes no GIF, refused before anything is sent."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from PIL import Image
from typer.testing import CliRunner

from reelgen.cli import app
from tests.cli.test_batch_cli import pictures, said, shots  # noqa: F401  (fixtures)
from tests.cli.test_project_cli import film  # noqa: F401  (fixture)

runner = CliRunner()


def _gif(path: Path) -> tuple[str | None, int, tuple[int, int], int | None, int]:
    """A GIF as a browser reads it: format, frames, size, loop count (0: forever) and total ms."""
    with Image.open(path) as image:
        total = 0
        for n in range(image.n_frames):
            image.seek(n)
            total += image.info["duration"]
        return image.format, image.n_frames, image.size, image.info.get("loop"), total


def test_project_export_writes_a_looping_gif_of_the_film(film: Path, tmp_path: Path) -> None:  # noqa: F811
    assert runner.invoke(app, ["project", "render", str(film), "-q"]).exit_code == 0
    out = tmp_path / "film.gif"
    result = runner.invoke(app, ["project", "export", str(film), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().splitlines()[-1] == str(out)
    # 2 s each at 4 fps, a 0.5 s fade and a 0.5 s dissolve between them: 20 frames, 5 s, as the MP4.
    assert "20 frames 48x32 @ 4 fps (5.00s, silent)" in result.output
    fmt, frames, size, loop, ms = _gif(out)
    assert (fmt, frames, size, loop) == ("GIF", 20, (48, 32), 0)
    assert abs(ms - 5000) <= 20
    record = json.loads(out.with_suffix(".json").read_text())
    assert (record["export"]["container"], record["output"]["frames"]) == ("gif", 20)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []

    # A codec typed for the GIF would do nothing: refused, and the GIF made before is kept.
    before = out.read_bytes()
    codec = runner.invoke(app, ["project", "export", str(film), "-o", str(out), "--codec", "h265", "-q"])
    assert codec.exit_code == 2
    assert said(codec).startswith("error: --codec: film.gif is an animated GIF")
    assert out.read_bytes() == before

    # A server writes the project's container: the GIF is refused before the project is sent.
    remote = runner.invoke(
        app, ["project", "export", str(film), "-o", str(out), "--server", "http://127.0.0.1:9", "-q"]
    )
    assert remote.exit_code == 2
    assert said(remote) == (
        "error: --output: film.gif would be an animated GIF, but an export on a server writes a .mp4 "
        "film (export.container); name it film.mp4, or export without --server to make the GIF"
    )


def _manifest(shots: Path, outputs: list[str]) -> Path:  # noqa: F811
    manifest = shots / "manifest.json"
    defaults = {"model": "ken-burns", "width": 64, "height": 48, "num_frames": 9, "fps": 8}
    items = [{"output": name, "images": ["coffee.png"]} for name in outputs]
    manifest.write_text(
        json.dumps({"defaults": {**defaults, "motion": {"preset": "zoom-in"}}, "items": items})
    )
    return manifest


def test_a_batch_item_named_gif_is_made_as_a_gif(shots: Path) -> None:  # noqa: F811
    result = runner.invoke(app, ["batch", str(_manifest(shots, ["still", "shot.gif"])), "-q"])
    assert result.exit_code == 0, result.output
    assert "2 of 2 done" in said(result)
    assert _gif(shots / "outputs" / "shot.gif")[:4] == ("GIF", 9, (64, 48), 0)
    assert (shots / "outputs" / "still.mp4").is_file()


def test_a_batch_keeps_the_output_names_case_as_the_manifest_writes_it(shots: Path) -> None:  # noqa: F811
    """An item named ``Shot.GIF`` was written as ``Shot.gif`` (and ``Take.WebM`` as ``Take.webm``),
    while ``reelgen generate -o Shot.GIF`` keeps the name as given: a script looking for the file it
    named found nothing."""
    manifest = _manifest(shots, ["Shot.GIF", "Take.WebM", "Still"])
    result = runner.invoke(app, ["batch", str(manifest), "-q"])
    assert result.exit_code == 0, result.output
    made = sorted(p.name for p in (shots / "outputs").iterdir() if p.suffix.lower() != ".json")
    assert made == ["Shot.GIF", "Still.mp4", "Take.WebM"]
    # The upper-case suffix still picks the container: a looping GIF and a WebM.
    assert _gif(shots / "outputs" / "Shot.GIF")[:4] == ("GIF", 9, (64, 48), 0)
    assert (shots / "outputs" / "Take.WebM").read_bytes()[:4] == b"\x1a\x45\xdf\xa3"
    assert (shots / "outputs" / "Shot.json").is_file()


def test_batch_on_a_server_refuses_a_gif_item_before_sending_it(shots: Path) -> None:  # noqa: F811
    manifest = _manifest(shots, ["one", "two.gif", "three.GIF"])
    result = runner.invoke(app, ["batch", str(manifest), "-q", "--server", "http://127.0.0.1:9"])
    assert result.exit_code == 2
    assert said(result) == (
        f"error: manifest {manifest}: items[1].output 'two.gif', items[2].output 'three.GIF': a batch on "
        "a server makes MP4 files, not .gif; name them without .gif (e.g. two or two.mp4), or run `reelgen "
        "batch` without --server to make them as named"
    )
    assert not (shots / "outputs").exists()
    # Any other container than MP4, the same: each would fail on the server once sent.
    manifest = _manifest(shots, ["one", "two.webm"])
    result = runner.invoke(app, ["batch", str(manifest), "-q", "--server", "http://127.0.0.1:9"])
    assert result.exit_code == 2
    assert "items[1].output 'two.webm': a batch on a server makes MP4 files, not .webm" in said(result)
    # Both kinds named: "name them without .gif" of a .gif and a .webm item left the .webm as it was.
    manifest = _manifest(shots, ["one", "two.gif", "three.webm"])
    result = runner.invoke(app, ["batch", str(manifest), "-q", "--server", "http://127.0.0.1:9"])
    assert "not .gif or .webm; name them without .gif or .webm (e.g. two or two.mp4)" in said(result)


def test_a_project_file_naming_a_gif_is_refused_before_a_server_export(film: Path) -> None:  # noqa: F811
    """``export.output: film.gif`` in the project file, exported with --server and no -o: the project
    was uploaded and only then refused by the server, which writes no GIF. Now it is refused here,
    as ``-o film.gif`` is, naming the project file's field; nothing is sent (no server answers here)."""
    data = yaml.safe_load((film / "project.yaml").read_text())
    data["export"] = {**(data.get("export") or {}), "output": "film.gif"}
    (film / "project.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    remote = runner.invoke(app, ["project", "export", str(film), "--server", "http://127.0.0.1:9", "-q"])
    assert remote.exit_code == 2, remote.output
    assert said(remote) == (
        "error: export.output: film.gif would be an animated GIF, but an export on a server writes a .mp4 "
        "film (export.container); name it film.mp4, or export without --server to make the GIF "
        "(project.yaml line 31)"
    )
    assert not (film / ".reelgen" / "servers.json").exists()
