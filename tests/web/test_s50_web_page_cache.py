"""A reload after the page's files changed (reelgen upgraded, the server restarted) runs the new
ones. The files went out with no caching rule, so Chromium kept its modules by its own guess, days
for files weeks old: the reload ran the old modules, or old ones beside new."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import expect

from reelgen.api import web
from tests.web.conftest import Served, Tab


def test_a_reload_runs_the_page_files_the_server_has_now(
    serve_app: Callable[..., Served], tab: Callable[..., Tab], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page_dir = tmp_path / "page"
    shutil.copytree(web.PAGE_DIR, page_dir)
    month_ago = time.time() - 30 * 86400  # as installed a month before
    for path in page_dir.rglob("*"):
        os.utime(path, (month_ago, month_ago))
    monkeypatch.setattr(web, "PAGE_DIR", page_dir)
    served = serve_app()
    t = tab()
    page = t.open(served.url)
    expect(page.locator("html")).not_to_have_attribute("data-version", "2")

    # The upgrade: a module the page imports gains an export, and the module that starts it uses it.
    util, main = page_dir / "js" / "util.js", page_dir / "js" / "main.js"
    util.write_text(util.read_text() + "\nexport const VERSION = 2;\n")
    main.write_text(
        main.read_text()
        + '\nimport { VERSION } from "./util.js";\ndocument.documentElement.dataset.version = String(VERSION);\n'
    )
    page.reload()
    page.wait_for_selector("body[data-ready=true]")
    expect(page.locator("html")).to_have_attribute("data-version", "2")
    assert t.errors == []
