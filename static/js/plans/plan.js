// @ts-check
// The facilitator's plan page: filters apply as soon as they change (the form also works
// without this script), a new session of the plan, revisions and next steps that cite the
// ticked notes, and dated updates on next steps. Every change is one API call; the page is
// then loaded again, so what it shows is always the server's.
import { api, ApiError, pageData } from "../core/common.js";
import { _ } from "../core/i18n.js";

const PLAN = /** @type {{code: string}} */ (pageData().plan);

/**
 * @param {HTMLFormElement} form
 * @param {string} name
 * @returns {string}
 */
function value(form, name) {
  const field = /** @type {HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement | null} */ (
    form.elements.namedItem(name)
  );
  return field ? field.value.trim() : "";
}

/** The ids of the notes ticked anywhere on the page, whichever session they came from. */
function citedNotes() {
  const boxes = /** @type {NodeListOf<HTMLInputElement>} */ (
    document.querySelectorAll('input[name="cite"]:checked')
  );
  return Array.from(boxes, (box) => Number(box.value));
}

/**
 * Send a form's change; show the server's refusal in the form, or reload on success.
 * @param {HTMLFormElement} form
 * @param {string} path
 * @param {Record<string, unknown>} body
 * @param {(data: any) => string} [next]  where to go afterwards (default: this page again)
 */
async function submit(form, path, body, next) {
  const error = /** @type {HTMLElement | null} */ (form.querySelector(".form-error"));
  if (error) error.hidden = true;
  try {
    const { data } = await api("POST", path, body);
    window.location.assign(next ? next(data) : window.location.href);
  } catch (failure) {
    if (!error) return;
    error.textContent = failure instanceof ApiError ? failure.message : _("No connection to the server.");
    error.hidden = false;
  }
}

/** @param {string | null} id @returns {HTMLFormElement | null} */
function formById(id) {
  return /** @type {HTMLFormElement | null} */ (id ? document.getElementById(id) : null);
}

function setUpFilters() {
  const form = formById("filters");
  if (!form) return;
  const button = document.getElementById("apply-filters");
  if (button) button.hidden = true;
  for (const select of form.querySelectorAll("select")) {
    select.addEventListener("change", () => form.requestSubmit());
  }
}

function setUpNewSession() {
  const form = formById("new-session");
  if (!form) return;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const body = { kind: value(form, "kind"), venue: value(form, "venue"), date: value(form, "date") || null };
    submit(form, `/api/plans/${PLAN.code}/sessions`, body, () => window.location.href);
  });
}

function setUpRevisions() {
  for (const form of /** @type {NodeListOf<HTMLFormElement>} */ (document.querySelectorAll(".revise-form"))) {
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const body = {
        title: value(form, "title"),
        body: value(form, "body"),
        reason: value(form, "reason"),
        by: value(form, "by") || null,
        note_ids: citedNotes(),
      };
      submit(form, `/api/plan-sections/${form.dataset.sectionId}/revisions`, body);
    });
  }
}

function setUpSteps() {
  const form = formById("new-step");
  if (form) {
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const body = { text: value(form, "text"), owner: value(form, "owner"), due: value(form, "due"), note_ids: citedNotes() };
      submit(form, `/api/plans/${PLAN.code}/next-steps`, body);
    });
  }
  for (const update of /** @type {NodeListOf<HTMLFormElement>} */ (document.querySelectorAll(".update-form"))) {
    update.addEventListener("submit", (event) => {
      event.preventDefault();
      const body = { status: value(update, "status"), note: value(update, "note"), date: value(update, "date") || null };
      submit(update, `/api/plan-steps/${update.dataset.stepId}/updates`, body);
    });
  }
}

setUpFilters();
setUpNewSession();
setUpRevisions();
setUpSteps();
