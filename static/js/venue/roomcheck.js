// @ts-check
// The facilitator's "Check the room" panel (home page): the address in the QR codes and the
// server's findings (workshop/venue/checks.py), another address to use instead, and a test
// QR code for the facilitator's own phone, with "a phone reached the laptop from …" as soon
// as it does, or what to try when none has after a while.
import { api, ApiError } from "../core/common.js";
import { _ } from "../core/i18n.js";

const PHONE_POLL_MS = 1000;
const PHONE_WAIT_MS = 90_000; // long enough to join the Wi-Fi and open the camera

/** @param {string} id */
const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
const result = $("room-check-result");
const errorLine = $("room-check-error");
const phoneStatus = $("room-check-phone-status");
const select = /** @type {HTMLSelectElement} */ ($("room-check-address"));

/** @type {number | undefined} */
let polling;

/** @param {unknown} error */
function fail(error) {
  errorLine.textContent = error instanceof ApiError ? error.message : _("The laptop did not answer. Try again.");
  errorLine.hidden = false;
}

/**
 * @param {{qr_url: string, addresses: {address: string, adapter: string, used: boolean}[],
 *   findings: {level: string, text: string}[], firewall: string, isolation: string}} report
 */
function show(report) {
  $("room-check-qr-url").textContent = report.qr_url;
  const list = $("room-check-findings");
  list.replaceChildren(
    ...report.findings.map((finding) => {
      const item = document.createElement("li");
      item.className = `finding finding-${finding.level}`;
      item.textContent = finding.text;
      return item;
    }),
  );
  select.replaceChildren(
    ...report.addresses.map((found) => {
      const option = document.createElement("option");
      option.value = found.address;
      option.textContent = found.adapter ? `${found.address} (${found.adapter})` : found.address;
      option.selected = found.used;
      return option;
    }),
  );
  $("room-check-addresses").hidden = report.addresses.length === 0;
  $("room-check-isolation").textContent = report.isolation;
  $("room-check-firewall").textContent = report.firewall;
  result.hidden = false;
}

async function startPhoneCheck() {
  window.clearInterval(polling);
  const { data: check } = await api("POST", "/api/room-check/phone");
  /** @type {HTMLImageElement} */ ($("room-check-phone-qr")).src = check.qr;
  const link = /** @type {HTMLAnchorElement} */ ($("room-check-phone-url"));
  link.href = check.url;
  link.textContent = check.url;
  phoneStatus.className = "room-check-status";
  phoneStatus.textContent = _("Waiting for a phone to open the code…");
  const started = Date.now();
  polling = window.setInterval(async () => {
    try {
      const { data } = await api("GET", `/api/room-check/phone/${encodeURIComponent(check.id)}`);
      if (data.visits.length) {
        const last = data.visits[data.visits.length - 1];
        phoneStatus.textContent = _("A phone reached the laptop from {address}. Phones on this Wi-Fi can join.", {
          address: last.address,
        });
        phoneStatus.classList.add("finding-ok");
        window.clearInterval(polling);
      } else if (Date.now() - started > PHONE_WAIT_MS) {
        phoneStatus.textContent = _("No phone has reached the laptop yet. What to try is below.");
        phoneStatus.classList.add("finding-fail");
        /** @type {HTMLDetailsElement} */ ($("room-check-advice")).open = true;
        window.clearInterval(polling);
      }
    } catch (error) {
      window.clearInterval(polling);
      fail(error);
    }
  }, PHONE_POLL_MS);
}

$("room-check-run").addEventListener("click", async () => {
  errorLine.hidden = true;
  try {
    const { data } = await api("GET", "/api/room-check");
    show(data);
    await startPhoneCheck();
  } catch (error) {
    fail(error);
  }
});

$("room-check-use").addEventListener("click", async () => {
  errorLine.hidden = true;
  try {
    const { data } = await api("PUT", "/api/room-check/address", { address: select.value });
    show(data);
    await startPhoneCheck(); // a new code, on the new address
  } catch (error) {
    fail(error);
  }
});
