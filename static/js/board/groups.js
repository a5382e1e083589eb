// @ts-check
// Groups on the board, and the order of a column, exactly as the server keeps them.
//
// A section's column holds groups and ungrouped notes in one order (by position, then id:
// workshop/sorting.py column_items); a group holds its notes in their own order. Unsorted is
// the arrival pile: newest first, by question, with a group standing where its newest note
// would. Public boards and the facilitator's draw groups the same way; only the facilitator's
// can move them (sort.js).
import { el } from "../core/common.js";
import { _, formatNumber, ngettext } from "../core/i18n.js";

export const UNSORTED = "unsorted";

export function byPosition(a, b) {
  return a.position - b.position || a.id - b.id;
}

export function columnKeyOf(sectionId) {
  return sectionId === null || sectionId === undefined ? UNSORTED : String(sectionId);
}

export function sectionIdOf(columnKey) {
  return columnKey === UNSORTED ? null : Number(columnKey);
}

export class GroupStore {
  constructor() {
    this.groups = new Map(); // id -> {id, section_id, label, position, note_ids}
  }

  load(groups) {
    this.groups = new Map((groups || []).map((group) => [group.id, group]));
  }

  set(group) {
    this.groups.set(group.id, group);
  }

  delete(id) {
    this.groups.delete(id);
  }

  get(id) {
    return id === null || id === undefined ? undefined : this.groups.get(id);
  }

  // The group a note is drawn in: its own group_id, when that group is known.
  of(note) {
    return this.get(note.group_id);
  }

  // Members in the server's order (group_items): by position, then id.
  members(notes, groupId) {
    return [...notes.values()].filter((note) => note.group_id === groupId && !note.merged_into).sort(byPosition);
  }
}

// Items of a column in the server's order, from the notes and groups a screen holds:
// [{kind: "group"|"note", id, position, group?, note?}]. Hidden notes count (the server's
// index counts them, and only the facilitator, who sees them, moves things).
export function columnItems(notes, store, sectionId) {
  const items = [];
  for (const group of store.groups.values()) {
    if (group.section_id === sectionId && store.members(notes, group.id).length) {
      items.push({ kind: "group", id: group.id, position: group.position, group });
    }
  }
  for (const note of notes.values()) {
    if (note.section_id !== sectionId || note.merged_into || store.of(note)) continue;
    if (typeof note.text !== "string") continue; // a public screen's placeholder
    items.push({ kind: "note", id: note.id, position: note.position, note });
  }
  return items.sort(byPosition);
}

// The question a note sits under in the pile: a group's notes all stand with its first note.
export function pileKey(notes, store, note) {
  const group = store.of(note);
  if (!group) return note.prompt_id;
  const first = store.members(notes, group.id)[0];
  return first ? first.prompt_id : note.prompt_id;
}

// Build the <ol> of a column (or of one question's pile) from the notes board.js chose for
// it, drawing each note with board.js's renderNote and each group around its notes.
export function arrange(list, store, columnKey) {
  const members = new Map(); // group id -> notes of this list in it
  const items = [];
  for (const note of list) {
    const group = store.of(note);
    if (!group) {
      items.push({ kind: "note", id: note.id, position: note.position, note });
      continue;
    }
    if (!members.has(group.id)) {
      members.set(group.id, []);
      items.push({ kind: "group", id: group.id, position: group.position, group, notes: members.get(group.id) });
    }
    members.get(group.id).push(note);
  }
  for (const list of members.values()) list.sort(byPosition);
  if (columnKey !== UNSORTED) items.sort(byPosition);
  return items;
}

export function groupTitle(group, count) {
  return group.label || ngettext("Group of {n}", "Group of {n}", count);
}

export function renderGroup(item, renderNote, facilitator) {
  const { group, notes } = item;
  const title = groupTitle(group, notes.length);
  const node = el("li", {
    class: `group${group.label ? "" : " is-unnamed"}`,
    "data-group-id": group.id,
    "aria-label": ngettext("Group: {title}, {n} note", "Group: {title}, {n} notes", notes.length, { title }),
  });
  // The header is the group's handle: drag it to move the group (sort.js).
  const header = el("div", { class: "group-header" });
  header.append(
    el("span", { class: "group-label" }, facilitator ? title : group.label || ""),
    el("span", { class: "group-count", "aria-hidden": "true" }, formatNumber(notes.length)),
  );
  if (facilitator) {
    header.append(
      el("button", { type: "button", class: "group-action", "data-action": "rename-group", tabindex: "-1" }, group.label ? _("Rename") : _("Name")),
      el("button", { type: "button", class: "group-action", "data-action": "ungroup", tabindex: "-1" }, _("Ungroup")),
    );
  }
  const inner = el("ol", { class: "group-notes", "data-group-id": group.id });
  notes.forEach((note) => inner.append(renderNote(note)));
  node.append(header, inner);
  return node;
}

// What a merged card shows besides its own text: every note merged into it, with its author.
export function mergedTexts(note) {
  if (!note.merged || !note.merged.length) return null;
  const list = el("ul", { class: "note-merged", "aria-label": _("Merged into this note") });
  for (const other of note.merged) {
    const item = el("li", {}, other.text);
    const who = [other.author_label, other.source === "paper" ? _("paper card") : null].filter(Boolean).join(" · ");
    if (who) item.append(el("span", { class: "merged-author" }, who));
    list.append(item);
  }
  return list;
}
