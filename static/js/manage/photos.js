// @ts-check
// The room's paper: photos of flip charts and diagrams, captioned, for the summary and the
// report. Uploads are multipart with the app's own header (the server refuses them without).
import { api, ApiError, el } from "../core/common.js";
import { _ } from "../core/i18n.js";
import { changed, reconcile, removeButton, showError } from "./dom.js";

async function upload(code, file, caption) {
  const body = new FormData();
  body.append("photo", file);
  body.append("caption", caption);
  const response = await fetch(`/api/workshops/${code}/photos`, {
    method: "POST",
    body,
    credentials: "same-origin",
    headers: { "X-Workshop-Upload": "1", Accept: "application/json" },
  });
  const data = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, (data && data.error) || _("The server answered {status}.", { status: response.status }), 0);
  return data;
}

function photoRow(ctx, photo, redraw) {
  const src = `/photos/${encodeURIComponent(photo.file)}`;
  const link = el("a", { href: src, target: "_blank", rel: "noopener", class: "photo-thumb" });
  link.append(el("img", { src, alt: photo.caption || _("Photo of the room's paper"), loading: "lazy" }));
  const form = el("form", { class: "caption-form" });
  const id = `caption-${photo.id}`;
  const input = el("input", { id, maxlength: 200, value: photo.caption || "", placeholder: _("Add a caption") });
  const save = el("button", { type: "submit", class: "button small" }, _("Save caption"));
  const status = el("span", { class: "hint", role: "status" });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const { data } = await api("PATCH", `/api/photos/${photo.id}`, { caption: input.value });
      ctx.state.photos.set(data.id, data);
      status.textContent = _("Saved.");
      redraw();
    } catch (error) {
      status.textContent = error.message;
    }
  });
  const remove = removeButton(_("Remove"), async () => {
    try {
      await api("DELETE", `/api/photos/${photo.id}`);
      ctx.state.photos.delete(photo.id);
      redraw();
    } catch (error) {
      status.textContent = error.message;
    }
  });
  form.append(el("label", { for: id, class: "visually-hidden" }, _("Caption")), input, save, remove, status);
  return [link, form];
}

export function photosPanel(ctx) {
  const form = /** @type {HTMLFormElement} */ (document.getElementById("photo-form"));
  const file = /** @type {HTMLInputElement} */ (document.getElementById("photo-file"));
  const caption = /** @type {HTMLInputElement} */ (document.getElementById("photo-caption"));
  const errorLine = document.getElementById("photo-error");
  const status = document.getElementById("photo-status");
  const list = document.getElementById("photo-list");

  function render() {
    const photos = [...ctx.state.photos.values()].sort((a, b) => a.id - b.id);
    document.getElementById("photos-empty").hidden = photos.length > 0;
    reconcile(
      list,
      photos,
      (photo) => photo.id,
      () => el("li", { class: "photo" }),
      (row, photo) => {
        if (!row.firstChild) row.append(...photoRow(ctx, photo, render));
        // A caption changed elsewhere shows here, unless one is being typed in this row.
        const input = row.querySelector("input");
        if (changed(row, photo.caption) && document.activeElement !== input) input.value = photo.caption || "";
        row.querySelector("img").alt = photo.caption || _("Photo of the room's paper");
      },
    );
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    showError(errorLine, null);
    if (!file.files.length) {
      errorLine.textContent = _("Choose a photo first (or take one with the camera).");
      errorLine.hidden = false;
      return;
    }
    const button = /** @type {HTMLButtonElement} */ (form.querySelector("button[type=submit]"));
    button.disabled = true;
    status.textContent = _("Uploading…");
    try {
      const photo = await upload(ctx.state.code, file.files[0], caption.value);
      ctx.state.photos.set(photo.id, photo);
      form.reset();
      status.textContent = _("Added.");
      render();
    } catch (error) {
      status.textContent = "";
      showError(errorLine, error);
    } finally {
      button.disabled = false;
    }
  });

  return { render, onPhotos: render };
}
