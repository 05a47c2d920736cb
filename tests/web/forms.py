"""Opening a view's folded "New …" form in a test, whatever other tests left on the shared server."""

from __future__ import annotations

from playwright.sync_api import Locator, Page, expect


def unfold(page: Page, box: str) -> Locator:
    """Open the <details> ``box`` ("#project-new") and return it, shown.

    The "New project" form folds once a project exists, and the session's servers are shared: a test
    that made one (or failed before deleting it) left the form folded for the tests after it. Set open
    rather than clicking its summary: a click toggles, and the view opens the form by itself when its
    list comes back empty, which may land before or after the click.
    """
    details = page.locator(box)
    details.evaluate("d => { d.open = true; }")
    expect(details.locator("form")).to_be_visible()
    return details
