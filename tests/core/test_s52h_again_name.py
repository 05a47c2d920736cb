"""Two replays of one clip at the same time, neither given -o, write two files: each claims its
NAME-again name as it starts, as two enhancements of one video do."""

from __future__ import annotations

from pathlib import Path

from reelgen.core.enhance.out_name import claim_again


def test_two_replays_at_once_get_two_names(tmp_path: Path) -> None:
    clip = tmp_path / "fox.mov"
    clip.write_bytes(b"video")
    with claim_again(clip) as first, claim_again(clip) as second:
        assert (first.name, second.name) == ("fox-again.mov", "fox-again-2.mov")
    with claim_again(clip) as again:  # let go, and nothing written there: free again
        assert again.name == "fox-again.mov"


def test_a_sidecar_replays_to_an_mp4_and_a_given_output_is_kept(tmp_path: Path) -> None:
    sidecar = tmp_path / "fox.json"
    sidecar.write_text("{}")
    (tmp_path / "fox-again.mp4").write_bytes(b"an earlier replay")
    with claim_again(sidecar) as out:
        assert out == tmp_path / "fox-again-2.mp4"
    with claim_again(sidecar, tmp_path / "mine.mp4") as out:
        assert out == tmp_path / "mine.mp4"
