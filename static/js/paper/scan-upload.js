// @ts-check
// Uploading scans of paper cards: one request with every file, its progress polled from the
// server page by page, then what each image gave (cards found, what could not be read, so
// the scribe rescans just those) and, for the facilitator's wall photos, the cards that wait
// for a yes before they move.
import { api, el, newClientId } from "../core/common.js";
import { _, ngettext } from "../core/i18n.js";

const POLL_MS = 500;

const form = /** @type {HTMLFormElement} */ (document.getElementById("scan-form"));
const input = /** @type {HTMLInputElement} */ (document.getElementById("scan-files"));
const send = /** @type {HTMLButtonElement} */ (document.getElementById("scan-send"));
const progress = document.getElementById("scan-progress");
const bar = /** @type {HTMLProgressElement} */ (document.getElementById("scan-bar"));
const count = document.getElementById("scan-count");
const errorLine = document.getElementById("scan-error");
const result = document.getElementById("scan-result");
const confirmBox = document.getElementById("scan-confirm");

function showError(message) {
  errorLine.textContent = message;
  errorLine.hidden = !message;
}

function showProgress(done, total) {
  bar.max = Math.max(total, 1);
  bar.value = done;
  count.textContent = total ? _("Page {done} of {total}", { done, total }) : _("Sending…");
}

function imageName(image) {
  return image.page ? _("{file}, page {page}", { file: image.file, page: image.page }) : image.file;
}

function showResult(data) {
  result.replaceChildren();
  const cards = data.images.flatMap((image) => image.cards);
  const fresh = cards.filter((card) => card.new).length;
  result.append(
    el("p", { class: "scan-summary" }, ngettext("{n} card found", "{n} cards found", cards.length) + " · " + ngettext("{n} new", "{n} new", fresh)),
  );
  const list = el("ul");
  for (const image of data.images) {
    const item = el("li", {}, `${imageName(image)}: ${ngettext("{n} card", "{n} cards", image.cards.length)}`);
    for (const message of image.unreadable) item.append(el("p", { class: "unreadable" }, message));
    list.append(item);
  }
  result.append(list);
  if (data.placed && data.placed.length) {
    result.append(el("p", {}, ngettext("{n} card filed under its section sign.", "{n} cards filed under their section signs.", data.placed.length)));
  }
}

function offerToConfirm(placements) {
  if (!confirmBox) return;
  confirmBox.hidden = !placements.length;
  if (!placements.length) return;
  document.getElementById("scan-confirm-text").textContent = ngettext(
    "{n} card is on the wall under another section than on the board. Move it to the wall's section?",
    "{n} cards are on the wall under other sections than on the board. Move them to the wall's sections?",
    placements.length,
  );
  const move = /** @type {HTMLButtonElement} */ (document.getElementById("scan-confirm-move"));
  move.onclick = async () => {
    move.disabled = true;
    try {
      const body = { placements: placements.map((p) => ({ note_id: p.note_id, section_id: p.section_id })) };
      await api("POST", `/api/workshops/${CODE}/wall-placements`, body);
      confirmBox.hidden = true;
    } catch (error) {
      showError(error.message);
    } finally {
      move.disabled = false;
    }
  };
}

let CODE = "";

/**
 * @param {string} code  the workshop's join code
 * @param {() => void} scanned  called when a scan has entered cards (the queue refills)
 */
export function setUpScans(code, scanned) {
  CODE = code;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!input.files || !input.files.length) return;
    const scanId = newClientId();
    const body = new FormData();
    for (const file of input.files) body.append("file", file);
    body.append("scan_id", scanId);
    send.disabled = true;
    showError("");
    progress.hidden = false;
    showProgress(0, 0);
    const poll = setInterval(async () => {
      try {
        const { data } = await api("GET", `/api/workshops/${code}/scans/${scanId}`);
        if (data.total) showProgress(data.done, data.total);
      } catch {
        // the answer to the upload itself will say what went wrong
      }
    }, POLL_MS);
    try {
      const response = await fetch(`/api/workshops/${code}/scans`, {
        method: "POST",
        body,
        credentials: "same-origin",
        headers: { "X-Workshop-Upload": "1", Accept: "application/json" },
      });
      const data = await response.json().catch(() => null);
      if (data && data.images) showResult(data);
      if (!response.ok) showError((data && data.error) || _("The server answered {status}.", { status: response.status }));
      else {
        offerToConfirm(data.to_confirm || []);
        form.reset();
        scanned();
      }
    } catch {
      showError(_("The scan could not be sent. Check the connection and try again."));
    } finally {
      clearInterval(poll);
      progress.hidden = true;
      send.disabled = false;
    }
  });
}
