// @ts-check
// A printed card, scanned: its holder writes the note, or a scribe types (or photographs)
// what is handwritten on it. One note per card; a used card offers its note for correction.
import { api, ApiError, el, newClientId, pageData } from "../core/common.js";
import { _ } from "../core/i18n.js";
import { similarNotes } from "../suggestions/similar.js";

const DATA = pageData();
const CARD = DATA.card;
const ROLE = DATA.role;
const PENDING_KEY = `workshop:card:${CARD.code}`;
const MAX_BACKOFF_MS = 15000;

const form = /** @type {HTMLFormElement} */ (document.getElementById("card-form"));
const textInput = /** @type {HTMLTextAreaElement} */ (document.getElementById("card-text"));
const photoInput = /** @type {HTMLInputElement} */ (document.getElementById("card-photo"));
const errorLine = document.getElementById("card-error");
const statusLine = document.getElementById("card-status");
const used = document.getElementById("used");
const usedTitle = document.getElementById("used-title");
const connection = document.getElementById("connection");
const preview = document.getElementById("card-photo-preview");

// A scribe typing a card sees the notes already on the board like it: the card is entered all
// the same (every voice reaches the board), and the facilitator may merge them later.
const EXCERPT = 120;
if (ROLE !== "attendee") {
  const box = el("section", { class: "similar", id: "similar", "aria-live": "polite", "aria-label": _("Similar notes already on the board") });
  textInput.after(box);
  similarNotes({
    code: CARD.workshop,
    input: textInput,
    box,
    heading: _("Already on the board — enter the card all the same; the facilitator can merge them."),
    item(note) {
      const text = note.text.length > EXCERPT ? `${note.text.slice(0, EXCERPT - 1)}…` : note.text;
      const li = el("li", { class: `similar-note note-${note.color}`, "data-note-id": note.id });
      li.append(el("a", {
        class: "similar-link", href: `/w/${CARD.workshop}/board#note-${note.id}`, target: "_blank", rel: "noopener",
      }, _("This may be a duplicate of “{text}”", { text })));
      return li;
    },
  });
}

function showError(message) {
  errorLine.textContent = message;
  errorLine.hidden = !message;
}

function provenance(note) {
  if (note.source !== "paper") return _("sent from a phone");
  return note.entered_by === "scribe" ? _("typed in from the paper card by a scribe") : _("typed in from the paper card");
}

// A used card shows its note (and, to a scribe or the facilitator, a form to correct it).
// `sent` is true right after this page sent it, so the heading says so rather than "already".
function showUsed(note, sent) {
  form.hidden = true;
  used.hidden = false;
  const skip = document.getElementById("skip-card");
  if (skip) skip.hidden = true;
  if (sent !== undefined) {
    usedTitle.textContent = !sent
      ? _("This card was already entered")
      : ROLE === "attendee"
        ? _("Sent ✓ It is on the board.")
        : _("Added to the board ✓");
  }
  document.getElementById("used-text").textContent = note.hidden ? _("(hidden by the facilitator)") : note.text;
  document.getElementById("used-status").textContent = _("received ✓ — {how}", { how: provenance(note) });
  if (note.photo) {
    const src = `/photos/${encodeURIComponent(note.photo)}`;
    const link = /** @type {HTMLAnchorElement} */ (document.getElementById("used-photo"));
    link.hidden = false;
    link.href = src;
    /** @type {HTMLImageElement} */ (document.getElementById("used-photo-img")).src = src;
  }
  const fix = /** @type {HTMLTextAreaElement} */ (document.getElementById("fix-text"));
  if (fix) fix.value = note.text || "";
  if (sent) (document.getElementById("next-card") || usedTitle).focus();
}

// The photo about to be sent, shown small, so the scribe can see it is readable.
function showPreview() {
  if (!photoInput || !preview) return;
  const img = /** @type {HTMLImageElement} */ (document.getElementById("card-photo-img"));
  if (img.src) URL.revokeObjectURL(img.src);
  const file = photoInput.files[0];
  preview.hidden = !file;
  img.src = file ? URL.createObjectURL(file) : "";
  document.getElementById("card-photo-label").textContent = file ? _("Take the photo again") : _("Take a photo of the card");
}

function pending() {
  try {
    return JSON.parse(localStorage.getItem(PENDING_KEY));
  } catch {
    return null;
  }
}

async function send(entry, photo) {
  if (photo) {
    const body = new FormData();
    body.append("text", entry.text);
    body.append("client_id", entry.client_id);
    body.append("photo", photo);
    const response = await fetch(`/api/cards/${CARD.code}/note`, {
      method: "POST",
      body,
      headers: { "X-Workshop-Upload": "1", Accept: "application/json" },
    });
    const data = await response.json().catch(() => null);
    if (!response.ok) throw new ApiError(response.status, (data && data.error) || _("Not sent."), 0);
    return data;
  }
  const { data } = await api("POST", `/api/cards/${CARD.code}/note`, entry);
  return data;
}

async function deliver(entry, photo, backoff = 1000) {
  statusLine.textContent = _("sending…");
  try {
    if (ROLE === "attendee") await api("POST", `/api/workshops/${CARD.workshop}/join`, {});
    const note = await send(entry, photo);
    localStorage.removeItem(PENDING_KEY);
    connection.hidden = true;
    statusLine.textContent = _("received ✓");
    showUsed(note, true);
  } catch (error) {
    if (error instanceof ApiError && error.status < 500 && error.status !== 429) {
      localStorage.removeItem(PENDING_KEY);
      statusLine.textContent = "";
      if (error.status === 409) return load(false);
      showError(error.message);
      /** @type {HTMLButtonElement} */ (form.querySelector("button[type=submit]")).disabled = false;
      return;
    }
    connection.hidden = false;
    connection.textContent = _("No connection — the note is kept and will be sent.");
    const wait = error instanceof ApiError && error.retryAfter ? error.retryAfter * 1000 : backoff;
    setTimeout(() => deliver(entry, photo, Math.min(backoff * 2, MAX_BACKOFF_MS)), wait);
  }
}

if (photoInput) {
  photoInput.addEventListener("change", showPreview);
  // A photo chosen before this script ran (a slow phone): its change event came too early.
  if (photoInput.files && photoInput.files.length) showPreview();
  document.getElementById("card-photo-clear").addEventListener("click", () => {
    photoInput.value = "";
    showPreview();
    photoInput.focus();
  });
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  showError("");
  const photo = photoInput && photoInput.files.length ? photoInput.files[0] : null;
  const text = textInput.value.trim();
  if (!text && !photo) {
    showError(ROLE === "attendee" ? _("Write something first.") : _("Type the card's text or take a photo."));
    return;
  }
  const entry = { text, client_id: newClientId() };
  if (!photo) localStorage.setItem(PENDING_KEY, JSON.stringify(entry)); // photos are not kept offline
  /** @type {HTMLButtonElement} */ (form.querySelector("button[type=submit]")).disabled = true;
  deliver(entry, photo);
});

const fixForm = document.getElementById("fix-form");
if (fixForm) {
  fixForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const status = document.getElementById("fix-status");
    try {
      const { data } = await api("PUT", `/api/cards/${CARD.code}/note`, {
        text: /** @type {HTMLTextAreaElement} */ (document.getElementById("fix-text")).value,
      });
      showUsed(data);
      status.textContent = _("Saved.");
    } catch (error) {
      status.textContent = error instanceof ApiError ? error.message : _("No connection. Try again.");
    }
  });
}

async function load(sent = false) {
  try {
    const { data } = await api("GET", `/api/cards/${CARD.code}`);
    if (data.note) {
      showUsed(data.note, sent);
      return;
    }
  } catch {
    // offline: the form still works and keeps the note until it can be sent
  }
  const waiting = pending();
  if (waiting) {
    textInput.value = waiting.text;
    /** @type {HTMLButtonElement} */ (form.querySelector("button[type=submit]")).disabled = true;
    deliver(waiting, null);
  }
}

load();
