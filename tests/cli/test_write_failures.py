"""A write that fails or is stopped (a full disk, Ctrl-C while the MP4 is written): one line, and the earlier
file of that name and its record as they were, with no half-written or hidden file left behind."""

from __future__ import annotations

import errno
import io
import os
import resource
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core import encode
from reelgen.core.encode import read_metadata
from reelgen.core.errors import Cancelled
from reelgen.core.progress import CancelToken

runner = CliRunner()
TINY = ["-m", "ltx-tiny", "--steps", "2", "--frames", "9", "-q"]


def lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def errors(text: str) -> list[str]:
    """The error lines, which must come last (the memory plan is said before the run, even with -q)."""
    said = lines(text)
    return [line for line in said if line.startswith("error")] if said[-1].startswith("error") else said


@pytest.fixture(scope="module")
def made_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """fox.mp4 and fox.json made by one run for the module (a generate each test cost as much)."""
    out = tmp_path_factory.mktemp("earlier") / "fox.mp4"
    result = runner.invoke(app, ["generate", "a red fox", *TINY, "--seed", "1", "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture
def earlier(made_once: Path, tmp_path: Path) -> tuple[Path, bytes, bytes]:
    """fox.mp4 and fox.json made by a first run: what a failed second run to the same name must keep.

    This test's own copies of the module's run, in a folder of its own."""
    out = tmp_path / "fox.mp4"
    shutil.copy2(made_once, out)
    shutil.copy2(made_once.with_suffix(".json"), out.with_suffix(".json"))
    return out, out.read_bytes(), out.with_suffix(".json").read_bytes()


def as_it_was(earlier: tuple[Path, bytes, bytes]) -> None:
    out, video, record = earlier
    assert out.read_bytes() == video and out.with_suffix(".json").read_bytes() == record
    assert sorted(p.name for p in out.parent.iterdir()) == ["fox.json", "fox.mp4"]  # no hidden file left


def midway(monkeypatch: pytest.MonkeyPatch, then: Callable[[], None], at: int = 3) -> None:
    """Call ``then`` as the encoder takes frame ``at``: part of the MP4 is on the disk by then."""
    real = encode._converted

    def converted(frames: Iterable[Any], pix_fmt: str) -> Iterator[Any]:
        for i, frame in enumerate(real(frames, pix_fmt)):
            if i == at:
                then()
            yield frame

    monkeypatch.setattr(encode, "_converted", converted)


def test_a_disk_that_fills_while_the_mp4_is_written_is_one_line_and_the_earlier_file_is_kept(
    earlier: tuple[Path, bytes, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    def full() -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    midway(monkeypatch, full)
    out = earlier[0]
    result = runner.invoke(app, ["generate", "a hen", *TINY, "-o", str(out)])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)  # no OSError traceback
    assert errors(result.stderr) == [
        f"error: no space left on the device writing {out}; fox.mp4 is as it was: "
        "free some space and run again"
    ]
    assert result.stdout == ""
    as_it_was(earlier)


def test_a_disk_that_fills_while_the_record_is_written_keeps_the_earlier_video_too(
    earlier: tuple[Path, bytes, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(*args: Any, **kwargs: Any) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(encode.json, "dump", full)  # the video was written whole; its record is not
    out = earlier[0]
    result = runner.invoke(app, ["generate", "a hen", *TINY, "-o", str(out)])
    assert result.exit_code == 1, result.output
    assert errors(result.stderr) == [
        f"error: no space left on the device writing {out}; fox.mp4 is as it was: "
        "free some space and run again"
    ]
    as_it_was(earlier)
    assert read_metadata(out)["request"]["prompt"] == "a red fox"  # replay still reads it


def test_ctrl_c_while_the_mp4_is_written_keeps_nothing_it_said_it_would_not(
    earlier: tuple[Path, bytes, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The run says "cancelling at the next step"; the encode was its last step, so the new video
    # replaced the earlier one and the command printed its path with exit 0.
    midway(monkeypatch, lambda: os.kill(os.getpid(), signal.SIGINT))
    out = earlier[0]
    result = runner.invoke(app, ["generate", "a hen", *TINY, "-o", str(out)])
    assert result.exit_code == 130, result.output
    assert "cancelling at the next step" in result.stderr
    assert (
        lines(result.stderr)[-1]
        == "error: run cancelled with Ctrl-C; no file was written; fox.mp4 is as it was"
    )
    assert result.stdout == ""
    as_it_was(earlier)


def test_a_second_ctrl_c_while_the_mp4_is_written_stops_at_once_in_one_line(
    earlier: tuple[Path, bytes, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    def twice() -> None:
        os.kill(os.getpid(), signal.SIGINT)
        os.kill(os.getpid(), signal.SIGINT)

    midway(monkeypatch, twice)  # it ended with exit 130 and not a word after "cancelling"
    out = earlier[0]
    result = runner.invoke(app, ["generate", "a hen", *TINY, "-o", str(out)])
    assert result.exit_code == 130, result.output
    assert lines(result.stderr)[-1] == (
        "error: stopped with Ctrl-C; nothing half-written was left; fox.mp4 is as it was"
    )
    as_it_was(earlier)


def limited_to(size: int) -> Callable[[], None]:
    """A child's pre-exec step: it may write no file over ``size`` bytes (a real limit: the kernel fails the
    write; Python ignores SIGXFSZ). In a child, not this test process: here the limit would fail every
    write of every thread of the test process past ``size`` bytes, a server's database among them."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

    return limit


def reelgen_child(*args: str, size: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from reelgen.cli import entry; entry()", *args],
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=limited_to(size),
        # Python writes a module's bytecode with one write() and renames it into place: under the limit
        # that write stops short without an error, leaving a cut .pyc that broke every later import of
        # that module (a source edited since the last run is compiled anew by this child).
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )


def test_a_file_larger_than_the_system_allows_is_refused_in_one_line_leaving_the_earlier_one(
    earlier: tuple[Path, bytes, bytes],
) -> None:
    """A real write failing in FFmpeg, not a stand-in: the process may write no file over 8 KiB."""
    out = earlier[0]
    done = reelgen_child("generate", "a hen", *TINY, "-o", str(out), size=8192)
    assert done.returncode == 1, done.stderr
    assert lines(done.stderr)[-1] == f"error: cannot write {out} (File too large); fox.mp4 is as it was"
    assert "internal error" not in done.stderr and done.stdout == ""
    as_it_was(earlier)


def test_an_existing_file_is_replaced_with_its_record_as_the_help_says(
    earlier: tuple[Path, bytes, bytes],
) -> None:
    out = earlier[0]
    shown = " ".join(runner.invoke(app, ["generate", "--help"]).output.replace("│", " ").split())
    assert "replaces a file of that name, and its NAME.json, once the new one is whole" in shown
    result = runner.invoke(app, ["generate", "a hen", *TINY, "--seed", "2", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert read_metadata(out)["request"]["prompt"] == "a hen"
    assert yaml.safe_load(out.with_suffix(".json").read_text())["request"]["prompt"] == "a hen"
    assert sorted(p.name for p in out.parent.iterdir()) == ["fox.json", "fox.mp4"]


@pytest.fixture(scope="module")
def exported_once(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A project of wan-tiny scenes, rendered and exported by one run for the module: its folder and film."""
    folder = tmp_path_factory.mktemp("exported") / "film"
    assert runner.invoke(app, ["project", "new", str(folder), "--title", "Night Drive"]).exit_code == 0
    data = yaml.safe_load((folder / "project.yaml").read_text())
    data["defaults"].update(model="wan-tiny", width=48, height=32, fps=4)
    (folder / "project.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    assert runner.invoke(app, ["project", "render", str(folder), "-q"]).exit_code == 0
    result = runner.invoke(app, ["project", "export", str(folder), "-q"])
    assert result.exit_code == 0, result.output
    return folder, Path(result.stdout.strip())


@pytest.fixture
def exported(exported_once: tuple[Path, Path], tmp_path: Path) -> tuple[Path, Path, bytes, bytes]:
    """The film a failed export must keep: this test's own copy of the module's project (clips, records
    and mtimes as they were), rendered and exported."""
    once, once_film = exported_once
    folder = Path(shutil.copytree(once, tmp_path / "film"))
    film = folder / once_film.relative_to(once)
    return folder, film, film.read_bytes(), film.with_suffix(".json").read_bytes()


def film_as_it_was(exported: tuple[Path, Path, bytes, bytes]) -> None:
    _, film, video, record = exported
    assert film.read_bytes() == video and film.with_suffix(".json").read_bytes() == record
    assert sorted(p.name for p in film.parent.iterdir()) == [film.with_suffix(".json").name, film.name]


def test_a_disk_that_fills_during_a_project_export_is_one_line_and_the_last_film_is_kept(
    exported: tuple[Path, Path, bytes, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    from reelgen.core.export import write

    real = write._encode

    def fills(*args: Any) -> int:
        real(*args)  # the whole film went to the disk, which is full at the last packet
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(write, "_encode", fills)
    folder, film = exported[0], exported[1]
    result = runner.invoke(app, ["project", "export", str(folder), "-q"])
    assert result.exit_code == 1, result.output
    assert errors(result.stderr) == [
        f"error: no space left on the device writing {film}; {film.name} is as it was: "
        "free some space and run again"
    ]
    film_as_it_was(exported)


def test_ctrl_c_at_the_last_frame_of_a_project_export_keeps_the_last_film(
    exported: tuple[Path, Path, bytes, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    from reelgen.cli import output
    from tests.cli.ctrl_c import interrupting

    # "cancelling at the next step" after the last frame: the new film replaced the last one, exit 0.
    monkeypatch.setattr("reelgen.cli.project.progress_bar", interrupting(output.progress_bar, "export", 20))
    result = runner.invoke(app, ["project", "export", str(exported[0])])
    assert result.exit_code == 130, result.output
    film = exported[1]
    assert errors(result.stderr)[-1] == (
        f"error: run cancelled with Ctrl-C; no file was written; {film.name} is as it was"
    )
    film_as_it_was(exported)


def test_a_project_file_cut_short_by_a_full_disk_is_never_left_to_be_edited(tmp_path: Path) -> None:
    """`project new` with room for 1 KiB of its 2 KiB project.yaml: no half file for the next run to refuse."""
    folder = tmp_path / "film"
    done = reelgen_child("project", "new", str(folder), size=1024)
    assert done.returncode == 1, done.stderr
    assert done.stderr == (
        f"error: cannot write {folder / 'project.yaml'} (File too large); no project.yaml was made\n"
    )
    assert not (folder / "project.yaml").exists()
    assert [p.name for p in folder.iterdir() if p.is_file()] == []  # no hidden file either
    again = runner.invoke(app, ["project", "new", str(folder)])  # it said "already exists; edit it"
    assert again.exit_code == 0, again.output
    assert yaml.safe_load((folder / "project.yaml").read_text())["title"] == "film"


def test_a_disk_that_fills_as_a_shootout_report_is_written_is_one_line_and_the_clips_are_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = Path.open

    class Full(io.StringIO):
        """The page's file on a disk with no room left: it opens, and its first write fails."""

        def write(self, text: str) -> int:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def full_at_the_report(self: Path, *args: Any, **kwargs: Any) -> Any:
        handle = real(self, *args, **kwargs)
        if not self.name.startswith(".report-"):  # the page is written last, into a hidden file beside it
            return handle
        handle.close()
        return Full()

    monkeypatch.setattr(Path, "open", full_at_the_report)
    prompts = tmp_path / "prompts.yaml"
    prompts.write_text("- a fox\n")
    out = tmp_path / "compare"
    result = runner.invoke(app, ["shootout", "-m", "ltx-tiny", "-p", str(prompts), "-q", "-o", str(out)])
    assert result.exit_code == 1, result.output
    assert errors(result.stderr) == [
        f"error: no space left on the device writing {out / 'report.html'}; no report.html was made: "
        "free some space and run again"
    ]
    assert not isinstance(result.exception, OSError)
    assert (out / "clips" / "ltx-tiny--p1.mp4").is_file()
    assert not [p.name for p in out.iterdir() if p.name.startswith(".")]


def test_a_cancel_says_its_cause_once() -> None:
    """A Ctrl-C's reason was followed by 'by request' ("cancelled with Ctrl-C by request")."""
    for reason, said in (
        ("cancelled", "run cancelled by request; no file was written"),
        ("cancelled with Ctrl-C", "run cancelled with Ctrl-C; no file was written"),
        ("stopped by SIGTERM", "run stopped by SIGTERM; no file was written"),
    ):
        token = CancelToken()
        token.cancel(reason)
        with pytest.raises(Cancelled) as caught:
            token.check()
        assert str(caught.value) == said
