// The view registry: each view (Create, Gallery, and later Projects, Batches, Shoot-outs) registers
// itself with an id, a label and a mount function; the navigation is built from what is registered.
import { $, el } from "./util.js";

const views = new Map();
let current = null;

/**
 * Registers a view. `mount(container, ctx)` builds it once; `show()` (optional, returned by mount)
 * runs each time it becomes visible. A view whose API the server lacks should not register.
 */
export function register({ id, label, mount }) {
  views.set(id, { id, label, mount, section: null, handle: null });
}

export function ids() {
  return [...views.keys()];
}

/**
 * Shows view `id`, building it on first use; the URL's hash follows so views can be linked. `how` says
 * what the browser's history gets: "push" (a person moved to it, so Back returns to the view before),
 * "replace" (the URL corrected in place: after Back or Forward, or an unknown hash) or "keep" (the URL
 * left alone: the Create view built at start under another view's URL).
 */
export function show(id, ctx, how = "replace") {
  const view = views.get(id) || views.values().next().value;
  if (!view) return;
  if (!view.section) {
    view.section = el("section", { id: `view-${view.id}`, class: "view", "aria-labelledby": `tab-${view.id}` });
    $("main").append(view.section);
    view.handle = view.mount(view.section, ctx) || {};
  }
  for (const other of views.values()) {
    if (other.section) other.section.hidden = other !== view;
    const tab = $(`tab-${other.id}`);
    if (tab) tab.setAttribute("aria-current", other === view ? "page" : "false");
  }
  current = view.id;
  // Each view is an entry in the browser's history: titled "reelgen" alone, Back's list and the tabs
  // showed a row of entries no one could tell apart.
  document.title = `${view.label} · reelgen`;
  if (location.hash !== `#${view.id}` && how !== "keep") {
    // Replaced, each switch left the page at Back instead of going to the view before.
    if (how === "push") history.pushState(null, "", `#${view.id}`);
    else history.replaceState(null, "", `#${view.id}`);
  }
  if (view.handle.show) view.handle.show();
}

export function active() {
  return current;
}

/** The navigation: one link per registered view. */
export function buildNav(ctx) {
  const nav = $("nav");
  nav.replaceChildren(
    ...[...views.values()].map((view) =>
      el("a", {
        id: `tab-${view.id}`,
        href: `#${view.id}`,
        onclick: (ev) => { ev.preventDefault(); show(view.id, ctx, "push"); $("main").focus({ preventScroll: true }); },
      }, view.label)),
  );
  // The skip link's "#main" named no view, and took a keyboard user on Gallery to Create instead of
  // past the navigation: it moves the focus only, leaving the view and the history as they are.
  document.querySelector("a.skip").addEventListener("click", (ev) => {
    ev.preventDefault();
    $("main").focus();
  });
  // Back and Forward (and a hash typed or linked) land here; the entry is already in the history, so it
  // is only corrected in place: pushing "#create" over an unknown hash made Back come back to it for ever.
  window.addEventListener("hashchange", () => {
    show(location.hash.slice(1), ctx);
    // Focus left inside the view just hidden went nowhere a keyboard could carry on from.
    const focused = document.activeElement;
    if (!focused || focused === document.body || focused.closest("[hidden]")) $("main").focus({ preventScroll: true });
  });
}
