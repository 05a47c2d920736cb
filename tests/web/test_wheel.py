"""A built wheel carries the page and the docs' assets, and an install of it serves them (no checkout needed)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import json, sys
from pathlib import Path
from fastapi.testclient import TestClient
import reelgen
from reelgen.api import web
from reelgen.api.app import create_app
from reelgen.api.settings import ApiSettings
from reelgen.jobs.settings import JobSettings

app = create_app(ApiSettings(jobs=JobSettings(data_dir=sys.argv[1])), start_service=False)
with TestClient(app) as client:
    got = {p: client.get(p) for p in ("/", "/js/main.js", "/app.css", "/docs", "/redoc",
           "/docs/assets/swagger-ui/swagger-ui-bundle.js", "/docs/assets/redoc/redoc.standalone.js")}
print(json.dumps({
    "package": reelgen.__file__,
    "page_dir": str(web.PAGE_DIR),
    "codes": {p: r.status_code for p, r in got.items()},
    "title": "<title>reelgen</title>" in got["/"].text,
    "swagger": got["/docs/assets/swagger-ui/swagger-ui-bundle.js"].content[:40].decode(),
}))
"""

#: A PEP 517 front end's build of a wheel, run in the source folder: pyproject.toml's backend, asked for one.
BUILD = """
import importlib, sys, tomllib
backend = tomllib.load(open("pyproject.toml", "rb"))["build-system"]["build-backend"]
importlib.import_module(backend).build_wheel(sys.argv[1])
"""


def _source_copy(into: Path) -> Path:
    """The files a build reads, copied out so the build leaves nothing in the checkout."""
    src = into / "src-copy"
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc")
    shutil.copytree(ROOT / "src", src / "src", ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    return src


def test_installed_wheel_serves_the_page_and_docs(tmp_path: Path) -> None:
    # 1. Build the wheel as a release would: pyproject's build backend, called as pip and `build` call it
    # (PEP 517), in the source folder. No network: the backend is already installed. Called directly, not
    # through `pip wheel`, whose own start-up and metadata pass took 2 of the test's 11 CPU-s.
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-c", BUILD, str(dist)],
        check=True, timeout=300, capture_output=True, cwd=_source_copy(tmp_path),
    )  # fmt: skip
    wheel = next(dist.glob("reelgen-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for path in (
        "page/index.html",
        "page/js/main.js",
        "page/app.css",
        "docs/swagger-ui/swagger-ui-bundle.js",
        "docs/swagger-ui/LICENSE",
        "docs/redoc/redoc.standalone.js",
        "docs/redoc/LICENSE",
    ):
        assert f"reelgen/api/static/{path}" in names, path  # fmt: skip

    # 2. A fresh venv that borrows this one's dependencies (read-only, through a .pth line), not reelgen.
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    site = Path(sysconfig.get_path("purelib", vars={"base": str(venv), "platbase": str(venv)}))
    (site / "deps.pth").write_text(sysconfig.get_path("purelib") + "\n")
    # --no-compile: pip's byte-compiling of every module is not what is tested, and the check below
    # compiles the modules it imports anyway.
    subprocess.run(
        [str(python), "-m", "pip", "install", "--no-deps", "--no-index", "--no-compile", "-q", str(wheel)],
        check=True, timeout=300, capture_output=True, cwd=tmp_path,
    )  # fmt: skip

    # 3. The installed package serves the page and the docs from its own files.
    out = subprocess.run(
        [str(python), "-c", SCRIPT, str(tmp_path / "server")],
        capture_output=True, text=True, timeout=120, check=True, cwd=tmp_path,
    )  # fmt: skip
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert Path(result["package"]).is_relative_to(site), result["package"]
    assert Path(result["page_dir"]).is_relative_to(site)
    assert set(result["codes"].values()) == {200}, result["codes"]
    assert result["title"] and result["swagger"].startswith("/*! For license information")
