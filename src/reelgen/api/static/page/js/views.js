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

/** Shows view `id`, building it on first use; the URL's hash follows so views can be linked. */
export function show(id, ctx) {
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
  if (location.hash !== `#${view.id}`) history.replaceState(null, "", `#${view.id}`);
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
        onclick: (ev) => { ev.preventDefault(); show(view.id, ctx); $("main").focus({ preventScroll: true }); },
      }, view.label)),
  );
  window.addEventListener("hashchange", () => show(location.hash.slice(1), ctx));
}
