// @ts-check
// Where a dragged card lands, read from the card under the pointer (drag.js asks at every
// move and once more at the drop). Over a card the board holds still: drag.js tells
// sortablejs not to move anything then, so the card under the pointer stays the card the
// drop lands on, in a narrow column as in a section two or more cards wide. (Letting
// sortablejs swap cards as the pointer crossed their edges reflowed a wide section's grid,
// and the note meant for a group landed beside another card instead.)
//
// - the middle of a note: group with it (onto a grouped note: join its group);
// - a group's header or frame: join that group;
// - a card's edge (left or right where cards stand side by side, top or bottom in a single
//   file and for a group): go just before or after it.
// Anywhere else (below the last card, in an empty column) sortablejs places the card.
import { _ } from "../core/i18n.js";

const EDGE_ACROSS = 0.22; // of a card's width, each side, where cards stand side by side
const EDGE_DOWN = 0.25; // of a card's height, top and bottom, in a single file
const LANDING_CLASSES = ["is-drop-target", "is-insert-before", "is-insert-after", "is-across"];

/**
 * What a drop would do: group with a note, join a group, or stand before or after a card.
 * @typedef {{kind: "group" | "join" | "insert", node: HTMLElement, after?: boolean, across?: boolean}} Landing
 */

/**
 * @param {HTMLElement} board
 * @param {HTMLElement} dragged  the card being dragged (a note or a group)
 * @param {number} x
 * @param {number} y
 * @returns {Landing | null}
 */
export function landingAt(board, dragged, x, y) {
  const hit = document.elementFromPoint(x, y);
  if (!hit || !board.contains(hit) || dragged.contains(hit)) return null;
  const draggingGroup = dragged.classList.contains("group");
  const ownGroup = draggingGroup ? null : dragged.closest(".group");
  /** @type {HTMLElement | null} */
  let node = hit.closest(".note, .group");
  // A group lands among a column's cards, never inside another group.
  if (node && draggingGroup && node.parentElement.closest(".group")) node = node.parentElement.closest(".group");
  if (!node || node === dragged || !node.parentElement) return null;
  const rect = node.getBoundingClientRect();
  if (node.classList.contains("group")) {
    if (node === ownGroup) return null; // back into its own group: sortablejs decides
    if (!draggingGroup) return { kind: "join", node };
    return { kind: "insert", node, after: y > rect.top + rect.height / 2, across: false };
  }
  // Side by side (a wide section's grid) the edges are left and right; in a single file,
  // top and bottom.
  const across = node.parentElement.clientWidth >= rect.width * 1.6;
  const along = across ? (x - rect.left) / rect.width : (y - rect.top) / rect.height;
  const edge = across ? EDGE_ACROSS : EDGE_DOWN;
  const sameGroup = ownGroup !== null && node.closest(".group") === ownGroup;
  if (draggingGroup || sameGroup) return { kind: "insert", node, after: along > 0.5, across };
  if (along < edge) return { kind: "insert", node, after: false, across };
  if (along > 1 - edge) return { kind: "insert", node, after: true, across };
  return { kind: "group", node };
}

/** Show where a drop lands: the target lit and labelled, or a bar on the card's edge. */
export function showLanding(board, landing) {
  for (const node of board.querySelectorAll(".is-drop-target, .is-insert-before, .is-insert-after")) {
    node.classList.remove(...LANDING_CLASSES);
    node.removeAttribute("data-drop");
  }
  if (!landing) return;
  const { node } = landing;
  if (landing.kind === "insert") {
    node.classList.add(landing.after ? "is-insert-after" : "is-insert-before");
    node.classList.toggle("is-across", Boolean(landing.across));
    return;
  }
  node.classList.add("is-drop-target");
  node.dataset.drop = landing.kind === "join" ? _("Drop to add to this group") : _("Drop to group");
}

/** Whether two landings are the same (the pointer moved within one zone of one card). */
export function sameLanding(a, b) {
  if (!a || !b) return a === b;
  return a.kind === b.kind && a.node === b.node && Boolean(a.after) === Boolean(b.after);
}
