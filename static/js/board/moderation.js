// @ts-check
// Moderation on the facilitator's board: fix a typo (the old text stays in the note's
// history), merge duplicates into one card, name and dissolve groups, undo (the button and
// Ctrl/Cmd+Z), and the moderation log. Hide and show stay in board.js's note controls.
import { bus, TOPIC } from "../core/bus.js";
import { el } from "../core/common.js";
import { columnItems } from "./groups.js";
import { _, LANG, ngettext } from "../core/i18n.js";

const LOG_REFRESH_MS = 300;
const TIME = new Intl.DateTimeFormat(LANG, { hour: "2-digit", minute: "2-digit", second: "2-digit" });
const REVISERS = { author: _("changed by its author"), facilitator: _("changed by the facilitator"), scribe: _("changed by a scribe") };

/** @param {import("./sort.js").SortContext} ctx */
export function setupModeration(ctx) {
  const { board, notes, store, code } = ctx;

  // -- the small editor that opens over a card (kept outside the board, so a redraw that
  //    happens while typing does not take it away) ---------------------------------------
  const popover = el("form", { class: "popover", hidden: true });
  document.body.append(popover);
  let returnTo = null;

  function openPopover(anchor, title, build) {
    returnTo = ctx.itemKey(anchor.closest(".note, .group"));
    popover.replaceChildren(el("h2", { class: "popover-title" }, title));
    const focus = build(popover);
    popover.hidden = false;
    const rect = anchor.getBoundingClientRect();
    const width = Math.max(rect.width, Math.min(420, window.innerWidth - 24));
    popover.style.width = `${width}px`;
    popover.style.left = `${Math.max(12, Math.min(rect.left, window.innerWidth - width - 12))}px`;
    popover.style.top = `${Math.max(12, Math.min(rect.top, window.innerHeight - popover.offsetHeight - 12))}px`;
    if (focus) focus.focus();
  }

  function closePopover() {
    if (popover.hidden) return;
    popover.hidden = true;
    popover.replaceChildren();
    popover.onsubmit = null;
    const item = returnTo && ctx.findItem(returnTo);
    returnTo = null;
    if (item) item.focus();
  }
  popover.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      closePopover();
    }
  });
  document.addEventListener("pointerdown", (event) => {
    if (!popover.hidden && !popover.contains(/** @type {Node} */ (event.target))) closePopover();
  });

  function formButtons(saveLabel) {
    const row = el("div", { class: "popover-actions" });
    const cancel = el("button", { type: "button", class: "button small quiet" }, _("Cancel"));
    cancel.addEventListener("click", closePopover);
    row.append(el("button", { type: "submit", class: "button small primary" }, saveLabel), cancel);
    return row;
  }

  // -- fixing a typo --------------------------------------------------------------------
  function editNote(id) {
    const note = notes.get(id);
    const item = ctx.findItem(`note:${id}`);
    if (!note || !item) return;
    openPopover(item, _("Fix the text"), (form) => {
      const field = el("textarea", { class: "popover-field", rows: "4", "aria-label": _("Note text") });
      field.value = note.text;
      field.addEventListener("keydown", (event) => {
        if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) form.requestSubmit();
      });
      form.append(field, el("p", { class: "popover-hint" }, _("The original stays in the note's history.")), formButtons(_("Save")));
      form.onsubmit = async (event) => {
        event.preventDefault();
        if (field.value.trim() === note.text.trim()) return closePopover();
        const fresh = await ctx.hold(ctx.call("PATCH", `/api/notes/${id}`, { text: field.value }));
        if (!fresh) return;
        ctx.edited.add(id);
        closePopover();
        ctx.applyNote(fresh);
        ctx.say(_("Text fixed; the original is kept in the note's history"));
      };
      return field;
    });
  }

  async function showHistory(id) {
    const item = ctx.findItem(`note:${id}`);
    const history = await ctx.call("GET", `/api/notes/${id}/history`);
    if (!history || !item) return;
    openPopover(item, _("Earlier text"), (form) => {
      const list = el("ol", { class: "history-list" });
      for (const entry of history) {
        const row = el("li", {}, entry.text);
        row.append(el("time", { datetime: entry.revised_at }, _("until {time}", { time: when(entry.revised_at) })));
        if (REVISERS[entry.revised_by]) row.append(el("span", { class: "history-by" }, REVISERS[entry.revised_by]));
        list.append(row);
      }
      if (!history.length) list.append(el("li", {}, _("No earlier text.")));
      const close = el("button", { type: "submit", class: "button small" }, _("Close"));
      form.onsubmit = (event) => {
        event.preventDefault();
        closePopover();
      };
      form.append(list, close);
      return close;
    });
  }

  // Which notes were edited: the log knows (an undone edit is not one).
  let logTimer = null;
  async function loadEdited() {
    const log = await ctx.call("GET", `/api/workshops/${code}/moderation?lang=${LANG}`, undefined, { quiet: true });
    if (!log) return;
    const edited = new Set();
    for (const entry of log) if (entry.action === "edit" && !entry.undone) entry.note_ids.forEach((id) => edited.add(id));
    const changed = edited.size !== ctx.edited.size || [...edited].some((id) => !ctx.edited.has(id));
    ctx.edited = edited;
    if (changed) ctx.render();
    if (!logPanel.hidden) drawLog(log);
  }
  function refreshLog() {
    clearTimeout(logTimer);
    logTimer = setTimeout(loadEdited, LOG_REFRESH_MS);
  }
  bus.on(TOPIC.boardState, refreshLog);
  bus.on(TOPIC.noteTextChanged, refreshLog);
  bus.on(TOPIC.serverEvent, () => !logPanel.hidden && refreshLog());

  // -- naming and dissolving groups -------------------------------------------------------
  function renameGroup(id) {
    const group = store.get(id);
    const item = ctx.findItem(`group:${id}`);
    if (!group || !item) return;
    openPopover(item.querySelector(".group-header") || item, _("Name this group"), (form) => {
      const field = el("input", { class: "popover-field", maxlength: "80", "aria-label": _("Group name"), placeholder: _("e.g. Crossings near schools") });
      field.value = group.label || "";
      form.append(field, formButtons(_("Save name")));
      form.onsubmit = async (event) => {
        event.preventDefault();
        const fresh = await ctx.hold(ctx.call("PATCH", `/api/groups/${id}`, { label: field.value }));
        if (!fresh) return;
        closePopover();
        ctx.applyGroup(fresh);
        ctx.say(fresh.label ? _("Group named {name}", { name: fresh.label }) : _("Group name cleared"));
      };
      return field;
    });
  }

  function takeOut(id) {
    const note = notes.get(id);
    const group = note && store.of(note);
    if (!group) return;
    ctx.focusNext = `note:${id}`;
    const items = columnItems(notes, store, group.section_id);
    const index = group.section_id === null ? null : items.findIndex((i) => i.kind === "group" && i.id === group.id) + 1;
    ctx.moveNote(id, { sectionId: group.section_id, groupId: null, index });
  }

  // -- merging duplicates -------------------------------------------------------------------
  let merging = null; // ids of the notes to merge into the one chosen next

  function startMerge(id) {
    const chosen = ctx.selectedNotes();
    merging = chosen.includes(id) ? chosen : [id];
    board.classList.add("is-merging");
    ctx.say(ngettext("Merge this note: click the note to merge into, or press Enter on it. Escape cancels.", "Merge these {n} notes: click the note to merge into, or press Enter on it. Escape cancels.", merging.length));
  }

  function stopMerge() {
    merging = null;
    board.classList.remove("is-merging");
  }

  async function finishMerge(targetId) {
    const sources = merging.filter((id) => id !== targetId);
    stopMerge();
    if (!sources.length) return ctx.say(_("Choose another note to merge into"));
    ctx.focusNext = `note:${targetId}`;
    const note = await ctx.hold(ctx.call("POST", `/api/notes/${targetId}/merge`, { note_ids: sources }));
    if (!note) return;
    ctx.setSelection([]);
    ctx.applyNote(note);
    ctx.say(ngettext("Merged: one card now carries {n} note's text and author", "Merged: one card now carries {n} notes' texts and authors", note.merged.length + 1));
  }

  // While merging, a click on a card chooses it (and selects nothing: tools.js).
  bus.on(TOPIC.itemClick, ({ event, item }) => {
    if (!merging) return;
    event.preventDefault();
    if (item.classList.contains("note")) finishMerge(Number(item.dataset.noteId));
  });

  // Keys on a focused card: Enter while merging chooses it; E, H, M, G, R, U are shortcuts.
  // A key taken here is not the keyboard path's (keys.js): it is marked with preventDefault.
  bus.on(TOPIC.itemKey, ({ event, item }) => {
    if (shortcut(event, item)) event.preventDefault();
  });

  /**
   * @param {KeyboardEvent} event
   * @param {HTMLElement} item
   * @returns {boolean} whether the key was a shortcut here
   */
  function shortcut(event, item) {
    const noteId = item.classList.contains("note") ? Number(item.dataset.noteId) : null;
    const groupId = item.classList.contains("group") ? Number(item.dataset.groupId) : null;
    if (merging) {
      if (event.key === "Escape") {
        stopMerge();
        ctx.say(_("Merge cancelled"));
        return true;
      }
      if ((event.key === "Enter" || event.key === " ") && noteId) {
        finishMerge(noteId);
        return true;
      }
      return false;
    }
    if (event.shiftKey) return false;
    const key = event.key.toLowerCase();
    if (noteId && key === "e") editNote(noteId);
    else if (noteId && key === "h") toggleHidden(noteId);
    else if (noteId && key === "m") startMerge(noteId);
    else if (key === "g") groupSelected();
    else if (groupId && key === "r") renameGroup(groupId);
    else if (groupId && key === "u") ctx.ungroup(groupId);
    else if (noteId && key === "u") takeOut(noteId);
    else return false;
    return true;
  }

  async function toggleHidden(id) {
    const note = notes.get(id);
    if (!note) return;
    ctx.focusNext = `note:${id}`;
    const fresh = await ctx.hold(ctx.call("PATCH", `/api/notes/${id}`, { hidden: !note.hidden }));
    if (!fresh) return;
    ctx.applyNote(fresh);
    ctx.say(fresh.hidden ? _("Hidden from the room (kept for you and the record)") : _("Shown to the room again"));
  }

  function groupSelected() {
    const ids = ctx.selectedNotes();
    if (ids.length < 2) return ctx.say(_("Select two or more notes first (Shift+Enter or Ctrl+click)"));
    ctx.setSelection([]);
    ctx.groupNotes(ids);
  }

  // -- the buttons on cards -------------------------------------------------------------------
  bus.on(TOPIC.noteControls, ({ note, controls }) => {
    controls.append(action(_("Edit"), "edit-note"), action(_("Merge…"), "merge-note"));
    if (store.of(note)) controls.append(action(_("Take out"), "take-out"));
  });
  bus.on(TOPIC.noteDrawn, ({ item, note }) => {
    if (!ctx.edited.has(note.id) && !note.edited) return;
    let meta = item.querySelector(".note-meta");
    if (!meta) {
      meta = el("p", { class: "note-meta" });
      (item.querySelector(".note-merged") || item.querySelector(".note-text")).after(meta);
    }
    const flag = action(_("edited"), "history", "edited-flag");
    flag.title = _("Show the earlier text");
    flag.tabIndex = -1; // reachable once its card is the column's current one (keys.js)
    meta.append(flag);
  });

  function action(text, name, className = "button small") {
    return el("button", { type: "button", class: className, "data-action": name }, text);
  }

  board.addEventListener("dblclick", (event) => {
    const label = /** @type {HTMLElement} */ (event.target).closest(".group-label");
    if (label && board.contains(label)) renameGroup(Number(label.closest(".group").dataset.groupId));
  });

  board.addEventListener("click", (event) => {
    const button = /** @type {HTMLElement} */ (event.target).closest("button[data-action]");
    if (!button || !board.contains(button)) return;
    const note = button.closest(".note");
    const group = button.closest(".group");
    const noteId = note ? Number(note.dataset.noteId) : null;
    const groupId = group ? Number(group.dataset.groupId) : null;
    const run = {
      "edit-note": () => editNote(noteId),
      "merge-note": () => startMerge(noteId),
      "take-out": () => takeOut(noteId),
      history: () => showHistory(noteId),
      "rename-group": () => renameGroup(groupId),
      ungroup: () => ctx.ungroup(groupId),
    }[button.dataset.action];
    if (run) run();
  });

  // -- undo and the log -----------------------------------------------------------------------
  async function undo() {
    const entry = await ctx.hold(ctx.call("POST", `/api/workshops/${code}/undo?lang=${LANG}`));
    if (!entry) return;
    ctx.say(_("Undone: {what}", { what: describe(ctx, entry) }));
    refreshLog();
  }

  const undoButton = el("button", { type: "button", class: "button small", id: "undo", title: _("Undo (Ctrl+Z)") }, _("Undo"));
  undoButton.addEventListener("click", undo);
  const logButton = el("button", { type: "button", class: "button small quiet", id: "log-toggle" }, _("Log"));
  // What the selected notes can become: always in the toolbar, so choosing a card never
  // reflows it; each button is enabled once the selection allows it.
  const selectionTools = el("span", { class: "selection-tools", role: "group", "aria-label": _("Selected notes") });
  const groupButton = el("button", { type: "button", class: "button small", id: "group-selected", disabled: true }, _("Group selected"));
  groupButton.title = _("Group the selected notes (key: G). Select with a click and Ctrl+click, or Shift+Enter.");
  groupButton.setAttribute("aria-keyshortcuts", "G");
  groupButton.addEventListener("click", groupSelected);
  const mergeButton = el("button", { type: "button", class: "button small quiet", id: "merge-selected", disabled: true }, _("Merge into…"));
  mergeButton.title = _("Merge the selected notes into the note you choose next (key: M)");
  mergeButton.addEventListener("click", () => {
    const ids = ctx.selectedNotes();
    if (ids.length) startMerge(ids[0]);
  });
  selectionTools.append(groupButton, mergeButton);
  ctx.toolbar.append(undoButton, logButton);
  ctx.selectionTools = selectionTools; // sort.js puts it after the sorting tools

  const logPanel = el("aside", { id: "log-panel", "aria-label": _("Moderation log") });
  const logList = el("ol", { class: "log-list" });
  const panelUndo = el("button", { type: "button", class: "button small" }, _("Undo the latest"));
  panelUndo.addEventListener("click", undo);
  const closeLog = el("button", { type: "button", class: "button small quiet panel-close", "aria-label": _("Close the log") }, _("Close"));
  closeLog.addEventListener("click", () => ctx.togglePanel(logPanel, false));
  const logHead = el("div", { class: "panel-head" });
  logHead.append(el("h2", {}, _("Moderation log")), closeLog);
  logPanel.append(logHead, el("p", { class: "panel-hint" }, _("Every move, merge, edit and hide, newest first. Undo goes back one step at a time.")), panelUndo, logList);
  ctx.addPanel(logPanel, logButton, loadEdited);

  function drawLog(log) {
    logList.replaceChildren(
      ...log
        .slice()
        .reverse()
        .map((entry) => {
          const row = el("li", { class: entry.undone ? "is-undone" : "" });
          row.append(el("time", { datetime: entry.created_at }, when(entry.created_at)), el("span", { class: "log-summary" }, describe(ctx, entry)));
          if (entry.undone) row.append(el("span", { class: "log-undone" }, _("undone")));
          return row;
        }),
    );
    if (!log.length) logList.append(el("li", { class: "log-empty" }, _("Nothing yet.")));
  }

  bus.on(TOPIC.selectionChanged, () => {
    const count = ctx.selectedNotes().length;
    groupButton.disabled = count < 2;
    mergeButton.disabled = count < 1;
  });

  document.addEventListener("keydown", (event) => {
    const target = /** @type {HTMLElement} */ (event.target);
    const typing = target.closest && target.closest("input, textarea, select, [contenteditable]");
    if ((event.ctrlKey || event.metaKey) && !event.shiftKey && event.key.toLowerCase() === "z" && !typing) {
      event.preventDefault();
      undo();
    } else if (event.key === "Escape" && merging) {
      stopMerge();
      ctx.say(_("Merge cancelled"));
    }
  });
}

// The log's entries come in the board's language as a template ("Moved note #%(note)s") and
// its parameters: a note is named by its text and a group by its name, as the board shows
// them; entries from before the log kept parameters are shown as they were written.
function describe(ctx, entry) {
  const params = entry.params || {};
  if (!entry.template || !Object.keys(params).length) return entry.summary;
  return entry.template.replace(/(#?)%\((\w+)\)s/g, (match, hash, name) => {
    const value = params[name];
    if (name === "note" && hash) {
      const note = ctx.notes.get(Number(value));
      if (note && typeof note.text === "string") return `“${note.text.length > 48 ? `${note.text.slice(0, 47)}…` : note.text}”`;
    }
    if (name === "group" && hash) {
      const group = ctx.store.get(Number(value));
      if (group && group.label) return `“${group.label}”`;
    }
    return `${hash}${value}`;
  });
}

function when(stamp) {
  const date = new Date(stamp);
  return Number.isNaN(date.getTime()) ? stamp : TIME.format(date);
}
