// The form that sends a project file and the files it names, for a new project (POST) or a changed one (PUT).
//
// A server reads no path a client names: the project file and its images and music are uploaded,
// each file under the relative path the project file uses (assets/quay.png). A person picks the
// files; the page finds each one's path in the project file's text, and leaves out what it does not name.
import { ApiError, post, request } from "./api.js";
import { clearErrors, showError } from "./fields.js";
import { caretAt, fileError } from "./file_errors.js";
import { el } from "./util.js";
import { bytes, clearErrorsOnEdit, formError, labelled, loadInto, showApiError } from "./viewkit.js";

/** The most a project file may be: the server takes a form field of up to 1 MiB (api/inputs.py). */
const PROJECT_MOST = 1024 ** 2;

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Every relative path in `text` that ends in file `name`, in order (quoted paths may hold spaces). */
function pathsNaming(text, name) {
  const n = escape(name);
  const quoted = new RegExp(`(["'])((?:[^"'\\n]*/)?${n})\\1`, "g");
  const bare = new RegExp(`(?:^|[\\s\\[,:{])((?:[^\\s"'\\[\\],{}#]*/)?${n})(?=$|[\\s\\],}#])`, "gm");
  const found = [...text.matchAll(quoted)].map((m) => [m.index, m[2]])
    .concat([...text.matchAll(bare)].map((m) => [m.index, m[1]]));
  return found.sort((a, b) => a[0] - b[0]).map(([, p]) => p.replace(/^\.\//, ""));
}

/**
 * Where each chosen file goes: [{file, path}] with path null for a file the project does not name.
 * A file picked from a folder keeps its path inside that folder when the project names it so.
 */
export function placeFiles(files, text) {
  const used = new Set();
  return [...files].map((file) => {
    const inFolder = (file.webkitRelativePath || "").split("/").slice(1).join("/");
    const candidates = [inFolder, ...pathsNaming(text, file.name)].filter((p) => p && !used.has(p) && pathsNaming(text, p.split("/").pop()).includes(p));
    const path = candidates[0] || null;
    if (path) used.add(path);
    return { file, path };
  });
}

/** Parameters inside the project file are shown under its box; `files[...]` under the files. */
function route(param) {
  return param.startsWith("files") ? "files" : "project";
}

/**
 * The form. `project` (an existing project) makes it an update; `onDone(project)` gets the server's
 * answer. `remembered` is the text this browser last sent for it, offered for editing.
 */
export function uploadForm({ prefix, project = null, remembered = "", onDone, onCancel }) {
  const pick = el("input", { type: "file", accept: ".yaml,.yml,.json,application/json,application/yaml,text/yaml" });
  const text = el("textarea", { class: "code-input", rows: 10, spellcheck: "false", autocomplete: "off",
    placeholder: "title: My film\ndefaults: {model: reelgen-micro}\nscenes:\n  - prompt: a red circle moves right\n    duration: 2" });
  text.value = remembered;
  const files = el("input", { type: "file", multiple: true });
  const placed = el("ul", { class: "placed small", "aria-live": "polite" });
  const submit = el("button", { type: "submit", class: "primary" }, project ? "Save changes" : "Create project");
  const form = el("form", { class: "upload-form", novalidate: true, autocomplete: "off" },
    labelled({ prefix, param: "project-file", label: "Project file", control: pick,
      hint: ["The project.yaml (or .json) of a storyboard folder, as ", el("code", {}, "reelgen project new"), " makes it. It loads into the box below."] }),
    labelled({ prefix, param: "project", label: project ? "project.yaml (the whole file, as it should now read)" : "project.yaml", control: text,
      hint: project && !remembered ? "Choose the changed file above, or paste its whole text: the server keeps the file but does not send it back." : null }),
    labelled({ prefix, param: "files", label: project ? "New or changed files it names (optional)" : "Files it names", control: files, extra: placed,
      hint: "Images and music the project file names (assets/quay.png …): each is sent under the path the file gives it. " +
        (project ? "Files already on the server stay; send only new or changed ones." : "Clips, exports and other files are not sent.") }),
    formError(),
    el("div", { class: "row" }, submit,
      onCancel ? el("button", { type: "button", class: "ghost", onclick: onCancel }, "Cancel") : null));

  function showPlaced() {
    const chosen = placeFiles(files.files, text.value);
    placed.replaceChildren(...chosen.map(({ file, path }) => el("li", { class: path ? "" : "warn" },
      path ? `${file.name} → ${path} (${bytes(file.size)})` : `${file.name}: the project file does not name it, so it is not sent`)));
    return chosen;
  }

  pick.addEventListener("change", async () => {
    await loadInto(pick, text, { most: PROJECT_MOST, what: "the project.yaml (or .json) of a storyboard folder" });
    showPlaced();
  });
  clearErrorsOnEdit(form);
  files.addEventListener("change", showPlaced);
  text.addEventListener("input", showPlaced);

  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    if (!text.value.trim()) return showError(form, "project", "Choose the project file, or write it in the box.");
    const body = new FormData();
    const sentText = text.value;
    body.append("project", sentText);
    const sent = showPlaced().filter(({ path }) => path);
    for (const { file, path } of sent) body.append("files", file, path);
    // Its files go up with it (up to 32 MiB): a greyed button still reading its name said nothing of that.
    const label = submit.textContent;
    submit.disabled = true;
    submit.textContent = "Sending…";
    try {
      const answer = project
        ? await (await request(`v1/projects/${project.id}`, { method: "PUT", body })).json()
        : await post("v1/projects", body);
      onDone(answer, text.value);
      if (!project) { form.reset(); placed.replaceChildren(); }
    } catch (err) {
      if (err instanceof ApiError && err.code === "payload_too_large" && !err.param && sent.length) {
        // The whole upload was refused, naming no field: the files chosen are what made it too big.
        const total = sent.reduce((sum, { file }) => sum + file.size, 0);
        const said = sent.length === 1 ? `${sent[0].file.name} is` : `The ${sent.length} files sent come to`;
        showError(form, "files", `${said} ${bytes(total)}: the ${err.message}. Send fewer or smaller files.`);
      } else if (err instanceof ApiError && err.param && route(err.param) === "project") {
        // "the project file line 5, column 1: expected ..." read as server words under the box:
        // said as a sentence with the line first, and the caret put on that line.
        const said = fileError(err.message, text);
        showError(form, "project", said.text);
        // Not while someone goes on typing in it: the caret would jump under their hands.
        if (said.line && document.activeElement === text && text.value === sentText) caretAt(text, said.line, said.column);
      } else showApiError(form, err, route);
    } finally {
      submit.disabled = false;
      submit.textContent = label;
    }
  });
  return form;
}
