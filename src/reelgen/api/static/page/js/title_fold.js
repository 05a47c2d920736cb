// A card's title (its prompt) is cut to three lines; this is the button that shows the rest: a long prompt
// ended in "…" in the queue and the gallery, and nothing on the page let a person read what was cut.

import { el } from "./util.js";

/**
 * A "Show the whole prompt" button for `title` (a .card-title), shown only while the title is cut: it is
 * checked each time the title's box changes size (new text, a narrower screen).
 */
export function titleFold(title) {
  const toggle = el("button", { type: "button", class: "fold-toggle title-fold", hidden: true,
    "aria-expanded": "false", "aria-controls": title.id }, "Show the whole prompt");
  toggle.addEventListener("click", () => {
    const open = title.classList.toggle("open");
    toggle.textContent = open ? "Show less" : "Show the whole prompt";
    toggle.setAttribute("aria-expanded", String(open));
  });
  const check = () => {
    if (!title.classList.contains("open")) toggle.hidden = title.scrollHeight <= title.clientHeight + 1;
  };
  new ResizeObserver(check).observe(title);
  return toggle;
}
