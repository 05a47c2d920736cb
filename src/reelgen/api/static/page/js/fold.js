// Long text folded to its opening with a "show all" toggle: a model's own negative prompt (LTX-2's is
// about 800 characters) printed whole took over the form and the gallery card it was shown in.
import { el } from "./util.js";

/** How many characters of a long text show folded: about a line of a hint. */
export const FOLD_AT = 80;

/**
 * `text` as nodes to put in a sentence: whole when it is short, else its first words up to `at`
 * characters, an ellipsis and a "show all" button that unfolds the rest (and "show less" folds it
 * again). The rest stays in the page, hidden, so the text reads in full once unfolded. `open` starts
 * it unfolded: a hint said again (a new Guidance typed) keeps it as the person left it.
 */
export function folded(text, { at = FOLD_AT, before = "", after = "", open = false } = {}) {
  if (text.length <= at + 20) return [before + text + after];
  // Cut after a comma or space, not inside a word.
  const cut = Math.max(text.lastIndexOf(" ", at), 1);
  const rest = el("span", { class: "fold-rest", hidden: true }, text.slice(cut));
  const dots = el("span", { class: "fold-dots" }, "…");
  const toggle = el("button", { type: "button", class: "fold-toggle" });
  const show = (unfolded) => {
    rest.hidden = !unfolded;
    dots.hidden = unfolded;
    toggle.textContent = unfolded ? "show less" : "show all";
    toggle.setAttribute("aria-expanded", String(unfolded));
  };
  toggle.addEventListener("click", () => show(rest.hidden));
  show(open);
  return [before + text.slice(0, cut), dots, rest, after, " ", toggle];
}
