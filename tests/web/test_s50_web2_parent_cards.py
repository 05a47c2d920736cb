"""The Batches and Shoot-outs views: a card where every item failed or was skipped wore a green
"Done"; deleting one with finished items asked nothing, unlike a finished video or a project; a list
that could not load said so without the gallery's closing period; an empty prompts list was refused
as "Prompts: prompts: ..."."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Dialog, Locator, Route, expect

from tests.web.conftest import Served, Tab, listing

COUNTS = {"total": 2, "queued": 0, "in_progress": 0, "completed": 0, "failed": 0, "cancelled": 0}


def _batch(id_: str, name: str, done: int) -> dict[str, Any]:
    failed = [
        {"output": f"shot-{n}", "reason": "out of memory", "code": "internal_error"} for n in range(2 - done)
    ]
    return {
        "id": id_,
        "object": "batch",
        "status": "completed",
        "name": name,
        "model": "ken-burns",
        "progress": 100,
        "created_at": 1_700_000_000,
        "input_folder": "/shots",
        "output_folder": "/shots/outputs",
        "request_counts": {**COUNTS, "completed": done, "failed": 2 - done},
        "summary": {
            "total": 2,
            "done": done,
            "reused": 0,
            "failed": failed,
            "skipped": [],
            "time_s": 1.0,
            "render_hours": 0.0,
        },
        "summary_file": None,
        "error": None,
    }


def _shootout(id_: str, done: int) -> dict[str, Any]:
    trials = [{"key": f"reelgen-micro--p{n}", "status": "done" if n <= done else "failed"} for n in (1, 2)]
    return {
        "id": id_,
        "object": "shootout",
        "status": "completed",
        "models": ["reelgen-micro"],
        "prompts": ["p1", "p2"],
        "progress": 100,
        "created_at": 1_700_000_000,
        "output_folder": "/shots/compare",
        "request_counts": {**COUNTS, "completed": done, "failed": 2 - done},
        "ranking": [{"model": "reelgen-micro", "score": 50.0 if done else 0.0, "done": done, "trials": 2}],
        "trials": trials,
    }


def _colour(locator: Locator) -> str:
    return str(locator.evaluate("node => getComputedStyle(node).color"))


def _badge(view: Locator, id_: str) -> Locator:
    return view.locator(f'.parent[data-id="{id_}"] .card-head .status')


def test_a_batch_or_shootout_that_made_nothing_is_not_shown_done(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    none, some = "video_5e1f0000000000000000000000000060", "video_5e1f0000000000000000000000000061"
    t = tab()
    t.context.route(
        lambda url: url.endswith("/v1/batches?limit=20"),
        listing([_batch(none, "all failed", 0), _batch(some, "one made", 1)]),
    )
    t.context.route(
        lambda url: url.endswith("/v1/shootouts?limit=20"), listing([_shootout(none, 0), _shootout(some, 1)])
    )
    t.context.route(lambda url: url.endswith("/items"), listing([]))
    page = t.open(f"{quiet_server.url}/#batches")
    for view in ("batches", "shootouts"):
        page.locator(f"#tab-{view}").click()
        view_node = page.locator(f"#view-{view}")
        nothing, done = _badge(view_node, none), _badge(view_node, some)
        expect(done).to_have_text("Done")
        expect(nothing).to_have_text("Nothing made")
        # Not the green of "Done": the colour of a failure.
        assert _colour(nothing) != _colour(done)
    assert t.errors == []


def test_deleting_a_shootout_with_finished_trials_asks_first(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    id_ = "video_5e1f0000000000000000000000000062"
    deleted: list[str] = []

    def delete(route: Route) -> None:
        if route.request.method != "DELETE":
            return route.fallback()
        deleted.append(route.request.url)
        route.fulfill(json={"id": id_, "object": "shootout.deleted", "deleted": True})

    t = tab()
    t.context.route(lambda url: url.endswith("/v1/shootouts?limit=20"), listing([_shootout(id_, 1)]))
    t.context.route(f"**/v1/shootouts/{id_}/items", listing([]))
    t.context.route(f"**/v1/shootouts/{id_}", delete)
    page = t.open(f"{quiet_server.url}/#shootouts")
    card = page.locator(f'.parent[data-id="{id_}"]')
    asked: list[str] = []

    def answer(accept: bool) -> Callable[[Dialog], None]:
        def respond(dialog: Dialog) -> None:
            asked.append(dialog.message)
            dialog.accept() if accept else dialog.dismiss()

        return respond

    page.once("dialog", answer(False))
    card.get_by_role("button", name="Delete").click()
    expect(card).to_be_visible()
    assert asked == [
        "Delete “\u2068reelgen-micro on 2 prompts\u2069” and the server's copies of its 1 finished trial? "
        "What it wrote to /shots/compare stays. This cannot be undone."
    ]
    assert deleted == []
    page.once("dialog", answer(True))
    card.get_by_role("button", name="Delete").click()
    expect(card).to_have_count(0)
    assert len(deleted) == 1
    assert t.errors == []


def test_a_list_that_cannot_load_says_so_in_a_sentence(quiet_server: Served, tab: Callable[..., Tab]) -> None:
    refused = {
        "error": {"message": "the database is locked", "type": "server_error", "code": "internal_error"}
    }
    t = tab()
    for path in ("**/v1/batches?limit=20", "**/v1/projects?limit=100"):
        t.context.route(path, lambda route: route.fulfill(status=503, json=refused))
    page = t.open(f"{quiet_server.url}/#batches")
    expect(page.locator("#batches-status")).to_have_text(
        "Could not load the list: the database is locked. Try again"  # the button that loads it again
    )
    page.locator("#tab-projects").click()
    expect(page.locator("#projects-status")).to_have_text(
        "Could not load the projects: the database is locked. Try again"
    )


def test_an_empty_prompts_list_names_the_box_once(quiet_server: Served, tab: Callable[..., Tab]) -> None:
    t = tab()
    page = t.open(f"{quiet_server.url}/#shootouts")
    form = page.locator("#shootout-form")
    form.get_by_label("reelgen-micro", exact=True).check()
    form.get_by_label("Report folder on the server").fill("/srv/compare")
    form.get_by_label("Prompts", exact=True).fill('{"prompts": []}')
    form.get_by_role("button", name="Start shoot-out").click()
    # "Prompts: prompts: there are none ..." before.
    expect(form.locator('.field[data-param="prompts"] .field-error')).to_have_text(
        "Prompts: there are none; give at least one (a line of text, or id: and prompt:)"
    )
    assert t.errors == []


def test_an_item_job_deleted_on_its_own_is_counted_deleted_not_unqueued(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    """A trial whose video was deleted after the shoot-out ended was counted "1 not queued", as if it
    had never run."""
    id_ = "video_5e1f0000000000000000000000000064"
    shootout = _shootout(id_, 1)
    shootout["request_counts"] = {**COUNTS, "completed": 1, "deleted": 1}
    t = tab()
    t.context.route(lambda url: url.endswith("/v1/shootouts?limit=20"), listing([shootout]))
    t.context.route(f"**/v1/shootouts/{id_}/items", listing([]))
    page = t.open(f"{quiet_server.url}/#shootouts")
    expect(page.locator(f'.parent[data-id="{id_}"] .counts')).to_have_text("2 trials: 1 done, 1 deleted")
    assert t.errors == []
