// A count of the characters in a prompt box against this server's limit (REELGEN_MAX_PROMPT_CHARS, said in
// GET /v1/system), so a prompt too long is seen while it is typed, not first in the server's refusal.
import { facts, readFacts } from "./server_facts.js";
import { announce, el } from "./util.js";

/** Characters as the server counts them (Python's len: an emoji is one, where JavaScript's length says two). */
export function chars(text) {
  let n = 0;
  for (const _ of text) n += 1;
  return n;
}

const number = (n) => n.toLocaleString("en-US");

/**
 * The counter for `box` (`what`: "prompt" or "negative prompt"), put right under it: "120 of 4,000 characters",
 * or what is over the limit. `optional`: hidden while the box is empty. `most()`: the limit, or null while
 * unknown (default: the server's prompt limit); `setting`: the variable that sets it, said in the refusal
 * (null for a fixed one); `trim`: counted as sent, without the spaces at either end. `problem()` is the words
 * to refuse with before sending, or null; `update()` is called where the page fills the box itself.
 */
export function promptCount(box, { what, optional = false, most = () => facts.maxPromptChars,
  setting = "REELGEN_MAX_PROMPT_CHARS", trim = false }) {
  const node = el("p", { class: "hint char-count", id: `${box.id}-count`, hidden: true });
  box.after(node);
  box.setAttribute("aria-describedby", `${box.getAttribute("aria-describedby") || ""} ${node.id}`.trim());
  let wasOver = false;
  const count = () => chars(trim ? box.value.trim() : box.value);

  function update() {
    const limit = most();
    const n = count();
    node.hidden = !limit || (optional && n === 0);
    if (node.hidden) return;
    const over = n - limit;
    node.classList.toggle("over", over > 0);
    node.textContent = over > 0
      ? `${number(n)} of ${number(limit)} characters: ${number(over)} more than this server takes; shorten the ${what} before sending.`
      : `${number(n)} of ${number(limit)} characters`;
    // Said once on crossing the limit: the count itself changes at every key and is read only on focus.
    if (over > 0 && !wasOver) announce(`The ${what} is over this server's limit of ${number(limit)} characters.`);
    wasOver = over > 0;
  }

  function problem() {
    const limit = most();
    const n = count();
    if (!limit || n <= limit) return null;
    return `The ${what} has ${number(n)} characters; this server takes at most ${number(limit)}` +
      `${setting ? ` (${setting})` : ""}: shorten it by ${number(n - limit)}.`;
  }

  box.addEventListener("input", update);
  readFacts().then(update);
  return { node, update, problem };
}
