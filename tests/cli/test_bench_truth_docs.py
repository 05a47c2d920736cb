"""docs/benchmarks.md's commands as written: each script exists and takes every flag and case given it."""

from __future__ import annotations

import importlib
import json
import os
import re
import shlex
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.core.bench import VARIANTS

ROOT = Path(__file__).parents[2]
DOC = ROOT / "docs" / "benchmarks.md"
BENCHMARKS = ROOT / "benchmarks"
#: A wide terminal, so no option name is wrapped in a usage line.
ENV = {**os.environ, "PYTHONPATH": f"{ROOT / 'src'}:{BENCHMARKS}", "COLUMNS": "400"}


def _commands() -> list[list[str]]:
    """Every command line in the doc's bash blocks and its inline code, as shell words, comments dropped."""
    text = DOC.read_text()
    blocks = re.findall(r"```bash\n(.*?)```", text, re.S)
    lines = [line for block in blocks for line in block.splitlines()]
    prose = re.sub(r"```.*?```", "", text, flags=re.S)  # inline spans may break across lines
    spans = [" ".join(span.split()) for span in re.findall(r"`([^`]+)`", prose)]
    lines += [span for span in spans if ".py" in span or "reelgen bench" in span]
    words = [shlex.split(line, comments=True) for line in lines]
    return [w for w in words if any(x.endswith(".py") or x == "bench" for x in w)]


def _script_commands() -> list[tuple[str, list[str]]]:
    """(script, its arguments) for each command running one of benchmarks/ (named with or without the folder)."""
    found = []
    for words in _commands():
        for at, word in enumerate(words):
            if word.startswith("benchmarks/") or (word.endswith(".py") and (BENCHMARKS / word).is_file()):
                found.append((word.removeprefix("benchmarks/"), words[at + 1 :]))
                break
    return found


#: Runs each script named on its command line as ``python SCRIPT --help`` would, one after the other in
#: this one process (their imports, torch among them, made once, not once a script); prints a JSON map
#: of script to [exit code, stdout, stderr].
_HELPS = r"""
import contextlib, io, json, runpy, sys, traceback
said = {}
for path in sys.argv[1:]:
    out, err, code = io.StringIO(), io.StringIO(), 0
    sys.argv = [path, "--help"]
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            runpy.run_path(path, run_name="__main__")
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        except BaseException:
            traceback.print_exc()
            code = 1
    said[path] = [code, out.getvalue(), err.getvalue()]
print(json.dumps(said))
"""


@cache
def _helps() -> dict[str, tuple[int, str, str]]:
    """Every script the doc runs, asked for its ``--help``: (exit code, stdout, stderr) by script name."""
    scripts = sorted({name for name, _ in _script_commands() if (BENCHMARKS / name).is_file()})
    done = subprocess.run(
        [sys.executable, "-c", _HELPS, *(str(BENCHMARKS / name) for name in scripts)],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    said = json.loads(done.stdout.splitlines()[-1])
    return {Path(path).name: (code, out, err) for path, (code, out, err) in said.items()}


def _help(script: str) -> str:
    code, out, err = _helps()[script]
    assert code == 0, err
    return out


def _positionals(args: list[str]) -> list[str]:
    """The words that are not an option or an option's value (every option here but the switches takes one)."""
    switches = {"--profiles-only", "--padded-only", "--stage", "--compiled"}
    out, skip = [], False
    for word in args:
        if skip:
            skip = False
        elif word.startswith("--"):
            skip = "=" not in word and word not in switches
        else:
            out.append(word)
    return out


def test_the_doc_has_script_commands_to_check() -> None:
    scripts = {name for name, _ in _script_commands()}
    assert {"gpu_core.py", "enhance_gpu.py", "gpu_rrdb_triton.py", "x264_paths.py"} <= scripts


@pytest.mark.parametrize(
    ("script", "args"), _script_commands(), ids=lambda v: " ".join(v) if isinstance(v, list) else v
)
def test_every_flag_a_doc_command_passes_is_one_its_script_takes(script: str, args: list[str]) -> None:
    assert (BENCHMARKS / script).is_file(), f"docs/benchmarks.md runs benchmarks/{script}, which is not there"
    flags = [w.split("=")[0] for w in args if w.startswith("--")]
    usage = _help(script)
    assert [f for f in flags if f not in usage] == []
    # Options the usage line shows outside brackets are required: `gpu_core.py --tag f2 ...` lacked --out.
    # A span with no option at all names a script or a case in prose (`gpu_core.py encode`): no command.
    required = re.findall(r"(?<!\[)(--[\w-]+) [A-Z_]+", usage.split("\n\n")[0])
    assert not flags or [r for r in required if r not in flags] == []


def _names(script: str) -> set[str]:
    """The case or variant names ``script`` accepts as positionals, from the script's own tables."""
    sys.path.insert(0, str(BENCHMARKS))
    try:
        module = importlib.import_module(script.removesuffix(".py"))
    finally:
        sys.path.remove(str(BENCHMARKS))
    if script == "gpu_core.py":
        return {*module._PROBES, *module.FP8_VARIANTS, *module.CASES}
    if script == "gpu_compile_probes.py":
        return {v[0] for v in module.VARIANTS}
    return set(module.CASES)


@pytest.mark.parametrize("script", ["gpu_core.py", "gpu_compile_probes.py", "enhance_gpu.py"])
def test_every_case_a_doc_command_names_is_one_its_script_runs(script: str) -> None:
    named = {
        word
        for name, args in _script_commands()
        if name == script
        for word in _positionals(args)
        if not word.startswith(("$", "/")) and word.isupper() is False
    }
    assert named, script
    assert sorted(named - _names(script)) == []


def test_every_reelgen_bench_command_in_the_doc_takes_its_flags_and_variants() -> None:
    usage = " ".join(CliRunner().invoke(app, ["bench", "--help"], terminal_width=200).output.split())
    commands = [w[w.index("bench") + 1 :] for w in _commands() if "bench" in w and w[0] == "reelgen"]
    assert len(commands) >= 3
    for args in commands:
        assert [f for f in args if f.startswith("-") and f not in usage] == [], args
        if "--variants" in args:
            named = args[args.index("--variants") + 1].split(",")
            assert [v for v in named if v not in VARIANTS] == [], args


def test_every_raw_json_the_doc_cites_is_in_bench_data() -> None:
    cited = set(re.findall(r"docs/bench-data/([\w.*-]+\.jsonl?)", DOC.read_text()))
    assert len(cited) > 20
    missing = [name for name in sorted(cited) if not list((ROOT / "docs" / "bench-data").glob(name))]
    assert missing == []
