// @ts-check
// The facilitator's home: create a workshop, or a plan, from its form.
import { api, ApiError } from "../core/common.js";
import { _ } from "../core/i18n.js";
import "./devices.js";
import "../venue/roomcheck.js";

const form = /** @type {HTMLFormElement} */ (document.getElementById("new-workshop"));
/** @param {string} name */
const field = (name) => /** @type {HTMLInputElement | HTMLTextAreaElement} */ (form.elements.namedItem(name));
const errorLine = document.getElementById("new-error");

function lines(text) {
  return text.split("\n").map((line) => line.trim()).filter(Boolean);
}

function parseSections(text) {
  return lines(text).map((line) => {
    const [title, ...rest] = line.split("|");
    return { title: title.trim(), body: rest.join("|").trim() };
  });
}

function parsePrompts(text) {
  return lines(text).map((line) => {
    const at = line.lastIndexOf(" @ ");
    return at === -1 ? { text: line } : { text: line.slice(0, at).trim(), section: line.slice(at + 3).trim() };
  });
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  errorLine.hidden = true;
  const body = {
    title: field("title").value,
    description: field("description").value,
    sections: parseSections(field("sections").value),
    prompts: parsePrompts(field("prompts").value),
  };
  try {
    const { data } = await api("POST", "/api/workshops", body);
    window.location.assign(`/w/${data.code}/board`);
  } catch (error) {
    errorLine.textContent = error instanceof ApiError ? error.message : _("No connection to the server.");
    errorLine.hidden = false;
  }
});

const planForm = /** @type {HTMLFormElement | null} */ (document.getElementById("new-plan"));
const planError = document.getElementById("plan-error");

planForm?.addEventListener("submit", async (event) => {
  event.preventDefault();
  planError.hidden = true;
  const input = (/** @type {string} */ name) =>
    /** @type {HTMLInputElement | HTMLTextAreaElement} */ (planForm.elements.namedItem(name)).value;
  const body = { title: input("title"), sections: parseSections(input("sections")) };
  try {
    const { data } = await api("POST", "/api/plans", body);
    window.location.assign(`/plans/${data.code}`);
  } catch (error) {
    planError.textContent = error instanceof ApiError ? error.message : _("No connection to the server.");
    planError.hidden = false;
  }
});
