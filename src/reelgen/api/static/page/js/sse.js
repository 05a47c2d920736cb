// Server-sent events read through fetch (EventSource cannot send an Authorization header), resuming
// after a dropped connection from the last event seen (Last-Event-ID), until a final event arrives.
import { authHeaders, onReach, reached } from "./api.js";
import { parseAnswer } from "./exact_json.js";

const FINAL = new Set(["completed", "failed", "cancelled"]);

// Browsers open about six connections per server over HTTP/1.1; each stream holds one for as long as
// it follows. At most MAX_STREAMS follow at once, so buttons and lists always find a connection;
// further streams wait for a slot in the order they were asked for.
const MAX_STREAMS = 3;
let open = 0;
const waiting = [];

function acquire() {
  if (open < MAX_STREAMS) { open += 1; return Promise.resolve(); }
  return new Promise((resolve) => waiting.push(resolve));
}

function release() {
  const next = waiting.shift();
  if (next) next(); else open -= 1;
}

// A stream waiting to reconnect sleeps for its backoff (up to 15 s) or the server's retry. Once the
// server answers again after not answering (a restart), every sleeper is woken: the offline line went,
// and its card must not say "reconnecting" for seconds more, nor miss the requeue and the new run.
const sleepers = new Set();
let unreachable = false;
onReach((ok) => {
  if (!ok) { unreachable = true; return; }
  if (!unreachable) return;
  unreachable = false;
  for (const wake of [...sleepers]) wake();
});

/** Resolves after `ms`, or sooner when the server is reached again after a time without answer. */
function pause(ms) {
  return new Promise((resolve) => {
    const done = () => { clearTimeout(timer); sleepers.delete(done); resolve(); };
    const timer = setTimeout(done, ms);
    sleepers.add(done);
  });
}

/** Parses one SSE frame ("id:", "event:", "data:", "retry:" lines) into {id, event, data, retry}. */
function parse(frame) {
  const out = { id: null, event: "message", data: [], retry: null };
  for (const line of frame.split("\n")) {
    if (!line || line.startsWith(":")) continue;
    const cut = line.indexOf(":");
    const field = cut < 0 ? line : line.slice(0, cut);
    const value = cut < 0 ? "" : line.slice(cut + 1).replace(/^ /, "");
    if (field === "id") out.id = value;
    else if (field === "event") out.event = value;
    else if (field === "data") out.data.push(value);
    else if (field === "retry" && /^\d+$/.test(value)) out.retry = Number(value);
  }
  return out;
}

/** The frames of an event-stream response as they arrive; `onChunk()` runs on each piece read. */
async function* frames(resp, onChunk = () => {}) {
  const reader = resp.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    onChunk();
    buffer += value.replace(/\r\n?/g, "\n");
    let cut;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      yield parse(buffer.slice(0, cut));
      buffer = buffer.slice(cut + 2);
    }
  }
}

/** A frame's data as an object (seeds past 2^53 kept as their digits), or null when it is none. */
function dataOf(frame) {
  if (!frame.data.length) return null;
  try { return parseAnswer(frame.data.join("\n")); } catch { return null; }
}

/**
 * Follows `path` and calls onEvent(name, data) for every event. Returns {close()}.
 * onGone() runs when the job no longer exists (404); onFinal(name, data) after a final event.
 */
export function follow(path, { onEvent, onFinal, onGone, onState }) {
  let lastId = null;
  let retryMs = 1000;
  let failures = 0;
  let closed = false;
  let controller = null;

  async function once() {
    controller = new AbortController();
    const headers = { Accept: "text/event-stream", ...authHeaders() };
    if (lastId !== null) headers["Last-Event-ID"] = lastId;
    let resp;
    try {
      resp = await fetch(path, { headers, signal: controller.signal, cache: "no-store" });
    } catch (err) {
      if (!closed) reached(false);
      throw err;
    }
    reached(true);
    if (resp.status === 404) { closed = true; onGone && onGone(); return; }
    if (!resp.ok || !resp.body) throw new Error(`events: HTTP ${resp.status}`);
    onState && onState("live");
    for await (const frame of frames(resp)) {
      if (frame.retry !== null) retryMs = frame.retry;
      if (frame.id !== null) lastId = frame.id;
      if (!frame.data.length) continue;
      failures = 0;
      const data = dataOf(frame);
      if (data === null) continue;
      onEvent(frame.event, data);
      if (FINAL.has(frame.event)) {
        closed = true;
        controller.abort();
        onFinal && onFinal(frame.event, data);
        return;
      }
    }
  }

  (async () => {
    await acquire();
    try {
      await loop();
    } finally {
      release();
    }
  })();

  async function loop() {
    while (!closed) {
      try { await once(); } catch (err) { if (closed) return; failures += 1; }
      if (closed) return;
      // The stream ended without a final event (a dropped connection, a restarted server): resume.
      onState && onState("reconnecting");
      const wait = Math.min(15000, retryMs * 2 ** Math.min(failures, 4)) * (0.8 + Math.random() * 0.4);
      await pause(wait);
    }
  }

  return {
    close() { closed = true; if (controller) controller.abort(); },
  };
}

/**
 * Reads the events `path` holds now, calling onEvent(name, data) for each, and hangs up once they stop
 * coming (`quietMs` without a byte: the stream sends what is stored at once, then waits for news) or
 * after `mostMs` in all. For a job that is only waiting, which a live stream per card would cost a
 * connection for. Returns {close()}; onDone() runs once it has hung up, however.
 */
export function replay(path, { onEvent, onDone, quietMs = 800, mostMs = 10000 }) {
  const controller = new AbortController();
  let timer = null;
  let most = null;
  const hangUp = () => controller.abort();
  const quiet = () => { clearTimeout(timer); timer = setTimeout(hangUp, quietMs); };

  async function read() {
    most = setTimeout(hangUp, mostMs); // counted from its turn: it may wait for a free connection first
    const resp = await fetch(path, { headers: { Accept: "text/event-stream", ...authHeaders() }, signal: controller.signal, cache: "no-store" });
    if (!resp.ok || !resp.body) return;
    quiet();
    for await (const frame of frames(resp, quiet)) {
      const data = dataOf(frame);
      if (data === null) continue;
      onEvent(frame.event, data);
      if (FINAL.has(frame.event)) return;
    }
  }

  (async () => {
    await acquire();
    try {
      if (!controller.signal.aborted) await read();
    } catch { /* hung up, or the server did not answer: what was read stands */ } finally {
      clearTimeout(timer);
      clearTimeout(most);
      controller.abort();
      release();
      onDone && onDone();
    }
  })();

  return { close: hangUp };
}
