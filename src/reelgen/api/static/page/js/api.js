// The page's only way to the server: the public /v1 API, with the API key (when one is needed) in a header.
import { parseAnswer } from "./exact_json.js";
import { $, seconds } from "./util.js";

const KEY = "reelgen-api-key";
let key = localStorage.getItem(KEY) || sessionStorage.getItem(KEY) || "";
let asking = null;

/**
 * The server's message with its Retry-After said in it: a full queue (429) or an engine restarting (503)
 * says how long to wait in that header, and "retry later" alone left a person guessing.
 */
function withRetryAfter(message, retryAfter) {
  if (!/^\d+$/.test(retryAfter || "")) return message;
  const wait = `try again in about ${seconds(Math.max(1, Number(retryAfter)))}`;
  // The server's vague ending ("retry later", "retry then") gives way to the wait; else it is added.
  return /retry (later|then)$/.test(message) ? message.replace(/retry (later|then)$/, wait) : `${message} (${wait})`;
}

/** An error answer of the API: the envelope's message, and the parameter it concerns. */
export class ApiError extends Error {
  constructor(status, body, retryAfter = null) {
    const e = (body && body.error) || {};
    super(withRetryAfter(e.message || `the server answered HTTP ${status}`, retryAfter));
    this.status = status;
    this.param = e.param || null;
    this.code = e.code || null;
  }
}

/**
 * Whether `err` says the video asked about is no longer on the server at all (deleted in another tab
 * or by a script after this page showed it), not only its file: the API names the id as video_id.
 */
export function videoDeleted(err) {
  return err instanceof ApiError && err.status === 404 && err.param === "video_id";
}

/** The server did not answer at all: fetch() itself failed (server stopped or restarting, network down). */
export class Unreachable extends Error {
  constructor() {
    super("the server is not answering; it may be stopped or restarting");
  }
}

const watchers = new Set();
/** Calls `fn(true|false)` each time a request reaches the server or fails to. */
export function onReach(fn) {
  watchers.add(fn);
}
/** Tells the watchers whether the server just answered (the event streams report here too). */
export function reached(ok) {
  for (const fn of watchers) fn(ok);
}

export function authHeaders() {
  return key ? { Authorization: `Bearer ${key}` } : {};
}

export function hasKey() {
  return Boolean(key);
}

/**
 * Asks for the API key once, however many requests are waiting on it; resolves false on cancel.
 * The API's own 401 text speaks of headers, which a person with a browser cannot send: the dialog
 * says instead whether a key is needed at all or the one given was refused.
 */
function askForKey(refused) {
  if (asking) return asking;
  const dialog = $("key-dialog");
  $("key-why").textContent = refused
    ? "The server refused that key. Check it and type it again: it is the API key the server was started with (REELGEN_API_KEY)."
    : "This server needs an API key: the one it was started with (REELGEN_API_KEY or --api-key). Ask whoever runs it.";
  $("key-input").value = "";
  asking = new Promise((resolve) => {
    dialog.addEventListener("close", () => {
      asking = null;
      const value = $("key-input").value.trim();
      if (dialog.returnValue !== "ok" || !value) return resolve(false);
      key = value;
      localStorage.removeItem(KEY);
      sessionStorage.removeItem(KEY);
      ($("key-remember").checked ? localStorage : sessionStorage).setItem(KEY, key);
      resolve(true);
    }, { once: true });
    dialog.showModal();
  });
  return asking;
}

/** fetch() against the API (paths are relative to the page, so a path prefix works); a 401 asks for the key and retries. */
export async function request(path, options = {}) {
  for (;;) {
    const sent = hasKey();
    let resp;
    try {
      resp = await fetch(path, { ...options, headers: { ...authHeaders(), ...(options.headers || {}) } });
    } catch (err) {
      if (err.name === "AbortError") throw err;
      reached(false);
      throw new Unreachable();
    }
    reached(true);
    if (resp.status === 401) {
      await resp.body?.cancel();
      if (await askForKey(sent)) continue;
      throw new ApiError(401, { error: { message: "this server needs its API key, and none was given" } });
    }
    if (!resp.ok) throw new ApiError(resp.status, await resp.json().catch(() => null), resp.headers.get("Retry-After"));
    return resp;
  }
}

export async function json(path, options) {
  return parseAnswer(await (await request(path, options)).text());
}

/** POST a FormData (multipart), JSON text as it is, or a value as JSON. */
export function post(path, body) {
  if (body instanceof FormData) return json(path, { method: "POST", body });
  const text = typeof body === "string" ? body : JSON.stringify(body || {});
  return json(path, { method: "POST", body: text, headers: { "Content-Type": "application/json" } });
}

/**
 * A URL the browser can load a video's file from. Without a key it is the API's own URL (the
 * player streams it with Range requests); with a key the file is fetched with the key in a
 * header and handed over as a blob URL, so the key never appears in a URL.
 */
export async function contentUrl(id, variant = "video") {
  const path = `v1/videos/${id}/content${variant === "video" ? "" : `?variant=${variant}`}`;
  if (!key) return path;
  const blob = await (await request(path)).blob();
  return URL.createObjectURL(blob);
}

/** Asks for the first byte of a video's file: resolves when the server has it, else throws its error. */
async function probe(id) {
  const resp = await request(`v1/videos/${id}/content`, { headers: { Range: "bytes=0-0" } });
  resp.body?.cancel();
}

/**
 * Why a video's player shows nothing: `{ message, gone, deleted }`, the server's reason and gone true
 * when its file is no longer there (Download and Enhance of it can only fail), deleted true when the
 * video itself went; else the browser's.
 */
export async function unplayable(id) {
  try {
    await probe(id);
  } catch (err) {
    return { message: err.message, gone: err instanceof ApiError && err.status === 404, deleted: videoDeleted(err) };
  }
  return { message: "This browser cannot play this video; Download it to watch it in a player.", gone: false, deleted: false };
}
