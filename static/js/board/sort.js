// @ts-check
// Sorting the board into the plan. Everyone's board draws groups (groups.js); the
// facilitator's also drags notes and groups (drag.js: mouse, touch, pen), moves them
// with the keyboard (keys.js), moderates (moderation.js) and edits the plan
// (plan.js).
//
// The server is the source of truth: a drop or a key press asks the server to move the
// thing to an index, and the board is then drawn from the server's answer and the events,
// never from where the pointer left it. While a drag or a move is under way board.js waits
// to redraw, so nothing is pulled from under the pointer.
import { bus, TOPIC } from "../core/bus.js";
import { api, el } from "../core/common.js";
import { GroupStore, arrange, columnItems, groupTitle, mergedTexts, pileKey, renderGroup } from "./groups.js";
import { setupDrag } from "./drag.js";
import { setupKeys } from "./keys.js";
import { morphChildren } from "./morph.js";
import { setupModeration } from "./moderation.js";
import { setupPlan } from "./plan.js";
import { setupBoardHints } from "../suggestions/board-hints.js";
import { setupSuggestions } from "../suggestions/board-suggestions.js";
import { setupTools } from "./tools.js";
import { setupView } from "./view.js";
import { _, formatNumber, ngettext } from "../core/i18n.js";

const ARMED = 3;
// The server's events after which a card drawn before is still drawn right (the rest may
// change how a card looks: a phase, a section, the settings).
/** @type {Set<string>} */
const NOTE_TOPICS = new Set([TOPIC.noteCreated, TOPIC.noteUpdated, TOPIC.noteDeleted, TOPIC.votesChanged, TOPIC.groupChanged, TOPIC.groupDeleted, TOPIC.presence, TOPIC.timerChanged]);
const HOLD_MS = 3000;

/**
 * The sorting context: what the parts of the facilitator's board share. setupSorting makes
 * it with the state and the calls every part needs; then each part adds the services it
 * offers, once (named beside each below), before the next part is set up. What happened is
 * told on the bus (core/bus.js), never through this.
 * @typedef {object} SortContext
 * @property {HTMLElement} board
 * @property {Map<number, import("../core/types.js").Note>} notes
 * @property {GroupStore} store
 * @property {boolean} facilitator
 * @property {string} code
 * @property {() => import("../core/types.js").Workshop} workshop
 * @property {() => void} render
 * @property {Set<number>} edited  notes whose text the facilitator fixed (moderation.js keeps it)
 * @property {Set<string>} selection  notes and groups picked on this screen: "note:12", "group:3"
 * @property {string | null} [focusNext]  the card to give the focus to after the next drawing
 * @property {(text: string, options?: {alert?: boolean}) => void} say  the live region (tools.js; silent on public boards)
 * @property {<T>(promise: Promise<T>) => Promise<T>} hold  hold the board's redraws until it settles
 * @property {(method: string, path: string, body?: unknown, options?: {quiet?: boolean}) => Promise<any>} call
 * @property {(note: import("../core/types.js").Note) => void} [applyNote]
 * @property {(group: import("../core/types.js").Group) => void} [applyGroup]
 * @property {() => void} [resync]
 * @property {(sectionId: number | null) => string} [sectionTitle]
 * @property {(noteId: number, where: {sectionId: number | null, groupId?: number | null, index?: number | null, back?: boolean}) => Promise<any>} [moveNote]
 * @property {(groupId: number, where: {sectionId: number | null, index?: number | null, back?: boolean}) => Promise<any>} [moveGroup]
 * @property {(noteIds: number[]) => Promise<any>} [groupNotes]
 * @property {(groupId: number) => Promise<void>} [ungroup]
 * @property {(item: HTMLElement) => string} [itemKey]
 * @property {(key: string) => HTMLElement | null} [findItem]
 * @property {HTMLElement} [toolbar]  tools.js
 * @property {Array<{panel: HTMLElement, button: HTMLElement, onOpen?: () => void}>} [panels]  tools.js
 * @property {(panel: HTMLElement, button: HTMLElement, onOpen?: () => void) => void} [addPanel]  tools.js
 * @property {(panel: HTMLElement, open: boolean) => void} [togglePanel]  tools.js
 * @property {(keys: string[]) => void} [setSelection]  tools.js
 * @property {(key: string) => void} [toggleSelection]  tools.js
 * @property {() => number[]} [selectedNotes]  tools.js
 * @property {(item: HTMLElement) => void} [rove]  keys.js: the card a column's Tab stop is on
 * @property {HTMLElement} [selectionTools]  moderation.js (put after the sorting tools here)
 */

export function setupSorting({ board, notes, facilitator, code, workshop, render }) {
  const store = new GroupStore();
  const texts = new Map(); // note id -> text last seen, to notice edits made on another screen
  /** @type {SortContext} */
  const ctx = {
    board,
    notes,
    store,
    facilitator,
    code,
    workshop,
    render,
    edited: new Set(), // notes whose text the facilitator fixed (moderation.js)
    selection: new Set(), // notes and groups picked on this screen: "note:12", "group:3"
    // The live region's voice (tools.js, on the facilitator's board; silent on public boards).
    say: /** @type {(text: string, options?: {alert?: boolean}) => void} */ (() => {}),
    hold,
    call,
  };
  let holds = 0;
  let holdSince = 0;
  let drag = null; // drag.js, on the facilitator's board
  const dragging = () => Boolean(drag && drag.dragging());
  let focusKey = null; // the item that had the focus when a redraw began
  let drawing = false;
  const emptyLists = new Map(); // column key -> the list an empty column gets for drops
  // What each note card was drawn from, so an unchanged card is kept on screen (morph.js).
  const stamps = new WeakMap();
  let context = 0; // bumped when something besides the notes may change how a card is drawn

  // A card that has arrived stops being new once its arrival is shown, so moving it later
  // does not play the arrival again.
  board.addEventListener("animationend", (event) => event.target.classList.remove("is-new"));

  // -- following the server --------------------------------------------------------
  // (The parts set up below subscribe after this module, so the groups and texts are
  // current when they hear of a change.)
  bus.on(TOPIC.boardState, (state) => {
    context += 1;
    store.load(state.groups);
    texts.clear();
    for (const note of state.notes) texts.set(note.id, note.text);
  });
  bus.on(TOPIC.serverEvent, ({ topic }) => {
    if (!NOTE_TOPICS.has(topic)) context += 1;
  });
  bus.on(TOPIC.groupChanged, (group) => {
    store.set(group);
    render();
  });
  bus.on(TOPIC.groupDeleted, (payload) => {
    store.delete(payload.id);
    render();
  });
  bus.on(TOPIC.noteUpdated, (note) => {
    if (typeof note.text !== "string") return;
    const changed = texts.has(note.id) && texts.get(note.id) !== note.text;
    texts.set(note.id, note.text);
    if (changed) bus.emit(TOPIC.noteTextChanged, { id: note.id });
  });
  bus.on(TOPIC.noteCreated, (note) => texts.set(note.id, note.text));

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
  ctx.resync = () => bus.emit(TOPIC.resync);

  // A change in flight holds board.js's redraws until the server has answered (a few
  // milliseconds on the venue network; never more than HOLD_MS, the room keeps watching).
  async function hold(promise) {
    if (holds === 0) holdSince = Date.now();
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
      if (!quiet) ctx.say(error.message || _("That did not go through."), { alert: true });
      if (error.status !== 409 || method !== "POST" || !path.endsWith("/undo")) ctx.resync();
      return null;
    }
  }

  // -- moving, with the position to announce -------------------------------------------
  function sectionTitle(sectionId) {
    if (sectionId === null) return _("Unsorted");
    const section = workshop().sections.find((s) => s.id === sectionId);
    return section ? section.title : _("a removed section");
  }
  ctx.sectionTitle = sectionTitle;

  function placement(sectionId, index, siblings) {
    if (sectionId === null) return _("Unsorted");
    const place = index === null ? siblings + 1 : Math.min(Math.max(index, 0), siblings) + 1;
    return _("{section}, position {place}", { section: sectionTitle(sectionId), place: formatNumber(place) });
  }

  // What the live region says after a move: where the thing went, or where a cancelled
  // pick-up (keys.js, back: true) put it back.
  function moved(where, back) {
    return back ? _("Cancelled: back in {where}", { where }) : _("Moved to {where}", { where });
  }

  ctx.moveNote = async (noteId, { sectionId, groupId = null, index = null, back = false }) => {
    let where;
    if (groupId !== null) {
      const group = store.get(groupId);
      const siblings = store.members(notes, groupId).filter((n) => n.id !== noteId).length;
      const name = group ? groupTitle(group, siblings + 1) : _("the group");
      where = _("{section}, in {group}, position {place}", {
        section: sectionTitle(group ? group.section_id : sectionId),
        group: name,
        place: formatNumber(Math.min(index ?? siblings, siblings) + 1),
      });
    } else {
      const siblings = columnItems(notes, store, sectionId).filter((i) => !(i.kind === "note" && i.id === noteId));
      where = placement(sectionId, index, siblings.length);
    }
    const body = { section_id: sectionId, group_id: groupId, index };
    const note = await hold(call("POST", `/api/notes/${noteId}/move`, body));
    if (!note) return null;
    ctx.applyNote(note);
    ctx.say(moved(where, back));
    return note;
  };

  ctx.moveGroup = async (groupId, { sectionId, index = null, back = false }) => {
    const siblings = columnItems(notes, store, sectionId).filter((i) => !(i.kind === "group" && i.id === groupId));
    const where = placement(sectionId, index, siblings.length);
    const group = await hold(call("PATCH", `/api/groups/${groupId}`, { section_id: sectionId, index }));
    if (!group) return null;
    ctx.applyGroup(group);
    const title = groupTitle(group, group.note_ids.length);
    ctx.say(back ? moved(where, true) : _("Moved group {group} to {where}", { group: title, where }));
    return group;
  };

  ctx.groupNotes = async (noteIds) => {
    const group = await hold(call("POST", `/api/workshops/${code}/groups`, { note_ids: noteIds }));
    if (!group) return null;
    ctx.applyGroup(group);
    const section = sectionTitle(group.section_id);
    ctx.say(ngettext("Grouped {n} note in {section}. Name the group from its header.", "Grouped {n} notes in {section}. Name the group from its header.", group.note_ids.length, { section }));
    return group;
  };

  ctx.ungroup = async (groupId) => {
    const answer = await hold(call("DELETE", `/api/groups/${groupId}`));
    if (!answer) return;
    ctx.applyGroup(answer);
    ctx.say(_("Ungrouped: the notes stay where the group stood"));
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
    bus.emit(TOPIC.noteControls, { item, note: pending.note, controls });
  }
  let pointerAt = null; // where the mouse rests on the board, to give a redrawn card its controls
  if (facilitator) {
    const reach = (event) => {
      const item = !dragging() && event.target.closest && event.target.closest(".note");
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
    if (!pointerAt || dragging()) return;
    for (const id of armed) {
      const item = ctx.findItem(`note:${id}`);
      if (item) makeControls(item);
    }
  }

  // -- what board.js calls ---------------------------------------------------------------------
  const forBoard = {
    controlsOnDemand(item, build) {
      pendingControls.set(item, { build, note: notes.get(Number(item.dataset.noteId)) });
    },
    holding: () => dragging() || (holds > 0 && Date.now() - holdSince < HOLD_MS),
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
      bus.emit(TOPIC.noteDrawn, { item, note });
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
      drag.attach();
      bus.emit(TOPIC.boardDrawn);
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
    return forBoard;
  }

  setupTools(ctx); // the live region, the toolbar, side panels, the selection
  drag = setupDrag(ctx);
  setupKeys(ctx);
  setupModeration(ctx);
  setupSuggestions(ctx);
  setupBoardHints(ctx); // "where does it go" on each unsorted note
  setupPlan(ctx);
  ctx.toolbar.append(ctx.selectionTools);
  setupView(ctx);
  return forBoard;
}
