// @ts-check
// Next steps: what the organisers commit to, each linked to the notes it answers.
// One form (from <template id="step-form-template">) adds a step; the same form, inline,
// edits one. Its note picker keeps the ticked notes while the board changes underneath.
import { api, el } from "../core/common.js";
import { _, formatNumber, LANG, ngettext } from "../core/i18n.js";
import { changed, noteBlock, noteMeta, reconcile, removeButton, sectionTitle, showError } from "./dom.js";

const STATUS_TEXT = { planned: _("planned"), considering: _("considering"), declined: _("declined"), done: _("done") };
let formsMade = 0;

// A due date ("2027-04-30", a day, not an instant) in the page's language.
function dueText(due) {
  const date = new Date(`${due}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return due;
  return new Intl.DateTimeFormat(LANG, { dateStyle: "medium", timeZone: "UTC" }).format(date);
}

// Notes a step can answer: what the room sees (not hidden, not merged away), in plan order.
function candidates(state, selected) {
  const order = new Map(state.workshop.sections.map((s, index) => [s.id, index + 1]));
  return [...state.notes.values()]
    .filter((note) => (!note.hidden && !note.withdrawn && !note.merged_into) || selected.has(note.id))
    .sort(
      (a, b) =>
        (order.get(a.section_id) || 0) - (order.get(b.section_id) || 0) || a.position - b.position || a.id - b.id,
    );
}

function matches(state, note, words) {
  const haystack = [note.text, note.author_label, note.card_code, sectionTitle(state, note)]
    .filter(Boolean)
    .join(" ")
    .toLowerCase();
  return words.every((word) => haystack.includes(word));
}

function stepForm(ctx, step, onDone) {
  const template = /** @type {HTMLTemplateElement} */ (document.getElementById("step-form-template"));
  const form = /** @type {HTMLFormElement} */ (template.content.firstElementChild.cloneNode(true));
  const prefix = `step-form-${++formsMade}`;
  form.querySelectorAll("[data-field]").forEach((field) => (field.id = `${prefix}-${field.dataset.field}`));
  form.querySelectorAll("label[data-for]").forEach((label) => (/** @type {HTMLLabelElement} */ (label).htmlFor = `${prefix}-${label.dataset.for}`));
  /** @param {string} name */
  const field = (name) => /** @type {HTMLInputElement} */ (form.querySelector(`[data-field="${name}"]`));
  const list = form.querySelector("[data-list]");
  const only = /** @type {HTMLInputElement} */ (form.querySelector("[data-only]"));
  const picked = form.querySelector("[data-picked]");
  const errorLine = form.querySelector("[data-error]");
  const reasonBox = form.querySelector("[data-reason]");
  const selected = new Set(step ? step.note_ids : []);

  function fill(values) {
    for (const name of ["text", "owner", "due", "status", "reason"]) field(name).value = values[name] || "";
    field("status").value = values.status || "planned";
    reasonBox.hidden = field("status").value !== "declined";
  }
  fill(step || {});
  if (step) {
    form.querySelector("[data-save]").textContent = _("Save");
    form.querySelector("[data-cancel]").hidden = false;
    form.setAttribute("aria-label", _("Edit the next step: {step}", { step: step.text }));
  } else {
    form.setAttribute("aria-labelledby", "step-new-title");
  }

  function renderNotes() {
    const words = field("search").value.toLowerCase().split(/\s+/).filter(Boolean);
    const shown = candidates(ctx.state, selected).filter(
      (note) => (!only.checked || selected.has(note.id)) && matches(ctx.state, note, words),
    );
    reconcile(
      list,
      shown,
      (note) => note.id,
      (note) => {
        const row = el("li", { class: "pick" });
        const label = el("label");
        const box = el("input", { type: "checkbox", value: note.id });
        box.addEventListener("change", () => {
          if (box.checked) selected.add(note.id);
          else selected.delete(note.id);
          row.classList.toggle("is-picked", box.checked);
          picked.textContent = formatNumber(selected.size);
        });
        label.append(box, el("span", { class: "pick-body" }));
        row.append(label);
        return row;
      },
      (row, note) => {
        const box = row.querySelector("input");
        box.checked = selected.has(note.id);
        row.classList.toggle("is-picked", box.checked);
        if (changed(row, note.text, noteMeta(ctx.state, note))) {
          row.querySelector(".pick-body").replaceChildren(noteBlock(ctx.state, note, "span"));
        }
      },
    );
    form.querySelector("[data-none]").hidden = shown.length > 0;
    picked.textContent = formatNumber(selected.size);
  }

  field("status").addEventListener("change", () => {
    reasonBox.hidden = field("status").value !== "declined";
    if (!reasonBox.hidden) field("reason").focus();
  });
  field("search").addEventListener("input", renderNotes);
  only.addEventListener("change", renderNotes);
  form.querySelector("[data-cancel]").addEventListener("click", () => onDone(false));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    showError(errorLine, null);
    const body = {
      text: field("text").value,
      owner: field("owner").value,
      due: field("due").value,
      status: field("status").value,
      reason: field("status").value === "declined" ? field("reason").value : "",
      note_ids: [...selected],
    };
    const save = /** @type {HTMLButtonElement} */ (form.querySelector("[data-save]"));
    save.disabled = true;
    try {
      if (step) await api("PATCH", `/api/next-steps/${step.id}`, body);
      else await api("POST", `/api/workshops/${ctx.state.code}/next-steps`, body);
      if (!step) {
        fill({});
        selected.clear();
        field("search").value = "";
      }
      await ctx.refresh();
      onDone(true);
    } catch (error) {
      showError(errorLine, error);
    } finally {
      save.disabled = false;
    }
  });
  return { node: form, renderNotes, focus: () => field("text").focus() };
}

function stepView(ctx, step, onEdit) {
  const main = el("div", { class: "step-main" });
  main.append(el("p", { class: "step-text" }, step.text));
  const meta = el("p", { class: "step-meta" });
  meta.append(el("span", { class: `status status-${step.status}` }, STATUS_TEXT[step.status] || step.status));
  if (step.owner) meta.append(el("span", {}, step.owner));
  if (step.due) meta.append(el("span", {}, _("by {date}", { date: dueText(step.due) })));
  main.append(meta);
  if (step.status === "declined" && step.reason) main.append(el("p", { class: "step-reason" }, _("Why not: {reason}", { reason: step.reason })));
  const linked = step.note_ids.map((id) => ctx.state.notes.get(id)).filter(Boolean);
  if (linked.length) {
    main.append(el("p", { class: "linked-title" }, ngettext("Answers {n} note:", "Answers {n} notes:", linked.length)));
    const notes = el("ul", { class: "linked-notes" });
    linked.forEach((note) => notes.append(noteBlock(ctx.state, note, "li")));
    main.append(notes);
  } else {
    main.append(el("p", { class: "hint" }, _("No notes linked yet: edit it to link the feedback it answers.")));
  }
  const actions = el("div", { class: "step-actions" });
  const edit = el("button", { type: "button", class: "button small" }, _("Edit"));
  edit.addEventListener("click", onEdit);
  const remove = removeButton(_("Remove"), async () => {
    try {
      await api("DELETE", `/api/next-steps/${step.id}`);
      await ctx.refresh();
    } catch (error) {
      ctx.problem(error.message);
    }
  });
  actions.append(edit, remove);
  return [main, actions];
}

export function stepsPanel(ctx) {
  const list = document.getElementById("steps-list");
  const editors = new Map(); // step id -> its open inline form
  const adder = stepForm(ctx, null, () => {});
  document.getElementById("step-new").append(adder.node);

  function render() {
    const steps = ctx.state.steps;
    for (const id of editors.keys()) if (!steps.some((step) => step.id === id)) editors.delete(id);
    document.getElementById("steps-empty").hidden = steps.length > 0;
    document.getElementById("nav-steps").textContent = steps.length ? formatNumber(steps.length) : "";
    reconcile(
      list,
      steps,
      (step) => step.id,
      () => el("li", { class: "step" }),
      (node, step) => {
        const editor = editors.get(step.id);
        if (editor) return editor.renderNotes();
        node.classList.toggle("is-declined", step.status === "declined");
        const linked = step.note_ids.map((id) => ctx.state.notes.get(id));
        if (changed(node, step, linked.map((note) => note && [note.text, noteMeta(ctx.state, note)]))) {
          node.replaceChildren(...stepView(ctx, step, () => openEditor(node, step)));
        }
      },
    );
    adder.renderNotes();
  }

  function openEditor(node, step) {
    const editor = stepForm(ctx, step, () => {
      editors.delete(step.id);
      delete node.dataset.signature;
      render();
      node.querySelector(".step-actions .button")?.focus();
    });
    editors.set(step.id, editor);
    node.replaceChildren(editor.node);
    editor.renderNotes();
    editor.focus();
  }

  return { render };
}
