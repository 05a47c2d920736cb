// What the server says of itself in GET /v1/system, read once at start and again whenever the queue asks:
// how many workers it runs (no more jobs than that run at once), the largest image and the longest prompt
// it takes, the most text an avatar speaks, and the folders on its disk that batches and shoot-outs may use.
import { json } from "./api.js";
import { el } from "./util.js";

/**
 * `workers`: worker count, or null until known; `maxImagePixels`: the image limit, or null if unsaid;
 * `maxPromptChars`: the most characters a prompt holds, or null if unsaid;
 * `maxAvatarTextChars`: the most characters of text an avatar speaks, or null if unsaid;
 * `batchRoots`: the folders batches and shoot-outs may use ([] for none), or null if unsaid.
 */
export const facts = {
  workers: null, maxImagePixels: null, maxPromptChars: null, maxAvatarTextChars: null, batchRoots: null,
};

let first = null;

/** Keeps what a GET /v1/system answer says (the queue's own asks come through here too). */
export function noteSystem(system) {
  const workers = Array.isArray(system.workers) ? system.workers.length : null;
  // A server with no workers (serving only) runs nothing; a count of 0 would hide what it is told runs.
  facts.workers = workers ? workers : null;
  const limit = system.detail && system.detail.limits && system.detail.limits.max_image_pixels;
  facts.maxImagePixels = Number.isInteger(limit) && limit > 0 ? limit : null;
  const chars = system.detail && system.detail.limits && system.detail.limits.max_prompt_chars;
  facts.maxPromptChars = Number.isInteger(chars) && chars > 0 ? chars : null;
  const spoken = system.detail && system.detail.limits && system.detail.limits.max_avatar_text_chars;
  facts.maxAvatarTextChars = Number.isInteger(spoken) && spoken > 0 ? spoken : null;
  const roots = system.detail && system.detail.batch_roots;
  facts.batchRoots = Array.isArray(roots) ? roots.map(String) : null;
}

/**
 * Asks the server once (not awaited at start: the page works without it, the server's own refusal
 * standing in). Resolves when the answer, or the failure, is in.
 */
export function readFacts() {
  first = first || json("v1/system").then(noteSystem).catch(() => {});
  return first;
}

/** The server's own words for an image over its pixel limit, or null when it is within it or unknown. */
export function tooManyPixels(width, height) {
  const limit = facts.maxImagePixels;
  if (!limit || width * height <= limit) return null;
  return `image is ${width}x${height} (${width * height} pixels); the limit is ${limit} pixels`;
}

/**
 * The note atop a Batches or Shoot-outs form: the folders the server may use, or, where it may use none,
 * that it refuses every one (`one`, `many`: "batch", "batches") and what to do instead (`cli`: the command run without a
 * server). `pathField`'s placeholder becomes a path under the first folder. Filled once the server said.
 */
export function foldersNote({ one, many, cli, pathField }) {
  const note = el("p", { class: "folders-note hint", role: "status", hidden: true });
  readFacts().then(() => {
    const roots = facts.batchRoots;
    if (roots === null) return; // an older server: its own refusal says it
    note.hidden = false;
    if (roots.length) {
      note.textContent = `Folders this server may use: ${roots.join(", ")} (and the folders inside).`;
      pathField.placeholder = `${roots[0].replace(/[\\/]$/, "")}/…`;
      return;
    }
    note.className = "folders-note notice error";
    note.textContent = `This server was started without REELGEN_BATCH_ROOTS, so it reads and writes no folders and ` +
      `refuses every ${one}. Start it with REELGEN_BATCH_ROOTS=/path/to/shots (the folders ${many} ` +
      `may use) and reload this page, or run ${many} on your own machine without a server: ${cli}.`;
    // The note stands in for the form: a person filled in a manifest and three folders, and only the
    // refusal told them that nothing they could type would have been taken.
    const form = note.closest("form");
    if (form) for (const part of form.children) if (part !== note) part.hidden = true;
  });
  return note;
}
