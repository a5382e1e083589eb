// Sorting the board into the plan. Everyone's board draws groups (board-groups.js); the
// facilitator's also drags notes and groups with sortablejs (mouse, touch, pen), moves them
// with the keyboard (board-keys.js), moderates (board-moderation.js) and edits the plan
// (board-plan.js).
//
// The server is the source of truth: a drop or a key press asks the server to move the
// thing to an index, and the board is then drawn from the server's answer and the events,
// never from where the pointer left it. While a drag or a move is under way board.js waits
// to redraw, so nothing is pulled from under the pointer.
import Sortable from "../vendor/sortable.esm.js";
import { api, el, pageData } from "./common.js";
import {
  GroupStore,
  UNSORTED,
  arrange,
  columnItems,
  groupTitle,
  mergedTexts,
  pileKey,
  renderGroup,
  sectionIdOf,
} from "./board-groups.js";
import { setupKeys } from "./board-keys.js";
import { morphChildren } from "./board-morph.js";
import { setupModeration } from "./board-moderation.js";
import { setupPlan } from "./board-plan.js";
import { setupView } from "./board-view.js";

const EVENTS = pageData().protocol.events;
const SAY_MS = 7000;
const ANIMATE_UP_TO = 40; // cards in a list
const ARMED = 3;

// One set of options for every list: the column lists, the Unsorted pile (no reordering: it
// keeps arrival order) and the lists inside groups (notes only).
const SORTABLE = {
  group: "board",
  animation: 140,
  forceFallback: true, // the same drag for mouse, touch and pen, and a ghost that leaves the column
  fallbackOnBody: true,
  fallbackTolerance: 5, // a click (no movement) selects instead of dragging
  delay: 180, // on a touch screen, a short press picks a note up; a swipe scrolls the column
  delayOnTouchOnly: true,
  touchStartThreshold: 6,
  invertSwap: true, // reorder near a card's edges; its middle is for dropping onto it (a group)
  swapThreshold: 0.5,
  draggable: ">li",
  filter: "button, select, input, textarea, a, label, .note-controls",
  preventOnFilter: false,
  ghostClass: "is-placeholder",
  chosenClass: "is-chosen",
  fallbackClass: "drag-ghost",
  scrollSensitivity: 90,
  scrollSpeed: 18,
  bubbleScroll: true,
  emptyInsertThreshold: 20,
};

export function setupSorting({ board, notes, facilitator, code, workshop, render }) {
  const store = new GroupStore();
  const texts = new Map(); // note id -> text last seen, to notice edits made on another screen
  const ctx = {
    board,
    notes,
    store,
    facilitator,
    code,
    workshop,
    render,
    edited: new Set(), // notes whose text the facilitator fixed (board-moderation.js)
    selection: new Set(), // notes and groups picked on this screen: "note:12", "group:3"
    say: () => {},
    hold,
    call,
  };
  let holds = 0;
  let dragging = false;
  let sortables = [];
  let focusKey = null; // the item that had the focus when a redraw began
  let drawing = false;
  const emptyLists = new Map(); // column key -> the list an empty column gets for drops
  // What each note card was drawn from, so an unchanged card is kept on screen (board-morph.js).
  const stamps = new WeakMap();
  let context = 0; // bumped when something besides the notes may change how a card is drawn
  const NOTE_EVENTS = new Set(["noteCreated", "noteUpdated", "noteDeleted", "votesChanged", "groupChanged", "groupDeleted", "presence", "timerChanged"].map((name) => EVENTS[name]));

  // -- following the server --------------------------------------------------------
  document.addEventListener("board:state", (event) => {
    context += 1;
    store.load(event.detail.groups);
    texts.clear();
    for (const note of event.detail.notes) texts.set(note.id, note.text);
    for (const handler of ctx.onState || []) handler(event.detail);
  });
  document.addEventListener("live:event", (event) => {
    const { name, payload } = event.detail;
    if (!NOTE_EVENTS.has(name)) context += 1;
    if (name === EVENTS.groupChanged) store.set(payload);
    else if (name === EVENTS.groupDeleted) store.delete(payload.id);
    else if (name === EVENTS.noteUpdated && typeof payload.text === "string") {
      const changed = texts.has(payload.id) && texts.get(payload.id) !== payload.text;
      texts.set(payload.id, payload.text);
      if (changed) for (const handler of ctx.onTextChange || []) handler(payload.id);
    } else if (name === EVENTS.noteCreated) texts.set(payload.id, payload.text);
    if (name === EVENTS.groupChanged || name === EVENTS.groupDeleted) render();
    for (const handler of ctx.onEvent || []) handler(name, payload);
  });

  // A note as the server answered: drawn from that, like an event.
  ctx.applyNote = (note) => {
    if (note.merged_into) notes.delete(note.id);
    else notes.set(note.id, note);
    if (typeof note.text === "string") texts.set(note.id, note.text);
    for (const other of note.merged || []) notes.delete(other.id);
    render();
  };
  ctx.applyGroup = (group) => {
    if (group.deleted) store.delete(group.id);
    else store.set(group);
    render();
  };
  ctx.resync = () => document.dispatchEvent(new CustomEvent("live:resync"));

  // A change in flight holds board.js's redraws until the server has answered.
  async function hold(promise) {
    holds += 1;
    try {
      return await promise;
    } finally {
      holds -= 1;
      render();
    }
  }

  // A facilitator call: the answer's data, or null after saying why it failed (and fetching
  // the state again, so the board shows the server's order, not a failed drop).
  async function call(method, path, body, { quiet = false } = {}) {
    try {
      return (await api(method, path, body)).data;
    } catch (error) {
      if (!quiet) ctx.say(error.message || "That did not go through.", { alert: true });
      if (error.status !== 409 || method !== "POST" || !path.endsWith("/undo")) ctx.resync();
      return null;
    }
  }

  // -- moving, with the position to announce -------------------------------------------
  function sectionTitle(sectionId) {
    if (sectionId === null) return "Unsorted";
    const section = workshop().sections.find((s) => s.id === sectionId);
    return section ? section.title : "a removed section";
  }
  ctx.sectionTitle = sectionTitle;

  function placement(sectionId, index, siblings) {
    if (sectionId === null) return "Unsorted";
    const place = index === null ? siblings + 1 : Math.min(Math.max(index, 0), siblings) + 1;
    return `${sectionTitle(sectionId)}, position ${place}`;
  }

  ctx.moveNote = async (noteId, { sectionId, groupId = null, index = null, verb = "Moved to" }) => {
    let where;
    if (groupId !== null) {
      const group = store.get(groupId);
      const siblings = store.members(notes, groupId).filter((n) => n.id !== noteId).length;
      const name = group ? groupTitle(group, siblings + 1) : "the group";
      where = `${sectionTitle(group ? group.section_id : sectionId)}, in ${name}, position ${Math.min(index ?? siblings, siblings) + 1}`;
    } else {
      const siblings = columnItems(notes, store, sectionId).filter((i) => !(i.kind === "note" && i.id === noteId));
      where = placement(sectionId, index, siblings.length);
    }
    const body = { section_id: sectionId, group_id: groupId, index };
    const note = await hold(call("POST", `/api/notes/${noteId}/move`, body));
    if (!note) return null;
    ctx.applyNote(note);
    ctx.say(`${verb} ${where}`);
    return note;
  };

  ctx.moveGroup = async (groupId, { sectionId, index = null, verb = "Moved to" }) => {
    const siblings = columnItems(notes, store, sectionId).filter((i) => !(i.kind === "group" && i.id === groupId));
    const where = placement(sectionId, index, siblings.length);
    const group = await hold(call("PATCH", `/api/groups/${groupId}`, { section_id: sectionId, index }));
    if (!group) return null;
    ctx.applyGroup(group);
    ctx.say(`${verb === "Moved to" ? "Moved group" : "Group"} ${groupTitle(group, group.note_ids.length)} ${verb.toLowerCase()} ${where}`);
    return group;
  };

  ctx.groupNotes = async (noteIds) => {
    const group = await hold(call("POST", `/api/workshops/${code}/groups`, { note_ids: noteIds }));
    if (!group) return null;
    ctx.applyGroup(group);
    ctx.say(`Grouped ${group.note_ids.length} notes in ${sectionTitle(group.section_id)}. Name the group from its header.`);
    return group;
  };

  ctx.ungroup = async (groupId) => {
    const answer = await hold(call("DELETE", `/api/groups/${groupId}`));
    if (!answer) return;
    ctx.applyGroup(answer);
    ctx.say("Ungrouped: the notes stay where the group stood");
  };

  // -- a note's controls, made when first needed ---------------------------------------------
  const pendingControls = new WeakMap(); // note element -> {build, note}
  function makeControls(item) {
    const pending = pendingControls.get(item);
    if (!pending) return;
    pendingControls.delete(item);
    const id = Number(item.dataset.noteId);
    armed = [id, ...armed.filter((other) => other !== id)].slice(0, ARMED);
    const controls = pending.build();
    item.append(controls);
    for (const handler of ctx.onControls || []) handler(item, pending.note, controls);
  }
  let pointerAt = null; // where the mouse rests on the board, to give a redrawn card its controls
  if (facilitator) {
    const reach = (event) => {
      const item = !dragging && event.target.closest && event.target.closest(".note");
      if (item && board.contains(item)) makeControls(item);
    };
    board.addEventListener("pointerover", reach);
    board.addEventListener("focusin", reach);
    board.addEventListener("pointermove", (event) => {
      if (event.pointerType === "mouse") pointerAt = [event.clientX, event.clientY];
    });
    board.addEventListener("pointerleave", () => (pointerAt = null));
  }
  // A card redrawn under the pointer (after "Hide", say) has its controls at once, like before.
  let armed = []; // the notes whose controls were made last
  function controlsUnderPointer() {
    if (!pointerAt || dragging) return;
    for (const id of armed) {
      const item = ctx.findItem(`note:${id}`);
      if (item) makeControls(item);
    }
  }

  // -- board.js hooks ---------------------------------------------------------------------
  const hooks = {
    controlsOnDemand(item, build) {
      pendingControls.set(item, { build, note: notes.get(Number(item.dataset.noteId)) });
    },
    holding: () => dragging || holds > 0,
    pileKey: (note) => pileKey(notes, store, note),
    noteList(list, renderNote, columnKey) {
      if (!drawing) {
        drawing = true;
        const active = document.activeElement;
        const item = active && board.contains(active) ? active.closest(".note, .group") : null;
        if (item && item === active) focusKey = itemKey(item);
      }
      const grid = el("ol", { class: "notes" });
      for (const item of arrange(list, store, columnKey)) {
        grid.append(item.kind === "note" ? renderNote(item.note) : decorateGroup(renderGroup(item, renderNote, facilitator)));
      }
      return grid;
    },
    replaceColumns(columns) {
      morphChildren(board, columns, sameNote);
    },
    decorateNote(item, note) {
      stamps.set(item, { note, context, edited: ctx.edited.has(note.id) });
      const merged = mergedTexts(note);
      if (merged) item.querySelector(".note-text").after(merged);
      if (!facilitator) return;
      item.tabIndex = -1;
      item.setAttribute("aria-describedby", "sort-help");
      item.classList.toggle("is-selected", ctx.selection.has(`note:${note.id}`));
      item.prepend(el("span", { class: "drag-handle", "aria-hidden": "true" }));
      for (const handler of ctx.onNote || []) handler(item, note);
    },
    afterRender() {
      drawing = false;
      if (!facilitator) return;
      // An empty column still takes drops: give it a list, the same element each time.
      for (const body of board.querySelectorAll(".column-notes")) {
        if (body.querySelector(":scope > ol.notes, :scope > .prompt-group > ol.notes")) continue;
        const key = body.closest(".column").dataset.column;
        const list = emptyLists.get(key) || el("ol", { class: "notes" });
        emptyLists.set(key, list);
        list.replaceChildren();
        body.append(list);
      }
      attachSortables();
      for (const handler of ctx.onDrawn || []) handler();
      restoreFocus();
      controlsUnderPointer();
    },
  };

  function sameNote(previous, next) {
    const a = stamps.get(previous);
    const b = stamps.get(next);
    return Boolean(a && b && a.note === b.note && a.context === b.context && a.edited === b.edited);
  }

  function decorateGroup(node) {
    if (!facilitator) return node;
    node.tabIndex = -1;
    node.setAttribute("aria-describedby", "sort-help");
    node.classList.toggle("is-selected", ctx.selection.has(`group:${node.dataset.groupId}`));
    return node;
  }

  function itemKey(item) {
    return item.classList.contains("group") ? `group:${item.dataset.groupId}` : `note:${item.dataset.noteId}`;
  }
  ctx.itemKey = itemKey;
  ctx.findItem = (key) => {
    const [kind, id] = key.split(":");
    return board.querySelector(kind === "group" ? `.group[data-group-id="${id}"]` : `.note[data-note-id="${id}"]`);
  };

  // A redraw replaces the focused card: give the focus back to the same card.
  function restoreFocus() {
    const key = ctx.focusNext || focusKey;
    const follow = Boolean(ctx.focusNext);
    ctx.focusNext = null;
    focusKey = null;
    if (!key) return;
    const active = document.activeElement;
    if (!follow && active && active !== document.body) return; // the focus is still somewhere
    const item = ctx.findItem(key);
    if (!item) return;
    ctx.rove(item);
    item.focus({ preventScroll: true });
    if (follow) item.scrollIntoView({ block: "nearest", inline: "nearest" });
  }

  if (!facilitator) {
    setupView(ctx);
    return hooks;
  }

  // -- what the facilitator's screen says, and where its tools go ---------------------------
  const status = el("p", { class: "sort-status", id: "sort-status", role: "status", "aria-live": "polite" });
  const help = el(
    "p",
    { class: "visually-hidden", id: "sort-help" },
    "Enter or Space picks the card up; then 0 to 9 moves it to Unsorted or that section, the arrow keys move it, Enter puts it down, Escape puts it back. E edits, H hides, M merges, G groups the selected notes.",
  );
  document.body.append(status, help);
  let sayTimer = null;
  ctx.say = (text, { alert = false } = {}) => {
    status.textContent = text.charAt(0).toUpperCase() + text.slice(1); // server messages start small
    status.classList.toggle("is-alert", alert);
    clearTimeout(sayTimer);
    sayTimer = setTimeout(() => (status.textContent = ""), SAY_MS);
  };

  const bar = document.querySelector(".facilitator-bar");
  ctx.toolbar = el("div", { class: "sort-tools", role: "group", "aria-label": "Sorting the board" });
  const connection = bar && bar.querySelector(".connection");
  if (connection) bar.insertBefore(ctx.toolbar, connection);
  else if (bar) bar.append(ctx.toolbar);

  // Side panels (the plan, the log): one open at a time, over the right of the board.
  ctx.panels = [];
  ctx.addPanel = (panel, button, onOpen) => {
    panel.classList.add("side-panel");
    panel.hidden = true;
    document.body.append(panel);
    ctx.panels.push({ panel, button, onOpen });
    button.setAttribute("aria-expanded", "false");
    button.addEventListener("click", () => ctx.togglePanel(panel, panel.hidden));
  };
  ctx.togglePanel = (panel, open) => {
    for (const entry of ctx.panels) {
      const show = entry.panel === panel && open;
      entry.panel.hidden = !show;
      entry.button.setAttribute("aria-expanded", String(show));
      if (show && entry.onOpen) entry.onOpen();
    }
    document.body.classList.toggle("has-side-panel", open);
  };

  // -- the selection: notes (and groups) picked with a click, Shift+Enter or Enter ------------
  ctx.setSelection = (keys) => {
    ctx.selection = new Set(keys);
    showSelection();
  };
  ctx.toggleSelection = (key) => {
    if (ctx.selection.has(key)) ctx.selection.delete(key);
    else ctx.selection.add(key);
    showSelection();
  };
  ctx.selectedNotes = () =>
    [...ctx.selection].filter((key) => key.startsWith("note:")).map((key) => Number(key.slice(5))).filter((id) => notes.has(id));
  function showSelection() {
    for (const item of board.querySelectorAll(".is-selected")) item.classList.remove("is-selected");
    for (const key of ctx.selection) {
      const item = ctx.findItem(key);
      if (item) item.classList.add("is-selected");
    }
    for (const handler of ctx.onSelection || []) handler();
  }

  board.addEventListener("click", (event) => {
    const target = event.target;
    if (target.closest("button, select, input, textarea, a, label, .note-controls")) return;
    const item = target.closest(".note, .group");
    if (!item || !board.contains(item)) return;
    if (ctx.onItemClick && ctx.onItemClick(event, item)) return;
    const key = itemKey(item);
    if (event.shiftKey || event.ctrlKey || event.metaKey) ctx.toggleSelection(key);
    else ctx.setSelection(ctx.selection.size === 1 && ctx.selection.has(key) ? [] : [key]);
  });

  // -- drag and drop --------------------------------------------------------------------
  let combine = null; // {kind: "note"|"group", id, node}: what the dragged card would be dropped onto
  let draggedItem = null;

  // The lists stay the same elements from one drawing to the next (board-morph.js): make a
  // Sortable for each new list, drop those whose list has gone.
  function attachSortables() {
    sortables = sortables.filter((sortable) => sortable.el.isConnected || sortable.destroy());
    const handlers = { onChoose, onUnchoose, onStart, onEnd, onMove };
    for (const list of board.querySelectorAll("ol.notes, ol.group-notes")) {
      const existing = Sortable.get(list);
      if (existing) {
        existing.option("animation", animation(list));
        continue;
      }
      const inGroup = list.classList.contains("group-notes");
      const options = { ...SORTABLE, ...handlers, animation: animation(list) };
      if (inGroup) options.group = { name: "board", put: (to, from, item) => item.classList.contains("note") };
      else options.sort = list.closest(".column").dataset.column !== UNSORTED;
      sortables.push(new Sortable(list, options));
    }
  }

  // Sliding the cards aside measures every card of the list on each step: on a long list that
  // costs more than it shows, so long lists move without the slide.
  function animation(list) {
    return list.childElementCount > ANIMATE_UP_TO ? 0 : SORTABLE.animation;
  }

  function onChoose() {
    dragging = true;
  }
  function onUnchoose() {
    // A press that never became a drag (a click): board.js may draw again.
    if (!draggedItem) {
      dragging = false;
      render();
    }
  }
  function onStart(event) {
    draggedItem = event.item;
    board.classList.add("is-dragging");
    document.addEventListener("pointermove", track, true);
    document.addEventListener("touchmove", track, true);
  }

  // Where the pointer is, looked at once a frame (elementFromPoint lays the page out).
  let pointer = null;
  let looking = false;
  function track(event) {
    const point = event.touches ? event.touches[0] : event;
    if (!point) return;
    pointer = { x: point.clientX, y: point.clientY };
    if (looking) return;
    looking = true;
    requestAnimationFrame(() => {
      looking = false;
      if (draggedItem && pointer) setCombine(combineAt(pointer.x, pointer.y));
    });
  }

  // Dropping a note onto the middle of another note groups them; onto a group's header, it
  // joins that group. Near a card's edges the drop reorders instead.
  function combineAt(x, y) {
    if (!draggedItem || draggedItem.classList.contains("group")) return null;
    const hit = document.elementFromPoint(x, y);
    if (!hit || !board.contains(hit) || draggedItem.contains(hit)) return null;
    const header = hit.closest(".group-header");
    if (header) {
      const group = header.closest(".group");
      if (draggedItem.closest(".group") === group) return null;
      return { kind: "group", id: Number(group.dataset.groupId), node: group };
    }
    const target = hit.closest(".note");
    if (!target || target === draggedItem) return null;
    const sameGroup = target.closest(".group");
    if (sameGroup && sameGroup === draggedItem.closest(".group")) return null;
    const rect = target.getBoundingClientRect();
    const insetX = rect.width * 0.18;
    const insetY = rect.height * 0.25;
    if (x < rect.left + insetX || x > rect.right - insetX || y < rect.top + insetY || y > rect.bottom - insetY) return null;
    return { kind: "note", id: Number(target.dataset.noteId), node: target };
  }

  function setCombine(next) {
    if (combine && next && combine.node === next.node) return;
    if (combine) combine.node.classList.remove("is-drop-target");
    combine = next;
    if (combine) combine.node.classList.add("is-drop-target");
  }

  function onMove(event, pointer) {
    if (combine) return false; // over a card's middle: no reordering under the pointer
    const related = event.related;
    if (!pointer || !related || related.parentNode !== event.to || related === draggedItem) return true;
    // In a grid (a wide column), the side of the card the pointer is on says before or after.
    const rect = event.relatedRect;
    if (event.to.clientWidth < rect.width * 1.6) return true;
    if (pointer.clientY < rect.top || pointer.clientY > rect.bottom) return true;
    return pointer.clientX < rect.left + rect.width / 2 ? -1 : 1;
  }

  async function onEnd(event) {
    document.removeEventListener("pointermove", track, true);
    document.removeEventListener("touchmove", track, true);
    board.classList.remove("is-dragging");
    const target = combine;
    setCombine(null);
    const item = event.item;
    draggedItem = null;
    const job = dropped(item, event, target);
    dragging = false;
    if (job) await job;
    else render();
  }

  function listColumn(list) {
    return list.closest(".column").dataset.column;
  }

  // What a drop asks of the server, or null when nothing changed.
  function dropped(item, event, target) {
    const isGroup = item.classList.contains("group");
    const id = Number(isGroup ? item.dataset.groupId : item.dataset.noteId);
    if (target && !isGroup) return dropOnto(id, target);
    const { from, to } = event;
    if (from === to && event.oldDraggableIndex === event.newDraggableIndex) return null;
    const column = listColumn(to);
    const sectionId = sectionIdOf(column);
    const index = column === UNSORTED ? null : event.newDraggableIndex;
    if (isGroup) return ctx.moveGroup(id, { sectionId, index });
    if (to.classList.contains("group-notes")) {
      const groupId = Number(to.dataset.groupId);
      const group = store.get(groupId);
      return ctx.moveNote(id, { sectionId: group ? group.section_id : sectionId, groupId, index: event.newDraggableIndex });
    }
    const note = notes.get(id);
    if (column === UNSORTED && note && note.section_id === null && !store.of(note)) return null; // the pile keeps arrival order
    return ctx.moveNote(id, { sectionId, groupId: null, index });
  }

  function dropOnto(noteId, target) {
    if (target.kind === "group") {
      const group = store.get(target.id);
      if (!group) return null;
      return ctx.moveNote(noteId, { sectionId: group.section_id, groupId: group.id, index: null });
    }
    const anchor = notes.get(target.id);
    if (!anchor) return null;
    const group = store.of(anchor);
    if (group) {
      // Onto a grouped note: join its group, just after that note.
      const after = store.members(notes, group.id).filter((n) => n.id !== noteId).findIndex((n) => n.id === anchor.id) + 1;
      return ctx.moveNote(noteId, { sectionId: group.section_id, groupId: group.id, index: after });
    }
    return ctx.groupNotes([anchor.id, noteId]);
  }

  // -- the rest of the facilitator's tools ------------------------------------------------
  setupKeys(ctx);
  setupModeration(ctx);
  setupPlan(ctx);
  setupView(ctx);
  ctx.toolbar.append(ctx.selectionTools);
  return hooks;
}
