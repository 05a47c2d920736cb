// The reelgen page: talks only to the public /v1 API, like any other client.
"use strict";

const $ = (id) => document.getElementById(id);
const keyField = $("key");
keyField.value = localStorage.getItem("reelgen-key") || "";
keyField.addEventListener("change", () => localStorage.setItem("reelgen-key", keyField.value));

function headers() {
  return keyField.value ? { Authorization: `Bearer ${keyField.value}` } : {};
}

async function api(path, options = {}) {
  const resp = await fetch(path, { ...options, headers: { ...headers(), ...(options.headers || {}) } });
  if (!resp.ok) {
    let message = `HTTP ${resp.status}`;
    try { const e = (await resp.json()).error; message = e.param ? `${e.message} (${e.param})` : e.message; } catch (_) {}
    throw new Error(message);
  }
  return resp;
}

async function loadModels() {
  const models = (await (await api("/v1/models")).json()).data;
  const select = $("model");
  for (const m of models) {
    const option = new Option(`${m.id} (${m.tasks.join(", ")}; ${m.defaults.size}, ${m.defaults.num_frames} frames)`, m.id);
    select.add(option);
  }
  // Start on the built-in model that makes a real picture, else the tiny LTX one.
  const preferred = ["reelgen-micro", "ltx-tiny"].find((id) => models.some((m) => m.id === id));
  if (preferred) select.value = preferred;
}

function card(video) {
  let el = document.querySelector(`[data-id="${video.id}"]`);
  if (!el) {
    el = document.createElement("div");
    el.className = "job";
    el.dataset.id = video.id;
    el.innerHTML = `<div><strong class="status"></strong> <span class="prompt"></span>
      <button class="cancel" type="button">Cancel</button></div>
      <progress max="100" value="0"></progress><img class="preview" alt="">
      <div class="meta"></div>`;
    el.querySelector(".cancel").onclick = () => api(`/v1/videos/${video.id}/cancel`, { method: "POST" }).catch(show);
    $("jobs").prepend(el);
  }
  el.querySelector(".status").textContent = video.status;
  el.querySelector(".prompt").textContent = video.prompt;
  el.querySelector("progress").value = video.progress;
  el.querySelector(".meta").textContent =
    `${video.model} · ${video.size} · ${video.num_frames} frames @ ${video.fps} fps · seed ${video.seed}` +
    (video.error ? ` · ${video.error.code}: ${video.error.message}` : "");
  const done = ["completed", "failed", "cancelled"].includes(video.status);
  el.querySelector(".cancel").hidden = done;
  if (video.status === "completed" && !el.querySelector("video")) {
    const player = document.createElement("video");
    player.controls = true; player.loop = true;
    // A blob URL, so the API key (if any) travels in a header, never in the URL.
    api(`/v1/videos/${video.id}/content`).then((r) => r.blob()).then((b) => { player.src = URL.createObjectURL(b); });
    el.append(player);
  }
  return el;
}

// Server-sent events read through fetch (EventSource cannot send an Authorization header).
async function follow(video) {
  const el = card(video);
  const resp = await api(`/v1/videos/${video.id}/events`);
  const reader = resp.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let cut;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      const frame = buffer.slice(0, cut); buffer = buffer.slice(cut + 2);
      const name = (frame.match(/^event: (.*)$/m) || [])[1];
      const data = (frame.match(/^data: (.*)$/m) || [])[1];
      if (!name || !data) continue;
      const event = JSON.parse(data);
      if (name === "progress") {
        el.querySelector(".status").textContent = `${event.stage} ${event.step}/${event.total}`;
        el.querySelector("progress").value = event.progress;
        if (event.preview) el.querySelector(".preview").src = `data:image/png;base64,${event.preview}`;
      } else if (event.video) {
        card(event.video);
      } else if (name === "started" || name === "queued") {
        el.querySelector(".status").textContent = name;
      }
    }
  }
}

function show(error) { $("error").textContent = error.message; }

$("create").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  $("error").textContent = "";
  const form = new FormData(ev.target);
  for (const [k, v] of [...form.entries()]) {
    if (v === "" || (v instanceof File && v.size === 0)) form.delete(k);
  }
  try {
    const video = await (await api("/v1/videos", { method: "POST", body: form })).json();
    follow(video).catch(show);
  } catch (error) { show(error); }
});

(async () => {
  try {
    await loadModels();
    const videos = (await (await api("/v1/videos?limit=20")).json()).data;
    for (const video of videos.reverse()) {
      if (["queued", "in_progress"].includes(video.status)) follow(video).catch(show); else card(video);
    }
  } catch (error) { show(error); }
})();
