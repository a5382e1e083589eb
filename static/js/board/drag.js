// @ts-check
// Drag and drop on the facilitator's board, with sortablejs: notes within and between
// columns, onto another note (a new group) or into a group, groups as one, notes out of
// groups. Each drop becomes one request (sort.js: moveNote, moveGroup, groupNotes);
// the board is then drawn from the server's answer and the events, never from the drop.
import Sortable from "../../vendor/sortable.esm.js";
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

/** @param {import("./sort.js").SortContext} ctx */
export function setupDrag(ctx) {
  const { board, notes, store, render } = ctx;
  let sortables = [];
  let dragging = false;
  let combine = null; // {kind: "note"|"group", id, node}: what the dragged card would be dropped onto
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

  return { attach: attachSortables, dragging: () => dragging };
}
