// @ts-check
// After the session (the feedback window) and the workshop's settings. The settings form is
// rendered on the server from the settings table (name, default, help, the help already in
// the page's language; the workshop's language is a <select> of the catalogues' languages);
// this sends changes.
import { api } from "../core/common.js";
import { _, formatDateTime } from "../core/i18n.js";
import { showError } from "./dom.js";

function longDate(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return formatDateTime(date);
}

export function afterPanel(ctx) {
  const form = document.getElementById("feedback-form");
  const days = /** @type {HTMLInputElement} */ (document.getElementById("feedback-days"));
  const close = document.getElementById("feedback-close");
  const errorLine = document.getElementById("feedback-error");

  async function setWindow(value) {
    showError(errorLine, null);
    try {
      const { data } = await api("PUT", `/api/workshops/${ctx.state.code}/feedback-window`, { days: value });
      ctx.state.workshop = { ...ctx.state.workshop, feedback_until: data.feedback_until };
      render();
      await ctx.refresh();
    } catch (error) {
      showError(errorLine, error);
    }
  }

  function render() {
    const { feedback_until: until, phase } = ctx.state.workshop;
    const line = document.getElementById("feedback-state");
    if (!until) line.textContent = _("Not open for comments after the session.");
    else if (phase === "closed") line.textContent = _("Open for online comments until {date}.", { date: longDate(until) });
    else {
      line.textContent = _("Will stay open for online comments until {date}, once you close the room.", {
        date: longDate(until),
      });
    }
    line.classList.toggle("is-open", Boolean(until));
    close.hidden = !until;
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const value = Number(days.value);
    if (!Number.isFinite(value) || value < 1 || value > 90) {
      errorLine.textContent = _("Choose from 1 to 90 days.");
      errorLine.hidden = false;
      return;
    }
    setWindow(value);
  });
  close.addEventListener("click", () => setWindow(0));
  return { render };
}

// data-kind: "bool" (a checkbox), "int", "text", "choice" (a <select>: the language).
function fieldValue(input) {
  if (input.dataset.kind === "bool") return input.checked;
  if (input.dataset.kind === "int") return input.value.trim() === "" ? NaN : Number(input.value);
  return input.value.trim();
}

// Select a <select>'s option by value; a value the page has no option for (a language whose
// catalogue was removed) gets one, so it shows as it is instead of as a blank.
function chooseOption(select, value) {
  if (![...select.options].some((option) => option.value === value)) {
    select.append(new Option(value, value));
  }
  select.value = value;
}

export function settingsPanel(ctx) {
  const form = /** @type {HTMLFormElement} */ (document.getElementById("settings-form"));
  const status = document.getElementById("settings-status");
  const errorLine = document.getElementById("settings-error");
  const inputs = /** @type {Array<HTMLInputElement | HTMLSelectElement>} */ ([...form.querySelectorAll("[data-kind]")]);
  let editing = false; // do not overwrite what the facilitator is typing with a live update

  function render() {
    if (editing) return;
    const settings = ctx.state.workshop.settings;
    for (const input of inputs) {
      if (!(input.name in settings)) continue;
      if (input instanceof HTMLInputElement && input.dataset.kind === "bool") input.checked = settings[input.name];
      else if (input.dataset.kind === "choice") chooseOption(input, settings[input.name]);
      else input.value = settings[input.name];
    }
  }

  form.addEventListener("input", () => {
    editing = true;
    status.textContent = "";
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    showError(errorLine, null);
    const current = ctx.state.workshop.settings;
    const changes = {};
    for (const input of inputs) {
      const value = fieldValue(input);
      if (input.dataset.kind === "int" && !Number.isInteger(value)) {
        const setting = input.labels[0].querySelector(".setting-help").textContent;
        errorLine.textContent = _("{setting} needs a whole number.", { setting });
        errorLine.hidden = false;
        input.focus();
        return;
      }
      if (value !== current[input.name]) changes[input.name] = value;
    }
    if (!Object.keys(changes).length) {
      editing = false;
      status.textContent = _("Nothing to save: no setting changed.");
      return;
    }
    try {
      const { data } = await api("PATCH", `/api/workshops/${ctx.state.code}/settings`, changes);
      ctx.state.workshop = { ...ctx.state.workshop, settings: data.settings };
      editing = false;
      render();
      status.textContent = _("Saved.");
    } catch (error) {
      showError(errorLine, error);
    }
  });
  return { render };
}
