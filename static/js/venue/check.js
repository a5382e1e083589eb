// @ts-check
// The page a test QR opens on the facilitator's own phone (Check the room): it tells the
// laptop it was reached, so the laptop's panel can say "a phone reached me".
import { api, ApiError, pageData } from "../core/common.js";
import { _ } from "../core/i18n.js";

const status = /** @type {HTMLElement} */ (document.getElementById("check-status"));
const id = /** @type {string} */ (pageData().check_id);

async function report() {
  try {
    await api("POST", `/api/room-check/phone/${encodeURIComponent(id)}/reached`, {});
    status.textContent = _("This phone reached the laptop. Phones on this Wi-Fi can join the workshop: look at the laptop's screen.");
    status.classList.add("check-ok");
  } catch (error) {
    status.textContent = error instanceof ApiError ? error.message : _("The laptop did not answer. Try again.");
  }
}

report();
