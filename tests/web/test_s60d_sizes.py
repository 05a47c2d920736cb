"""File sizes are said in the binary units they are counted in, and never as equal to the limit they are over.

The page divided by 1024 and wrote "kB" and "MB": a 13,435-byte film read "13.1 kB" (13.4 kB in those
units), and beside the server's "larger than 32 MiB" a file read "32.4 MB". A project file one byte over
the 1 MiB the box takes was refused as "huge.yaml is 1.0 MB, more than the 1.0 MB this box takes".
"""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import expect

from tests.web.conftest import Served, Tab
from tests.web.forms import unfold


def test_sizes_are_binary_and_an_oversize_file_differs_from_its_limit(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    t = tab()
    page = t.open(f"{quiet_server.url}/#projects")
    expect(page.locator("#projects-status")).not_to_have_text("Loading projects…")
    unfold(page, "#project-new")
    page.fill(
        "#pn-project", "title: Sizes\nmusic: assets/song.mp3\nscenes:\n  - prompt: a fox\n    duration: 2\n"
    )
    page.set_input_files(
        "#pn-files", {"name": "song.mp3", "mimeType": "audio/mpeg", "buffer": b"\0" * 13_435}
    )
    expect(page.locator("#project-form .placed li")).to_have_text("song.mp3 → assets/song.mp3 (13.1 KiB)")
    huge = b"#" * (1024**2 + 1)
    page.set_input_files("#pn-project-file", {"name": "huge.yaml", "mimeType": "text/yaml", "buffer": huge})
    expect(page.locator("#pn-project-file-err")).to_have_text(
        "huge.yaml is 1,048,577 bytes, more than the 1,048,576 bytes (1 MiB) this box takes; "
        "choose the project.yaml (or .json) of a storyboard folder."
    )
    assert t.errors == []
