// @ts-check
// Drag and drop on the facilitator's board, with sortablejs: notes within and between
// columns, onto another note (a new group) or into a group, groups as one, notes out of
// groups. Over a card the board holds still and drop.js says where the drop lands (the
// card lit, or a bar on its edge); sortablejs moves the placeholder only elsewhere (below
// the last card, into an empty column). Each drop becomes one request (sort.js: moveNote,
// moveGroup, groupNotes); the board is then drawn from the server's answer and the
// events, never from the drop.
import Sortable from "../../vendor/sortable.esm.js";
import { landingAt, sameLanding, showLanding } from "./drop.js";
import { UNSORTED, sectionIdOf } from "./groups.js";

const ANIMATE_UP_TO = 40; // cards in a list

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

/** @param {import("./sort.js").SortContext} ctx */
export function setupDrag(ctx) {
  const { board, notes, store, render } = ctx;
  let sortables = [];
  let dragging = false;
  /** @type {import("./drop.js").Landing | null} */
  let landing = null; // where the dragged card would land now (drop.js)
  let draggedItem = null;

  // The lists stay the same elements from one drawing to the next (morph.js): make a
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
      /** @type {Record<string, unknown>} */
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

  // Where the pointer is, looked at once a frame (elementFromPoint lays the page out), and
  // where a drop there would land (drop.js).
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
      if (draggedItem && pointer) look(pointer.x, pointer.y);
    });
  }

  function look(x, y) {
    const next = landingAt(board, draggedItem, x, y);
    if (!sameLanding(landing, next)) showLanding(board, next);
    landing = next;
    return landing;
  }

  // sortablejs asks before it moves the placeholder. Over a card the board holds still
  // (drop.js says where the drop lands); elsewhere (below the last card, an empty column)
  // sortablejs places it.
  function onMove(event, original) {
    if (!draggedItem) return true;
    if (original && typeof original.clientX === "number") {
      pointer = { x: original.clientX, y: original.clientY };
      return look(pointer.x, pointer.y) ? false : true;
    }
    return landing ? false : true;
  }

  async function onEnd(event) {
    // The cards under the pointer did not move while it was over them: where it let go is
    // where the drop lands. (Read before the board leaves its dragging look: a touched
    // card's controls come back then, and the cards below move.)
    const target = pointer ? look(pointer.x, pointer.y) : landing;
    document.removeEventListener("pointermove", track, true);
    document.removeEventListener("touchmove", track, true);
    board.classList.remove("is-dragging");
    showLanding(board, null);
    landing = null;
    pointer = null;
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
    if (target && target.kind === "insert") return placeBeside(item, event, target);
    if (target && !isGroup) return dropOnto(id, target);
    const { from, to } = event;
    if (from === to && event.oldDraggableIndex === event.newDraggableIndex) return null;
    return place(item, to, event.newDraggableIndex);
  }

  // Just before or after the card the pointer was on's edge: its place among the cards of its
  // list (the dragged card left out), unless that is where the card already stood.
  function placeBeside(item, event, target) {
    const list = target.node.parentElement;
    const others = [...list.children].filter((child) => child !== item && child.matches("li"));
    const index = others.indexOf(target.node) + (target.after ? 1 : 0);
    if (event.from === list && event.oldDraggableIndex === index) return null;
    return place(item, list, index);
  }

  // Put the card at ``index`` of ``list`` (a column's list or a group's).
  function place(item, list, index) {
    const isGroup = item.classList.contains("group");
    const id = Number(isGroup ? item.dataset.groupId : item.dataset.noteId);
    const column = listColumn(list);
    const sectionId = sectionIdOf(column);
    const at = column === UNSORTED ? null : index;
    if (isGroup) return ctx.moveGroup(id, { sectionId, index: at });
    if (list.classList.contains("group-notes")) {
      const groupId = Number(list.dataset.groupId);
      const group = store.get(groupId);
      return ctx.moveNote(id, { sectionId: group ? group.section_id : sectionId, groupId, index });
    }
    const note = notes.get(id);
    if (column === UNSORTED && note && note.section_id === null && !store.of(note)) return null; // the pile keeps arrival order
    return ctx.moveNote(id, { sectionId, groupId: null, index: at });
  }

  function dropOnto(noteId, target) {
    if (target.kind === "join") {
      const group = store.get(Number(target.node.dataset.groupId));
      if (!group) return null;
      return ctx.moveNote(noteId, { sectionId: group.section_id, groupId: group.id, index: null });
    }
    const anchor = notes.get(Number(target.node.dataset.noteId));
    if (!anchor) return null;
    const group = store.of(anchor);
    if (group) {
      // Onto a grouped note: join its group, just after that note.
      const after = store.members(notes, group.id).filter((n) => n.id !== noteId).findIndex((n) => n.id === anchor.id) + 1;
      return ctx.moveNote(noteId, { sectionId: group.section_id, groupId: group.id, index: after });
    }
    return ctx.groupNotes([anchor.id, noteId]);
  }

  return { attach: attachSortables, dragging: () => dragging };
}
