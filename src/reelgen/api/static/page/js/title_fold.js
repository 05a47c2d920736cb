// A card's title (its prompt) is cut to three lines; this is the button that shows the rest: a long prompt
// ended in "…" in the queue and the gallery, and nothing on the page let a person read what was cut.

import { el } from "./util.js";

/**
 * A "Show the whole prompt" button for `title` (a .card-title of `video`), shown only while the title is cut:
 * it is checked each time the title's box changes size (new text, a narrower screen). A talking avatar's
 * title is the text it speaks, no prompt: its button says "Show the whole text".
 */
export function titleFold(title, video) {
  const whole = video.parameters && video.parameters.task === "avatar" ? "Show the whole text" : "Show the whole prompt";
  const toggle = el("button", { type: "button", class: "fold-toggle title-fold", hidden: true,
    "aria-expanded": "false", "aria-controls": title.id }, whole);
  toggle.addEventListener("click", () => {
    const open = title.classList.toggle("open");
    toggle.textContent = open ? "Show less" : whole;
    toggle.setAttribute("aria-expanded", String(open));
  });
  const check = () => {
    if (!title.classList.contains("open")) toggle.hidden = title.scrollHeight <= title.clientHeight + 1;
  };
  new ResizeObserver(check).observe(title);
  return toggle;
}
