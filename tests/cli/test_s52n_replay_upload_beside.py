"""What ``reelgen replay`` says to do about an upload gone that a server's record names by file name only."""

from __future__ import annotations

from pathlib import Path

from reelgen.core.replay_inputs import PUT_BACK, put_back


def test_an_upload_named_by_file_name_is_put_beside_the_video(tmp_path: Path) -> None:
    # It said "start_image: photo.png no longer exists; put it back at that path" (a path that is no place).
    said = put_back(["start_image: photo.png no longer exists"], tmp_path / "downloads" / "it.mp4")
    assert said == (
        f"put photo.png beside the video ({tmp_path / 'downloads'}), or say where it is now with "
        "--input PARAM=FILE (checked by its recorded SHA-256)"
    )


def test_a_path_gone_is_still_put_back_at_that_path(tmp_path: Path) -> None:
    video = tmp_path / "it.mp4"
    assert put_back(["start_image: /home/a/photo.png no longer exists"], video) == PUT_BACK
    assert (
        put_back(["start_image: photo.png no longer exists", "end_image: /a/b.png no longer exists"], video)
        == PUT_BACK
    )
    both = put_back(["start_image: a.png no longer exists", "end_image: b.png no longer exists"], video)
    assert both.startswith(f"put a.png and b.png beside the video ({tmp_path}), or say where they are now")
    weights = put_back(["weights: w.safetensors no longer exists"], video)
    assert weights == "put it back at that path (--weights files are found only there)"
