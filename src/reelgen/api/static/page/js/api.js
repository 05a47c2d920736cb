// The page's only way to the server: the public /v1 API, with the API key (when one is needed) in a header.
import { $ } from "./util.js";

const KEY = "reelgen-api-key";
let key = localStorage.getItem(KEY) || sessionStorage.getItem(KEY) || "";
let asking = null;

/** An error answer of the API: the envelope's message, and the parameter it concerns. */
export class ApiError extends Error {
  constructor(status, body) {
    const e = (body && body.error) || {};
    super(e.message || `the server answered HTTP ${status}`);
    this.status = status;
    this.param = e.param || null;
    this.code = e.code || null;
  }
}

export function authHeaders() {
  return key ? { Authorization: `Bearer ${key}` } : {};
}

export function hasKey() {
  return Boolean(key);
}

/** Asks for the API key once, however many requests are waiting on it; resolves false on cancel. */
function askForKey(message) {
  if (asking) return asking;
  const dialog = $("key-dialog");
  $("key-why").textContent = message || "This server needs an API key.";
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
    const resp = await fetch(path, { ...options, headers: { ...authHeaders(), ...(options.headers || {}) } });
    if (resp.status === 401) {
      const body = await resp.json().catch(() => null);
      const err = new ApiError(401, body);
      if (await askForKey(err.message)) continue;
      throw err;
    }
    if (!resp.ok) throw new ApiError(resp.status, await resp.json().catch(() => null));
    return resp;
  }
}

export async function json(path, options) {
  return (await request(path, options)).json();
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
 * A URL to save a video's file from. A link to a file the server no longer has (removed by retention)
 * would save nothing and say nothing, so the server's reason is thrown instead.
 */
export async function downloadUrl(id) {
  const url = await contentUrl(id); // with a key the file is fetched here, and a missing one throws
  if (!key) await probe(id);
  return url;
}

/** Why a video's player shows nothing: the server's reason when the file is gone, else the browser's. */
export async function unplayable(id) {
  try {
    await probe(id);
  } catch (err) {
    return err.message;
  }
  return "This browser cannot play this video; Download it to watch it in a player.";
}
