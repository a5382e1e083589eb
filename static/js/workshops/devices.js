// @ts-check
// The home page's facilitator sign-in panel: a one-time QR code for another device, and
// signing every other browser out (the server keeps the sessions: workshop/core/signin.py).
import { api, ApiError } from "../core/common.js";
import { _, ngettext } from "../core/i18n.js";

const status = /** @type {HTMLElement} */ (document.getElementById("devices-status"));
const ticket = /** @type {HTMLElement} */ (document.getElementById("device-ticket"));
const others = /** @type {HTMLButtonElement} */ (document.getElementById("sign-out-others"));

/** @param {unknown} error */
function say(error) {
  status.textContent = error instanceof ApiError ? error.message : _("The laptop did not answer. Try again.");
}

document.getElementById("device-link")?.addEventListener("click", async () => {
  try {
    const { data: made } = await api("POST", "/api/facilitator/tickets");
    /** @type {HTMLImageElement} */ (document.getElementById("device-qr")).src = made.qr;
    const link = /** @type {HTMLAnchorElement} */ (document.getElementById("device-url"));
    link.href = made.url;
    link.textContent = made.url;
    ticket.hidden = false;
    status.textContent = "";
  } catch (error) {
    say(error);
  }
});

others.addEventListener("click", async () => {
  try {
    const { data: closed } = await api("POST", "/api/facilitator/sessions/sign-out-others");
    const n = closed.signed_out;
    status.textContent = ngettext("Signed out: {n} other browser.", "Signed out: {n} other browsers.", n);
    others.disabled = true;
  } catch (error) {
    say(error);
  }
});
