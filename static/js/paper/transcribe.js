// @ts-check
// The transcription queue, keyboard first: the card's photo, big; type what it says; Enter
// saves and brings the next card, Esc skips it. The server leases each card to this screen
// (workshop/paper/queue.py), so two scribes never type the same one; asking again renews it.
import { api, newClientId } from "../core/common.js";
import { _ } from "../core/i18n.js";

const RENEW_MS = 45_000; // well inside the server's two-minute lease

const HOLDER = newClientId();
const form = /** @type {HTMLFormElement} */ (document.getElementById("queue-form"));
const text = /** @type {HTMLTextAreaElement} */ (document.getElementById("queue-text"));
const photo = /** @type {HTMLImageElement} */ (document.getElementById("queue-photo"));
const caption = document.getElementById("queue-caption");
const waiting = document.getElementById("queue-waiting");
const empty = document.getElementById("queue-empty");
const errorLine = document.getElementById("queue-error");

/** @type {number[]} */
const skipped = [];
/** @type {any} */
let current = null;
let busy = false;

function showError(message) {
  errorLine.textContent = message;
  errorLine.hidden = !message;
}

function show(data) {
  waiting.textContent = String(data.waiting);
  current = data.note;
  form.hidden = !current;
  empty.hidden = Boolean(current);
  if (!current) return;
  if (!photo.src.endsWith(encodeURIComponent(current.photo))) {
    photo.src = `/photos/${encodeURIComponent(current.photo)}`;
    text.value = "";
  }
  caption.textContent = _("Card {code}", { code: current.card_code });
  form.dataset.noteId = String(current.id);
  text.focus();
}

/** Ask for this screen's card (the one it holds, or the next). */
export async function nextCard(code) {
  try {
    const { data } = await api("POST", `/api/workshops/${code}/transcriptions/next`, { holder: HOLDER, skip: skipped });
    show(data);
    showError("");
  } catch (error) {
    showError(error.message);
  }
}

async function save(code) {
  if (!current || busy) return;
  if (!text.value.trim()) {
    showError(_("Type what the card says, or press Esc to skip it."));
    return;
  }
  busy = true;
  try {
    await api("POST", `/api/notes/${current.id}/transcription`, { text: text.value, holder: HOLDER });
    text.value = "";
    await nextCard(code);
  } catch (error) {
    showError(error.message);
    if (error.status === 409) await nextCard(code); // typed meanwhile, or held by another screen
  } finally {
    busy = false;
  }
}

async function skip(code) {
  if (!current || busy) return;
  skipped.push(current.id);
  text.value = "";
  await nextCard(code);
}

export function setUpQueue(code) {
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    save(code);
  });
  text.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      save(code);
    } else if (event.key === "Escape") {
      event.preventDefault();
      skip(code);
    }
  });
  document.getElementById("queue-skip").addEventListener("click", () => skip(code));
  setInterval(() => {
    if (current && !busy) nextCard(code);
  }, RENEW_MS);
  nextCard(code);
}
