// @ts-check
// Outcomes: every note should end up answered (linked to a next step), merged, out of scope
// (with a reason) or noted. This lists the notes that have none yet, with one-click answers.
import { api, el } from "../core/common.js";
import { _, formatNumber, ngettext } from "../core/i18n.js";
import { changed, noteBlock, noteMeta, reconcile, showError } from "./dom.js";

const FIRST_SHOWN = 20; // a long list would bury the rest of the page; the rest is a click away

async function setOutcome(ctx, note, outcome, reason) {
  await api("PUT", `/api/notes/${note.id}/outcome`, { outcome, reason });
  await ctx.refresh();
}

// "Out of scope…" opens a reason field in place; the reason is shown on the summary page.
function outOfScopeForm(ctx, note, close) {
  const form = el("form", { class: "reason-form" });
  const id = `scope-reason-${note.id}`;
  const input = el("input", { id, maxlength: 500, required: true, placeholder: _("e.g. a county road: the county decides") });
  const error = el("p", { class: "form-error", role: "alert", hidden: true });
  const save = el("button", { type: "submit", class: "button small primary" }, _("Mark out of scope"));
  const cancel = el("button", { type: "button", class: "button small" }, _("Cancel"));
  cancel.addEventListener("click", close);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    save.disabled = true;
    try {
      await setOutcome(ctx, note, "out-of-scope", input.value);
    } catch (problem) {
      showError(error, problem);
    } finally {
      save.disabled = false;
    }
  });
  form.append(el("label", { for: id }, _("Why is it out of scope?")), input, save, cancel, error);
  return form;
}

// Link the note to an existing next step: the step's other links stay.
function stepChooser(ctx, note) {
  const select = el("select", { "aria-label": _("Answered by a next step: {note}", { note: note.text }) });
  select.append(el("option", { value: "" }, _("Answered by…")));
  ctx.state.steps.forEach((step) => select.append(el("option", { value: step.id }, step.text)));
  select.disabled = ctx.state.steps.length === 0;
  select.addEventListener("change", async () => {
    const step = ctx.state.steps.find((s) => String(s.id) === select.value);
    if (!step) return;
    try {
      await api("PATCH", `/api/next-steps/${step.id}`, { note_ids: [...step.note_ids, note.id] });
      await ctx.refresh();
    } catch (error) {
      ctx.problem(error.message);
    }
  });
  return select;
}

function missingRow(ctx, note, row) {
  const actions = el("div", { class: "outcome-actions" });
  const noted = el("button", { type: "button", class: "button small" }, _("Noted"));
  noted.addEventListener("click", async () => {
    noted.disabled = true;
    try {
      await setOutcome(ctx, note, "noted");
    } catch (error) {
      noted.disabled = false;
      ctx.problem(error.message);
    }
  });
  const scope = el("button", { type: "button", class: "button small" }, _("Out of scope…"));
  scope.addEventListener("click", () => {
    const form = outOfScopeForm(ctx, note, () => {
      form.remove();
      actions.hidden = false;
      scope.focus();
    });
    actions.hidden = true;
    row.append(form);
    form.querySelector("input").focus();
  });
  actions.append(noted, scope, stepChooser(ctx, note));
  return [noteBlock(ctx.state, note), actions];
}

function recordedRow(ctx, note) {
  const what =
    note.outcome === "noted" ? _("Noted") : _("Out of scope: {reason}", { reason: note.outcome_reason || "" });
  const clear = el("button", { type: "button", class: "button small" }, _("Clear"));
  clear.addEventListener("click", async () => {
    try {
      await setOutcome(ctx, note, null);
    } catch (error) {
      ctx.problem(error.message);
    }
  });
  return [noteBlock(ctx.state, note), el("p", { class: "outcome-set" }, what), clear];
}

export function outcomesPanel(ctx) {
  const list = document.getElementById("missing-list");
  const recorded = document.getElementById("set-list");
  const more = document.getElementById("missing-more");
  let showAll = false;
  more.addEventListener("click", () => {
    showAll = true;
    render();
  });

  function render() {
    const all = ctx.state.missing.map((id) => ctx.state.notes.get(id)).filter(Boolean);
    const missing = showAll ? all : all.slice(0, FIRST_SHOWN);
    more.hidden = missing.length === all.length;
    more.textContent = _("Show all {count}", { count: formatNumber(all.length) });
    const count = ctx.state.missing.length;
    const line = document.getElementById("missing-count");
    line.textContent = count
      ? ngettext("{n} note still needs an outcome", "{n} notes still need an outcome", count)
      : ctx.state.notes.size
        ? _("Every note has an outcome ✓")
        : _("No notes yet.");
    line.classList.toggle("is-done", count === 0);
    document.getElementById("nav-missing").textContent = count ? formatNumber(count) : "";
    const steps = ctx.state.steps.map((s) => [s.id, s.text]);
    reconcile(
      list,
      missing,
      (note) => note.id,
      () => el("li", { class: "outcome-row" }),
      (row, note) => {
        if (row.querySelector(".reason-form")) return; // the facilitator is typing a reason
        if (changed(row, note.text, noteMeta(ctx.state, note), steps)) row.replaceChildren(...missingRow(ctx, note, row));
      },
    );
    const set = [...ctx.state.notes.values()].filter((note) => note.outcome && !note.hidden);
    document.getElementById("set-count").textContent = formatNumber(set.length);
    reconcile(
      recorded,
      set,
      (note) => note.id,
      () => el("li", { class: "outcome-row" }),
      (row, note) => {
        if (changed(row, note.text, noteMeta(ctx.state, note), note.outcome, note.outcome_reason)) {
          row.replaceChildren(...recordedRow(ctx, note));
        }
      },
    );
  }

  return { render };
}
