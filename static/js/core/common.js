// @ts-check
// Shared by every screen: page data, the JSON API, ids and elements. The live connection is
// core/live.js; how modules tell each other what happened is core/bus.js.
import { _ } from "./i18n.js";

/**
 * The page's data block (<script id="page-data">, workshop/web/pages.py page_data): the
 * protocol's names, the phases' labels, the workshop and what else the page hands its scripts.
 * @returns {any}
 */
export function pageData() {
  return JSON.parse(document.getElementById("page-data").textContent);
}

/** @type {{header: string, value: string} | null | undefined} */
let identity;

/**
 * On the projected screen a facilitator opened (`?as=room`), what every call and the socket
 * send to be answered as the room (workshop/web/context.py as_room); null elsewhere.
 * @returns {{header: string, value: string} | null}
 */
export function roomIdentity() {
  if (identity === undefined) {
    const node = document.getElementById("page-data");
    identity = (node && JSON.parse(node.textContent).as_room) || null;
  }
  return identity;
}

export class ApiError extends Error {
  /**
   * @param {number} status
   * @param {string} message
   * @param {number} retryAfter  seconds the server asked to wait (429), or 0
   */
  constructor(status, message, retryAfter) {
    super(message);
    this.status = status;
    this.retryAfter = retryAfter;
  }
}

/**
 * fetch() JSON; throws ApiError for an answer with an error, TypeError when the network is down.
 * @param {string} method
 * @param {string} path
 * @param {unknown} [body]
 * @returns {Promise<{status: number, data: any, headers: Headers}>}
 */
export async function api(method, path, body) {
  /** @type {Record<string, string>} */
  const headers = { Accept: "application/json" };
  const asRoom = roomIdentity();
  if (asRoom) headers[asRoom.header] = asRoom.value; // the projected screen: answered as the room
  /** @type {RequestInit} */
  const options = { method, headers, credentials: "same-origin" };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  const response = await fetch(path, options);
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (!response.ok) {
    const message = (data && data.error) || _("The server answered {status}.", { status: response.status });
    const retryAfter = Number(response.headers.get("Retry-After")) || 0;
    throw new ApiError(response.status, message, retryAfter);
  }
  return { status: response.status, data, headers: response.headers };
}

// crypto.randomUUID is missing on plain-HTTP LAN origins (not a secure context);
// getRandomValues is available everywhere.
export function newClientId() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * A new element with attributes (true: present, false/null/undefined: left out) and text.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, string | number | boolean | null | undefined>} [attributes]
 * @param {string} [text]
 * @returns {HTMLElementTagNameMap[K]}
 */
export function el(tag, attributes = {}, text) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    node.setAttribute(key, value === true ? "" : String(value));
  }
  if (text !== undefined) node.textContent = text;
  return node;
}

/**
 * What the server says the room may do in the workshop's phase now (workshops/allowed.py):
 * the browser never works out for itself whether writing is open, blind writing holds…
 * @param {import("./types.js").Workshop} workshop
 * @returns {import("./types.js").Allowed}
 */
export function allowedNow(workshop) {
  const none = { write: false, plus_one: false, vote: false, several_dots: false, blind: false, tallies: false, counting: false };
  return (workshop.allowed && workshop.allowed[workshop.phase]) || none;
}

/**
 * Each phase's name in the page's language, in the phases' order (from the server's
 * workshop/core/settings.py PHASE_LABELS, through the page data).
 * @returns {Record<string, string>}
 */
export function phaseLabels() {
  return pageData().phase_labels || {};
}

// The banner each screen shows for a phase, in the page's language (a phase the page does not
// know yet shows the server's label).
const PHASE_TEXT = {
  gather: _("Writing notes"),
  sort: _("Sorting the notes into the plan"),
  vote: _("Voting"),
  "next-steps": _("Next steps"),
  closed: _("Closed — thank you"),
};

/** @param {string} phase */
export function phaseText(phase) {
  return PHASE_TEXT[phase] || phaseLabels()[phase] || phase;
}
