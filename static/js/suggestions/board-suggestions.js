// @ts-check
// "Suggest groups" on the facilitator's board: the themes, duplicates and section hints the
// server works out on the laptop (GET /api/workshops/<code>/suggestions). A suggestion never
// changes the board: accepting one is the board's own group, merge or move (undoable,
// logged); dismissing one only hides it on this screen.
import { el } from "../core/common.js";
import { _, formatNumber, ngettext } from "../core/i18n.js";

const EXCERPT = 80; // characters of a note shown in a suggestion

/** @param {import("../board/sort.js").SortContext} ctx */
export function setupSuggestions(ctx) {
  const { notes, code } = ctx;
  const dismissed = new Set(); // "group:1,2,3", "dup:4,5", "place:6" on this screen

  const button = el("button", { type: "button", class: "button small", id: "suggest-toggle" }, _("Suggest groups"));
  ctx.toolbar.append(button);
  const panel = el("aside", { id: "suggest-panel", "aria-label": _("Suggested groups") });
  const close = el("button", { type: "button", class: "button small quiet panel-close", "aria-label": _("Close the suggestions") }, _("Close"));
  close.addEventListener("click", () => ctx.togglePanel(panel, false));
  const refresh = el("button", { type: "button", class: "button small" }, _("Suggest again"));
  refresh.addEventListener("click", load);
  const head = el("div", { class: "panel-head" });
  head.append(el("h2", {}, _("Suggested groups")), close);
  const status = el("p", { class: "panel-hint", role: "status" });
  const body = el("div", { class: "suggestions" });
  panel.append(
    head,
    el("p", { class: "panel-hint" }, _("Worked out on this laptop from the notes' words. Nothing changes until you accept; notes that fit nowhere stay alone.")),
    refresh,
    status,
    body,
  );
  ctx.addPanel(panel, button, load);

  async function load() {
    status.textContent = _("Looking for groups…");
    const found = await ctx.call("GET", `/api/workshops/${code}/suggestions`);
    if (!found) return;
    draw(found);
  }

  function excerpt(id) {
    const note = notes.get(id);
    const text = note && typeof note.text === "string" ? note.text : `#${id}`;
    return text.length > EXCERPT ? `${text.slice(0, EXCERPT - 1)}…` : text;
  }

  function noteList(ids) {
    const list = el("ul", { class: "suggestion-notes" });
    for (const id of ids) list.append(el("li", {}, excerpt(id)));
    return list;
  }

  function actions(...buttons) {
    const row = el("div", { class: "popover-actions" });
    row.append(...buttons);
    return row;
  }

  function dismissButton(key, item) {
    const dismiss = el("button", { type: "button", class: "button small quiet" }, _("Dismiss"));
    dismiss.addEventListener("click", () => {
      dismissed.add(key);
      item.remove();
    });
    return dismiss;
  }

  function draw(found) {
    const live = (ids) => ids.every((id) => notes.has(id));
    const groups = found.groups.filter((g) => live(g.note_ids) && !dismissed.has(`group:${g.note_ids}`));
    const duplicates = found.duplicates.filter((ids) => live(ids) && !dismissed.has(`dup:${ids}`));
    const hints = found.sections.filter((h) => live([h.note_id]) && !dismissed.has(`place:${h.note_id}`));
    body.replaceChildren();
    if (!groups.length && !duplicates.length && !hints.length) {
      status.textContent = _("No suggestions: every note stands alone or is sorted.");
      return;
    }
    status.textContent = ngettext("{n} suggested group", "{n} suggested groups", groups.length);

    if (groups.length) body.append(el("h3", {}, _("Themes")));
    for (const group of groups) {
      const item = el("section", { class: "suggestion", "data-kind": "group" });
      const label = el("input", { type: "text", class: "suggestion-label", maxlength: "80", "aria-label": _("Group name") });
      label.value = group.label;
      const accept = el("button", { type: "button", class: "button small primary" }, _("Accept"));
      accept.addEventListener("click", async () => {
        const made = await ctx.hold(ctx.call("POST", `/api/workshops/${code}/groups`, { note_ids: group.note_ids, label: label.value }));
        if (!made) return;
        ctx.applyGroup(made);
        ctx.say(_("Grouped {n} notes as {name}", { n: formatNumber(made.note_ids.length), name: made.label || _("a group") }));
        item.remove();
      });
      item.append(label, noteList(group.note_ids), actions(accept, dismissButton(`group:${group.note_ids}`, item)));
      body.append(item);
    }

    if (duplicates.length) body.append(el("h3", {}, _("Duplicates")));
    for (const ids of duplicates) {
      const item = el("section", { class: "suggestion", "data-kind": "duplicate" });
      const merge = el("button", { type: "button", class: "button small primary" }, _("Merge"));
      merge.addEventListener("click", async () => {
        const [target, ...rest] = ids;
        const note = await ctx.hold(ctx.call("POST", `/api/notes/${target}/merge`, { note_ids: rest }));
        if (!note) return;
        ctx.applyNote(note);
        ctx.say(ngettext("Merged {n} note", "Merged {n} notes", rest.length));
        item.remove();
      });
      item.append(noteList(ids), actions(merge, dismissButton(`dup:${ids}`, item)));
      body.append(item);
    }

    if (hints.length) body.append(el("h3", {}, _("Where they go")));
    for (const hint of hints) {
      const item = el("section", { class: "suggestion", "data-kind": "place" });
      const where = ctx.sectionTitle(hint.section_id);
      const place = el("button", { type: "button", class: "button small primary" }, _("Place in {section}", { section: where }));
      place.addEventListener("click", async () => {
        if (await ctx.moveNote(hint.note_id, { sectionId: hint.section_id })) item.remove();
      });
      item.append(noteList([hint.note_id]), actions(place, dismissButton(`place:${hint.note_id}`, item)));
      body.append(item);
    }
  }
}
