// Small DOM and formatting helpers shared by the views. Text always goes in as text, never as HTML.

/** An element: el("button", {class: "x", onclick: f}, "label", child...). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (value === true) node.setAttribute(key, "");
    else node.setAttribute(key, String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export const $ = (id) => document.getElementById(id);

/**
 * Focuses a card by its title (or `node` itself where it has none), made focusable by script only: not
 * its first button, which on a running job is Cancel, one Enter away from stopping it.
 */
export function focusIn(node) {
  const target = node.querySelector(".card-title") || node;
  if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
  target.focus();
}

/**
 * Removes a card; where it held the focus (its Delete just pressed), the card beside it takes it, or with
 * none left its list's heading: the focus went to the page's top with the button, and Tab began again there.
 */
export function removeCard(node) {
  const holder = node.closest("section, aside");
  const next = node.contains(document.activeElement) &&
    (node.nextElementSibling || node.previousElementSibling || (holder && holder.querySelector("h2")));
  node.remove();
  if (next) focusIn(next);
}

/**
 * A person's text in quotes inside a sentence of the page's, isolated (U+2068 ... U+2069) so that
 * right-to-left marks in it, or a right-to-left prompt, cannot reorder the words around it.
 */
export const quoted = (text) => `“\u2068${text}\u2069”`;

/** Says `text` to screen readers through the page's polite live region. */
export function announce(text) {
  const region = $("announcer");
  region.textContent = "";
  // A fresh text node after clearing makes readers speak a repeated message again.
  requestAnimationFrame(() => { region.textContent = text; });
}

export function seconds(value) {
  if (value === null || value === undefined || !isFinite(value)) return "";
  // Rounded to whole seconds first: 119.6 s is "2 min 00 s", not "1 min 60 s".
  const whole = Math.max(0, Math.round(value));
  // A run of 0.3 s read "Made in 0 s", as if it took no time; a true 0 (no model ran) stays "0 s".
  if (whole === 0 && value > 0) return "under a second";
  if (whole < 60) return `${whole} s`;
  const m = Math.floor(whole / 60), s = whole % 60;
  return `${m} min ${String(s).padStart(2, "0")} s`;
}

export function ordinal(n) {
  const tail = n % 100 >= 11 && n % 100 <= 13 ? "th" : ({ 1: "st", 2: "nd", 3: "rd" })[n % 10] || "th";
  return `${n}${tail}`;
}

/**
 * Whether `video` was generated from a prompt: only those can be remixed or loaded back into the form.
 * A talking avatar (task "avatar") and an enhanced clip (no parameters) are refused by /remix.
 */
export function generated(video) {
  return Boolean(video.parameters) && video.parameters.task !== "avatar";
}

/**
 * What the page calls `video`: its prompt, or, with none, what it is. A talking avatar voiced from an
 * audio file, a video from a model that reads only a start image (svd) and an enhanced clip of either or
 * of an upload have no prompt, and their cards read "(no prompt)" as if something were missing.
 */
export function videoTitle(video) {
  if (video.prompt) return video.prompt;
  // Only an enhancement has no generation settings (a render's and an avatar's record keep theirs).
  if (!video.parameters) return video.enhanced_from_video_id ? "Enhanced video (no prompt)" : "Enhanced upload (no prompt)";
  const task = video.parameters.task;
  if (task === "avatar") return "Talking avatar (voice from an audio file)";
  return task === "i2v" ? "Image to video (no prompt)" : "(no prompt)";
}

/**
 * `video` named in a sentence: its prompt quoted, or with none its title and short id ("“Talking avatar
 * (voice from an audio file)” (67e988c8)"); an empty prompt read "Remixing “”", a bare id said nothing of what it was.
 */
export function named(video) {
  return video.prompt ? quoted(video.prompt) : `${quoted(videoTitle(video))} (${shortId(video.id)})`;
}

/** The most characters of a title said in a control's name or description (firstWords). */
const NAME_MOST = 48;

/**
 * `text`'s first words, cut with "…" past NAME_MOST characters: a card's bar and buttons were named by
 * its whole prompt, which a screen reader read again for every one of them.
 */
export function firstWords(text) {
  const chars = Array.from(String(text).replace(/\s+/g, " ").trim()); // an emoji is not cut in half
  if (chars.length <= NAME_MOST) return chars.join("");
  const cut = chars.slice(0, NAME_MOST + 1).join("");
  const space = cut.lastIndexOf(" ");
  const kept = space > NAME_MOST / 2 ? cut.slice(0, space) : chars.slice(0, NAME_MOST).join("");
  return `${kept.replace(/[\s,.;:!?-]+$/, "")}…`;
}

/** A hidden node holding `video`'s title as firstWords says it, for the card's controls to be described by. */
export function shortName(id, title) {
  return el("span", { id, hidden: true }, firstWords(title));
}

export function shortId(id) {
  return id.replace(/^video_/, "").slice(0, 8);
}

export function when(unix) {
  if (!unix) return "";
  return new Date(unix * 1000).toLocaleString([], { dateStyle: "medium", timeStyle: "short" });
}

/** A random seed a person can read and type back (JavaScript numbers are exact to 2^53). */
export function randomSeed() {
  const words = new Uint32Array(1);
  crypto.getRandomValues(words);
  return words[0];
}

export function fps(value) {
  return Number.isInteger(value) ? String(value) : value.toFixed(2).replace(/0+$/, "");
}

/**
 * Whether the person wants `video` deleted. A finished video's file goes with it, and cannot be
 * had back, so that is asked first; a failed or cancelled one holds no file and goes at once.
 */
export function confirmDelete(video) {
  if (video.status !== "completed") return true;
  return confirm(`Delete ${named(video)} and its video file from the server? This cannot be undone.`);
}
