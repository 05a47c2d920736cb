// A file input that reads well inside a row: "Choose image" and the chosen file's name (or "no image yet"),
// where Chrome's own control said "Choose File  No file chosen" in the middle of a keyframe row.
import { el } from "./util.js";

/**
 * `input` (type=file) kept focusable and named as it was, drawn as a button and the chosen file's name;
 * `none` is said while no file is chosen. Returns the node to put where the input stood.
 */
export function filePick(input, { button, none }) {
  const name = el("span", { class: "file-name", "aria-hidden": "true" }, none);
  const show = () => {
    const file = input.files[0];
    name.textContent = file ? file.name : none;
    name.title = file ? file.name : "";
    name.classList.toggle("muted", !file);
  };
  input.classList.add("file-hidden");
  input.addEventListener("change", show);
  show();
  // aria-hidden: the input itself tells a screen reader the file chosen; these only draw it.
  return el("span", { class: "file-pick" }, input, el("span", { class: "file-button", "aria-hidden": "true" }, button), name);
}
