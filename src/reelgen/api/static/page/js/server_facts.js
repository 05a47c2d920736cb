// What the server says of itself in GET /v1/system, read once at start and again whenever the queue asks:
// how many workers it runs (no more jobs than that run at once) and the largest image it takes.
import { json } from "./api.js";

/** `workers`: worker count, or null until known; `maxImagePixels`: the image limit, or null if unsaid. */
export const facts = { workers: null, maxImagePixels: null };

let first = null;

/** Keeps what a GET /v1/system answer says (the queue's own asks come through here too). */
export function noteSystem(system) {
  const workers = Array.isArray(system.workers) ? system.workers.length : null;
  // A server with no workers (serving only) runs nothing; a count of 0 would hide what it is told runs.
  facts.workers = workers ? workers : null;
  const limit = system.detail && system.detail.limits && system.detail.limits.max_image_pixels;
  facts.maxImagePixels = Number.isInteger(limit) && limit > 0 ? limit : null;
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
