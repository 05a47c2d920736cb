"""The page's LoRA picker shows a file the server lists as unusable, with why, and does not let it be picked."""

from __future__ import annotations

from collections.abc import Callable

from tests.web.conftest import Served, Tab


def test_an_unusable_lora_is_shown_with_why_and_cannot_be_picked(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    t = tab()
    cut = "cut.safetensors is cut short: its tensors take 1,024 bytes and the file holds 1,014 (copy or download it again)"
    loras = {
        "object": "list",
        "data": [
            {"name": "cut.safetensors", "usable": False, "problem": cut},
            {"name": "style.safetensors", "usable": True, "problem": None},
        ],
        "folder": "/loras",
    }
    t.context.route("**/v1/loras", lambda route: route.fulfill(json=loras))
    page = t.open(quiet_server.url)
    page.select_option("#f-model", "ltx-tiny")
    page.click("#f-lora-add")
    # It was offered as any other file, and picked first; a create naming it was then refused.
    options = page.eval_on_selector_all(
        "#f-lora-rows select option", "os => os.map(o => [o.value, o.disabled, o.textContent])"
    )
    assert options == [
        ["cut.safetensors", True, f"cut.safetensors (unusable: {cut})"],
        ["style.safetensors", False, "style.safetensors"],
    ]
    assert page.eval_on_selector("#f-lora-rows select", "s => s.value") == "style.safetensors"
    assert t.errors == []
